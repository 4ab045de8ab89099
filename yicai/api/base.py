"""The base of every API view and the helpers API modules share: errors as 400s by field,
versions (409, ETag, If-Match), scoped lookups, cursor pages, the schema's error answers,
{id, name} references, scope-bound foreign keys and input serializers labelled as the model.

Views are thin: parse with an input serializer, call the app's services, answer with an output
serializer. Rows come only from the app's scoped queries; a row outside the user's scope is a
404, a missing permission a 403, as on the pages.

Authentication (see `ApiView`): a token (`yicai token USERNAME`, header
`Authorization: Token <key>`) or the browser session; which accounts are ready to use either is
one rule for every entry point, `yicai.access.permissions`.
"""

import contextlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from django import forms
from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponseBase
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.metadata import SimpleMetadata
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response

from yicai import versions
from yicai.access import audit
from yicai.access.permissions import READY
from yicai.access.scope import require
from yicai.params import JSONParser

if TYPE_CHECKING:  # django-stubs' type of a string or a lazy translation
    from django_stubs_ext import StrOrPromise
    from rest_framework.utils.model_meta import FieldInfo

M = TypeVar("M", bound=Model)
Serializer = type[serializers.BaseSerializer]  # type: ignore[type-arg]

# ---------------------------------------------------------------------------------------------
# Service calls: their ValidationError as a 400 by field, a stale version as a 409


def service_errors(error: DjangoValidationError) -> serializers.ValidationError:
    """A service's ValidationError ({field: 中文消息}) as DRF's 400 body, keyed by field."""
    if not hasattr(error, "error_dict"):
        return serializers.ValidationError({"non_field_errors": error.messages})
    return serializers.ValidationError(
        {
            "non_field_errors" if field == "__all__" else field: messages
            for field, messages in error.message_dict.items()
        }
    )


@contextlib.contextmanager
def calling_service() -> Iterator[None]:
    """Run a service call; its ValidationError becomes a 400 with field-keyed messages (a
    stale version, versions.VersionConflict, goes on to ApiView: 409)."""
    try:
        yield
    except versions.VersionConflict:
        raise
    except DjangoValidationError as error:
        raise service_errors(error) from None


@contextlib.contextmanager
def calling_service_as(**names: str) -> Iterator[None]:
    """`calling_service`, its 400 keyed by the input's names where they differ from the
    model's (a service says `kind`, the API field is `event_kind`)."""
    try:
        with calling_service():
            yield
    except ValidationError as error:
        if isinstance(error.detail, dict):
            error.detail = {names.get(key, key): value for key, value in error.detail.items()}
        raise


def expected_version(request: Request, validated: dict[str, Any]) -> dict[str, Any]:
    """The version a write was made from: the body's `version`, else the If-Match header
    (the ETag a GET answered). Neither: None, an unchecked write (docs/security.md)."""
    if validated.get("version") is None:
        header = request.headers.get("If-Match", "").strip()
        with calling_service():
            validated["version"] = None if header in ("", "*") else versions.parse(header)
    return validated


def with_etag(response: Response, version: int | None) -> Response:
    """A versioned row's answer carries its version as the ETag, for If-Match."""
    if version is not None:
        response["ETag"] = f'"v{version}"'
    return response


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


# ---------------------------------------------------------------------------------------------
# Reading: one scoped row, cursor pages, a page's filter form


def get_one(queryset: "QuerySet[M]", pk: object) -> M:
    """One row of an already scoped queryset; 404 for a missing, out-of-scope or malformed id."""
    try:
        return queryset.get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404 from None


def cursor_pagination(*fields: str) -> type[CursorPagination]:
    """A cursor pagination of 50 rows in the order of `fields` (ending with a unique one)."""
    return type("Cursor", (CursorPagination,), {"ordering": fields, "page_size": 50})


def form_filters(form: forms.Form) -> dict[str, Any]:
    """A page's filter form over the query string: its values, or a 400 by field."""
    if not form.is_valid():
        errors = {name: list(messages) for name, messages in form.errors.items()}
        raise ValidationError(errors)  # type: ignore[arg-type]  # ErrorList yields str
    return form.cleaned_data


# ---------------------------------------------------------------------------------------------
# The schema: error answers and common parameters

_DETAIL = {"type": "object", "properties": {"detail": {"type": "string"}}}

ERROR_RESPONSES = {
    400: OpenApiResponse(
        response={
            "type": "object",
            "additionalProperties": {
                "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]
            },
        },
        description=_("输入有误：按字段给出中文错误信息"),
    ),
    401: OpenApiResponse(response=_DETAIL, description=_("未登录或令牌无效")),
    403: OpenApiResponse(response=_DETAIL, description=_("没有该操作的权限")),
    404: OpenApiResponse(
        response=_DETAIL,
        description=_("不存在，或不在您的管辖范围内；列表的分页游标无效时亦然"),
    ),
    409: OpenApiResponse(
        response={
            "type": "object",
            "properties": {
                "detail": {"type": "string"},
                "version": {"type": "integer"},
                "changes": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "field": {"type": "string"},
                            "label": {"type": "string"},
                            "before": {"type": "string"},
                            "current": {"type": "string"},
                        },
                    },
                },
            },
        },
        description=_(
            "记录已被他人修改（版本已过期）：列出变更的字段及当前值，核对后按新版本重新提交"
        ),
    ),
}


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    """The schema's error answers of an action: 401 and 403 always, then `codes`."""
    return {code: ERROR_RESPONSES[code] for code in (401, 403, *codes)}


ROW_ID = OpenApiParameter("id", int, OpenApiParameter.PATH)
INSTITUTION_PARAMETER = OpenApiParameter("institution", int, description=_("机构 id"))
SINCE = OpenApiParameter("since", OpenApiTypes.DATE, description=_("起始日期（含）"))
UNTIL = OpenApiParameter("until", OpenApiTypes.DATE, description=_("截止日期（含）"))


def row_action(request: Any, answer: Any, code: int = status.HTTP_200_OK) -> Any:
    """The schema of a custom action on one row (its id in the path): its input, its answer
    (with `code`), and the 400 a refused input and the 404 a row out of reach give."""
    return extend_schema(
        parameters=[ROW_ID], request=request, responses={code: answer, **errors(400, 404)}
    )


def as_of_parameter(what: "StrOrPromise") -> OpenApiParameter:
    """The `as_of` date parameter, described as what it counts."""
    return OpenApiParameter("as_of", OpenApiTypes.DATE, description=what)


def record_permissions(app: str, *writes: str, **others: str) -> dict[str, str]:
    """A record API's `permissions`: reading it (list, retrieve) needs `<app>.view`, each of
    `writes` (the routed create, partial_update, destroy, ...) `<app>.edit`, and each of
    `others` (custom actions) the permission given."""
    return {
        "list": f"{app}.view",
        "retrieve": f"{app}.view",
        **dict.fromkeys(writes, f"{app}.edit"),
        **others,
    }


# ---------------------------------------------------------------------------------------------
# The base view


class ApiMetadata(SimpleMetadata):
    """OPTIONS names the endpoint; its fields are described by the OpenAPI schema."""

    def determine_actions(self, request: Request, view: Any) -> dict[str, Any]:
        return {}


class ApiView(viewsets.GenericViewSet):  # type: ignore[type-arg]
    """Base of every API view: token before session (so an anonymous call gets 401 with a
    WWW-Authenticate header), JSON in and out, the audit log's actor set for token calls too,
    and `permissions` (action -> scope permission) required before the handler runs."""

    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = READY
    parser_classes = [JSONParser]
    metadata_class = ApiMetadata
    permissions: Mapping[str, str] = {}

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        with contextlib.ExitStack() as stack:
            self._audit_stack = stack
            return super().dispatch(request, *args, **kwargs)

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        # Token users are authenticated here, after the middleware that sets the actor.
        self._audit_stack.enter_context(audit.acting_as(request.user))
        permission = self.permissions.get(self.action)
        if permission:
            require(request.user, permission)
        if request.method in ("POST", "PUT", "PATCH") and not isinstance(request.data, dict):
            raise serializers.ValidationError({"non_field_errors": [_("请求体须为 JSON 对象。")]})

    def checked(self, into: Serializer, data: Any = None, **kwargs: Any) -> dict[str, Any]:
        """`data` (default: the request's body) read by the input serializer `into`, given
        `kwargs` besides: its values, or a 400 by field."""
        given = self.request.data if data is None else data
        serializer = into(data=given, **kwargs)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, ParseError):  # DRF's own message here is English only
            exc = ParseError(_("请求体不是有效的 JSON。"))
        if isinstance(exc, versions.VersionConflict):  # saved by someone else meanwhile
            response = Response(exc.as_data(), status=status.HTTP_409_CONFLICT)
            return with_etag(response, exc.current_version)
        return super().handle_exception(exc)


# ---------------------------------------------------------------------------------------------
# Serializers: references, scope-bound foreign keys, choices, inputs labelled as the model


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


# Base of the output serializers of rows: an answer is only read, so every field its Meta
# lists is read-only (what `read_only_fields = fields` said in each), and a `<name>_display`
# it lists (see `with_labels`) is the label of the choice `<name>`, however that choice is
# named in the API. No docstring: the schema would describe each output with it.
class ModelOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    def get_extra_kwargs(self) -> dict[str, Any]:
        extra: dict[str, Any] = super().get_extra_kwargs()
        for name in self.Meta.fields:
            extra.setdefault(name, {})["read_only"] = True
        return extra

    def build_field(
        self, field_name: str, info: "FieldInfo", model_class: Any, nested_depth: int
    ) -> tuple[type[serializers.Field], dict[str, Any]]:  # type: ignore[type-arg]
        choice = field_name.removesuffix("_display")
        if choice == field_name or hasattr(model_class, field_name):
            return super().build_field(field_name, info, model_class, nested_depth)
        # The model's name of the choice: a choice renamed in the API (`visit_kind`) says it.
        declared = self._declared_fields.get(choice)
        source = getattr(declared, "source", None) or choice
        return serializers.CharField, {"source": f"get_{source}_display"}


class ModelInput(serializers.ModelSerializer):  # type: ignore[type-arg]
    """Base of the input serializers: `scope_fields(user)` replaces foreign keys with fields
    over the rows the user may use; every field keeps its model's Chinese label."""

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.scope_fields(user)
        model: type[Model] = self.Meta.model
        names = {field.name for field in model._meta.get_fields()}
        for name, field in self.fields.items():
            source = field.source or name
            unlabelled = field.label in (None, name.replace("_", " ").capitalize())  # DRF's
            if unlabelled and source in names:
                # A serializer field's source is a concrete field (a reverse one has no label).
                field.label = model._meta.get_field(source).verbose_name  # type: ignore[union-attr]

    def scope_fields(self, user: Any) -> None:
        """Replace the foreign keys with fields over the rows `user` may use."""
