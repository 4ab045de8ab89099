"""Pieces the cultivation API modules share: the foreign-key fields bound to training.edit's
scope, and the back-filling rule. The generic ones (filters, choices, parameters) are in
`yicai.api.base`.

As on the pages: reading needs training.view, recording training.edit (or the permission the
matching page asks for). Rows come from the scoped queries of `training.queries`, writes go
through `training.services`; a row outside the user's scope is a 404, a foreign key outside
it a 400 naming the field.
"""

from typing import Any, ClassVar

from django.db.models import Model
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from yicai.api.base import ModelInput, ModelOutput
from yicai.api.fields import Ref, no_repeats, pk_field
from yicai.org.queries import (
    DEPARTMENT_OUT_OF_SCOPE,
    INSTITUTION_OUT_OF_SCOPE,
    departments_for,
    institutions_for,
)
from yicai.training.queries.mentoring import experts_for, mentorships_for
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
        optional=True,
    )


def expert_field(user, message, **kwargs):
    return pk_field(experts_for(user), message, **kwargs)


MENTORSHIP_OUT_OF_SCOPE = _("所选师带徒关系不存在或不在您的管辖范围内。")


def mentorship_field(user, permission: str, **kwargs):
    """A mentorship among those `user` holds `permission` on."""
    return pk_field(mentorships_for(user, permission), MENTORSHIP_OUT_OF_SCOPE, **kwargs)


# A group an expert leads, with members (a studio, a flexibly introduced team): its answer's
# and its input's common fields. No docstrings: the schema would describe each subclass so.


class LedGroupOut(ModelOutput):
    lead = Ref(read_only=True)
    institution = Ref(read_only=True)
    department = Ref(read_only=True, allow_null=True)
    member_count = serializers.IntegerField(read_only=True)


class LedGroupIn(ModelInput):
    members = serializers.ListField(child=serializers.IntegerField())  # see scope_fields
    # The members field's label and help text (a subclass without members deletes it).
    members_label: ClassVar[Any] = _("成员")
    members_help: ClassVar[Any] = None

    def scope_fields(self, user: Any) -> None:
        self.fields["institution"] = institution_field(user)
        self.fields["department"] = department_field(user)
        self.fields["members"] = expert_field(
            user,
            _("所选成员不存在或不在您的管辖范围内。"),
            many=True,
            required=False,
            label=self.members_label,
            help_text=self.members_help,
        )

    def validate_members(self, people: list[Model]) -> list[Model]:
        return list(no_repeats(people, _("同一成员不能重复选择。")))
