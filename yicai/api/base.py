"""The base of every API view and the helpers API modules share: errors as 400s by field,
versions (409, ETag, If-Match), scoped lookups, a page's filter form, and the base serializers
(outputs read-only, inputs labelled as the model). The schema's pieces are in
`yicai.api.schema`, the serializer fields in `yicai.api.fields`, a record API's pagination and
permissions in `yicai.api.records`.

Views are thin: parse with an input serializer, call the app's services, answer with an output
serializer. Rows come only from the app's scoped queries; a row outside the user's scope is a
404, a missing permission a 403, as on the pages.

Authentication (see `ApiView`): a token (`yicai token USERNAME`, header
`Authorization: Token <key>`) or the browser session; which accounts are ready to use either is
one rule for every entry point, `yicai.access.permissions`.
"""

import contextlib
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from django import forms
from django.core.exceptions import ImproperlyConfigured, ObjectDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponseBase
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers, status, viewsets
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.exceptions import ParseError, PermissionDenied, ValidationError
from rest_framework.metadata import SimpleMetadata
from rest_framework.request import Request
from rest_framework.response import Response

from yicai import versions
from yicai.access import audit
from yicai.access.permissions import READY
from yicai.access.scope import require
from yicai.params import JSONParser

if TYPE_CHECKING:  # django-stubs' type of a string or a lazy translation
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


# ---------------------------------------------------------------------------------------------
# Reading: one scoped row, cursor pages, a page's filter form


def get_one(queryset: "QuerySet[M]", pk: object) -> M:
    """One row of an already scoped queryset; 404 for a missing, out-of-scope or malformed id."""
    try:
        return queryset.get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404 from None


def form_filters(form: forms.Form) -> dict[str, Any]:
    """A page's filter form over the query string: its values, or a 400 by field."""
    if not form.is_valid():
        errors = {name: list(messages) for name, messages in form.errors.items()}
        raise ValidationError(errors)  # type: ignore[arg-type]  # ErrorList yields str
    return form.cleaned_data


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
        # Every routed action names its permission; one that names none is nobody's (a new
        # action cannot go out unchecked). "" declares an action that checks by what is posted;
        # OPTIONS (DRF's implicit "metadata") describes the endpoint to anyone signed in.
        if self.action not in (None, "metadata") and self.action not in self.permissions:
            raise PermissionDenied
        permission = self.permissions.get(self.action or "")
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
# The base serializers: outputs read-only, inputs labelled as the model


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
        if not hasattr(model_class, f"get_{source}_display"):  # a typo, or a field without choices
            raise ImproperlyConfigured(f"{type(self).__name__}: {source} has no choices to label")
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
