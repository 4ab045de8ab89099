"""The serializer fields API modules build their inputs and outputs with: {id, name}
references, scope-bound foreign keys, choices named after their record, the labels of choices
and an input's version."""

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

if TYPE_CHECKING:  # django-stubs' type of a string or a lazy translation
    from django_stubs_ext import StrOrPromise

M = TypeVar("M", bound=Model)


class Ref(serializers.Serializer):  # type: ignore[type-arg]
    """A related row as {id, name}."""

    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class CodeRef(Ref):
    # No docstring of its own: the schema describes it as Ref ({id, name}).
    code = serializers.CharField(read_only=True)


def pk_field(
    queryset: "QuerySet[Any]", message: "StrOrPromise", *, optional: bool = False, **kwargs: Any
) -> serializers.PrimaryKeyRelatedField:  # type: ignore[type-arg]
    """A foreign key chosen among `queryset` (for scoped rows, those the user may use); an
    unknown, out-of-scope or mistyped id gets one Chinese message. An `optional` one may be
    left out or null."""
    if optional:
        kwargs.update(required=False, allow_null=True)
    return serializers.PrimaryKeyRelatedField(
        queryset=queryset,
        error_messages={"does_not_exist": message, "incorrect_type": message},
        **kwargs,
    )


def code_field(
    codes: "QuerySet[Any]", label: "StrOrPromise", **kwargs: Any
) -> serializers.PrimaryKeyRelatedField:  # type: ignore[type-arg]
    """A national code chosen by id among `codes`; a wrong one is refused naming the field."""
    return pk_field(codes, _("%s：所选代码不存在或不可用。") % label, **kwargs)


def choice_values(choices: Iterable[tuple[Any, Any]]) -> list[str]:
    """The values of `choices`, without the blank one."""
    return [value for value, _label in choices if value]


def choice(
    source: str, choices: Any, label: "StrOrPromise", **kwargs: Any
) -> serializers.ChoiceField:
    """A choice field named after its record (mentor_kind, visit_kind, ...), so that its enum
    is not confused in the schema with the institution's kind or the person's category."""
    return serializers.ChoiceField(choices, source=source, label=label, **kwargs)


def status_choice(choices: Any, **kwargs: Any) -> serializers.ChoiceField:
    """A record's status (状态), a `choice` named after its record (`technique_status`)."""
    return choice("status", choices, _("状态"), **kwargs)


def api_names(fields: Iterable[str], **names: str) -> tuple[str, ...]:
    """A service's field list as the API names its fields (`kind="visit_kind"`: a choice
    named after its record, see `choice`), so that the field list is written once."""
    return tuple(names.get(name, name) for name in fields)


def with_labels(fields: Iterable[str], *choices: str, **after: str) -> tuple[str, ...]:
    """An output's `fields`: each of `choices` followed by its label (`<name>_display`, which
    `ModelOutput` builds), each name given in `after` by the field named there
    (`speaker_name="speaker_display"`)."""
    shown: list[str] = []
    for name in fields:
        shown.append(name)
        if name in choices:
            shown.append(f"{name}_display")
        if name in after:
            shown.append(after[name])
    return tuple(shown)


def no_repeats(people: Sequence[M], message: "StrOrPromise") -> Sequence[M]:
    """`people` unless one is chosen twice (a 400 with `message`)."""
    if len({person.pk for person in people}) != len(people):
        raise serializers.ValidationError(message)
    return people


def version_in() -> serializers.IntegerField:
    """An input's `version`: the one a change was read at (else If-Match; else unchecked)."""
    return serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        help_text=_(
            "修改时：读取该记录时的版本（GET 返回的 version，或在 If-Match 头中给出 ETag）。"
            "记录已被他人修改时返回 409 及变更内容；省略则不检查版本，直接覆盖。"
        ),
    )
