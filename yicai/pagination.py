"""One page of a list, with the filters carried into the page and export links.

`page_context` numbers pages (OFFSET): for lists whose size a user's scope keeps small.
`keyset_context` pages by key: the next page starts after the last row's sort key, so page
2,000 costs what page 1 does, and the count stops at COUNT_BOUND ("1,000+"): for lists that
may hold a province's people.
"""

import base64
import binascii
import datetime
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.http import HttpRequest

COUNT_BOUND = 1000


def _querystrings(request: HttpRequest) -> dict[str, str]:
    filters = request.GET.copy()
    for name in ("page", "cursor", "export"):
        filters.pop(name, None)
    query = filters.urlencode()
    return {
        "querystring_base": f"{query}&" if query else "",  # for ?{{ base }}page=N
        "export_query": query,
    }


def page_context(
    request: HttpRequest, rows: Sequence[Any] | QuerySet[Any], per_page: int | None = None
) -> dict[str, Any]:
    page = Paginator(rows, per_page or settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return {"page_obj": page, **_querystrings(request)}


def encode_cursor(data: dict[str, Any]) -> str:
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False, default=_json_value)
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _json_value(value: object) -> str:
    if isinstance(value, datetime.date):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def decode_cursor(text: str | None) -> dict[str, Any]:
    """A cursor's content; {} (the first page) for one that is missing or was tampered with."""
    if not text:
        return {}
    try:
        data = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
    except (ValueError, binascii.Error, RecursionError):
        return {}
    return data if isinstance(data, dict) else {}


@dataclass
class KeysetPage:
    rows: list[Any]
    number: int = 1
    next_cursor: str | None = None
    previous_cursor: str | None = None
    count: int | None = None  # at most COUNT_BOUND; None when not counted
    more: bool = False  # more than `count` rows match

    def __iter__(self) -> Iterator[Any]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None

    @property
    def has_previous(self) -> bool:
        return self.previous_cursor is not None


@dataclass(frozen=True)
class Sorted:
    """A part of a search whose rows are fetched and sorted, never found by walking an index
    in the list's order: its matches cluster where such a walk looks last (initials zw are
    张w..., after every other 张), so a planner that guesses them spread out would read
    most of the table to fill a page."""

    rows: QuerySet[Any]


def _keys(order: tuple[str, ...]) -> tuple[list[tuple[str, Coalesce | None]], bool]:
    """Each sort field as (name to filter and order on, expression to annotate or None), and
    whether the order is descending. A related field (the institution's name) is annotated,
    with "" for none, so that every row has a key to compare."""
    descending = {name.startswith("-") for name in order}
    if len(descending) != 1:
        raise ValueError("a keyset order runs one way")
    keys: list[tuple[str, Coalesce | None]] = []
    for index, name in enumerate(order):
        path = name.lstrip("-")
        if "__" in path:
            keys.append((f"key_{index}", Coalesce(F(path), Value(""))))
        else:
            keys.append((path, None))
    return keys, descending.pop()


def _beyond(names: list[str], values: list[Any], greater: bool) -> Q:
    """Rows whose key is greater (or less) than `values` in the order of `names`, written so
    that the first field's bound is a plain range an index can start from:
    a >= x AND (a > x OR (a = x AND (b > y OR (b = y AND c > z))))."""
    strict, loose = ("gt", "gte") if greater else ("lt", "lte")
    q = Q(**{f"{names[-1]}__{strict}": values[-1]})
    for name, value in zip(reversed(names[:-1]), reversed(values[:-1]), strict=True):
        q = Q(**{f"{name}__{strict}": value}) | (Q(**{name: value}) & q)
    return Q(**{f"{names[0]}__{loose}": values[0]}) & q


def keyset_page(
    rows: QuerySet[Any],
    order: tuple[str, ...],
    *,
    parts: Sequence[QuerySet[Any] | Sorted] | None = None,
    cursor: str | None = None,
    size: int | None = None,
    count: bool = False,
) -> KeysetPage:
    """One page of `rows` in `order` (which ends in the primary key), beyond the cursor.

    `parts` (querysets whose union is `rows`) each give the keys of one page, and the page
    is read by those keys: a part whose index walks in the list's order stops after a page
    however many rows it matches, where `rows` itself, a disjunction, would be read whole
    and sorted. A `Sorted` part gives the sort keys of its matches, unordered, and they are
    sorted here (the database sorts them when there are more than COUNT_BOUND). The page
    itself is ordered by the database, in its own collation, as it compares the cursor.
    With `count`, the rows are counted up to COUNT_BOUND (each part reads at most
    COUNT_BOUND + 1 keys)."""
    size = size or settings.PAGE_SIZE
    keys, descending = _keys(order)
    names = [name for name, _expression in keys]
    annotations = {name: expression for name, expression in keys if expression is not None}
    data = decode_cursor(cursor)
    forward = "before" not in data
    values = data.get("after" if forward else "before")
    if not isinstance(values, list) or len(values) != len(names):
        values, forward = None, True
    number = data.get("n")
    number = number if isinstance(number, int) and values is not None else 1
    # The order rows are read in: the list's own, or its reverse to read back from a cursor.
    ascending = forward != descending
    reading = [name if ascending else f"-{name}" for name in names]
    # The same order as an expression no index serves, so the database sorts a Sorted part's
    # matches: a planner that walked the list's index instead, guessing them spread out, read
    # a million rows for the 2,000 张w... of initials zw (3 s, where the sort takes 30 ms).
    sorting = [
        Coalesce(F(name), F(name)).asc() if ascending else Coalesce(F(name), F(name)).desc()
        for name in names
    ]

    def beyond(queryset: QuerySet[Any]) -> QuerySet[Any]:
        queryset = queryset.annotate(**annotations) if annotations else queryset
        if values is not None:
            queryset = queryset.filter(_beyond(names, values, greater=ascending))
        return queryset

    # A sorted part's matches read without a cursor are all its matches, up to the bound:
    # the count takes them from here rather than reading them again.
    matched: dict[int, set[Any]] = {}

    def page_keys(index: int, part: QuerySet[Any] | Sorted) -> list[Any]:
        if not isinstance(part, Sorted):
            return list(beyond(part).order_by(*reading).values_list("pk", flat=True)[: size + 1])
        keyed = list(beyond(part.rows).order_by().values_list(*names)[: COUNT_BOUND + 1])
        if values is None:
            matched[index] = {row[-1] for row in keyed}
        if len(keyed) > COUNT_BOUND:  # too many to sort here: the database sorts them
            return list(
                beyond(part.rows).order_by(*sorting).values_list("pk", flat=True)[: size + 1]
            )
        keyed.sort(reverse=not ascending)
        return [row[-1] for row in keyed[: size + 1]]

    if parts and (len(parts) > 1 or isinstance(parts[0], Sorted)):
        found = {pk for index, part in enumerate(parts) for pk in page_keys(index, part)}
        rows_read = beyond(rows.filter(pk__in=found))
    else:
        # Here `parts` is empty or one part that is not Sorted.
        rows_read = beyond(parts[0] if parts and not isinstance(parts[0], Sorted) else rows)
    page_rows = list(rows_read.order_by(*reading)[: size + 1])
    more = len(page_rows) > size  # beyond this page, in the direction read
    page_rows = page_rows[:size]
    if not forward:
        page_rows.reverse()
    page = KeysetPage(page_rows, number=max(number, 1))

    def key(row: object) -> list[Any]:
        return [getattr(row, name) for name in names]

    if page_rows and (more if forward else True):
        page.next_cursor = encode_cursor({"after": key(page_rows[-1]), "n": page.number + 1})
    if page_rows and (values is not None if forward else more):
        page.previous_cursor = encode_cursor({"before": key(page_rows[0]), "n": page.number - 1})
    if count:
        # Up to the bound from each part: a part whose index walks stops there, where a count
        # of their union would first collect every row of a common surname.
        counted: set[Any] = set()
        for index, part in enumerate(parts or [rows]):
            if index in matched:
                counted.update(matched[index])
                continue
            part_rows = part.rows if isinstance(part, Sorted) else part
            counted.update(part_rows.order_by().values_list("pk", flat=True)[: COUNT_BOUND + 1])
        page.count, page.more = min(len(counted), COUNT_BOUND), len(counted) > COUNT_BOUND
    return page


def keyset_context(
    request: HttpRequest,
    rows: QuerySet[Any],
    order: tuple[str, ...],
    parts: Sequence[QuerySet[Any] | Sorted] | None = None,
    per_page: int | None = None,
) -> dict[str, Any]:
    page = keyset_page(
        rows, order, parts=parts, cursor=request.GET.get("cursor"), size=per_page, count=True
    )
    return {"page_obj": page, "count_bound": COUNT_BOUND, **_querystrings(request)}
