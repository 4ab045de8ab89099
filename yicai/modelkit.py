"""Foreign keys with the project's defaults, so that a model says only what is its own (what
it links to, its label, the reverse name) and the rules stand here once.

They are subclasses, not functions returning a `models.ForeignKey`: the type checker's Django
plugin then still types `visit.institution` as an Institution (and as optional where the call
says `null=True`). To migrations they are plain `models.ForeignKey`s (`deconstruct`), so
declaring a field with them changes no schema. This module imports no domain app: other apps'
models are named by their label.
"""

import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import models

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

_ST = TypeVar("_ST", contravariant=True)
_GT = TypeVar("_GT", covariant=True)


class Link(models.ForeignKey[_ST, _GT]):
    """A foreign key that keeps its target from being deleted (PROTECT) unless told otherwise:
    an institution or a person outlives none of its records. A link that may be empty in the
    database (`null=True`) may be left empty in forms too (blank). A link that is null but not
    blank stays a `models.ForeignKey`: a copy of a Link made from its `deconstruct()` (as
    migrations make) would be blank again."""

    def __init__(
        self,
        to: type[models.Model] | str,
        verbose_name: "StrOrPromise | None" = None,
        *,
        on_delete: Any = models.PROTECT,
        **options: Any,
    ) -> None:
        options.setdefault("blank", options.get("null", False))
        super().__init__(to, on_delete, verbose_name=verbose_name, **options)

    def deconstruct(self) -> Any:
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.ForeignKey", args, kwargs

    def get_internal_type(self) -> str:
        # Database backends, imports and the API schema know fields by this name.
        return "ForeignKey"


class CodeKey(Link[_ST, _GT]):
    """A code of a national code table (codes.Code), chosen among the codes of `table`.

    No index (db_index=False): a sex or title code matches a large share of all rows, so the
    index never narrows a query, while every insert pays for it (a 100,000-row import writes
    each such index 100,000 times)."""

    def __init__(
        self, verbose_name: "StrOrPromise | None" = None, table: str | None = None, **options: Any
    ) -> None:
        if table is not None:
            options.setdefault("limit_choices_to", {"table__key": table})
        options.setdefault("to", "codes.Code")
        options.setdefault("related_name", "+")
        options.setdefault("db_index", False)
        super().__init__(verbose_name=verbose_name, **options)


class SetNullLink(Link[_ST, _GT]):
    """A link that its target's deletion empties (SET_NULL) instead of blocking: the record
    stands without it (a visit without the mentorship it served). Callers still write
    `null=True`, which SET_NULL needs, so that the type checker knows the link may be empty."""

    def __init__(
        self,
        to: type[models.Model] | str,
        verbose_name: "StrOrPromise | None" = None,
        **options: Any,
    ) -> None:
        options.setdefault("on_delete", models.SET_NULL)
        super().__init__(to, verbose_name, **options)


class AccountKey(SetNullLink[_ST, _GT]):
    """The account that did something to a record (recorded, verified, entered it): the record
    outlives the account and then only forgets who it was."""

    def __init__(self, verbose_name: "StrOrPromise | None" = None, **options: Any) -> None:
        options.setdefault("to", "access.User")
        options.setdefault("related_name", "+")
        super().__init__(verbose_name=verbose_name, **options)


class ConfirmedByName:
    """For a record that someone without an account (an outside expert, a mentor) confirms
    through a one-time link, giving their name: the model declares `confirmed_at` and
    `confirmed_by_name` with its own labels, and this says what confirming means."""

    confirmed_at: datetime.datetime | None
    confirmed_by_name: str

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None

    def confirm_by(self, name: str, at: datetime.datetime) -> list[str]:
        """Record the confirmation; the fields changed, for `save(update_fields=...)`."""
        self.confirmed_at, self.confirmed_by_name = at, name
        return ["confirmed_at", "confirmed_by_name"]


def unique(name: str, *fields: str, message: "StrOrPromise") -> models.UniqueConstraint:
    """A row at most once for the same `fields`; a form refuses another with `message`.
    (`yicai.validation.period_in_order` is the same kind of helper for date ranges.)"""
    return models.UniqueConstraint(fields=list(fields), name=name, violation_error_message=message)
