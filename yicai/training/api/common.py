"""Pieces the cultivation API modules share: the foreign-key fields bound to training.edit's
scope, and the back-filling rule. The generic ones (filters, choices, parameters) are in
`yicai.api.base`.

As on the pages: reading needs training.view, recording training.edit (or the permission the
matching page asks for). Rows come from the scoped queries of `training.queries`, writes go
through `training.services`; a row outside the user's scope is a 404, a foreign key outside
it a 400 naming the field.
"""

from rest_framework.exceptions import ValidationError

from yicai.api.base import pk_field
from yicai.org.queries import departments_for, institutions_for
from yicai.training.queries.mentoring import (
    DEPARTMENT_OUT_OF_SCOPE,
    INSTITUTION_OUT_OF_SCOPE,
    experts_for,
)
from yicai.training.services.rules import NOT_A_BACKFILLER, past_dates_refused


def backfill_only(user, values: dict, *fields: str) -> None:
    """A 400 on each field that gives a past day when the user may not back-fill."""
    refused = past_dates_refused(user, values, *fields)
    if refused:
        raise ValidationError({name: [NOT_A_BACKFILLER] for name in refused})


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
