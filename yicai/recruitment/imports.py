"""Sheets of partner agreements, of recruitment plans' posts, of introductions, of applicants
and of their exam scores, and of directed students' contracts, through the services.

Partner agreements (commissions enter years of them from Excel): each row becomes one agreement
through `services.agreement_create`, refused for the same reasons, in the same words, as the
form and the API. A partner is looked up among the partner institutions on file by name; a name
not on file is kept as the partner's name. A row with the institution, title and start of an
agreement on file is unchanged, so a sheet imported twice adds nothing."""

import dataclasses
import datetime
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Any, ClassVar

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yicai.access import pii
from yicai.codes.models import Code
from yicai.exchange import cleaning
from yicai.exchange.engine import Column, Located, Plan, Progress
from yicai.exchange.records import (
    NOTE,
    Converter,
    Lookup,
    RecordImport,
    Row,
    RowProblem,
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
from yicai.recruitment import eligibility, queries, services
from yicai.recruitment.models import (
    SCORE_MESSAGE,
    Application,
    DirectedContract,
    DirectedKind,
    Introduction,
    PartnerAgreement,
    Post,
    RecruitmentPlan,
)


def _institution(values: dict[str, Any], context: ImportContext) -> Institution:
    """The institution a row names, among those the forms and the API offer the user (its
    managed institutions; the import's default when the row names none)."""
    return row_institution(
        context,
        values["institution"],
        queries.managed_institutions,
        Institution.objects.filter(relation=Institution.Relation.MANAGED),
        INSTITUTION_OUT_OF_SCOPE,
    )


def _where(values: dict[str, Any], context: ImportContext) -> tuple[Institution, Department | None]:
    """The institution and department a row names, among those the forms and the API offer the
    user."""
    institution = _institution(values, context)
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


# Where a row's plan and post are: the same columns on the posts', applicants' and scores'
# sheets.
PLAN_INSTITUTION = Column(
    "institution",
    gettext_lazy("招聘单位"),
    ("单位", "医院"),
    note=gettext_lazy("本院可不填"),
    example="",
)
PLAN_YEAR = Column("year", gettext_lazy("年度"), ("计划年度",), required=True, example=2022)
PLAN_TITLE = Column(
    "plan_title",
    gettext_lazy("招聘计划"),
    ("计划名称",),
    required=True,
    example="2022年度卫生专业技术人员招聘计划",
)
POST_NAME = Column(
    "post",
    gettext_lazy("岗位名称"),
    ("岗位", "报考岗位", "应聘岗位"),
    required=True,
    example="临床医师",
)


class _CodedImport(RecordImport):
    """A sheet with columns read against code tables (`codes`: column -> a lookup's maker),
    the lookups made once per import and each cell refused in the same words when no code
    is found."""

    codes: ClassVar[dict[str, Callable[[], Lookup]]] = {}

    def code_of(self, lookup: Lookup, message: str) -> Converter:
        return code(lookup, message)

    def prepare(self, context: ImportContext) -> dict[str, Lookup]:
        return {key: make() for key, make in self.codes.items()}

    def check(self, located: Located, start: int, end: int, prepared: Any) -> list[Row]:
        self.lookups: dict[str, Lookup] = prepared
        return super().check(located, start, end, prepared)

    def converter(self, column: Column) -> Converter:
        if column.key in self.codes:
            return self.code_of(
                self.lookups[column.key],
                _("%(column)s“%%s”不在代码表中。") % {"column": column.header},
            )
        return super().converter(column)


# The conditions of a post given as national codes, with their code tables.
CODE_COLUMNS = {
    "min_education": "education",
    "min_degree": "degree",
    "title_required": "title",
    "staffing": "staffing",
}


class PlanImport(_CodedImport):
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
        PLAN_INSTITUTION,
        PLAN_YEAR,
        dataclasses.replace(PLAN_TITLE, header=gettext_lazy("计划名称"), synonyms=("招聘计划",)),
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

    codes: ClassVar[dict[str, Callable[[], Lookup]]] = {
        key: partial(code_lookup, table) for key, table in CODE_COLUMNS.items()
    }

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


# --- Applications and their exam scores ----------------------------------------------------

YEAR_RULE = gettext_lazy("年度须为 2000–2100 的年份。")
# An applicant's details given as national codes, with their code tables and how a lookup
# reads them: any education (a level's group is read as completed, below), a degree by its
# level alone (学士), a title a person holds (not a series).
APPLICANT_CODES: dict[str, Callable[[], Lookup]] = {
    "education": lambda: code_lookup("education"),
    "degree": lambda: code_lookup("degree", suffixes=("学位",)),
    "title": lambda: code_lookup("title", leaves_only=True),
}


def _applicant_code(lookup: Lookup, message: str) -> Converter:
    """A code by its code, name or synonym, None when blank; a degree also with 学位 after its
    level (学士学位), as applicants write it."""
    by_name = code(lookup, message)

    def convert(raw: object) -> Any:
        value = cleaning.text(raw)
        if value.endswith("学位") and lookup.get(value) is None:
            found = lookup.get(value.removesuffix("学位"))
            if found is not None:
                return found
        return by_name(raw)

    return convert


def _completed(education: Code | None) -> Code | None:
    """An education named by its group (大学本科教育, code 20) read as that level completed
    (大学本科毕业): the review counts only a completed education, and a group names none. Where
    a group holds several levels (研究生教育), its least advanced, so nobody passes on a guess."""
    if education is None or education.parent_id is not None:
        return education
    completed = [
        (level, child.code, child)
        for child in Code.objects.filter(parent=education, active=True)
        if (level := eligibility.education_level(child)) is not None
    ]
    if not completed:
        return education
    return min(completed, key=lambda found: (-found[0], found[1]))[2]


def _exam_number(raw: object) -> str:
    """An exam number as typed or pasted (full-width digits, spaces), at most 30 characters."""
    value = cleaning.compact(raw)
    if len(value) > 30:
        raise cleaning.CellError(_("不能超过 %s 个字。") % 30)
    return value


def _post(values: dict[str, Any], context: ImportContext, institution: Institution) -> Post:
    """The post a row names: the plan among the user's (by institution, year and title), the
    post by name within it. A plan of another institution is not found, as one that does not
    exist."""
    plans = offered(
        context, lambda user: queries.plans_for(user, queries.EDIT), RecruitmentPlan.objects.all()
    )
    plan = plans.filter(
        institution=institution, year=values["year"], title=values["plan_title"]
    ).first()
    if plan is None:
        raise RowProblem(
            "plan_title",
            _("招聘计划“%(title)s”（%(year)d 年度）不存在或不在您的管辖范围内。")
            % {"title": values["plan_title"], "year": values["year"]},
        )
    post = plan.posts.filter(name=values["post"]).first()
    if post is None:
        raise RowProblem(
            "post",
            _("岗位名称“%(post)s”不在招聘计划“%(title)s”中。")
            % {"post": values["post"], "title": plan.title},
        )
    return post


class ApplicationImport(_CodedImport):
    """A sheet of applicants (报名人员), as a recruiting institution collects them: each row an
    application to a post of one of the user's published plans (found by institution, year and
    title, the post by name) through `services.application_create`, reviewed at once against
    the post's rules and refused for the same reasons, in the same words, as the form and the
    API. Nothing is refused for a blank optional cell: a blank education, degree, title or
    major leaves the review to an officer, saying what to check; the sex and birth date are
    read from the identity number; a blank 报名日期 is today. Education, degree and title are
    national codes by code, name or synonym (本科, 硕士研究生, 学士, 主治医师), an education's
    group read as that level completed (`_completed`). An identity number that has applied to
    the post is unchanged, so a sheet imported twice adds nothing."""

    key = "recruitment_applications"
    title = gettext_lazy("报名人员")
    sheet_name = gettext_lazy("报名人员")
    permission = "recruitment.edit"
    model = Application
    columns = (
        PLAN_INSTITUTION,
        PLAN_YEAR,
        PLAN_TITLE,
        POST_NAME,
        Column("name", gettext_lazy("姓名"), ("考生姓名",), required=True, example="王小明"),
        dataclasses.replace(ID_NUMBER, required=True, note=gettext_lazy("18 位；请设为文本格式")),
        Column(
            "phone",
            gettext_lazy("手机号码"),
            ("手机号", "联系电话", "手机", "电话"),
            example="13800138000",
        ),
        Column("exam_number", gettext_lazy("准考证号"), ("准考证号码", "考号"), example=""),
        Column("education", gettext_lazy("学历"), ("最高学历",), example="本科"),
        Column("degree", gettext_lazy("学位"), ("最高学位",), example="学士"),
        Column("school", gettext_lazy("毕业院校"), ("毕业学校", "院校"), example="复旦大学"),
        Column("major", gettext_lazy("所学专业"), ("专业",), example="临床医学"),
        Column("title", gettext_lazy("职称"), ("现职称", "专业技术职务"), example=""),
        Column(
            "applied_on",
            gettext_lazy("报名日期"),
            ("报名时间",),
            note=gettext_lazy("不填为今天"),
            example=datetime.date(2022, 4, 10),
            is_date=True,
        ),
        NOTE,
    )
    converters = {
        "year": whole_number(2000, 2100, YEAR_RULE),
        "plan_title": text(200),
        "name": text(50),
        "id_number": from_cell,
        "exam_number": _exam_number,
        "note": text(1000),
    }
    passed = (
        "name",
        "id_number",
        "phone",
        "exam_number",
        "school",
        "major",
        "applied_on",
        "note",
    )

    codes = APPLICANT_CODES

    def code_of(self, lookup: Lookup, message: str) -> Converter:
        return _applicant_code(lookup, message)

    def resolve(self, values: dict[str, Any], context: ImportContext) -> dict[str, Any]:
        post = _post(values, context, _institution(values, context))
        chosen = Code.objects.in_bulk(
            [values[key] for key in APPLICANT_CODES if values[key] is not None]
        )
        codes = {key: chosen.get(values[key]) for key in APPLICANT_CODES}
        return {"post": post, **codes, "education": _completed(codes["education"])}

    def exists(self, kwargs: dict[str, Any]) -> bool:
        return Application.objects.filter(
            post=kwargs["post"], id_number_index=pii.blind_index(kwargs["id_number"])
        ).exists()

    def apply(self, kwargs: dict[str, Any], context: ImportContext) -> None:
        services.application_create(by=context.user, **kwargs)


# What exam organisers write in a score's cell for an applicant who did not sit the exam.
ABSENT = {"缺考", "缺席", "弃考", "未参加", "未参考"}
_CENT = Decimal("0.01")


def score(raw: object) -> Decimal | None:
    """A score from 0 to 100 with at most two decimal places; None when blank (the score on
    file stays). An absence (缺考) is no score and is refused: it fails the applicant
    (services.application_out), which cannot be undone, so an officer records it, not a cell."""
    if isinstance(raw, float):
        raw = round(raw, 6)  # 85.30000000000001, a spreadsheet's sum, is 85.3
    value = cleaning.compact(raw)
    if not value:
        return None
    if value in ABSENT:
        raise cleaning.CellError(
            _("“%s”不是成绩：缺考的考生请另行登记为未通过（缺考），此格留空。") % value
        )
    try:
        number = Decimal(value)
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite():
        raise cleaning.CellError(_("成绩须为 0–100 的数字，最多两位小数。"))
    if not 0 <= number <= 100:
        raise cleaning.CellError(str(SCORE_MESSAGE))
    if number != number.quantize(_CENT):
        raise cleaning.CellError(_("成绩最多保留两位小数。"))
    return number.quantize(_CENT)


class ScoreImport(RecordImport):
    """The exam organiser's sheet of scores (考试成绩): each row names one application on file,
    by exam number or identity number (the number when both are given, its exam number then
    recorded if the application has none), among those the user may edit, narrowed by the
    institution, year, plan and post when the sheet gives them (an exam number is unique only
    within a post), and records its written and interview scores through
    `services.application_scores`, refused for the same reasons, in the same words (only an
    eligible applicant takes scores). A blank score leaves the one on file; a name, when given,
    must be the application's. A row whose scores are those on file is unchanged, so a sheet
    imported twice, even after the medical check's candidates are chosen, changes nothing; two
    rows naming the same applicant are refused, rather than the last silently winning."""

    key = "recruitment_scores"
    title = gettext_lazy("考试成绩")
    sheet_name = gettext_lazy("考试成绩")
    permission = "recruitment.edit"
    model = Application
    columns = (
        # Optional here: an exam number or identity number finds the application.
        dataclasses.replace(
            PLAN_INSTITUTION, note=gettext_lazy("可不填；用以区分同名的计划或岗位")
        ),
        *(
            dataclasses.replace(column, required=False)
            for column in (PLAN_YEAR, PLAN_TITLE, POST_NAME)
        ),
        Column(
            "name",
            gettext_lazy("姓名"),
            ("考生姓名",),
            note=gettext_lazy("填写则与报名记录核对"),
            example="王小明",
        ),
        Column(
            "exam_number",
            gettext_lazy("准考证号"),
            ("准考证号码", "考号"),
            note=gettext_lazy("准考证号与身份证号码至少填一项"),
            example="20220101",
        ),
        dataclasses.replace(ID_NUMBER, note=gettext_lazy("准考证号与身份证号码至少填一项")),
        Column(
            "written_score",
            gettext_lazy("笔试成绩"),
            ("笔试",),
            note=gettext_lazy("不填则保留已登记的成绩"),
            example=86.5,
        ),
        Column(
            "interview_score",
            gettext_lazy("面试成绩"),
            ("面试",),
            note=gettext_lazy("不填则保留已登记的成绩"),
            example=90,
        ),
    )
    converters = {
        "year": whole_number(2000, 2100, YEAR_RULE),
        "plan_title": text(200),
        "name": text(50),
        "id_number": from_cell,
        "exam_number": _exam_number,
        "written_score": score,
        "interview_score": score,
    }

    def check(self, located: Located, start: int, end: int, prepared: object) -> list[Row]:
        rows = super().check(located, start, end, prepared)
        for row in rows:
            if not (row.values.get("exam_number") or row.values.get("id_number")) and not any(
                key in ("exam_number", "id_number") for key, _raw, _message in row.errors
            ):
                row.errors.append(("exam_number", None, _("请填写准考证号或身份证号码。")))
        return rows

    def classify(
        self,
        located: Located,
        parts: list[tuple[int, Any]],
        context: ImportContext,
        prepared: object,
        progress: Progress,
    ) -> Plan:
        self._refuse_repeats(part for _start, part in parts)
        plan = super().classify(located, parts, context, prepared, progress)
        plan.updated, plan.new = plan.new, 0  # scores are recorded on applications on file
        return plan

    def commit(self, plan: Plan, context: ImportContext, progress: Progress) -> dict[str, int]:
        done = super().commit(plan, context, progress)
        return {"created": 0, "updated": done["created"]}

    def _refuse_repeats(self, parts: Any) -> None:
        """A row with the identity or exam number of an earlier row (and the same post, as far
        as the sheet says): refused, as the two may give different scores."""
        first: dict[tuple[object, ...], int] = {}
        for row in sorted((row for part in parts for row in part), key=lambda row: row.number):
            if row.errors:
                continue
            values = row.values
            where = (values["institution"], values["year"], values["plan_title"], values["post"])
            for number, message in (
                ("id_number", _("与第 %d 行的身份证号码相同。")),
                ("exam_number", _("与第 %d 行的准考证号相同。")),
            ):
                if not values[number]:
                    continue
                earlier = first.setdefault((number, values[number], *where), row.number)
                if earlier != row.number:
                    row.errors.append((number, row.raws.get(number), message % earlier))
                    break

    def resolve(self, values: dict[str, Any], context: ImportContext) -> dict[str, Any]:
        application = self._application(values, context)
        written, interview = values["written_score"], values["interview_score"]
        return {
            "application": application,
            "written_score": application.written_score if written is None else written,
            "interview_score": application.interview_score if interview is None else interview,
            "exam_number": values["exam_number"] or None,
        }

    def _application(self, values: dict[str, Any], context: ImportContext) -> Application:
        """The one application the row names, among those the user may edit."""
        found = self._narrowed(
            offered(
                context,
                lambda user: queries.applications_for(user, queries.EDIT),
                Application.objects.select_related("post__plan"),
            ),
            values,
            context,
        )
        exam_number, id_number = values["exam_number"], values["id_number"]
        numbered: list[Application] = []  # the applicant's, under another exam number
        if id_number:
            key, missing = "id_number", _("未找到该身份证号码的报名记录，或不在您的管辖范围内。")
            found = found.filter(id_number_index=pii.blind_index(id_number))
            if exam_number:
                numbered = list(found.exclude(exam_number="").exclude(exam_number=exam_number)[:1])
                # The number decides; an exam number not yet on file is recorded.
                found = found.filter(Q(exam_number=exam_number) | Q(exam_number=""))
        else:
            key = "exam_number"
            missing = _("未找到准考证号为“%s”的报名记录，或不在您的管辖范围内。") % exam_number
            found = found.filter(exam_number=exam_number)
        matches = list(found[:2])
        if not matches:
            if numbered:
                raise RowProblem(
                    "exam_number",
                    _("该考生登记的准考证号为“%s”，与本行不一致。") % numbered[0].exam_number,
                )
            raise RowProblem(key, missing)
        if len(matches) > 1:
            raise RowProblem(
                key,
                _("找到多条报名记录，请填写招聘单位、年度、招聘计划和岗位名称以区分。"),
            )
        application = matches[0]
        name = values["name"]
        if name and cleaning.compact(name) != cleaning.compact(application.name):
            raise RowProblem("name", _("姓名与报名记录中的“%s”不一致，请核对。") % application.name)
        return application

    def _narrowed(
        self, applications: QuerySet[Application], values: dict[str, Any], context: ImportContext
    ) -> QuerySet[Application]:
        """The applications of the institution, year, plan and post the row gives, each only
        when given."""
        if values["institution"]:
            institution = institution_named(
                offered(
                    context,
                    queries.managed_institutions,
                    Institution.objects.filter(relation=Institution.Relation.MANAGED),
                ),
                values["institution"],
            )
            if institution is None:
                raise RowProblem("institution", str(INSTITUTION_OUT_OF_SCOPE))
            applications = applications.filter(post__plan__institution=institution)
        if values["year"] is not None:
            applications = applications.filter(post__plan__year=values["year"])
        if values["plan_title"]:
            applications = applications.filter(post__plan__title=values["plan_title"])
        if values["post"]:
            applications = applications.filter(post__name=values["post"])
        return applications

    def exists(self, kwargs: dict[str, Any]) -> bool:
        application: Application = kwargs["application"]
        return (
            application.written_score == kwargs["written_score"]
            and application.interview_score == kwargs["interview_score"]
            and kwargs["exam_number"] in (None, application.exam_number)
        )

    def apply(self, kwargs: dict[str, Any], context: ImportContext) -> None:
        services.application_scores(**kwargs)


# --- Directed students' contracts ----------------------------------------------------------

ENROLMENT_RULE = gettext_lazy("入学年份须为 1990–2100 的年份。")
GRADUATION_RULE = gettext_lazy("预计毕业年份须为 1990–2100 的年份。")
SERVICE_YEARS_RULE = gettext_lazy("服务年限须为 1–30 的整数。")
AMOUNT_RULE = gettext_lazy("金额须为不小于 0 的数字（元），最多两位小数。")
_YEAR = re.compile(r"(\d{4})(?:年|级|届)?")
_YEARS = re.compile(r"(\d{1,2})(?:年)?")
_MOST_YUAN = Decimal("9999999999.99")  # what 12 digits with 2 decimal places hold


def year(rule: Any) -> Converter:
    """A year as sheets hold it: 2021, ２０２１, 2021年, 2021级, or a date (its year); None
    when blank."""

    def convert(raw: object) -> int | None:
        if isinstance(raw, datetime.date):  # a date cell: its year
            found = raw.year
        else:
            value = cleaning.compact(raw)
            if not value:
                return None
            match = _YEAR.fullmatch(value)
            if match is not None:
                found = int(match.group(1))
            else:
                try:
                    day = cleaning.date(value)
                except cleaning.CellError:
                    day = None
                if day is None:
                    raise cleaning.CellError(str(rule))
                found = day.year
        if not 1990 <= found <= 2100:
            raise cleaning.CellError(str(rule))
        return found

    return convert


def service_years(raw: object) -> int | None:
    """Years of service owed: 6, ６, 6年; None when blank (the kind's)."""
    value = cleaning.compact(raw)
    if not value:
        return None
    match = _YEARS.fullmatch(value)
    if match is None or not 1 <= int(match.group(1)) <= 30:
        raise cleaning.CellError(str(SERVICE_YEARS_RULE))
    return int(match.group(1))


def amount(raw: object) -> Decimal | None:
    """An amount in yuan as finance offices write it: 60000, 60,000.00, ６００００元, 6万;
    None when blank."""
    if isinstance(raw, float):
        raw = round(raw, 6)  # 1234.5600000001, a spreadsheet's sum, is 1234.56
    value = cleaning.compact(raw).replace(",", "").replace("，", "")
    value = value.removesuffix("元")
    if not value:
        return None
    scale = Decimal(1)
    if value.endswith("万"):
        value, scale = value.removesuffix("万"), Decimal(10000)
    try:
        number = Decimal(value) * scale
    except InvalidOperation:
        raise cleaning.CellError(str(AMOUNT_RULE)) from None
    if not number.is_finite() or number < 0 or number != number.quantize(_CENT):
        raise cleaning.CellError(str(AMOUNT_RULE))
    if number > _MOST_YUAN:
        raise cleaning.CellError(str(AMOUNT_RULE))
    return number.quantize(_CENT)


# How sheets say what a breach repays, besides the choices' own labels.
REPAYMENT_WORDS: dict[str, Any] = {
    DirectedContract.Repayment.FULL: gettext_lazy("全额"),
    DirectedContract.Repayment.PRO_RATA: gettext_lazy("按比例"),
}


def repayment(raw: object) -> str:
    """全额 (the default when blank) or 按比例, or a choice's label or value."""
    value = cleaning.compact(raw)
    if not value:
        return DirectedContract.Repayment.FULL
    key = cleaning.code_key(value)
    for choice_value, label in DirectedContract.Repayment.choices:
        words = (choice_value, label, REPAYMENT_WORDS[choice_value])
        if key in {cleaning.code_key(str(word)) for word in words}:
            return choice_value
    if value.startswith("全额"):
        return DirectedContract.Repayment.FULL
    if "比例" in value:
        return DirectedContract.Repayment.PRO_RATA
    known = "、".join(str(word) for word in REPAYMENT_WORDS.values())
    raise cleaning.CellError(_("“%(value)s”不在：%(known)s") % {"value": value, "known": known})


Kinds = list[tuple[int, str, str]]  # (pk, code, name) of the directed kinds on file


def directed_kind(kinds: Kinds) -> Converter:
    """A kind by code or name, or by a part of its name that no other kind's holds (订单定向,
    乡村医生); None when blank."""

    def convert(raw: object) -> int | None:
        key = cleaning.code_key(raw)
        if not key:
            return None
        for pk, code_, name in kinds:
            if key in (cleaning.code_key(code_), cleaning.code_key(name)):
                return pk
        names = [name for _pk, _code, name in kinds]
        partly = [
            pk
            for pk, _code, name in kinds
            if len(key) >= 2 and (key in cleaning.code_key(name) or cleaning.code_key(name) in key)
        ]
        value = cleaning.text(raw)
        if len(partly) == 1:
            return partly[0]
        if partly:
            raise cleaning.CellError(
                _("类型“%(value)s”不明确，请填写全称：%(known)s")
                % {"value": value, "known": "、".join(names)}
            )
        raise cleaning.CellError(
            _("“%(value)s”不在：%(known)s") % {"value": value, "known": "、".join(names)}
        )

    return convert


class DirectedImport(RecordImport):
    """A sheet of directed students' contracts (定向培养协议; commissions enter years of them):
    each row through `services.directed_contract_create`, refused for the same reasons, in the
    same words, as the form. The kind by name or code, or a part of its name no other kind's
    holds (订单定向); years as sheets write them (2021, 2021年, 2021级); amounts in yuan
    (60,000, 6万). The sponsor is one of the user's managed institutions (本院可不填), the
    service place any of the district's institutions, by name; blank cells are the contract's
    defaults (graduation five years after enrolment, the kind's years of service, a breach
    repaying the fees in full). A contract of the same kind, identity number and sponsor on
    file is unchanged, so a sheet imported twice adds nothing (and a student listed twice is
    one contract); the same student's contract of that kind under another sponsor is refused
    in the words of the model's constraint, before the service would meet it in the
    database."""

    key = "recruitment_directed"
    title = gettext_lazy("定向培养协议")
    sheet_name = gettext_lazy("定向培养协议")
    permission = "recruitment.edit"
    model = DirectedContract
    columns = (
        Column(
            "kind",
            gettext_lazy("类型"),
            ("定向类型", "培养类型", "协议类型"),
            required=True,
            example="农村订单定向医学生",
            choices=lambda: [name for _pk, _code, name in _kinds()],
        ),
        Column("name", gettext_lazy("姓名"), ("学生姓名",), required=True, example="王小明"),
        dataclasses.replace(ID_NUMBER, required=True, note=gettext_lazy("18 位；请设为文本格式")),
        Column(
            "phone",
            gettext_lazy("手机号码"),
            ("手机号", "联系电话", "手机", "电话"),
            example="13800138000",
        ),
        Column(
            "school",
            gettext_lazy("培养院校"),
            ("就读院校", "院校", "学校"),
            required=True,
            example="安徽医科大学",
        ),
        Column("major", gettext_lazy("专业"), ("所学专业",), required=True, example="临床医学"),
        Column(
            "enrolled_year",
            gettext_lazy("入学年份"),
            ("入学年度", "年级"),
            required=True,
            example=2021,
        ),
        Column(
            "graduation_year",
            gettext_lazy("预计毕业年份"),
            ("毕业年份",),
            note=gettext_lazy("不填为入学后 5 年"),
            example="",
        ),
        Column(
            "sponsor",
            gettext_lazy("委托培养单位"),
            ("委培单位", "签约单位"),
            note=gettext_lazy("本院可不填"),
            example="",
        ),
        Column(
            "service_place",
            gettext_lazy("服务单位"),
            ("履约单位", "定向服务单位"),
            note=gettext_lazy("尚未确定的不填"),
            example="",
        ),
        Column(
            "service_years",
            gettext_lazy("服务年限"),
            ("服务期",),
            note=gettext_lazy("不填为该类型的规定年限"),
            example="",
        ),
        Column("fees_covered", gettext_lazy("培养费用（元）"), ("培养费用",), example=60000),
        Column(
            "repayment",
            gettext_lazy("违约退还"),
            ("违约退还方式",),
            note=gettext_lazy("全额或按比例；不填为全额"),
            example="全额",
            choices=lambda: [str(word) for word in REPAYMENT_WORDS.values()],
        ),
        Column("penalty", gettext_lazy("违约金（元）"), ("违约金",), example=""),
        NOTE,
    )
    converters = {
        "name": text(50),
        "id_number": from_cell,
        "enrolled_year": year(ENROLMENT_RULE),
        "graduation_year": year(GRADUATION_RULE),
        "service_years": service_years,
        "fees_covered": amount,
        "repayment": repayment,
        "penalty": amount,
        "note": text(1000),
    }
    passed = (
        "name",
        "id_number",
        "phone",
        "school",
        "major",
        "enrolled_year",
        "graduation_year",
        "service_years",
        "fees_covered",
        "repayment",
        "penalty",
        "note",
    )

    def prepare(self, context: ImportContext) -> Kinds:
        return _kinds()

    def check(self, located: Located, start: int, end: int, prepared: Any) -> list[Row]:
        self.kinds: Kinds = prepared
        return super().check(located, start, end, prepared)

    def converter(self, column: Column) -> Converter:
        if column.key == "kind":
            return directed_kind(self.kinds)
        return super().converter(column)

    def resolve(self, values: dict[str, Any], context: ImportContext) -> dict[str, Any]:
        graduation, enrolment = values["graduation_year"], values["enrolled_year"]
        if graduation is not None and enrolment is not None and graduation < enrolment:
            # The model's words, tied to the column rather than to the row.
            raise RowProblem("graduation_year", _("预计毕业年份不能早于入学年份。"))
        sponsor = row_institution(
            context,
            values["sponsor"],
            queries.managed_institutions,
            Institution.objects.filter(relation=Institution.Relation.MANAGED),
            INSTITUTION_OUT_OF_SCOPE,
            key="sponsor",
        )
        place = None
        if values["service_place"]:
            place = institution_named(queries.service_places(), values["service_place"])
            if place is None:
                raise RowProblem(
                    "service_place",
                    _("服务单位“%s”不是登记在册的本区医疗机构。") % values["service_place"],
                )
        kind = DirectedKind.objects.get(pk=values["kind"])
        # The student's contract of this kind, under another sponsor: refused in the words of
        # the model's constraint (the same sponsor's is the row itself, unchanged).
        elsewhere = DirectedContract.objects.filter(
            kind=kind, id_number_index=pii.blind_index(values["id_number"])
        ).exclude(sponsor=sponsor)
        if elsewhere.exists():
            raise RowProblem("id_number", _("该学生已有同类定向培养协议。"))
        return {"kind": kind, "sponsor": sponsor, "service_place": place}

    def exists(self, kwargs: dict[str, Any]) -> bool:
        return DirectedContract.objects.filter(
            kind=kwargs["kind"],
            id_number_index=pii.blind_index(kwargs["id_number"]),
            sponsor=kwargs["sponsor"],
        ).exists()

    def apply(self, kwargs: dict[str, Any], context: ImportContext) -> None:
        services.directed_contract_create(by=context.user, **kwargs)


def _kinds() -> Kinds:
    return list(queries.directed_kinds().values_list("pk", "code", "name"))
