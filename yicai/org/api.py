"""REST API for institutions and departments (/api/v1/institutions/, /api/v1/departments/),
declared on `yicai.api.records.RecordViewSet`: input serializers, `org.services` to write,
output serializers; rows come only from the scoped queries in `org.queries`.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers

from yicai.access.scope import has_perm
from yicai.api.base import ModelInput, ModelOutput
from yicai.api.fields import Ref, pk_field, version_in
from yicai.api.records import RecordViewSet, cursor_pagination, record_permissions
from yicai.api.schema import INSTITUTION_PARAMETER
from yicai.org import queries, services
from yicai.org.models import Department, Institution, Region
from yicai.org.queries import INSTITUTION_OUT_OF_SCOPE
from yicai.params import MAX_INT

# ---------------------------------------------------------------------------------------------
# Institutions


class InstitutionOut(ModelOutput):
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


class InstitutionIn(ModelInput):
    region = pk_field(Region.objects.all(), _("所选行政区划不存在。"))
    commission_region = pk_field(
        Region.objects.filter(level=Region.Level.COUNTY),
        _("所属卫健委辖区须为县级行政区划。"),
        help_text=_("仅卫健委管理员可设置或修改；其他用户提交的值被忽略。"),
    )

    version = version_in()

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
class InstitutionViewSet(RecordViewSet):
    """Institutions the user may see (org.view); create needs org.create (the commission),
    edit org.edit within scope. department_count and staff_count count what the user sees."""

    permissions = record_permissions("org", "update", "partial_update", create="org.create")
    pagination_class = cursor_pagination("name")
    filter_input = InstitutionFilter
    list_parameters = [
        OpenApiParameter("relation", str, enum=Institution.Relation.values),
        OpenApiParameter("kind", str, enum=Institution.Kind.values),
        OpenApiParameter("q", str, description=_("机构名称或简称中的文字")),
    ]
    output = InstitutionOut
    create_input = InstitutionIn
    versioned = True

    def list_rows(self, **filters):
        return queries.institution_list(self.request.user, **filters)

    def get_editable(self, pk):
        return queries.institution_for(self.request.user, pk, "org.edit")

    def input_arguments(self, row):
        if row is None:
            return {}
        return {"may_reassign": has_perm(self.request.user, "org.create")}

    def create_record(self, values):
        return self._save(None, values)

    def update_record(self, row, values):
        return self._save(row, values)

    def _save(self, institution, values) -> Institution:
        return services.institution_save(institution=institution, by=self.request.user, **values)


# ---------------------------------------------------------------------------------------------
# Departments


class DepartmentOut(ModelOutput):
    institution = Ref(read_only=True)
    parent = Ref(read_only=True, allow_null=True)

    class Meta:
        model = Department
        fields = ("id", "institution", "name", "parent", "clinical", "version")


class DepartmentIn(ModelInput):
    version = version_in()

    class Meta:
        model = Department
        fields = ("institution", *services.DEPARTMENT_FIELDS, "version")
        validators: list = []  # uniqueness is the service's to check, in its transaction

    def scope_fields(self, user):
        self.fields["institution"] = pk_field(
            queries.institutions_for(user, "org.edit"),
            INSTITUTION_OUT_OF_SCOPE,
            help_text=_("新建时必填；科室建成后不能改到其他机构（修改时忽略）。"),
        )
        if self.instance is not None:
            del self.fields["institution"]
        self.fields["parent"] = pk_field(
            queries.departments_for(user, "org.edit"),
            _("所选上级科室不存在或不在您的管辖范围内。"),
            optional=True,
        )


class DepartmentFilter(serializers.Serializer):
    institution = serializers.IntegerField(required=False, min_value=1, max_value=MAX_INT)


@extend_schema(tags=["departments"])
class DepartmentViewSet(RecordViewSet):
    """Departments of the institutions the user may see; create and edit need org.edit on the
    department's institution."""

    permissions = record_permissions("org", "create", "update", "partial_update")
    pagination_class = cursor_pagination("institution_id", "name", "id")
    filter_input = DepartmentFilter
    list_parameters = [INSTITUTION_PARAMETER]
    output = DepartmentOut
    create_input = DepartmentIn
    create_service = services.department_save
    versioned = True

    def list_rows(self, **filters):
        rows = queries.departments_for(self.request.user)
        if "institution" in filters:
            rows = rows.filter(institution_id=filters["institution"])
        return rows

    def edit_rows(self):
        return queries.departments_for(self.request.user, "org.edit")

    def update_record(self, row, values):
        return services.department_save(institution=row.institution, department=row, **values)

    def after_save(self, row):
        return row  # the service's row is answered as it is
