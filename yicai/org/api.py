"""REST API for institutions and departments, and the pieces every API module shares.

Views are thin: parse with an input serializer, call `org.services`, answer with an output
serializer. Rows come only from the scoped queries in `org.queries`; a row outside the user's
scope is a 404, a missing permission a 403, as on the pages.

Authentication (see `ApiView`): a token (`yicai token USERNAME`, header
`Authorization: Token <key>`) or the browser session; which accounts are ready to use either is
one rule for every entry point, `yicai.access.permissions`.
"""

import contextlib

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.exceptions import ParseError
from rest_framework.metadata import SimpleMetadata
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from yicai import versions
from yicai.access import audit
from yicai.access.permissions import READY
from yicai.access.scope import has_perm, require
from yicai.org import queries, services
from yicai.org.models import Department, Institution, Region
from yicai.params import MAX_INT, JSONParser

# ---------------------------------------------------------------------------------------------
# Shared by every API module (people.api imports these).


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
def calling_service():
    """Run a service call; its ValidationError becomes a 400 with field-keyed messages (a
    stale version, versions.VersionConflict, goes on to ApiView: 409)."""
    try:
        yield
    except versions.VersionConflict:
        raise
    except DjangoValidationError as error:
        raise service_errors(error) from None


def expected_version(request, validated: dict) -> dict:
    """The version a write was made from: the body's `version`, else the If-Match header
    (the ETag a GET answered). Neither: None, an unchecked write (docs/security.md)."""
    if validated.get("version") is None:
        header = request.headers.get("If-Match", "").strip()
        with calling_service():
            validated["version"] = None if header in ("", "*") else versions.parse(header)
    return validated


def with_etag(response: Response, version) -> Response:
    """A versioned row's answer carries its version as the ETag, for If-Match."""
    if version is not None:
        response["ETag"] = f'"v{version}"'
    return response


VERSION_IN = {
    "help_text": _(
        "修改时：读取该记录时的版本（GET 返回的 version，或在 If-Match 头中给出 ETag）。"
        "记录已被他人修改时返回 409 及变更内容；省略则不检查版本，直接覆盖。"
    ),
}


def get_one(queryset, pk):
    """One row of an already scoped queryset; 404 for a missing, out-of-scope or malformed id."""
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def cursor_pagination(*fields: str) -> type[CursorPagination]:
    return type("Cursor", (CursorPagination,), {"ordering": fields, "page_size": 50})


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
    401: OpenApiResponse(
        response={"type": "object", "properties": {"detail": {"type": "string"}}},
        description=_("未登录或令牌无效"),
    ),
    403: OpenApiResponse(
        response={"type": "object", "properties": {"detail": {"type": "string"}}},
        description=_("没有该操作的权限"),
    ),
    404: OpenApiResponse(
        response={"type": "object", "properties": {"detail": {"type": "string"}}},
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


ROW_ID = OpenApiParameter("id", int, OpenApiParameter.PATH)


def errors(*codes: int) -> dict:
    return {code: ERROR_RESPONSES[code] for code in (401, 403, *codes)}


class ApiMetadata(SimpleMetadata):
    """OPTIONS names the endpoint; its fields are described by the OpenAPI schema."""

    def determine_actions(self, request, view):
        return {}


class ApiView(viewsets.GenericViewSet):
    """Base of every API view: token before session (so an anonymous call gets 401 with a
    WWW-Authenticate header), JSON in and out, the audit log's actor set for token calls too,
    and `permissions` (action -> scope permission) required before the handler runs."""

    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = READY
    parser_classes = [JSONParser]
    metadata_class = ApiMetadata
    permissions: dict[str, str] = {}

    def dispatch(self, request, *args, **kwargs):
        with contextlib.ExitStack() as stack:
            self._audit_stack = stack
            return super().dispatch(request, *args, **kwargs)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # Token users are authenticated here, after the middleware that sets the actor.
        self._audit_stack.enter_context(audit.acting_as(request.user))
        permission = self.permissions.get(self.action)
        if permission:
            require(request.user, permission)
        if request.method in ("POST", "PUT", "PATCH") and not isinstance(request.data, dict):
            raise serializers.ValidationError({"non_field_errors": [_("请求体须为 JSON 对象。")]})

    def handle_exception(self, exc):
        if isinstance(exc, ParseError):  # DRF's own message here is English only
            exc = ParseError(_("请求体不是有效的 JSON。"))
        if isinstance(exc, versions.VersionConflict):  # saved by someone else meanwhile
            response = Response(exc.as_data(), status=status.HTTP_409_CONFLICT)
            return with_etag(response, exc.current_version)
        return super().handle_exception(exc)


class Ref(serializers.Serializer):
    """A related row as {id, name}."""

    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class CodeRef(Ref):
    code = serializers.CharField(read_only=True)


def pk_field(queryset, message: str, **kwargs) -> serializers.PrimaryKeyRelatedField:
    """A foreign key chosen among `queryset` (for scoped rows, those the user may use); an
    unknown, out-of-scope or mistyped id gets one Chinese message."""
    return serializers.PrimaryKeyRelatedField(
        queryset=queryset,
        error_messages={"does_not_exist": message, "incorrect_type": message},
        **kwargs,
    )


class ModelInput(serializers.ModelSerializer):
    """Base of the input serializers: `scope_fields(user)` replaces foreign keys with fields
    over the rows the user may use; every field keeps its model's Chinese label."""

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.scope_fields(user)
        for name, field in self.fields.items():
            source = field.source or name
            unlabelled = field.label in (None, name.replace("_", " ").capitalize())  # DRF's
            if unlabelled and source in _model_field_names(self.Meta.model):
                field.label = self.Meta.model._meta.get_field(source).verbose_name

    def scope_fields(self, user) -> None:
        pass


def _model_field_names(model) -> set[str]:
    return {field.name for field in model._meta.get_fields()}


# ---------------------------------------------------------------------------------------------
# Institutions


class InstitutionOut(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    grade_display = serializers.CharField(source="get_grade_display", read_only=True)
    relation_display = serializers.CharField(source="get_relation_display", read_only=True)
    region = Ref(read_only=True)
    commission_region = Ref(read_only=True)
    department_count = serializers.IntegerField(read_only=True)
    staff_count = serializers.IntegerField(read_only=True, help_text=_("您可见的在册人员数"))

    class Meta:
        model = Institution
        fields = (
            "id",
            "name",
            "short_name",
            "code",
            "kind",
            "kind_display",
            "grade",
            "grade_display",
            "relation",
            "relation_display",
            "region",
            "commission_region",
            "affiliation",
            "aliases",
            "active",
            "department_count",
            "staff_count",
            "version",
        )
        read_only_fields = fields


class InstitutionIn(ModelInput):
    region = pk_field(Region.objects.all(), _("所选行政区划不存在。"))
    commission_region = pk_field(
        Region.objects.filter(level=Region.Level.COUNTY),
        _("所属卫健委辖区须为县级行政区划。"),
        help_text=_("仅卫健委管理员可设置或修改；其他用户提交的值被忽略。"),
    )

    version = serializers.IntegerField(required=False, allow_null=True, min_value=1, **VERSION_IN)

    class Meta:
        model = Institution
        fields = (*services.INSTITUTION_FIELDS, "version")
        extra_kwargs = {"relation": {"help_text": _("仅卫健委管理员可设置或修改。")}}

    def __init__(self, *args, may_reassign: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_reassign:  # as on the page: the commission decides who answers to it
            for name in ("relation", "commission_region"):
                self.fields[name].read_only = True


class InstitutionFilter(serializers.Serializer):
    relation = serializers.ChoiceField(Institution.Relation.choices, required=False)
    kind = serializers.ChoiceField(Institution.Kind.choices, required=False)
    q = serializers.CharField(required=False, allow_blank=True, max_length=100)


@extend_schema(tags=["institutions"])
class InstitutionViewSet(ApiView):
    """Institutions the user may see (org.view); create needs org.create (the commission),
    edit org.edit within scope. department_count and staff_count count what the user sees."""

    permissions = {
        "list": "org.view",
        "retrieve": "org.view",
        "create": "org.create",
        "update": "org.edit",
        "partial_update": "org.edit",
    }
    pagination_class = cursor_pagination("name")
    queryset = Institution.objects.none()  # for the schema; rows come from org.queries

    def get_queryset(self):
        return queries.institution_list(self.request.user)

    def _out(self, pk) -> Response:
        return InstitutionOut(get_one(self.get_queryset(), pk=pk)).data

    @extend_schema(
        parameters=[
            OpenApiParameter("relation", str, enum=Institution.Relation.values),
            OpenApiParameter("kind", str, enum=Institution.Kind.values),
            OpenApiParameter("q", str, description=_("机构名称或简称中的文字")),
        ],
        responses={200: InstitutionOut(many=True), **errors(400, 404)},
    )
    def list(self, request):
        criteria = InstitutionFilter(data=request.query_params)
        criteria.is_valid(raise_exception=True)
        rows = queries.institution_list(request.user, **criteria.validated_data)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(InstitutionOut(page, many=True).data)

    @extend_schema(parameters=[ROW_ID], responses={200: InstitutionOut, **errors(404)})
    def retrieve(self, request, pk):
        data = self._out(pk)
        return with_etag(Response(data), data["version"])

    @extend_schema(request=InstitutionIn, responses={201: InstitutionOut, **errors(400)})
    def create(self, request):
        data = InstitutionIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values.pop("version", None)  # a new row starts at 1
        saved = self._save(None, values)
        return Response(self._out(saved.pk), status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[ROW_ID],
        request=InstitutionIn,
        responses={200: InstitutionOut, **errors(400, 404, 409)},
    )
    def update(self, request, pk, partial=False):
        institution = queries.institution_for(request.user, pk, "org.edit")
        data = InstitutionIn(
            institution,
            data=request.data,
            partial=partial,
            may_reassign=has_perm(request.user, "org.create"),
        )
        data.is_valid(raise_exception=True)
        self._save(institution, expected_version(request, dict(data.validated_data)))
        out = self._out(pk)
        return with_etag(Response(out), out["version"])

    @extend_schema(
        parameters=[ROW_ID],
        request=InstitutionIn,
        responses={200: InstitutionOut, **errors(400, 404, 409)},
    )
    def partial_update(self, request, pk):
        return self.update(request, pk, partial=True)

    def _save(self, institution, values) -> Institution:
        user = self.request.user
        with calling_service(), transaction.atomic():
            saved = services.institution_save(institution=institution, **values)
            # As on the page: refuse an institution the user could no longer see.
            if not queries.institutions_for(user, "org.edit").filter(pk=saved.pk).exists():
                raise DjangoValidationError({"commission_region": _("该机构将超出您的管辖范围。")})
        return saved


# ---------------------------------------------------------------------------------------------
# Departments


class DepartmentOut(serializers.ModelSerializer):
    institution = Ref(read_only=True)
    parent = Ref(read_only=True, allow_null=True)

    class Meta:
        model = Department
        fields = ("id", "institution", "name", "parent", "clinical", "version")
        read_only_fields = fields


class DepartmentIn(ModelInput):
    version = serializers.IntegerField(required=False, allow_null=True, min_value=1, **VERSION_IN)

    class Meta:
        model = Department
        fields = ("institution", *services.DEPARTMENT_FIELDS, "version")
        validators: list = []  # uniqueness is the service's to check, in its transaction

    def scope_fields(self, user):
        self.fields["institution"] = pk_field(
            queries.institutions_for(user, "org.edit"),
            _("所选机构不存在或不在您的管辖范围内。"),
            help_text=_("新建时必填；科室建成后不能改到其他机构（修改时忽略）。"),
        )
        if self.instance is not None:
            del self.fields["institution"]
        self.fields["parent"] = pk_field(
            queries.departments_for(user, "org.edit"),
            _("所选上级科室不存在或不在您的管辖范围内。"),
            required=False,
            allow_null=True,
        )


class DepartmentFilter(serializers.Serializer):
    institution = serializers.IntegerField(required=False, min_value=1, max_value=MAX_INT)


@extend_schema(tags=["departments"])
class DepartmentViewSet(ApiView):
    """Departments of the institutions the user may see; create and edit need org.edit on the
    department's institution."""

    permissions = {
        "list": "org.view",
        "retrieve": "org.view",
        "create": "org.edit",
        "update": "org.edit",
        "partial_update": "org.edit",
    }
    pagination_class = cursor_pagination("institution_id", "name", "id")
    queryset = Department.objects.none()

    def get_queryset(self):
        return queries.departments_for(self.request.user)

    @extend_schema(
        parameters=[OpenApiParameter("institution", int, description=_("机构 id"))],
        responses={200: DepartmentOut(many=True), **errors(400, 404)},
    )
    def list(self, request):
        criteria = DepartmentFilter(data=request.query_params)
        criteria.is_valid(raise_exception=True)
        rows = self.get_queryset()
        if "institution" in criteria.validated_data:
            rows = rows.filter(institution_id=criteria.validated_data["institution"])
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(DepartmentOut(page, many=True).data)

    @extend_schema(parameters=[ROW_ID], responses={200: DepartmentOut, **errors(404)})
    def retrieve(self, request, pk):
        department = get_one(self.get_queryset(), pk=pk)
        return with_etag(Response(DepartmentOut(department).data), department.version)

    @extend_schema(request=DepartmentIn, responses={201: DepartmentOut, **errors(400)})
    def create(self, request):
        data = DepartmentIn(data=request.data, user=request.user)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values.pop("version", None)  # a new row starts at 1
        with calling_service():
            saved = services.department_save(institution=values.pop("institution"), **values)
        return Response(DepartmentOut(saved).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[ROW_ID],
        request=DepartmentIn,
        responses={200: DepartmentOut, **errors(400, 404, 409)},
    )
    def update(self, request, pk, partial=False):
        queryset = queries.departments_for(request.user, "org.edit")
        department = get_one(queryset, pk=pk)
        data = DepartmentIn(department, data=request.data, partial=partial, user=request.user)
        data.is_valid(raise_exception=True)
        values = expected_version(request, dict(data.validated_data))
        with calling_service():
            saved = services.department_save(
                institution=department.institution, department=department, **values
            )
        return with_etag(Response(DepartmentOut(saved).data), saved.version)

    @extend_schema(
        parameters=[ROW_ID],
        request=DepartmentIn,
        responses={200: DepartmentOut, **errors(400, 404, 409)},
    )
    def partial_update(self, request, pk):
        return self.update(request, pk, partial=True)
