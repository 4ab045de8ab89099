"""A sheet of partner agreements (commissions enter years of them from Excel): each row becomes
one agreement through `services.agreement_create`, refused for the same reasons, in the same
words, as the form and the API. A partner is looked up among the partner institutions on file
by name; a name not on file is kept as the partner's name. A row with the institution, title
and start of an agreement on file is unchanged, so a sheet imported twice adds nothing."""

import datetime
from typing import Any

from django.utils.translation import gettext_lazy

from yicai.exchange.engine import Column
from yicai.exchange.records import (
    NOTE,
    RecordImport,
    choice,
    institution_named,
    named,
    offered,
    row_institution,
    text,
)
from yicai.exchange.services import ImportContext
from yicai.org.models import Department, Institution
from yicai.org.queries import DEPARTMENT_OUT_OF_SCOPE, INSTITUTION_OUT_OF_SCOPE
from yicai.recruitment import queries, services
from yicai.recruitment.models import PartnerAgreement


class AgreementImport(RecordImport):
    key = "recruitment_agreements"
    title = gettext_lazy("合作协议")
    sheet_name = gettext_lazy("合作协议")
    permission = "recruitment.edit"
    model = PartnerAgreement
    columns = (
        Column(
            "institution",
            gettext_lazy("签约机构"),
            ("机构", "医院"),
            note=gettext_lazy("本院可不填"),
            example="",
        ),
        Column("department", gettext_lazy("对口科室"), ("科室",), example=""),
        Column(
            "partner",
            gettext_lazy("合作方"),
            ("合作机构", "合作单位"),
            required=True,
            example="复旦大学附属中山医院",
        ),
        Column(
            "kind",
            gettext_lazy("协议类型"),
            ("类型",),
            required=True,
            example=str(PartnerAgreement.Kind.CO_BUILDING.label),
            choices=lambda: [str(label) for label in PartnerAgreement.Kind.labels],
        ),
        Column(
            "title",
            gettext_lazy("协议名称"),
            ("名称",),
            required=True,
            example="心血管专科共建协议",
        ),
        Column(
            "signed_on",
            gettext_lazy("签订日期"),
            required=True,
            example=datetime.date(2021, 4, 1),
            is_date=True,
        ),
        Column(
            "starts_on",
            gettext_lazy("起始日期"),
            ("开始日期",),
            required=True,
            example=datetime.date(2021, 4, 1),
            is_date=True,
        ),
        Column(
            "ends_on",
            gettext_lazy("截止日期"),
            ("结束日期",),
            note=gettext_lazy("长期有效的不填"),
            example="",
            is_date=True,
        ),
        NOTE,
    )
    converters = {
        "kind": choice(PartnerAgreement.Kind.choices),
        "title": text(200),
        "note": text(1000),
    }
    fields = {"partner_name": "partner"}
    passed = ("kind", "title", "signed_on", "starts_on", "ends_on", "note")
    same_by = ("institution", "title", "starts_on")

    def resolve(self, values: dict[str, Any], context: ImportContext) -> dict[str, Any]:
        institution = row_institution(
            context,
            values["institution"],
            queries.signing_institutions,
            Institution.objects.all(),
            INSTITUTION_OUT_OF_SCOPE,
        )
        departments = offered(context, queries.editable_departments, Department.objects.all())
        department = named(
            departments,
            values["department"],
            institution,
            "department",
            DEPARTMENT_OUT_OF_SCOPE,
        )
        partner = institution_named(queries.partner_choices(), values["partner"])
        return {
            "institution": institution,
            "department": department,
            "partner": partner,
            "partner_name": "" if partner is not None else values["partner"],
        }

    def apply(self, kwargs: dict[str, Any], context: ImportContext) -> None:
        services.agreement_create(by=context.user, **kwargs)
