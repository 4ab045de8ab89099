"""The staff roster (花名册) as an importable entity: one row a person, with their current post,
highest education, current title and practising licence.

Rows are checked by the rules the forms use (the model fields' lengths, choices and date
validators, `identity_errors`, the phone pattern, a department within its institution, a
licence number used once). New people are prepared here (encrypted, indexed, summary columns
set as `profile_refresh` sets them) and written in bulk at commit; people already on file are
matched by the blind index of their identity number and changed through the services, so their
changes are audited field by field like an edit on the page.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yicai.access import audit, pii
from yicai.access.models import AuditEntry
from yicai.access.scope import scoped
from yicai.codes.models import Code
from yicai.exchange import cleaning
from yicai.exchange.bulk import BulkWriter
from yicai.exchange.engine import Column, Entity, Located, Plan, Problem, Progress
from yicai.org.models import Department, Institution
from yicai.people import services
from yicai.people.identity import identity_errors, normalise
from yicai.people.models import Appointment, Education, Licence, Person, TitleRecord
from yicai.people.rows import PERSON_FIELDS, RECORDS

LICENCE_CATEGORIES = Licence.PracticeCategory


def _code_names(table: str, leaves_only: bool = False):
    def names() -> list[str]:
        codes = Code.objects.filter(table__key=table, active=True)
        if leaves_only:
            codes = codes.filter(parent__isnull=False)
        return list(codes.order_by("sort", "code").values_list("name", flat=True))

    return names


COLUMNS = (
    Column("name", gettext_lazy("姓名"), ("职工姓名", "人员姓名"), required=True, example="张三"),
    Column("sex", gettext_lazy("性别"), required=True, example="男", choices=lambda: ["男", "女"]),
    Column(
        "id_number",
        gettext_lazy("身份证号码"),
        ("身份证号", "公民身份号码", "身份证", "证件号码", "居民身份证号码"),
        required=True,
        note=gettext_lazy("18 位；请设为文本格式"),
        example="11010519491231002X",
        sensitive=True,
    ),
    Column(
        "birth_date",
        gettext_lazy("出生日期"),
        ("出生年月", "出生年月日"),
        note=gettext_lazy("可不填，按身份证号码"),
        example=datetime.date(1949, 12, 31),
        is_date=True,
    ),
    Column("ethnicity", gettext_lazy("民族"), example="汉族", choices=_code_names("ethnicity")),
    Column(
        "phone",
        gettext_lazy("手机号码"),
        ("手机号", "联系电话", "手机", "电话"),
        example="13800138000",
    ),
    Column(
        "category",
        gettext_lazy("人员类别"),
        example=str(Person.Category.STAFF.label),
        choices=lambda: [str(label) for label in Person.Category.labels],
    ),
    Column(
        "institution",
        gettext_lazy("所在机构"),
        ("机构", "单位", "工作单位", "机构名称", "所在单位"),
        note=gettext_lazy("本院人员可不填"),
        example="上海市宝山区中心医院",
    ),
    Column(
        "department", gettext_lazy("所在科室"), ("科室", "部门", "科室名称"), example="心血管内科"
    ),
    Column("position", gettext_lazy("职务/岗位"), ("职务", "岗位", "职务岗位"), example="主治医师"),
    Column(
        "start_on",
        gettext_lazy("任职起始日期"),
        ("入职日期", "入职时间", "来院时间", "任职时间", "到岗日期"),
        example=datetime.date(2015, 8, 1),
        is_date=True,
    ),
    Column(
        "education",
        gettext_lazy("最高学历"),
        ("学历",),
        example="大学本科毕业",
        choices=_code_names("education", leaves_only=True),
    ),
    Column(
        "degree",
        gettext_lazy("学位"),
        ("最高学位",),
        example="医学学士学位",
        choices=_code_names("degree", True),
    ),
    Column("school", gettext_lazy("毕业院校"), ("毕业学校", "院校"), example="复旦大学"),
    Column("major", gettext_lazy("所学专业"), ("专业",), example="临床医学"),
    Column(
        "graduated_on",
        gettext_lazy("毕业时间"),
        ("毕业日期", "毕业年月"),
        example=datetime.date(2012, 7, 1),
        is_date=True,
    ),
    Column(
        "title",
        gettext_lazy("现职称"),
        ("职称", "专业技术职务", "专业技术资格"),
        example="主治医师",
        choices=_code_names("title", leaves_only=True),
    ),
    Column(
        "title_obtained_on",
        gettext_lazy("职称取得时间"),
        ("取得时间", "职称取得日期", "资格取得时间"),
        example=datetime.date(2019, 12, 1),
        is_date=True,
    ),
    Column(
        "licence_number",
        gettext_lazy("执业证书编号"),
        ("执业证号", "执业证书号", "执业证编号"),
        example="110310000012345",
    ),
    Column(
        "licence_category",
        gettext_lazy("执业类别"),
        example="临床",
        choices=lambda: [str(label) for label in LICENCE_CATEGORIES.labels],
    ),
    Column("licence_scope", gettext_lazy("执业范围"), example="内科专业"),
    Column(
        "personnel_category",
        gettext_lazy("从事专业类别"),
        ("卫生人员类别",),
        example="执业医师",
        choices=_code_names("personnel_category"),
    ),
    Column(
        "source", gettext_lazy("人才来源"), example="本地招聘", choices=_code_names("person_source")
    ),
)

_LENGTHS = {
    "name": Person._meta.get_field("name").max_length,
    "position": Person._meta.get_field("position").max_length,
    "school": Education._meta.get_field("school").max_length,
    "major": Education._meta.get_field("major").max_length,
    "licence_number": Licence._meta.get_field("number").max_length,
    "licence_scope": Licence._meta.get_field("scope").max_length,
}
_PAST_DATES = ("birth_date", "start_on", "graduated_on", "title_obtained_on")
_SEX_ALIASES = {"男": "1", "女": "2", "m": "1", "f": "2"}


class Lookup:
    """Cell text -> id for one code table (or list of choices), by code, name or alias."""

    def __init__(self, pairs, aliases: dict[str, str] | None = None):
        self.ids: dict[str, object] = {}
        by_code = {}
        for code, name, value in pairs:
            by_code[code] = value
            self.ids[cleaning.code_key(code)] = value
            self.ids[cleaning.code_key(name)] = value
        for alias, code in (aliases or {}).items():
            self.ids.setdefault(cleaning.code_key(alias), by_code[code])

    def get(self, value):
        return self.ids.get(cleaning.code_key(value))


def _codes(table: str, *, leaves_only=False, suffixes=(), aliases=None) -> Lookup:
    codes = Code.objects.filter(table__key=table, active=True)
    if leaves_only:
        codes = codes.filter(parent__isnull=False)
    pairs = list(codes.values_list("code", "name", "id"))
    extra = dict(aliases or {})
    for code, name, _pk in pairs:
        for suffix in suffixes:  # 汉 for 汉族, 医学学士 for 医学学士学位
            if name.endswith(suffix) and len(name) > len(suffix):
                extra.setdefault(name[: -len(suffix)], code)
    return Lookup(pairs, extra)


@dataclass
class Lookups:
    sex: Lookup
    ethnicity: Lookup
    education: Lookup
    degree: Lookup
    title: Lookup
    personnel_category: Lookup
    source: Lookup
    category: Lookup
    licence_category: Lookup
    sex_codes: dict
    title_grades: dict
    institutions: dict  # cleaned name / short name / code -> id (only those the user may edit)
    departments: dict  # (institution id, cleaned name) -> id

    @classmethod
    def build(cls, context) -> "Lookups":
        education_aliases = {
            "博士": "11",
            "博士研究生": "11",
            "硕士": "14",
            "硕士研究生": "14",
            "研究生": "14",
            "本科": "21",
            "大学本科": "21",
            "大专": "31",
            "专科": "31",
            "大学专科": "31",
            "中专": "41",
            "中等专科": "41",
            "高中": "61",
        }
        institutions = {}
        for pk, name, short, code in context.institutions.values_list(
            "pk", "name", "short_name", "code"
        ):
            for key in (name, short, code):
                if key:
                    institutions.setdefault(cleaning.code_key(key), pk)
        departments = {}
        for pk, institution, name in Department.objects.filter(
            institution__in=context.institutions
        ).values_list("pk", "institution_id", "name"):
            departments.setdefault((institution, cleaning.code_key(name)), pk)
        sex_codes = dict(Code.objects.filter(table__key="sex").values_list("id", "code"))
        titles = Code.objects.filter(table__key="title", parent__isnull=False)
        return cls(
            sex=_codes("sex", suffixes=("性",), aliases=_SEX_ALIASES),
            ethnicity=_codes("ethnicity", suffixes=("族",)),
            education=_codes("education", leaves_only=True, aliases=education_aliases),
            degree=_codes("degree", leaves_only=True, suffixes=("学位",)),
            title=_codes("title", leaves_only=True),
            personnel_category=_codes("personnel_category"),
            source=_codes("person_source"),
            category=Lookup((value, label, value) for value, label in Person.Category.choices),
            licence_category=Lookup(
                [(value, label, value) for value, label in LICENCE_CATEGORIES.choices]
                + [(value, f"{label}类别", value) for value, label in LICENCE_CATEGORIES.choices],
                {"护士": "9", "护理": "9", "西医": "1", "中医类别": "4"},
            ),
            sex_codes=sex_codes,
            title_grades={title.pk: title.grade for title in titles},
            institutions=institutions,
            departments=departments,
        )


@dataclass
class Draft:
    """One valid row, read into ids and Python values."""

    row: int
    name: str
    id_number: str
    values: dict  # column key -> cleaned value (None where the cell was blank)


@dataclass
class RosterPayload:
    new: list[tuple] = field(default_factory=list)  # prepared person rows
    new_rows: list[int] = field(default_factory=list)  # their spreadsheet row numbers
    records: list[list[tuple]] = field(default_factory=lambda: [[] for _ in RECORDS])
    updates: list[dict] = field(default_factory=list)  # person id, changes, records to add
    indexes: list[str] = field(default_factory=list)  # blind indexes of the new people
    licences: list[tuple[str, str]] = field(default_factory=list)  # (category, number) new


class RosterImport(Entity):
    key = "people"
    title = gettext_lazy("人才花名册")
    sheet_name = gettext_lazy("花名册")
    permission = "person.edit"
    columns = COLUMNS

    # -- analyse: read, check, classify; writes nothing ----------------------------------------
    def analyse(self, located: Located, context, progress: Progress) -> Plan:
        plan = Plan(entity=self.key, total=len(located.rows))
        lookups = Lookups.build(context)
        headers = located.headers
        today = timezone.localdate()
        drafts: list[Draft] = []
        seen: dict[str, int] = {}
        count = len(located.rows)
        for done, (number, cells) in enumerate(located.rows, start=1):
            errors: list[tuple[str, object, str]] = []
            raw = {
                key: cells[position] if position < len(cells) else None
                for key, position in located.positions.items()
            }
            draft = self._read_row(number, raw, lookups, context, today, errors)
            if draft is not None and not errors:
                first = seen.get(draft.values["index"])
                if first is not None:
                    errors.append(
                        (
                            "id_number",
                            raw.get("id_number"),
                            _("与第 %s 行的身份证号码重复。") % first,
                        )
                    )
                else:
                    seen[draft.values["index"]] = number
            if errors:
                plan.invalid_rows.add(number)
                for key, value, reason in errors:
                    column = self.column(key)
                    shown = cleaning.text(value)
                    if column.sensitive and shown:
                        shown = pii.mask_last4(shown[-4:], len(shown))
                    plan.problems.append(
                        Problem(number, headers.get(key, str(column.header)), shown, reason)
                    )
            else:
                drafts.append(draft)
            if done % 2000 == 0:
                progress("analyse", done, count)
        progress("analyse", count, count)
        self._classify(drafts, plan, context, lookups)
        return plan

    def _read_row(self, number, raw, lookups: Lookups, context, today, errors) -> Draft | None:
        text = cleaning.text
        values: dict = {}

        def code(key: str, lookup: Lookup, message: str):
            cell = raw.get(key)
            if cell is None or cell == "":
                return None
            found = lookup.get(cell)
            if found is None and text(cell):
                errors.append((key, cell, message % text(cell)))
            return found

        def date(key: str):
            cell = raw.get(key)
            if cell is None or cell == "":
                return None
            try:
                value = cleaning.date(cell)
            except cleaning.CellError as error:
                errors.append((key, cell, str(error)))
                return None
            if value is not None and key in _PAST_DATES:
                if value > today:
                    errors.append((key, cell, _("日期不能晚于今天。")))
                elif value.year < 1900:
                    errors.append((key, cell, _("日期不能早于 1900 年。")))
            return value

        def string(key: str) -> str:
            value = text(raw.get(key))
            limit = _LENGTHS.get(key)
            if limit and len(value) > limit:
                errors.append((key, value, _("不能超过 %s 个字。") % limit))
            return value

        name = string("name")
        if not name:
            errors.append(("name", "", _("请填写姓名。")))
        cell = raw.get("id_number")
        id_number = ""
        if cleaning.number_was_rounded(cell):
            errors.append(
                (
                    "id_number",
                    cell,
                    _("身份证号码被 Excel 存成了数字，末几位已丢失；请把该列设为文本后重新填写。"),
                )
            )
        else:
            id_number = normalise(cleaning.compact(cell))
            if not id_number:
                errors.append(("id_number", "", _("请填写身份证号码。")))
        sex = code("sex", lookups.sex, _("性别“%s”无法识别，请填写 男 或 女。"))
        if sex is None and not text(raw.get("sex")):
            errors.append(("sex", "", _("请填写性别。")))
        birth = date("birth_date")
        if id_number and not any(key == "id_number" for key, *_rest in errors):
            for key, message in identity_errors(
                id_number, birth, lookups.sex_codes.get(sex)
            ).items():
                errors.append((key, raw.get(key), message))
            if birth is None and not any(key == "id_number" for key, *_rest in errors):
                birth = datetime.date(
                    int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14])
                )
        phone = cleaning.compact(raw.get("phone"))
        if phone and not services._PHONE.fullmatch(phone):
            errors.append(("phone", raw.get("phone"), _("手机号码只能由 7 至 15 位数字组成。")))
        values["ethnicity"] = code("ethnicity", lookups.ethnicity, _("民族“%s”不在民族代码表中。"))
        values["category"] = code("category", lookups.category, _("人员类别“%s”无法识别。"))
        values["personnel_category"] = code(
            "personnel_category", lookups.personnel_category, _("从事专业类别“%s”不在代码表中。")
        )
        values["source"] = code("source", lookups.source, _("人才来源“%s”无法识别。"))
        institution = self._institution(raw, lookups, context, errors)
        department = None
        department_name = text(raw.get("department"))
        if department_name and institution is not None:
            department = lookups.departments.get((institution, cleaning.code_key(department_name)))
            if department is None:
                errors.append(
                    ("department", department_name, _("“%s”不是所在机构的科室。") % department_name)
                )
        values["position"] = string("position")
        values["start_on"] = date("start_on")
        # Education, title and licence: each record needs its parts together, as on the forms.
        values["education"] = code(
            "education", lookups.education, _("学历“%s”不在学历代码表（GB/T 4658）中。")
        )
        values["degree"] = code("degree", lookups.degree, _("学位“%s”不在学位代码表中。"))
        values["school"] = string("school")
        values["major"] = string("major")
        values["graduated_on"] = date("graduated_on")
        self._together(
            raw, values, ("education", "school", "graduated_on"), ("degree", "major"), errors
        )
        values["title"] = code(
            "title", lookups.title, _("职称“%s”不在职称代码表（GB/T 8561）中，或只是职称系列。")
        )
        values["title_obtained_on"] = date("title_obtained_on")
        self._together(raw, values, ("title", "title_obtained_on"), (), errors)
        values["licence_number"] = cleaning.compact(string("licence_number"))
        values["licence_category"] = code(
            "licence_category", lookups.licence_category, _("执业类别“%s”无法识别。")
        )
        values["licence_scope"] = string("licence_scope")
        self._together(
            raw, values, ("licence_number", "licence_category"), ("licence_scope",), errors
        )
        if errors:
            return None
        values.update(
            name=name,
            sex=sex,
            birth_date=birth,
            phone=phone,
            institution=institution,
            department=department,
            index=pii.blind_index(id_number),
        )
        return Draft(number, name, id_number, values)

    @staticmethod
    def _institution(raw, lookups: Lookups, context, errors):
        name = cleaning.text(raw.get("institution"))
        if not name:
            if context.default_institution is None:
                if "institution" in raw or raw.get("department") or raw.get("start_on"):
                    errors.append(("institution", "", _("请填写所在机构。")))
                return None
            return context.default_institution
        found = lookups.institutions.get(cleaning.code_key(name))
        if found is None:
            errors.append(("institution", name, _("“%s”不是您可以导入人员的机构。") % name))
        return found

    def _together(self, raw, values, needed: tuple, optional: tuple, errors) -> None:
        given = [key for key in (*needed, *optional) if values.get(key) not in (None, "")]
        if not given:
            return
        for key in needed:
            if values.get(key) in (None, "") and not any(error[0] == key for error in errors):
                others = "、".join(str(self.column(other).header) for other in given)
                errors.append(
                    (
                        key,
                        "",
                        _("填写了%(others)s，也须填写%(this)s。")
                        % {"others": others, "this": self.column(key).header},
                    )
                )

    # -- classify: new, updated, unchanged; conflicts with what is stored ------------------------
    def _classify(self, drafts: list[Draft], plan: Plan, context, lookups: Lookups) -> None:
        bulk = BulkWriter()
        existing = bulk.existing(
            Person, "id_number_index", [draft.values["index"] for draft in drafts]
        )
        editable = set(existing.values())
        if context.user is not None and editable:
            editable = set(
                scoped(
                    context.user, Person.objects.filter(pk__in=editable), "person.edit"
                ).values_list("pk", flat=True)
            )
        licence_owner = self._licence_owners(drafts)
        current = _Current.load([pk for pk in existing.values() if pk in editable])
        payload = RosterPayload()
        claimed: dict[tuple[str, str], int] = {}
        for draft in drafts:
            values = draft.values
            person_id = existing.get(values["index"])
            licence = (
                (values["licence_category"], values["licence_number"])
                if values["licence_number"]
                else None
            )
            problem = None
            if person_id is not None and person_id not in editable:
                problem = (
                    "id_number",
                    _("该身份证号码已存在于其他机构的人才档案中，您无权通过导入修改。"),
                )
            elif licence is not None:
                owner = licence_owner.get(licence)
                if owner is not None and owner != person_id:
                    problem = ("licence_number", _("该执业证书编号已登记在另一人名下。"))
                elif licence in claimed:
                    problem = (
                        "licence_number",
                        _("与第 %s 行的执业证书编号重复。") % claimed[licence],
                    )
            if problem is not None:
                plan.invalid_rows.add(draft.row)
                key, reason = problem
                shown = (
                    values["licence_number"]
                    if key == "licence_number"
                    else pii.mask_last4(draft.id_number[-4:], 18)
                )
                plan.problems.append(
                    Problem(draft.row, str(self.column(key).header), shown, reason)
                )
                continue
            if licence is not None:
                claimed[licence] = draft.row
            if person_id is None:
                self._prepare_new(draft, payload, lookups)
                plan.new += 1
            else:
                update = current.changes(person_id, draft)
                if update:
                    payload.updates.append(update)
                    plan.updated += 1
                else:
                    plan.unchanged += 1
        plan.problems.sort(key=lambda problem: problem.row)
        plan.payload = payload

    @staticmethod
    def _licence_owners(drafts: list[Draft]) -> dict[tuple[str, str], int]:
        numbers = [
            draft.values["licence_number"] for draft in drafts if draft.values["licence_number"]
        ]
        owners = {}
        for start in range(0, len(numbers), 5000):
            rows = Licence.objects.filter(number__in=numbers[start : start + 5000])
            owners.update(
                ((category, number), person)
                for category, number, person in rows.values_list("category", "number", "person_id")
            )
        return owners

    @staticmethod
    def _prepare_new(draft: Draft, payload: RosterPayload, lookups: Lookups) -> None:
        values = draft.values
        local = len(payload.new)
        title = values["title"]
        payload.new.append(
            (
                draft.name,
                services.name_initials(draft.name),
                values["sex"],
                values["birth_date"],
                values["ethnicity"],
                pii.encrypt(draft.id_number),
                values["index"],
                draft.id_number[-4:],
                pii.encrypt(values["phone"]),
                values["phone"][-4:],
                values["category"] or Person.Category.STAFF,
                values["source"],
                values["personnel_category"],
                values["institution"],
                values["department"],
                values["position"],
                values["education"],
                title,
                lookups.title_grades.get(title, "") if title else "",
            )
        )
        payload.new_rows.append(draft.row)
        payload.indexes.append(values["index"])
        appointments, titles, educations, licences, _tags = payload.records
        if values["start_on"] is not None:
            appointments.append(
                (
                    local,
                    values["institution"],
                    values["department"],
                    values["position"],
                    values["start_on"],
                    None,
                )
            )
        if title:
            titles.append(
                (
                    local,
                    title,
                    lookups.title_grades.get(title, ""),
                    values["title_obtained_on"],
                    None,
                )
            )
        if values["education"]:
            educations.append(
                (
                    local,
                    values["education"],
                    values["degree"],
                    values["school"],
                    values["major"],
                    values["graduated_on"],
                    True,
                )
            )
        if values["licence_number"]:
            licences.append(
                (
                    local,
                    values["licence_number"],
                    values["licence_category"],
                    values["licence_scope"],
                    values["institution"],
                    None,
                    None,
                )
            )
            payload.licences.append((values["licence_category"], values["licence_number"]))

    # -- commit: inside the caller's transaction ------------------------------------------------
    def commit(self, plan: Plan, context, progress: Progress) -> dict[str, int]:
        payload: RosterPayload = plan.payload
        bulk = BulkWriter()
        if bulk.existing(Person, "id_number_index", payload.indexes):
            raise Stale(_("导入预览之后，已有其他人录入了部分人员，请重新预览。"))
        total = len(payload.new) + sum(len(rows) for rows in payload.records) + len(payload.updates)
        written = 0

        def advance(count: int) -> None:
            nonlocal written
            written += count
            progress("commit", written, total)

        bulk.on_rows = advance
        ids = bulk.allocate_ids(Person, len(payload.new))
        now = timezone.now()
        bulk.insert(
            Person,
            PERSON_FIELDS,
            [(pk, *row, now, now) for pk, row in zip(ids, payload.new, strict=True)],
        )
        for (model, fields), rows in zip(RECORDS, payload.records, strict=True):
            bulk.insert(model, fields, [(ids[row[0]], *row[1:]) for row in rows])
        if ids:
            audit.record(
                AuditEntry.Event.IMPORT,
                summary=_("导入新建人才档案 %s 人") % len(ids),
                data={
                    "人员编号": _ranges(ids),
                    "来源行": _ranges(payload.new_rows),
                    **context.describe(),
                },
                action=AuditEntry.Action.CREATE,
            )
        for update in payload.updates:
            self._apply(update)
            advance(1)
        return {"created": len(ids), "updated": len(payload.updates)}

    @staticmethod
    def _apply(update: dict) -> None:
        """An existing person: changed through the services, as an edit on the page is."""
        person = Person.objects.select_for_update().get(pk=update["person"])
        if update["fields"] or update.get("phone") is not None:
            services.person_update(person=person, phone=update.get("phone"), **update["fields"])
        for kind, values in update["records"]:
            RECORD_ADDERS[kind](person=person, **values)


class Stale(Exception):
    """The database changed between preview and commit in a way the plan cannot absorb."""


def _ranges(numbers: list[int]) -> str:
    """1-3,7,9-10: a compact list of ids for the audit entry."""
    parts, start, previous = [], None, None
    for number in numbers:
        if start is None:
            start = previous = number
        elif number == previous + 1:
            previous = number
        else:
            parts.append(f"{start}-{previous}" if previous != start else str(start))
            start = previous = number
    if start is not None:
        parts.append(f"{start}-{previous}" if previous != start else str(start))
    return ",".join(parts)


RECORD_ADDERS = {
    "education": services.education_add,
    "title": services.title_add,
    "licence": services.licence_add,
    "appointment": services.appointment_add,
}


class _Current:
    """What is on file for the people a sheet names, loaded in a few queries."""

    def __init__(self):
        self.people: dict[int, dict] = {}
        self.educations: dict[int, set] = {}
        self.titles: dict[int, set] = {}
        self.licences: dict[int, set] = {}
        self.open_posts: dict[int, bool] = {}

    @classmethod
    def load(cls, ids: list[int]) -> "_Current":
        current = cls()
        fields = (
            "pk",
            "name",
            "sex_id",
            "birth_date",
            "ethnicity_id",
            "phone_cipher",
            "category",
            "source_id",
            "personnel_category_id",
            "institution_id",
            "department_id",
            "position",
        )
        for start in range(0, len(ids), 5000):
            chunk = ids[start : start + 5000]
            for row in Person.objects.filter(pk__in=chunk).values_list(*fields):
                current.people[row[0]] = dict(zip(fields, row, strict=True))
            for person, *key in Education.objects.filter(person__in=chunk).values_list(
                "person_id", "level_id", "school", "graduated_on"
            ):
                current.educations.setdefault(person, set()).add(tuple(key))
            for person, *key in TitleRecord.objects.filter(person__in=chunk).values_list(
                "person_id", "title_id", "obtained_on"
            ):
                current.titles.setdefault(person, set()).add(tuple(key))
            for person, *key in Licence.objects.filter(person__in=chunk).values_list(
                "person_id", "category", "number"
            ):
                current.licences.setdefault(person, set()).add(tuple(key))
            for person in Appointment.objects.filter(
                person__in=chunk, end_on__isnull=True
            ).values_list("person_id", flat=True):
                current.open_posts[person] = True
        return current

    def changes(self, person_id: int, draft: Draft) -> dict | None:
        """What the row would change: person fields (blank cells change nothing) and records
        the person does not have yet. None when the row matches what is on file."""
        stored = self.people[person_id]
        values = draft.values
        fields = {}
        wanted = {
            "name": draft.name,
            "sex": values["sex"],
            "birth_date": values["birth_date"],
            "ethnicity": values["ethnicity"],
            "category": values["category"],
            "source": values["source"],
            "personnel_category": values["personnel_category"],
            "institution": values["institution"],
            "department": values["department"],
            "position": values["position"],
        }
        for name, value in wanted.items():
            column = (
                name if name in ("name", "birth_date", "category", "position") else f"{name}_id"
            )
            if value not in (None, "") and stored[column] != value:
                fields[name] = value
        for name in (
            "sex",
            "ethnicity",
            "source",
            "personnel_category",
            "institution",
            "department",
        ):
            if name in fields:
                fields[name] = _instance(name, fields[name])
        if "institution" in fields and "department" not in fields and stored["department_id"]:
            fields["department"] = None  # the old department belongs to the old institution
        phone = values["phone"]
        phone_change = None
        if phone and (not stored["phone_cipher"] or pii.decrypt(stored["phone_cipher"]) != phone):
            phone_change = phone
        records = []
        if values["education"] and (
            values["education"],
            values["school"],
            values["graduated_on"],
        ) not in self.educations.get(person_id, set()):
            records.append(
                (
                    "education",
                    {
                        "level": _code(values["education"]),
                        "degree": _code(values["degree"]),
                        "school": values["school"],
                        "major": values["major"],
                        "graduated_on": values["graduated_on"],
                    },
                )
            )
        if values["title"] and (
            values["title"],
            values["title_obtained_on"],
        ) not in self.titles.get(person_id, set()):
            records.append(
                (
                    "title",
                    {"title": _code(values["title"]), "obtained_on": values["title_obtained_on"]},
                )
            )
        if values["licence_number"] and (
            values["licence_category"],
            values["licence_number"],
        ) not in self.licences.get(person_id, set()):
            records.append(
                (
                    "licence",
                    {
                        "number": values["licence_number"],
                        "category": values["licence_category"],
                        "scope": values["licence_scope"],
                    },
                )
            )
        if values["start_on"] and values["institution"] and not self.open_posts.get(person_id):
            records.append(
                (
                    "appointment",
                    {
                        "institution": _instance("institution", values["institution"]),
                        "department": _instance("department", values["department"]),
                        "position": values["position"],
                        "start_on": values["start_on"],
                    },
                )
            )
        if not fields and phone_change is None and not records:
            return None
        return {
            "person": person_id,
            "row": draft.row,
            "fields": fields,
            "phone": phone_change,
            "records": records,
        }


def _code(pk):
    return Code.objects.get(pk=pk) if pk else None


def _instance(name: str, pk):
    if pk is None:
        return None
    model = {"institution": Institution, "department": Department}.get(name, Code)
    return model.objects.get(pk=pk)


def import_context_institutions(user):
    """The institutions a user may import people into."""
    institutions = Institution.objects.filter(active=True)
    if user is None:
        return institutions
    return scoped(user, institutions, "person.edit")
