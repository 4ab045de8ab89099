"""The statutory retirement age (法定退休年龄): one rule, as a function of the birth date and
the kind of worker, after the decision of the NPC Standing Committee of 13 September 2024
(全国人民代表大会常务委员会关于实施渐进式延迟法定退休年龄的决定) and the State Council's
measures it approves (国务院关于渐进式延迟法定退休年龄的办法, art. 1, and its tables 附件1–3).

Before 2025 the ages were 60 for men, 55 for women cadres and 50 for women workers. From
1 January 2025 men's and women cadres' age is delayed by one month every four months, up to
63 and 58; women workers' by one month every two months, up to 55. Whoever would have
retired at the old age before January 2025 keeps it; the first reached are those who would
have retired in January 2025 (men born in January 1965), and the delay grows with the month
of birth: a man born from January to April 1965 retires at 60 years and 1 month (in February
to May 2025), one born from May to August 1965 at 60 and 2 months, ... one born in September
1976 or later at 63.

Pure: no database. The figures (the ages before and after, when the change starts, its pace)
come as a `Schedule`, which `yicai.insights.queries` builds from the dated planning
parameters (seeded with the decision's figures, migration 0004). The age is counted in whole
months, and it is reached on the birthday's date in its month (the 31st in a shorter month:
its last day), as the tables give the retirement month (改革后退休时间).
"""

import calendar
import datetime
from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext

# The search for the birth dates that retire in a range of days looks this far back.
_OLDEST = 120


class Kind(StrEnum):
    """Whom the decision names: men, and women whose age was 55 (cadres: professional and
    managerial staff) or 50 (workers: 工勤技能人员)."""

    MALE = "male"
    FEMALE_CADRE = "female_cadre"
    FEMALE_WORKER = "female_worker"


@dataclass(frozen=True)
class Change:
    """A change of the statutory age from `original` to `final` (years) for whoever would
    retire at the original age on or after `since`: one month more for every `step` months
    of birth (at once, without a step)."""

    since: datetime.date
    original: int
    final: int
    step: int | None = None


@dataclass(frozen=True)
class Schedule:
    """One kind's statutory age: `age` (years), then its `changes`, oldest first."""

    age: int
    changes: tuple[Change, ...] = ()


def _month(day: datetime.date) -> int:
    """A month as a count of months (January of year 0 is 0)."""
    return day.year * 12 + day.month - 1


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (the month's last day when it has no such day)."""
    index = _month(day) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return datetime.date(year, month + 1, min(day.day, last))


def _changed(birth: datetime.date, change: Change) -> int | None:
    """The age in months a change gives someone born on `birth`; None if it does not reach
    them (they would retire at the original age before it starts)."""
    base = change.original * 12
    # Months of birth after the first month the change reaches: those who would have retired
    # at the original age in the month it starts (a man born in January 1965).
    after = _month(birth) + base - _month(change.since)
    if after < 0:
        return None
    delay = (change.final - change.original) * 12
    if change.step is None or delay <= 0:
        return base + delay
    return base + min(after // change.step + 1, delay)


def age_months(birth: datetime.date, schedule: Schedule) -> int:
    """The statutory retirement age, in months, of someone born on `birth`: the latest change
    that reaches them decides, else the age before any change."""
    for change in reversed(schedule.changes):
        months = _changed(birth, change)
        if months is not None:
            return months
    return schedule.age * 12


def retires_on(birth: datetime.date, schedule: Schedule) -> datetime.date:
    """The day someone born on `birth` reaches the statutory retirement age."""
    return add_months(birth, age_months(birth, schedule))


def age_in_words(months: int) -> str:
    """60岁, 60岁3个月: the age as the decision's tables say it."""
    years, rest = divmod(months, 12)
    if not rest:
        return gettext("%(years)d岁") % {"years": years}
    return gettext("%(years)d岁%(months)d个月") % {"years": years, "months": rest}


def _first_born(schedule: Schedule, day: datetime.date) -> datetime.date:
    """The earliest birth date that reaches the age on `day` or later. The retirement day
    never comes earlier for a later birth (an age only rises with the month of birth, by a
    month at a time), so the births retiring on a range of days are a range too."""
    low = datetime.date(max(day.year - _OLDEST, 1), 1, 1).toordinal()
    high = day.toordinal()
    while low < high:
        middle = (low + high) // 2
        if retires_on(datetime.date.fromordinal(middle), schedule) >= day:
            high = middle
        else:
            low = middle + 1
    return datetime.date.fromordinal(low)


def born_between(
    schedule: Schedule, first: datetime.date | None, last: datetime.date
) -> tuple[datetime.date | None, datetime.date] | None:
    """The birth dates (first, last, both inclusive; first None: any earlier) of those who
    reach the age from `first` to `last` (None: any day up to `last`); None when nobody can."""
    earliest = None if first is None else _first_born(schedule, first)
    latest = _first_born(schedule, last + datetime.timedelta(days=1)) - datetime.timedelta(days=1)
    if earliest is not None and latest < earliest:
        return None
    return earliest, latest
