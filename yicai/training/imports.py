"""Cultivation records as importable entities: expert visits, case logs, secondment members and
a selection round's nominations (the sign-in sheets and lists hospitals keep in Excel).

Each row becomes one record through the same service a page and the API use, so a row is
refused for the same reasons, in the same words, tied to its row and column. What a row names
(an expert, a department, a studio, a supervisor, a host hospital) is looked up by name among
the same rows the API's fields accept by id, and a miss is said in the API's words. The
preview runs every valid row through its service inside a transaction it then rolls back:
rules across rows (two secondments of one person overlapping) are caught as the commit would
meet them. A row that
matches a record on file (same person, day and kind) is unchanged, so a sheet imported twice
adds nothing.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yicai.access import pii
from yicai.access.scope import BACKFILL
from yicai.exchange import cleaning
from yicai.exchange.engine import Column, Entity, Located, Plan, Problem, StalePlan
from yicai.org.models import Department, Institution
from yicai.org.queries import departments_for, institutions_for
from yicai.people.identity import normalise
from yicai.people.models import Person
from yicai.training import services
from yicai.training.models import (
    CaseLog,
    ExpertStudio,
    Nomination,
    Secondment,
    SecondmentBatch,
    SelectionRound,
    Technique,
    Visit,
)
from yicai.training.models.activity import COUNT_RULE, MAX_COUNT
from yicai.training.queries import programmes as round_queries
from yicai.training.queries import secondments as queries
from yicai.training.queries.mentoring import (
    APPRENTICE_NOT_YOURS,
    DEPARTMENT_OUT_OF_SCOPE,
    EXPERT_OUT_OF_SCOPE,
    INSTITUTION_OUT_OF_SCOPE,
    SUPERVISOR_NOT_ALLOWED,
    TECHNIQUE_NOT_THERE,
    experts_for,
    people_to_backfill,
)
from yicai.training.queries.studios import STUDIO_OUT_OF_SCOPE, studios_for
from yicai.training.services.rules import NOT_A_BACKFILLER, past_dates_refused


class RowProblem(Exception):
    def __init__(self, key: str, message: str):
        super().__init__(message)
        self.key, self.message = key, message


@dataclass
class Row:
    number: int
    values: dict
    raws: dict
    errors: list  # (key, raw, message)


# -- cell converters: no database, so rows may be checked in a second process -------------------


def _text(limit: int):
    def convert(raw):
        value = cleaning.text(raw)
        if len(value) > limit:
            raise cleaning.CellError(_("不能超过 %s 个字。") % limit)
        return value

    return convert


def _date(raw):
    value = cleaning.date(raw)
    if value is not None and value.year < 1900:
        raise cleaning.CellError(_("日期不能早于 1900 年。"))
    return value


def _count(raw):
    value = cleaning.text(raw)
    if not value:
        return 0
    try:
        number = float(value)
    except ValueError:
        raise cleaning.CellError(str(COUNT_RULE)) from None
    if number < 0 or not number.is_integer() or number > MAX_COUNT:
        raise cleaning.CellError(str(COUNT_RULE))
    return int(number)


def _choice(choices):
    def convert(raw):
        value = cleaning.text(raw)
        if not value:
            return ""
        by_label = {str(label): key for key, label in choices}
        found = by_label.get(value) or (value if value in dict(choices) else None)
        if found is None:
            raise cleaning.CellError(
                _("“%(value)s”不在：%(known)s") % {"value": value, "known": "、".join(by_label)}
            )
        return found

    return convert


def _yes_no(raw):
    value = cleaning.text(raw)
    if value in ("", "否", "N", "n", "no", "0"):
        return False
    if value in ("是", "Y", "y", "yes", "1", "已审核"):
        return True
    raise cleaning.CellError(_("请填写“是”或“否”。"))


def _id_number(raw):
    if cleaning.number_was_rounded(raw):
        raise cleaning.CellError(_("身份证号码被 Excel 存成了数字，末几位已丢失。"))
    return normalise(cleaning.compact(raw))


class RecordImport(Entity):
    """One row, one record, through a service. Subclasses declare columns and converters,
    resolve a row's names to rows on file (`resolve`), say whether it is on file already
    (`exists`) and write it (`apply`)."""

    permission = "training.edit"
    converters: dict = {}

    def tables(self) -> list[str]:
        return [self.model._meta.db_table]

    def check(self, located: Located, start: int, end: int, prepared) -> list[Row]:
        checked = []
        for number, cells in located.rows[start:end]:
            row = Row(number, {}, {}, [])
            for column in self.columns:
                position = located.positions.get(column.key)
                raw = cells[position] if position is not None and position < len(cells) else None
                row.raws[column.key] = raw
                try:
                    value = self.converters.get(column.key, _text(100))(raw)
                except cleaning.CellError as error:
                    row.errors.append((column.key, raw, str(error)))
                    continue
                if column.required and value in (None, ""):
                    row.errors.append((column.key, raw, _("必填。")))
                row.values[column.key] = value
            checked.append(row)
        return checked

    def classify(self, located: Located, parts, context, prepared, progress) -> Plan:
        rows = [row for _start, part in sorted(parts, key=lambda p: p[0]) for row in part]
        plan = Plan(entity=self.key, total=len(rows))
        progress("analyse", 0, len(rows))
        valid = []
        with transaction.atomic():
            for done, row in enumerate(rows, start=1):
                if not row.errors:
                    self._try(row, context, plan, valid)
                if row.errors:
                    plan.invalid_rows.add(row.number)
                    for key, raw, message in row.errors:
                        plan.problems.append(self._problem(located, row.number, key, raw, message))
                progress("analyse", done, len(rows))
            transaction.set_rollback(True)  # a dry run: the commit writes
        plan.new = len(valid)
        plan.payload = valid
        return plan

    def _try(self, row: Row, context, plan: Plan, valid: list) -> None:
        try:
            kwargs = self.resolve(row.values, context)
            if self.exists(kwargs):
                plan.unchanged += 1
                return
            with transaction.atomic():
                self.apply(kwargs, context)
        except RowProblem as problem:
            row.errors.append((problem.key, row.raws.get(problem.key), problem.message))
        except ValidationError as error:
            for field, messages in _messages(error):
                key = self.fields.get(field, field)
                row.errors.append((key, row.raws.get(key), "；".join(messages)))
        else:
            valid.append((row.number, row.values))

    def commit(self, plan: Plan, context, progress) -> dict[str, int]:
        total = len(plan.payload)
        for done, (number, values) in enumerate(plan.payload, start=1):
            try:
                self.apply(self.resolve(values, context), context)
            except (RowProblem, ValidationError) as error:
                message = (
                    error.message
                    if isinstance(error, RowProblem)
                    else "；".join(m for _f, ms in _messages(error) for m in ms)
                )
                raise StalePlan(
                    _("第 %(row)d 行在预览之后已不能导入（%(why)s），请重新预览。")
                    % {"row": number, "why": message}
                ) from None
            progress("commit", done, total)
        return {"created": total, "updated": 0}

    def _problem(self, located: Located, row: int, key: str, raw, message: str) -> Problem:
        try:
            column = self.column(key)
        except StopIteration:
            return Problem(row, "", cleaning.text(raw), message)
        shown = cleaning.text(raw)
        if column.sensitive and shown:
            shown = pii.mask_last4(shown[-4:], len(shown))
        return Problem(row, located.headers.get(key, str(column.header)), shown, message)

    # -- to override --------------------------------------------------------------------------
    model = None
    fields: dict[str, str] = {}  # a service's field name -> the column it comes from

    def resolve(self, values: dict, context) -> dict:
        raise NotImplementedError

    def exists(self, kwargs: dict) -> bool:
        raise NotImplementedError

    def apply(self, kwargs: dict, context) -> None:
        raise NotImplementedError


def _messages(error: ValidationError):
    if hasattr(error, "error_dict"):
        return error.message_dict.items()
    return [("__all__", error.messages)]


# -- finding what a row names -----------------------------------------------------------------


def _choices(context, of_user, everything):
    """The rows a row may name: those the API offers the user (`of_user(user)`); from the
    command line without --user, `everything`."""
    return everything if context.user is None else of_user(context.user)


def _institution_named(institutions, name: str):
    return institutions.filter(Q(name=name) | Q(short_name=name)).first()


def _institution(context, name: str, key: str = "institution"):
    if not name:
        if context.default_institution is None:
            raise RowProblem(key, _("请填写机构。"))
        return context.institutions.get(pk=context.default_institution)
    institutions = _choices(
        context, lambda user: institutions_for(user, "training.edit"), Institution.objects.all()
    )
    found = _institution_named(institutions, name)
    if found is None:
        raise RowProblem(key, str(INSTITUTION_OUT_OF_SCOPE))
    return found


def _named(rows, name: str, institution, key: str, missing):
    """The row of this name, at the record's institution if it has one there, else elsewhere
    (the service then says it is not of that institution, as it would to the API)."""
    if not name:
        return None
    found = list(rows.filter(name=name).order_by("pk")[:20])
    if not found:
        raise RowProblem(key, str(missing))
    here = [row for row in found if row.institution_id == institution.pk]
    return (here or found)[0]


def _department(context, institution, name: str, key: str = "department"):
    departments = _choices(
        context, lambda user: departments_for(user, "training.edit"), Department.objects.all()
    )
    return _named(departments, name, institution, key, DEPARTMENT_OUT_OF_SCOPE)


def _person(
    people, name: str, key: str, missing, *, id_number: str = "", where: str = "", what=None
):
    """The one person of `people` with this name (and identity number or institution, when
    given); `missing` (the API's words) when none, a request to tell namesakes apart when
    several match."""
    what = what or _("人员")
    if id_number:
        people = people.filter(id_number_index=pii.blind_index(id_number))
    found = list(people.filter(name=name).select_related("institution")[:3])
    if where:
        found = [
            p
            for p in found
            if p.institution and where in (p.institution.name, p.institution.short_name)
        ]
    if not found:
        raise RowProblem(key, str(missing))
    if len(found) > 1:
        raise RowProblem(
            key,
            _("有多位同名的%(what)s“%(name)s”，请填写身份证号码或所在机构以区分。")
            % {"what": what, "name": name},
        )
    return found[0]


def _experts(context):
    """Who may be named as an expert or supervisor: those the forms and the API offer the user
    (the people they see, the partner hospitals' doctors of their districts); from the
    command line without --user, the people of every institution and the external experts."""
    return _choices(
        context,
        experts_for,
        Person.objects.filter(
            Q(institution__in=context.institutions) | Q(category=Person.Category.EXTERNAL_EXPERT)
        ),
    )


# -- the entities --------------------------------------------------------------------------------

# A person named twice in the institution is told apart by their identity number (masked in
# the problem report).
ID_NUMBER = Column(
    "id_number",
    gettext_lazy("身份证号码"),
    ("身份证号",),
    note=gettext_lazy("同名时填写"),
    sensitive=True,
    example="",
)

_VISIT_KINDS = Visit.Kind.choices


class VisitImport(RecordImport):
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
            choices=lambda: [str(label) for _k, label in _VISIT_KINDS],
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
        Column("note", gettext_lazy("说明"), ("备注",), example=""),
    )
    converters = {
        "held_on": _date,
        "kind": _choice(_VISIT_KINDS),
        "patients": _count,
        "attendees": _count,
        "operations": _count,
        "note": _text(300),
    }
    fields = {"expert": "expert", "held_on": "held_on", "studio": "studio"}

    def resolve(self, values, context) -> dict:
        institution = _institution(context, values["institution"])
        expert = _person(
            _experts(context),
            values["expert"],
            "expert",
            EXPERT_OUT_OF_SCOPE,
            where=values["expert_institution"],
            what=_("专家"),
        )
        studios = _choices(
            context, lambda user: studios_for(user, "training.edit"), ExpertStudio.objects.all()
        )
        return {
            "expert": expert,
            "kind": values["kind"],
            "institution": institution,
            "department": _department(context, institution, values["department"]),
            "held_on": values["held_on"],
            "studio": _named(studios, values["studio"], institution, "studio", STUDIO_OUT_OF_SCOPE),
            "patients": values["patients"],
            "attendees": values["attendees"],
            "operations": values["operations"],
            "note": values["note"],
        }

    def exists(self, kwargs) -> bool:
        return Visit.objects.filter(
            expert=kwargs["expert"],
            institution=kwargs["institution"],
            held_on=kwargs["held_on"],
            kind=kwargs["kind"],
        ).exists()

    def apply(self, kwargs, context) -> None:
        services.visit_record(**kwargs)


class CaseLogImport(RecordImport):
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
            choices=lambda: [str(label) for _k, label in CaseLog.Role.choices],
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
        Column("note", gettext_lazy("说明"), ("备注",), example=""),
    )
    # Every row is entered on the apprentice's behalf, marked as entered by the importing user.
    permission = BACKFILL
    converters = {
        "performed_on": _date,
        "id_number": _id_number,
        "role": _choice(CaseLog.Role.choices),
        "verified": _yes_no,
        "paper_reference": _text(100),
        "note": _text(300),
    }
    fields = {
        "technique": "technique",
        "supervisor": "supervisor",
        "performed_on": "performed_on",
        "note": "note",
        "apprentice": "apprentice",
        "paper_reference": "paper_reference",
    }

    def resolve(self, values, context) -> dict:
        if context.user is None:
            raise RowProblem(
                "apprentice", _("从命令行导入病例记录时，须用 --user 指定代录的账号。")
            )
        apprentice = _person(
            people_to_backfill(context.user),
            values["apprentice"],
            "apprentice",
            APPRENTICE_NOT_YOURS,
            id_number=values["id_number"],
        )
        technique = Technique.objects.filter(
            institution_id=apprentice.institution_id, name=values["technique"]
        ).first()
        if technique is None:
            raise RowProblem("technique", str(TECHNIQUE_NOT_THERE))
        supervisor = None
        if values["supervisor"]:
            supervisor = _person(
                _experts(context),
                values["supervisor"],
                "supervisor",
                SUPERVISOR_NOT_ALLOWED,
                what=_("指导/审核人"),
            )
        return {
            "apprentice": apprentice,
            "technique": technique,
            "performed_on": values["performed_on"],
            "role": values["role"],
            "supervisor": supervisor,
            "note": values["note"],
            "verified": values["verified"],
            "paper_reference": values["paper_reference"],
        }

    def exists(self, kwargs) -> bool:
        return CaseLog.objects.filter(
            apprentice=kwargs["apprentice"],
            technique=kwargs["technique"],
            performed_on=kwargs["performed_on"],
            role=kwargs["role"],
        ).exists()

    def apply(self, kwargs, context) -> None:
        services.case_log_backfill(entered_by=context.user, **kwargs)


class SecondmentImport(RecordImport):
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
    converters = {
        "id_number": _id_number,
        "start_on": _date,
        "end_on": _date,
        "host_department": _text(100),
        "objectives": _text(1000),
    }
    fields = {
        "person": "person",
        "host": "host",
        "linked_leader": "linked_leader",
        "start_on": "start_on",
        "end_on": "end_on",
        "host_department": "host_department",
        "objectives": "objectives",
    }

    def resolve(self, values, context) -> dict:
        person = _person(
            _choices(context, queries.people_to_second, Person.objects.all()),
            values["person"],
            "person",
            queries.PERSON_TO_SECOND_OUT_OF_SCOPE,
            id_number=values["id_number"],
        )
        hosts = _choices(context, queries.host_choices, Institution.objects.all())
        host = _institution_named(hosts, values["host"])
        if host is None:
            raise RowProblem("host", str(queries.HOST_OUT_OF_SCOPE))
        batch = None
        if values["batch"]:
            batches = _choices(context, queries.batches_to_join, SecondmentBatch.objects.all())
            batch = batches.filter(name=values["batch"]).first()
            if batch is None:
                raise RowProblem("batch", str(queries.BATCH_OUT_OF_SCOPE))
        leader = None
        if values["linked_leader"]:
            leader = _person(
                _choices(context, queries.leader_choices, Person.objects.all()),
                values["linked_leader"],
                "linked_leader",
                queries.LEADER_OUT_OF_SCOPE,
                what=_("挂钩领导"),
            )
        return {
            "person": person,
            "host": host,
            "host_department": values["host_department"],
            "start_on": values["start_on"],
            "end_on": values["end_on"],
            "objectives": values["objectives"],
            "linked_leader": leader,
            "batch": batch,
        }

    def exists(self, kwargs) -> bool:
        return Secondment.objects.filter(
            person=kwargs["person"], host=kwargs["host"], start_on=kwargs["start_on"]
        ).exists()

    def apply(self, kwargs, context) -> None:
        services.secondment_create(**kwargs)


class NominationImport(RecordImport):
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
    converters = {
        "id_number": _id_number,
        "reason": _text(1000),
        "nominated_on": _date,
    }
    fields = {
        "person": "person",
        "institution": "institution",
        "reason": "reason",
        "nominated_on": "nominated_on",
        "round": "round",
    }

    def resolve(self, values, context) -> dict:
        rounds = _choices(
            context,
            lambda user: round_queries.rounds_for(user, "training.edit"),
            SelectionRound.objects.all(),
        )
        found = list(rounds.filter(name=values["round"]).order_by("pk")[:2])
        if not found:
            raise RowProblem("round", str(round_queries.ROUND_OUT_OF_SCOPE))
        if len(found) > 1:
            raise RowProblem("round", _("有多个同名的遴选，请先在遴选页面区分其名称。"))
        person = _person(
            _choices(context, round_queries.people_to_nominate, Person.objects.all()),
            values["person"],
            "person",
            round_queries.PERSON_TO_NOMINATE_OUT_OF_SCOPE,
            id_number=values["id_number"],
        )
        institution = person.institution
        if values["institution"]:
            institutions = _choices(
                context, round_queries.nominating_institutions, Institution.objects.all()
            )
            institution = _institution_named(institutions, values["institution"])
            if institution is None:
                raise RowProblem("institution", str(INSTITUTION_OUT_OF_SCOPE))
        if past_dates_refused(context.user, values, "nominated_on"):
            raise RowProblem("nominated_on", str(NOT_A_BACKFILLER))
        return {
            "selection_round": found[0],
            "person": person,
            "institution": institution,
            "reason": values["reason"],
            "nominated_on": values["nominated_on"],
        }

    def exists(self, kwargs) -> bool:
        return Nomination.objects.filter(
            round=kwargs["selection_round"], person=kwargs["person"]
        ).exists()

    def apply(self, kwargs, context) -> None:
        services.nomination_create(**kwargs)


ENTITIES = (VisitImport, CaseLogImport, SecondmentImport, NominationImport)
