"""Cultivation records as importable entities: expert visits, case logs, secondment members and
a selection round's nominations (the sign-in sheets and lists hospitals keep in Excel).

Each row becomes one record through the same service a page and the API use, so a row is
refused for the same reasons, in the same words, tied to its row and column. What a row names
(an expert, a department, a studio, a supervisor, a host hospital) is looked up by name among
the same rows the API's fields accept by id, and a miss is said in the API's words. The
preview runs every valid row through its service inside a transaction it then rolls back:
rules across rows (two secondments of one person overlapping) are caught as the commit would
meet them. A row that matches a record on file (same person, day and kind) is unchanged, so a
sheet imported twice adds nothing. The base, the cell converters and the look-ups by name are
`yicai.exchange.records`'s.
"""

import datetime

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yicai.exchange.engine import Column
from yicai.exchange.records import (
    NOTE,
    RecordImport,
    RowProblem,
    choice,
    count,
    institution_named,
    named,
    offered,
    person,
    row_institution,
    text,
    yes_no,
)
from yicai.exchange.services import ImportContext
from yicai.org.models import Department, Institution
from yicai.org.queries import (
    DEPARTMENT_OUT_OF_SCOPE,
    INSTITUTION_OUT_OF_SCOPE,
    departments_for,
    institutions_for,
)
from yicai.people.identity import from_cell
from yicai.people.imports import ID_NUMBER, named_person
from yicai.people.models import Person
from yicai.training.declarations import BACKFILL
from yicai.training.models import (
    COUNT_RULE,
    MAX_COUNT,
    CaseLog,
    ExpertStudio,
    Nomination,
    Secondment,
    SecondmentBatch,
    SelectionRound,
    Technique,
    Visit,
)
from yicai.training.queries import programmes as round_queries
from yicai.training.queries import secondments as queries
from yicai.training.queries.mentoring import (
    APPRENTICE_NOT_YOURS,
    EXPERT_OUT_OF_SCOPE,
    SUPERVISOR_NOT_ALLOWED,
    TECHNIQUE_NOT_THERE,
    experts_for,
    people_to_backfill,
)
from yicai.training.queries.studios import STUDIO_OUT_OF_SCOPE, studios_for
from yicai.training.services.activity import visit_record
from yicai.training.services.mentoring import case_log_backfill
from yicai.training.services.programmes import nomination_create
from yicai.training.services.rules import NOT_A_BACKFILLER, past_dates_refused
from yicai.training.services.secondments import secondment_create

# -- finding what a row names -----------------------------------------------------------------


def _institution(context: ImportContext, name: str, key: str = "institution") -> Institution:
    return row_institution(
        context,
        name,
        lambda user: institutions_for(user, "training.edit"),
        Institution.objects.all(),
        INSTITUTION_OUT_OF_SCOPE,
        key,
    )


def _department(context: ImportContext, institution: Institution, name: str) -> Department | None:
    departments = offered(
        context, lambda user: departments_for(user, "training.edit"), Department.objects.all()
    )
    return named(departments, name, institution, "department", DEPARTMENT_OUT_OF_SCOPE)


def _experts(context: ImportContext) -> QuerySet[Person]:
    """Who may be named as an expert or supervisor: those the forms and the API offer the user
    (the people they see, the partner hospitals' doctors of their districts); from the
    command line without --user, the people of every institution and the external experts."""
    return offered(
        context,
        experts_for,
        Person.objects.filter(
            Q(institution__in=context.institutions) | Q(category=Person.Category.EXTERNAL_EXPERT)
        ),
    )


# -- the entities --------------------------------------------------------------------------------


_COUNT = count(MAX_COUNT, COUNT_RULE)


class _TrainingImport(RecordImport):
    permission = "training.edit"


class VisitImport(_TrainingImport):
    key = "training_visits"
    title = gettext_lazy("专家活动（来院签到表）")
    sheet_name = gettext_lazy("专家活动")
    model = Visit
    columns = (
        Column(
            "held_on",
            gettext_lazy("日期"),
            ("活动日期", "来院日期"),
            required=True,
            example=datetime.date(2026, 3, 12),
            is_date=True,
        ),
        Column(
            "expert", gettext_lazy("专家"), ("专家姓名", "姓名"), required=True, example="孙名医"
        ),
        Column(
            "expert_institution",
            gettext_lazy("专家所在机构"),
            ("专家单位",),
            note=gettext_lazy("同名时填写"),
            example="复旦大学附属中山医院",
        ),
        Column(
            "kind",
            gettext_lazy("形式"),
            ("活动形式", "类型"),
            required=True,
            example=str(Visit.Kind.CLINIC.label),
            choices=lambda: [str(label) for label in Visit.Kind.labels],
        ),
        Column(
            "institution",
            gettext_lazy("机构"),
            ("来院机构", "医院"),
            note=gettext_lazy("本院可不填"),
            example="",
        ),
        Column("department", gettext_lazy("科室"), example="心血管内科"),
        Column("studio", gettext_lazy("名医工作室"), ("工作室",), example=""),
        Column("patients", gettext_lazy("诊疗人次"), ("门诊人次", "接诊人次"), example=30),
        Column("attendees", gettext_lazy("参加人数"), ("听课人数",), example=0),
        Column("operations", gettext_lazy("手术台次"), ("手术例数",), example=0),
        NOTE,
    )
    converters = {
        "kind": choice(Visit.Kind.choices),
        "patients": _COUNT,
        "attendees": _COUNT,
        "operations": _COUNT,
        "note": text(300),
    }
    passed = ("kind", "held_on", "patients", "attendees", "operations", "note")
    same_by = ("expert", "institution", "held_on", "kind")

    def resolve(self, values: dict, context: ImportContext) -> dict:
        institution = _institution(context, values["institution"])
        expert = person(
            _experts(context),
            values["expert"],
            "expert",
            EXPERT_OUT_OF_SCOPE,
            where=values["expert_institution"],
            what=_("专家"),
        )
        studios = offered(
            context, lambda user: studios_for(user, "training.edit"), ExpertStudio.objects.all()
        )
        return {
            "expert": expert,
            "institution": institution,
            "department": _department(context, institution, values["department"]),
            "studio": named(studios, values["studio"], institution, "studio", STUDIO_OUT_OF_SCOPE),
        }

    def apply(self, kwargs: dict, context: ImportContext) -> None:
        visit_record(**kwargs)


class CaseLogImport(_TrainingImport):
    key = "training_case_logs"
    title = gettext_lazy("病例/手术记录")
    sheet_name = gettext_lazy("病例手术记录")
    model = CaseLog
    columns = (
        Column(
            "performed_on",
            gettext_lazy("日期"),
            ("手术日期", "操作日期"),
            required=True,
            example=datetime.date(2026, 3, 12),
            is_date=True,
        ),
        Column(
            "apprentice",
            gettext_lazy("记录人"),
            ("姓名", "徒弟", "学员"),
            required=True,
            example="李心怡",
        ),
        ID_NUMBER,
        Column(
            "technique",
            gettext_lazy("技术"),
            ("技术名称", "手术名称", "项目"),
            required=True,
            example="单孔腹腔镜胆囊切除术",
        ),
        Column(
            "role",
            gettext_lazy("参与程度"),
            ("角色",),
            required=True,
            example=str(CaseLog.Role.INDEPENDENT.label),
            choices=lambda: [str(label) for label in CaseLog.Role.labels],
        ),
        Column(
            "supervisor",
            gettext_lazy("指导/审核人"),
            ("指导老师", "审核人", "带教老师"),
            example="孙名医",
        ),
        Column(
            "verified",
            gettext_lazy("已审核"),
            ("是否审核",),
            note=gettext_lazy("填“是”则以导入人名义审核"),
            example="否",
            choices=lambda: ["是", "否"],
        ),
        Column(
            "paper_reference",
            gettext_lazy("纸质审核凭证"),
            ("审核凭证", "纸质凭证"),
            note=gettext_lazy("已在纸质病例本上审核的，填凭证编号，记为纸质审核"),
            example="",
        ),
        NOTE,
    )
    # Every row is entered on the apprentice's behalf, marked as entered by the importing user.
    permission = BACKFILL
    converters = {
        "id_number": from_cell,
        "role": choice(CaseLog.Role.choices),
        "verified": yes_no,
        "note": text(300),
    }
    passed = ("performed_on", "role", "note", "verified", "paper_reference")
    same_by = ("apprentice", "technique", "performed_on", "role")

    def resolve(self, values: dict, context: ImportContext) -> dict:
        if context.user is None:
            raise RowProblem(
                "apprentice", _("从命令行导入病例记录时，须用 --user 指定代录的账号。")
            )
        apprentice = named_person(
            context, values, "apprentice", people_to_backfill, APPRENTICE_NOT_YOURS
        )
        # Techniques are an institution's: someone of none has none to log.
        technique = (
            Technique.objects.filter(
                institution_id=apprentice.institution_id, name=values["technique"]
            ).first()
            if apprentice.institution_id is not None
            else None
        )
        if technique is None:
            raise RowProblem("technique", str(TECHNIQUE_NOT_THERE))
        supervisor = None
        if values["supervisor"]:
            supervisor = person(
                _experts(context),
                values["supervisor"],
                "supervisor",
                SUPERVISOR_NOT_ALLOWED,
                what=_("指导/审核人"),
            )
        return {"apprentice": apprentice, "technique": technique, "supervisor": supervisor}

    def apply(self, kwargs: dict, context: ImportContext) -> None:
        case_log_backfill(entered_by=context.user, **kwargs)


class SecondmentImport(_TrainingImport):
    key = "training_secondments"
    title = gettext_lazy("进修人员名单")
    sheet_name = gettext_lazy("进修人员")
    model = Secondment
    columns = (
        Column("person", gettext_lazy("姓名"), ("进修人员",), required=True, example="张少波"),
        ID_NUMBER,
        Column(
            "batch",
            gettext_lazy("进修批次"),
            ("批次",),
            note=gettext_lazy("须已在系统中建立"),
            example="",
        ),
        Column(
            "host",
            gettext_lazy("进修医院"),
            ("进修单位",),
            required=True,
            example="复旦大学附属中山医院",
        ),
        Column("host_department", gettext_lazy("进修科室"), required=True, example="超声科"),
        Column(
            "start_on",
            gettext_lazy("开始日期"),
            ("进修开始日期",),
            required=True,
            example=datetime.date(2023, 2, 27),
            is_date=True,
        ),
        Column(
            "end_on",
            gettext_lazy("结束日期"),
            ("进修结束日期",),
            note=gettext_lazy("不填则为一年"),
            example="",
            is_date=True,
        ),
        Column("linked_leader", gettext_lazy("挂钩领导"), ("挂钩院领导",), example=""),
        Column(
            "objectives", gettext_lazy("进修目标"), ("学习目标",), example="肝胆疾病超声诊断及介入"
        ),
    )
    converters = {"id_number": from_cell, "objectives": text(1000)}
    passed = ("host_department", "start_on", "end_on", "objectives")
    same_by = ("person", "host", "start_on")

    def resolve(self, values: dict, context: ImportContext) -> dict:
        someone = named_person(
            context,
            values,
            "person",
            queries.people_to_second,
            queries.PERSON_TO_SECOND_OUT_OF_SCOPE,
        )
        hosts = offered(context, queries.host_choices, Institution.objects.all())
        host = institution_named(hosts, values["host"])
        if host is None:
            raise RowProblem("host", str(queries.HOST_OUT_OF_SCOPE))
        batch = None
        if values["batch"]:
            batches = offered(context, queries.batches_to_join, SecondmentBatch.objects.all())
            batch = batches.filter(name=values["batch"]).first()
            if batch is None:
                raise RowProblem("batch", str(queries.BATCH_OUT_OF_SCOPE))
        leader = None
        if values["linked_leader"]:
            leader = person(
                offered(context, queries.leader_choices, Person.objects.all()),
                values["linked_leader"],
                "linked_leader",
                queries.LEADER_OUT_OF_SCOPE,
                what=_("挂钩领导"),
            )
        return {"person": someone, "host": host, "linked_leader": leader, "batch": batch}

    def apply(self, kwargs: dict, context: ImportContext) -> None:
        secondment_create(**kwargs)


class NominationImport(_TrainingImport):
    """The nominations of a selection round, as an institution lists them (or, for a past
    round, with the day each was made); the round must be open for nominations, as on its
    page and in the API."""

    key = "training_nominations"
    title = gettext_lazy("遴选提名名单")
    sheet_name = gettext_lazy("提名名单")
    model = Nomination
    columns = (
        Column(
            "round",
            gettext_lazy("遴选"),
            ("遴选名称", "遴选批次"),
            required=True,
            note=gettext_lazy("须已在系统中发起，正在征集提名"),
            example="2026年英才计划遴选",
        ),
        Column("person", gettext_lazy("姓名"), ("被提名人",), required=True, example="李心怡"),
        ID_NUMBER,
        Column(
            "institution",
            gettext_lazy("提名机构"),
            ("推荐单位",),
            note=gettext_lazy("不填即本人所在机构"),
            example="",
        ),
        Column("reason", gettext_lazy("推荐理由"), example="能独立完成腹腔镜胆囊切除术"),
        Column(
            "nominated_on",
            gettext_lazy("提名日期"),
            note=gettext_lazy("不填即今天；补录以往遴选时填写真实日期"),
            example="",
            is_date=True,
        ),
    )
    converters = {"id_number": from_cell, "reason": text(1000)}
    passed = ("reason", "nominated_on")

    def resolve(self, values: dict, context: ImportContext) -> dict:
        rounds = offered(
            context,
            lambda user: round_queries.rounds_for(user, "training.edit"),
            SelectionRound.objects.all(),
        )
        found = list(rounds.filter(name=values["round"]).order_by("pk")[:2])
        if not found:
            raise RowProblem("round", str(round_queries.ROUND_OUT_OF_SCOPE))
        if len(found) > 1:
            raise RowProblem("round", _("有多个同名的遴选，请先在遴选页面区分其名称。"))
        nominee = named_person(
            context,
            values,
            "person",
            round_queries.people_to_nominate,
            round_queries.PERSON_TO_NOMINATE_OUT_OF_SCOPE,
        )
        institution = nominee.institution
        if values["institution"]:
            institutions = offered(
                context, round_queries.nominating_institutions, Institution.objects.all()
            )
            institution = institution_named(institutions, values["institution"])
            if institution is None:
                raise RowProblem("institution", str(INSTITUTION_OUT_OF_SCOPE))
        if past_dates_refused(context.user, values, "nominated_on"):
            raise RowProblem("nominated_on", str(NOT_A_BACKFILLER))
        return {"selection_round": found[0], "person": nominee, "institution": institution}

    def exists(self, kwargs: dict) -> bool:
        return Nomination.objects.filter(
            round=kwargs["selection_round"], person=kwargs["person"]
        ).exists()

    def apply(self, kwargs: dict, context: ImportContext) -> None:
        nomination_create(**kwargs)


ENTITIES = (VisitImport, CaseLogImport, SecondmentImport, NominationImport)
