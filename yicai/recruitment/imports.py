"""Sheets of partner agreements and of recruitment plans' posts, through the services.

Partner agreements (commissions enter years of them from Excel): each row becomes one agreement
through `services.agreement_create`, refused for the same reasons, in the same words, as the
form and the API. A partner is looked up among the partner institutions on file by name; a name
not on file is kept as the partner's name. A row with the institution, title and start of an
agreement on file is unchanged, so a sheet imported twice adds nothing."""

import datetime
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yicai.codes.models import Code
from yicai.exchange.engine import Column, Located
from yicai.exchange.records import (
    NOTE,
    Converter,
    Lookup,
    RecordImport,
    Row,
    choice,
    code,
    code_lookup,
    institution_named,
    named,
    offered,
    row_institution,
    text,
    whole_number,
)
from yicai.exchange.services import ImportContext
from yicai.org.models import Department, Institution
from yicai.org.queries import DEPARTMENT_OUT_OF_SCOPE, INSTITUTION_OUT_OF_SCOPE
from yicai.people.identity import from_cell
from yicai.people.imports import ID_NUMBER, named_person
from yicai.people.models import TitleGrade
from yicai.people.queries import PERSON_OUT_OF_SCOPE
from yicai.recruitment import queries, services
from yicai.recruitment.models import Introduction, PartnerAgreement, Post, RecruitmentPlan


def _where(values: dict[str, Any], context: ImportContext) -> tuple[Institution, Department | None]:
    """The institution and department a row names, among those the forms and the API offer the
    user (its managed institutions; the import's default when the row names none)."""
    institution = row_institution(
        context,
        values["institution"],
        queries.managed_institutions,
        Institution.objects.filter(relation=Institution.Relation.MANAGED),
        INSTITUTION_OUT_OF_SCOPE,
    )
    departments = offered(context, queries.editable_departments, Department.objects.all())
    department = named(
        departments, values["department"], institution, "department", DEPARTMENT_OUT_OF_SCOPE
    )
    return institution, department


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
        institution, department = _where(values, context)
        partner = institution_named(queries.partner_choices(), values["partner"])
        return {
            "institution": institution,
            "department": department,
            "partner": partner,
            "partner_name": "" if partner is not None else values["partner"],
        }

    def apply(self, kwargs: dict[str, Any], context: ImportContext) -> None:
        services.agreement_create(by=context.user, **kwargs)


# The conditions of a post given as national codes, with their code tables.
CODE_COLUMNS = {
    "min_education": "education",
    "min_degree": "degree",
    "title_required": "title",
    "staffing": "staffing",
}


class PlanImport(RecordImport):
    """A sheet of a year's recruitment plans, a post a row (as hospitals list their posts):
    the rows naming the same institution, year and plan make one plan, drafted with its first
    row; each post goes through `services.post_add`, refused for the same reasons, in the same
    words, as the plan's page and the API (a plan already submitted takes no more). A post on
    file (the same plan and post name) is unchanged, so a sheet imported twice adds nothing.
    Its conditions are national codes by code, name or synonym (本科, 学士); a level of
    education is read as its group (大学本科毕业: 大学本科)."""

    key = "recruitment_plans"
    title = gettext_lazy("招聘计划与岗位")
    sheet_name = gettext_lazy("招聘岗位")
    permission = "recruitment.edit"
    model = Post
    columns = (
        Column(
            "institution",
            gettext_lazy("招聘单位"),
            ("单位", "医院"),
            note=gettext_lazy("本院可不填"),
            example="",
        ),
        Column("year", gettext_lazy("年度"), ("计划年度",), required=True, example=2022),
        Column(
            "plan_title",
            gettext_lazy("计划名称"),
            ("招聘计划",),
            required=True,
            example="2022年度卫生专业技术人员招聘计划",
        ),
        Column("name", gettext_lazy("岗位名称"), ("岗位",), required=True, example="临床医师"),
        Column(
            "specialty",
            gettext_lazy("专业"),
            ("专业要求", "所需专业"),
            required=True,
            example="临床医学",
        ),
        Column("places", gettext_lazy("招聘人数"), ("人数", "计划数"), required=True, example=3),
        Column(
            "procedure",
            gettext_lazy("招聘程序"),
            ("招聘方式",),
            required=True,
            example=str(Post.Procedure.SIMPLIFIED.label),
            choices=lambda: [str(label) for label in Post.Procedure.labels],
        ),
        Column(
            "organiser",
            gettext_lazy("组织实施"),
            note=gettext_lazy("不填为招聘单位"),
            example="",
            choices=lambda: [str(label) for label in Post.Organiser.labels],
        ),
        Column("department", gettext_lazy("用人科室"), ("科室",), example="急诊医学科"),
        Column("min_education", gettext_lazy("最低学历"), ("学历要求", "学历"), example="本科"),
        Column("min_degree", gettext_lazy("最低学位"), ("学位要求", "学位"), example=""),
        Column("title_required", gettext_lazy("职称要求"), ("职称",), example=""),
        Column("max_age", gettext_lazy("年龄上限"), ("年龄要求",), example=35),
        Column("staffing", gettext_lazy("用人方式"), ("编制",), example=""),
        Column("note", gettext_lazy("其他条件"), ("备注", "说明"), example=""),
    )
    converters = {
        "year": whole_number(2000, 2100, gettext_lazy("年度须为 2000–2100 的年份。")),
        "plan_title": text(200),
        "specialty": text(100),
        "places": whole_number(1, 999, gettext_lazy("招聘人数须为 1–999 的整数。")),
        "procedure": choice(Post.Procedure.choices),
        "organiser": choice(Post.Organiser.choices),
        "max_age": whole_number(18, 65, gettext_lazy("年龄上限须为 18–65 的整数。")),
        "note": text(1000),
    }
    fields = {"title": "plan_title"}  # the plan's title, as plan_create names it
    passed = ("name", "specialty", "places", "procedure", "max_age", "note")

    def prepare(self, context: ImportContext) -> dict[str, Lookup]:
        return {key: code_lookup(table) for key, table in CODE_COLUMNS.items()}

    def check(self, located: Located, start: int, end: int, prepared: Any) -> list[Row]:
        self.lookups: dict[str, Lookup] = prepared
        return super().check(located, start, end, prepared)

    def converter(self, column: Column) -> Converter:
        if column.key in CODE_COLUMNS:
            return code(
                self.lookups[column.key],
                _("%(column)s“%%s”不在代码表中。") % {"column": column.header},
            )
        return super().converter(column)

    def resolve(self, values: dict[str, Any], context: ImportContext) -> dict[str, Any]:
        institution, department = _where(values, context)
        chosen = Code.objects.select_related("parent").in_bulk(
            [values[key] for key in CODE_COLUMNS if values[key] is not None]
        )
        codes = {key: chosen.get(values[key]) for key in CODE_COLUMNS}
        education = codes["min_education"]
        if education is not None and education.parent is not None:
            codes["min_education"] = education.parent  # a level's group: 大学本科
        plan = RecruitmentPlan.objects.filter(
            institution=institution, year=values["year"], title=values["plan_title"]
        ).first()
        return {
            "plan": plan,
            "plan_values": {
                "institution": institution,
                "year": values["year"],
                "title": values["plan_title"],
            },
            "department": department,
            **({"organiser": values["organiser"]} if values["organiser"] else {}),
            **codes,
        }

    def exists(self, kwargs: dict[str, Any]) -> bool:
        plan = kwargs["plan"]
        return plan is not None and plan.posts.filter(name=kwargs["name"]).exists()

    def apply(self, kwargs: dict[str, Any], context: ImportContext) -> None:
        plan, plan_values = kwargs.pop("plan"), kwargs.pop("plan_values")
        if plan is None:
            plan = services.plan_create(by=context.user, **plan_values)
        services.post_add(plan=plan, **kwargs)


class IntroductionImport(RecordImport):
    """A sheet of introductions (commissions enter years of them, with their real dates): each
    row through `services.introduction_create`, refused for the same reasons, in the same words,
    as the form and the API. The person is one on file, told from namesakes by identity number;
    an introduction of the same person on the same day is unchanged, so a sheet imported twice
    adds nothing."""

    key = "recruitment_introductions"
    title = gettext_lazy("人才引进")
    sheet_name = gettext_lazy("人才引进")
    permission = "recruitment.edit"
    model = Introduction
    columns = (
        Column("person", gettext_lazy("姓名"), ("引进人员",), required=True, example="张明"),
        ID_NUMBER,
        Column(
            "institution",
            gettext_lazy("引进单位"),
            ("单位", "医院"),
            note=gettext_lazy("本院可不填"),
            example="",
        ),
        Column("department", gettext_lazy("引进科室"), ("科室",), example="心血管内科"),
        Column(
            "introduced_on",
            gettext_lazy("引进日期"),
            ("引进时间", "到岗日期"),
            required=True,
            example=datetime.date(2022, 7, 1),
            is_date=True,
        ),
        Column(
            "mode",
            gettext_lazy("引进方式"),
            ("方式",),
            required=True,
            example=str(Introduction.Mode.FULL_TIME.label),
            choices=lambda: [str(label) for label in Introduction.Mode.labels],
        ),
        Column(
            "category",
            gettext_lazy("人才类别"),
            ("类别",),
            required=True,
            example=str(Introduction.Category.SHORTAGE.label),
            choices=lambda: [str(label) for label in Introduction.Category.labels],
        ),
        Column("tier", gettext_lazy("层次"), example=""),
        Column(
            "title_grade",
            gettext_lazy("引进时职称级别"),
            ("职称级别",),
            note=gettext_lazy("不填则取档案中的现职称级别"),
            example="",
            choices=lambda: [str(label) for label in TitleGrade.labels],
        ),
        Column("previous_employer", gettext_lazy("原工作单位"), ("原单位",), example=""),
        Column("post", gettext_lazy("岗位"), example=""),
        Column("service_years", gettext_lazy("服务期（年）"), ("服务年限",), example=5),
        NOTE,
    )
    converters = {
        "id_number": from_cell,
        "mode": choice(Introduction.Mode.choices),
        "category": choice(Introduction.Category.choices),
        "title_grade": choice(TitleGrade.choices),
        "previous_employer": text(200),
        "service_years": whole_number(0, 30, gettext_lazy("服务期须为 0–30 的整数。")),
        "note": text(1000),
    }
    passed = (
        "introduced_on",
        "mode",
        "category",
        "tier",
        "title_grade",
        "previous_employer",
        "post",
        "service_years",
        "note",
    )
    same_by = ("person", "introduced_on")

    def resolve(self, values: dict[str, Any], context: ImportContext) -> dict[str, Any]:
        institution, department = _where(values, context)
        return {
            "person": named_person(
                context, values, "person", queries.people_to_introduce, PERSON_OUT_OF_SCOPE
            ),
            "institution": institution,
            "department": department,
        }

    def apply(self, kwargs: dict[str, Any], context: ImportContext) -> None:
        services.introduction_create(by=context.user, **kwargs)
