"""When things happened in the demo's year. The services stamp what they write with the present
moment (a report's submission, a comment, a confirmation); the demo replays a year through
them, then puts each stamp back on the day the story says it happened, never later than the
day the demo is loaded for."""

import datetime

from django.utils import timezone


def moment(day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def latest(today: datetime.date) -> datetime.datetime:
    """The last moment a demo loaded for `today` may show: now, or that day's end when the
    demo is loaded for an earlier day (as the tests do)."""
    return min(timezone.now(), moment(today, 23, 59))


def on(day: datetime.date, today: datetime.date, hour: int = 10, minute: int = 0):
    """A moment of `day`, never later than `latest(today)`."""
    return min(moment(day, hour, minute), latest(today))


def restamp(record, **stamps) -> None:
    """Set the record's time stamps as the demo's story has them (an update of those columns
    only: the record was made and checked by its service)."""
    type(record).objects.filter(pk=record.pk).update(**stamps)
    for name, value in stamps.items():
        setattr(record, name, value)
