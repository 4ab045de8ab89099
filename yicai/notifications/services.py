"""Notifications created, read, and sent by e-mail.

`notify` is idempotent: a notification is one row per user and key (a database constraint),
so a due item notified again is left as it is, read or not. E-mail is optional
(`settings.YICAI_NOTIFY_EMAIL`), sent through Django's mail settings once the notifications
are committed, to users with an address, each notification once (`emailed_at`)."""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yicai.access.models import RequestUser, User
from yicai.notifications.models import Notification
from yicai.notifications.queries import notifications_for

_CHUNK = 500  # keys asked at once (SQLite's variables)


@dataclass(frozen=True)
class Message:
    """One notification to create, for one user."""

    user_id: int
    key: str
    kind: str
    title: str
    url: str = ""
    body: str = ""
    due_on: datetime.date | None = None


@dataclass(frozen=True)
class Outcome:
    created: int
    existing: int


def _chunks(items: Sequence[Message]) -> Iterable[Sequence[Message]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


@transaction.atomic
def notify_many(*, messages: Iterable[Message], dry_run: bool = False) -> Outcome:
    """Create the messages not yet created for their users (one query a 500 keys to find
    those that are, one insert for the rest); e-mail the new ones once committed. A dry run
    only counts them."""
    wanted = list({(m.user_id, m.key): m for m in messages}.values())
    created: list[Message] = []
    for chunk in _chunks(wanted):
        there = set(
            Notification.objects.filter(
                key__in={m.key for m in chunk}, user_id__in={m.user_id for m in chunk}
            ).values_list("user_id", "key")
        )
        created += [m for m in chunk if (m.user_id, m.key) not in there]
    outcome = Outcome(created=len(created), existing=len(wanted) - len(created))
    if dry_run:
        return outcome
    Notification.objects.bulk_create(
        [
            Notification(
                user_id=m.user_id,
                key=m.key,
                kind=m.kind,
                title=m.title[:200],
                url=m.url,
                body=m.body,
                due_on=m.due_on,
            )
            for m in created
        ],
        ignore_conflicts=True,  # created meanwhile by another run: still once
    )
    if created and settings.YICAI_NOTIFY_EMAIL:
        keys = {m.key for m in created}
        transaction.on_commit(lambda: email_pending(keys=keys))
    return outcome


def notify(
    *,
    users: Iterable[User | int],
    key: str,
    kind: str,
    title: str,
    url: str = "",
    body: str = "",
    due_on: datetime.date | None = None,
) -> Outcome:
    """Notify each of `users` of one due item, once whatever the number of calls."""
    ids = {user if isinstance(user, int) else user.pk for user in users}
    return notify_many(
        messages=[
            Message(user_id=pk, key=key, kind=kind, title=title, url=url, body=body, due_on=due_on)
            for pk in sorted(ids)
        ]
    )


def email_pending(*, keys: Iterable[str]) -> int:
    """Send the notifications of these keys not yet e-mailed to users with an address, each
    marked as sent; how many were sent."""
    keys = list(keys)
    sent = 0
    for start in range(0, len(keys), _CHUNK):
        pending = (
            Notification.objects.filter(
                key__in=keys[start : start + _CHUNK],
                emailed_at__isnull=True,
                user__is_active=True,
            )
            .exclude(user__email="")
            .select_related("user")
        )
        for notification in pending:
            body = notification.body or notification.title
            if notification.url and settings.YICAI_SITE_URL:
                body += "\n\n" + settings.YICAI_SITE_URL.rstrip("/") + notification.url
            send_mail(
                _("【医才】%s") % notification.title,
                body,
                None,  # DEFAULT_FROM_EMAIL
                [notification.user.email],
            )
            # Marked one by one: a failure half way sends the rest next time, not these again.
            Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
            sent += 1
    return sent


@transaction.atomic
def mark_read(*, notification: Notification) -> Notification:
    """Read now (a notification read before keeps its time)."""
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


@transaction.atomic
def mark_all_read(*, user: RequestUser) -> int:
    """Every unread notification of the user read now; how many."""
    return notifications_for(user).filter(read_at__isnull=True).update(read_at=timezone.now())
