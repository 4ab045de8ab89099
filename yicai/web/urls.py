"""The usual routes of a kind of record: its list, new/, <pk>/ and <pk>/edit/, named alike
in every app."""

from collections.abc import Callable
from typing import Any, NamedTuple

from django.urls import URLPattern, path

View = Callable[..., Any]


class RecordNames(NamedTuple):
    """The URL names of a kind's list, new, detail and edit pages."""

    listing: str
    create: str
    detail: str
    edit: str

    @classmethod
    def of(cls, noun: str) -> "RecordNames":
        """One kind among an app's several: "visits", "visit_create", "visit", "visit_edit"."""
        return cls(f"{noun}s", f"{noun}_create", noun, f"{noun}_edit")


# The app's own kind of record (org:list, org:create, org:detail, org:edit).
APP_RECORDS = RecordNames("list", "create", "detail", "edit")


def record_paths(
    prefix: str,
    names: RecordNames,
    listing: View | None = None,
    form: View | None = None,
    detail: View | None = None,
    *,
    create: View | None = None,
    edit: View | None = None,
) -> list[URLPattern]:
    """The routes under `prefix` of the pages a kind has: its `listing`, `form` for new/
    and <pk>/edit/ alike (or `create` and `edit` apart), and its `detail`."""
    routes = (
        ("", listing, names.listing),
        ("new/", create or form, names.create),
        ("<int:pk>/", detail, names.detail),
        ("<int:pk>/edit/", edit or form, names.edit),
    )
    return [path(prefix + route, view, name=name) for route, view, name in routes if view]
