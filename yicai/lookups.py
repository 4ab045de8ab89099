"""How a list narrows its rows, one way for every app's queries (pages, exports and the API
read the same list functions).

A list's filters arrive as keyword arguments where "" or None means "any": `narrowed` applies
those given, so a list function reads as the table of its filters. `containing` is its text
search, `between` the test of a date against a range of days, `period_meets` that of a dated
period (an agreement, a team, a studio) against a day or a range of days.
"""

import datetime
import operator
from functools import reduce
from typing import Any, TypeVar

from django.db.models import Q, QuerySet

_Rows = TypeVar("_Rows", bound=QuerySet[Any])


def narrowed(rows: _Rows, *conditions: Q, **lookups: object) -> _Rows:
    """`rows` filtered by each condition and by each lookup whose value is given (neither None
    nor ""). One filter() each, in order, as a list chained them by hand: across a many-valued
    relation each stays a condition of its own."""
    for condition in conditions:
        if condition:  # an empty Q (no text searched) narrows nothing
            rows = rows.filter(condition)
    for lookup, value in lookups.items():
        if value is not None and value != "":
            rows = rows.filter(**{lookup: value})
    return rows


def containing(text: str, *fields: str) -> Q:
    """Rows where any of `fields` contains `text`, ignoring case; an empty Q (every row) for
    no text."""
    if not text:
        return Q()
    return reduce(operator.or_, (Q(**{f"{field}__icontains": text}) for field in fields))


def between(field: str, first: datetime.date | None, last: datetime.date | None) -> Q:
    """Rows whose date `field` is from `first` to `last`, both inclusive; None leaves that
    side open."""
    within = Q()
    if first is not None:
        within &= Q(**{f"{field}__gte": first})
    if last is not None:
        within &= Q(**{f"{field}__lte": last})
    return within


def period_meets(
    start: str, end: str, first: datetime.date | None, last: datetime.date | None
) -> Q:
    """Rows whose period, from the `start` field to the `end` field (empty: still running),
    meets the days from `first` to `last`, both inclusive; None leaves that side open. A
    single day is `first` and `last` alike."""
    meets = Q()
    if last is not None:
        meets &= Q(**{f"{start}__lte": last})
    if first is not None:
        meets &= Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": first})
    return meets
