"""我的待办: what a user must do today, each item a link to the page where it is done.

Apps contribute items without `insights` knowing them: in their `ready()`,

    from yicai import todo

    @todo.register("training.cases")
    def cases(user): return [todo.Item(label=..., url=..., count=...)]

A provider reads through its app's scoped queries, decides first by the user's roles and
permissions (no query for a user it has nothing for), and costs the same few queries however
many records there are (`count` stops counting at LIMIT).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from yicai.access.models import RequestUser
from yicai.registry import hook_register

# Past this many, a count shows as "999+": a to-do need not count a million rows exactly.
LIMIT = 999
# Records listed one by one (rounds, secondments, imports); past this, a link to the rest.
SHOWN = 5


@dataclass(frozen=True)
class Item:
    label: str
    url: str
    # How many records wait; None for an item that is a state (this month's report), not a pile.
    count: int | None = None
    detail: str = ""
    # Shown, muted, as done (the month's report submitted, the credits met): it says so.
    done: bool = False
    # A stable name for pages and tests ("training.cases_to_verify").
    key: str = ""

    @property
    def count_display(self) -> str:
        if self.count is None:
            return ""
        return f"{LIMIT}+" if self.count > LIMIT else str(self.count)


Provider = Callable[[RequestUser], list[Item]]
_providers: dict[str, Provider] = {}

register = hook_register(_providers)


def count(queryset: QuerySet[Any]) -> int:
    """The rows of a queryset, counted up to LIMIT + 1 (the database stops there)."""
    return queryset[: LIMIT + 1].count()


def each(rows: QuerySet[Any], item: Callable[[Any], Item], more: Item) -> list[Item]:
    """One item per row (a round, a trainee, an import) for up to SHOWN rows, and `more` (their
    list page) when there are others: one query however many there are."""
    found = list(rows[: SHOWN + 1])
    return [item(row) for row in found[:SHOWN]] + ([more] if len(found) > SHOWN else [])


def items_for(user: RequestUser) -> list[Item]:
    """The user's to-do, in the order the apps registered: an item with nothing to do (a
    count of 0) is left out."""
    return [
        item
        for provider in _providers.values()
        for item in provider(user)
        if item.count is None or item.count > 0
    ]
