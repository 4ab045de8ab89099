"""One way to turn validation into Chinese messages on named fields, for services and views."""

from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def full_clean_or_raise(
    obj: models.Model, errors: dict[str, str] | None = None, **kwargs: Any
) -> None:
    """full_clean(), re-raised as {field: first message} so forms can show it on the field,
    together with the caller's own `errors` (which win on the same field): every problem of
    one submission at once."""
    errors = dict(errors or {})
    try:
        obj.full_clean(**kwargs)
    except ValidationError as error:
        errors = {**first_messages(error), **errors}
    if errors:
        raise ValidationError(errors)


def first_messages(error: ValidationError) -> dict[str, str]:
    return {field: messages[0] for field, messages in error.message_dict.items()}


def apply_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's errors on the form's fields (or above the form when unnamed)."""
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)


def period_in_order(
    name: str, start: str = "start_on", end: str = "end_on"
) -> models.CheckConstraint:
    """The database's guard for a period: its end, when given, is not before its start.
    `check_period` says the same in a form's words."""
    return models.CheckConstraint(
        condition=models.Q(**{f"{end}__isnull": True})
        | models.Q(**{f"{end}__gte": models.F(start)}),
        name=name,
    )


def check_period(
    obj: models.Model, message: "StrOrPromise", start: str = "start_on", end: str = "end_on"
) -> None:
    first, last = getattr(obj, start), getattr(obj, end)
    if first and last and last < first:
        raise ValidationError({end: message})
