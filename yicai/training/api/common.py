"""Pieces the cultivation API modules share: the scope-bound foreign-key fields, choice fields
named after their record, filter forms read as 400s by field, and the common parameters.

As on the pages: reading needs training.view, recording training.edit (or the permission the
matching page asks for). Rows come from the scoped queries of `training.queries`, writes go
through `training.services`; a row outside the user's scope is a 404, a foreign key outside
it a 400 naming the field.
"""

import contextlib

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from yicai.org.api import calling_service, pk_field
from yicai.org.queries import departments_for, institutions_for
from yicai.training.queries.mentoring import (
    DEPARTMENT_OUT_OF_SCOPE,
    INSTITUTION_OUT_OF_SCOPE,
    experts_for,
)
from yicai.training.services.rules import NOT_A_BACKFILLER, past_dates_refused


def form_filters(form) -> dict:
    """A page's filter form over the query string: its values, or a 400 by field."""
    if not form.is_valid():
        raise ValidationError({name: list(messages) for name, messages in form.errors.items()})
    return form.cleaned_data


def backfill_only(user, values: dict, *fields: str) -> None:
    """A 400 on each field that gives a past day when the user may not back-fill."""
    refused = past_dates_refused(user, values, *fields)
    if refused:
        raise ValidationError({name: [NOT_A_BACKFILLER] for name in refused})


def choice_values(choices) -> list[str]:
    return [value for value, _label in choices if value]


def institution_field(user, **kwargs):
    return pk_field(institutions_for(user, "training.edit"), INSTITUTION_OUT_OF_SCOPE, **kwargs)


def department_field(user):
    return pk_field(
        departments_for(user, "training.edit"),
        DEPARTMENT_OUT_OF_SCOPE,
        required=False,
        allow_null=True,
    )


def expert_field(user, message, **kwargs):
    return pk_field(experts_for(user), message, **kwargs)


def choice(source: str, choices, label, **kwargs) -> serializers.ChoiceField:
    """A choice field named after its record (mentor_kind, visit_kind, ...), so that its enum
    is not confused in the schema with the institution's kind or the person's category."""
    return serializers.ChoiceField(choices, source=source, label=label, **kwargs)


def no_repeats(people, message):
    if len({person.pk for person in people}) != len(people):
        raise serializers.ValidationError(message)
    return people


INSTITUTION_PARAMETER = OpenApiParameter("institution", int, description=_("机构 id"))
SINCE = OpenApiParameter("since", OpenApiTypes.DATE, description=_("起始日期（含）"))
UNTIL = OpenApiParameter("until", OpenApiTypes.DATE, description=_("截止日期（含）"))


def as_of_parameter(what) -> OpenApiParameter:
    return OpenApiParameter("as_of", OpenApiTypes.DATE, description=what)


@contextlib.contextmanager
def calling_service_as(**names: str):
    """`calling_service`, its 400 keyed by the input's names where they differ from the
    model's (a service says `kind`, the API field is `event_kind`)."""
    try:
        with calling_service():
            yield
    except ValidationError as error:
        if isinstance(error.detail, dict):
            error.detail = {names.get(key, key): value for key, value in error.detail.items()}
        raise
