"""Partner agreements (合作协议, /api/v1/recruitment/agreements/): declared on the shared
record viewset; the list reads the page's filter form and writes go through the services."""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers

from yicai.api.base import ModelInput, ModelOutput
from yicai.api.fields import Ref, choice, pk_field
from yicai.api.records import RecordViewSet, cursor_pagination, record_permissions
from yicai.api.schema import INSTITUTION_PARAMETER, SINCE, UNTIL
from yicai.org.queries import DEPARTMENT_OUT_OF_SCOPE, INSTITUTION_OUT_OF_SCOPE
from yicai.recruitment import queries, services
from yicai.recruitment.forms import AgreementFilterForm
from yicai.recruitment.models import PartnerAgreement

# Named after the record, so that its enum is not the institution's `kind` in the schema.
KIND = "agreement_kind"
# The service's fields, as the API names them.
FIELDS = tuple(KIND if name == "kind" else name for name in services.AGREEMENT_FIELDS)


def _kind(**kwargs: Any) -> serializers.ChoiceField:
    return choice("kind", PartnerAgreement.Kind.choices, _("协议类型"), **kwargs)


class AgreementOut(ModelOutput):
    institution = Ref(read_only=True)
    department = Ref(read_only=True, allow_null=True)
    partner = Ref(read_only=True, allow_null=True)
    agreement_kind = _kind(read_only=True)

    class Meta:
        model = PartnerAgreement
        fields = ("id", *FIELDS)


class AgreementIn(ModelInput):
    """An agreement as recorded or changed: its partner by id when on file, else by name."""

    agreement_kind = _kind()

    class Meta:
        model = PartnerAgreement
        fields = FIELDS

    def scope_fields(self, user: Any) -> None:
        self.fields["institution"] = pk_field(
            queries.signing_institutions(user), INSTITUTION_OUT_OF_SCOPE
        )
        self.fields["department"] = pk_field(
            queries.editable_departments(user),
            DEPARTMENT_OUT_OF_SCOPE,
            optional=True,
        )
        self.fields["partner"] = pk_field(
            queries.partner_choices(),
            queries.NOT_A_PARTNER,
            optional=True,
            help_text=_("登记在册的合作机构 id；未登记的，填写 partner_name。"),
        )


@extend_schema(tags=["recruitment"])
class AgreementViewSet(RecordViewSet):
    """Partner agreements the user may see (an institution its own, a department head their
    department's, the commission its region's); recording one needs recruitment.edit on the
    signing institution."""

    permissions = record_permissions("recruitment", "create", "partial_update")
    pagination_class = cursor_pagination("-starts_on", "id")
    filter_form = AgreementFilterForm
    list_parameters = [
        OpenApiParameter("q", str, description=_("协议名称或合作方中的文字")),
        INSTITUTION_PARAMETER,
        OpenApiParameter("kind", str, enum=PartnerAgreement.Kind.values),
        SINCE,
        UNTIL,
        OpenApiParameter("as_of", OpenApiTypes.DATE, description=_("只看在该日有效的协议")),
    ]
    output = AgreementOut
    create_input = AgreementIn
    create_service = services.agreement_create
    update_service = services.agreement_update
    row_keyword = "agreement"
    error_names = {"kind": KIND}

    def list_rows(self, **filters: Any) -> "QuerySet[PartnerAgreement]":
        return queries.agreement_list(self.request.user, **filters)

    def edit_rows(self) -> "QuerySet[PartnerAgreement]":
        return queries.agreements_for(self.request.user, "recruitment.edit")

    def service_arguments(self) -> dict[str, Any]:
        return {"by": self.request.user}  # the service checks the institution is theirs

    def change_values(self, values: dict[str, Any]) -> dict[str, Any]:
        return {**values, "by": self.request.user}
