"""The staff roster (花名册) as an importable entity: one row a person, with their current post,
highest education, current title and practising licence.

Rows are checked by the rules the forms use (the model fields' lengths, choices and date
validators, `identity_errors`, the phone pattern, a department within its institution, a
licence number used once). New people are prepared here (encrypted, indexed, summary columns
set as `profile_refresh` sets them) and written in bulk at commit; people already on file are
matched by the blind index of their identity number and changed through the services, so their
changes are audited field by field like an edit on the page.
"""

import dataclasses
import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yicai.access import audit, pii
from yicai.access.models import AuditEntry
from yicai.access.scope import scoped
from yicai.codes.models import Code, Synonym
from yicai.exchange import cleaning, records
from yicai.exchange.bulk import BulkWriter
from yicai.exchange.engine import (
    WARNING,
    Column,
    Entity,
    Located,
    Plan,
    Problem,
    Progress,
    StalePlan,
    column_values,
)
from yicai.exchange.records import Lookup, code_lookup, offered
from yicai.exchange.services import ImportContext
from yicai.org.models import Department, Institution
from yicai.people import services
from yicai.people.identity import encoded, identity_errors, normalise
from yicai.people.models import Appointment, Education, Licence, Person, TitleRecord
from yicai.people.rows import PERSON_FIELDS, RECORDS
from yicai.people.validators import phone_number

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
    Column(
        "sex",
        gettext_lazy("性别"),
        note=gettext_lazy("可不填，按身份证号码"),
        example="男",
        choices=lambda: ["男", "女"],
    ),
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
        "political_status",
        gettext_lazy("政治面貌"),
        ("政治面目", "党派"),
        example="中国共产党党员",
        choices=_code_names("political_status"),
    ),
    Column(
        "phone",
        gettext_lazy("手机号码"),
        ("手机号", "联系电话", "手机", "电话"),
        note=gettext_lazy("11 位手机号码，或带区号的固定电话"),
        example="13800138000",
    ),
    Column(
        "category",
        gettext_lazy("人员类别"),
        example=str(Person.Category.STAFF.label),
        choices=lambda: [str(label) for label in Person.Category.labels],
    ),
    Column(
        "staffing",
        gettext_lazy("编制情况"),
        ("编制", "编制类型", "编制性质", "用工形式"),
        example="在编",
        choices=_code_names("staffing"),
    ),
    Column(
        "institution",
        gettext_lazy("所在机构"),
        ("机构", "单位", "工作单位", "机构名称", "所在单位"),
        note=gettext_lazy("本院人员可不填；全称、简称或别名均可"),
        example="上海市宝山区中心医院",
    ),
    Column(
        "department", gettext_lazy("所在科室"), ("科室", "部门", "科室名称"), example="心血管内科"
    ),
    Column("position", gettext_lazy("职务/岗位"), ("职务", "岗位", "职务岗位"), example="主治医师"),
    Column(
        "work_start_on",
        gettext_lazy("参加工作时间"),
        ("参加工作日期", "参工时间", "参加工作年月", "工作时间", "参加工作"),
        example=datetime.date(2012, 8, 1),
        is_date=True,
    ),
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
        note=gettext_lazy("本科、大专、硕士研究生等均可"),
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
        "personnel_category",
        gettext_lazy("从事专业类别"),
        ("卫生人员类别", "专业类别"),
        example="执业医师",
        choices=_code_names("personnel_category"),
    ),
    Column(
        "title",
        gettext_lazy("现职称"),
        ("职称", "专业技术职务", "专业技术资格"),
        note=gettext_lazy("住院医师、主管护师等常用写法均可"),
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
        "licence_category",
        gettext_lazy("执业类别"),
        ("医师执业类别",),
        example="临床",
        choices=lambda: [str(label) for label in LICENCE_CATEGORIES.labels],
    ),
    Column(
        "licence_number",
        gettext_lazy("执业证书编号"),
        ("执业证号", "执业证书号", "执业证编号"),
        example="110310000012345",
    ),
    Column("licence_scope", gettext_lazy("执业范围"), example="内科专业"),
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
# What an education record is made of besides its level.
_EDUCATION_PARTS = ("degree", "school", "major", "graduated_on")
# A licence's category for the people whose licence is a nurse's (注册护士, 助产士).
_NURSE_LICENCE, _NURSING_CATEGORIES = LICENCE_CATEGORIES.NURSING.value, {"21", "22"}


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


def named_person(
    context: ImportContext,
    values: dict[str, Any],
    key: str,
    of_user: Callable[[Any], QuerySet[Person]],
    missing: object,
) -> Person:
    """The person a row names in column `key`, told from namesakes by the row's identity
    number, among those the API offers the user."""
    return records.person(
        offered(context, of_user, Person.objects.all()),
        values[key],
        key,
        missing,
        id_number=values["id_number"],
    )


@dataclass
class Lookups:
    sex: Lookup
    ethnicity: Lookup
    political_status: Lookup
    staffing: Lookup
    education: Lookup
    degree: Lookup
    title: Lookup
    personnel_category: Lookup
    source: Lookup
    category: Lookup
    licence_category: Lookup
    sex_codes: dict  # id -> code ("1", "2")
    sex_ids: dict  # code -> id
    practice_ids: dict  # 执业类别 code ("1"–"4") -> id, for the person's practice category
    personnel_codes: dict  # id -> code, to tell a nurse's licence
    title_grades: dict
    institution_lookup: Lookup  # by name, short name, code or alias; only those the user may edit
    # (name, id) of every name and alias, for a loose match
    institution_names: list[tuple[str, int]]
    departments: dict[tuple[int, str], int]  # (institution id, cleaned name) -> id
    default_institution: int | None  # for rows that leave the institution out

    @classmethod
    def build(cls, context) -> "Lookups":
        institutions: list[tuple[str, str, int]] = []  # (text, name, id) for a Lookup
        names: list[tuple[str, int]] = []
        for pk, name, short, code, aliases in context.institutions.values_list(
            "pk", "name", "short_name", "code", "aliases"
        ):
            institutions.append((name, short or name, pk))
            if code:
                institutions.append((code, name, pk))
            others = [line.strip() for line in aliases.splitlines() if line.strip()]
            institutions.extend((alias, alias, pk) for alias in others)
            names.extend((text, pk) for text in {name, short, *others} if text)
        departments: dict[tuple[int, str], int] = {}
        for pk, institution, name in Department.objects.filter(
            institution__in=context.institutions
        ).values_list("pk", "institution_id", "name"):
            departments.setdefault((institution, cleaning.code_key(name)), pk)
        sex_codes = dict(Code.objects.filter(table__key="sex").values_list("id", "code"))
        titles = Code.objects.filter(table__key="title", parent__isnull=False)
        licence_choices = [(value, label, value) for value, label in LICENCE_CATEGORIES.choices]
        return cls(
            sex=code_lookup("sex", suffixes=("性",)),
            ethnicity=code_lookup("ethnicity", suffixes=("族",)),
            political_status=code_lookup("political_status"),
            staffing=code_lookup("staffing"),
            education=code_lookup("education", leaves_only=True),
            # A level alone (学士, 硕士) is a degree too: the subject is merely unknown.
            degree=code_lookup("degree", suffixes=("学位",)),
            title=code_lookup("title", leaves_only=True),
            personnel_category=code_lookup("personnel_category"),
            source=code_lookup("person_source"),
            category=Lookup((value, label, value) for value, label in Person.Category.choices),
            # A licence's category, by its own labels and by the 医师执业类别 code table's
            # names and synonyms (the same codes 1–4), or a nurse's.
            licence_category=Lookup(
                licence_choices + [(v, f"{label}类别", v) for v, label, _v in licence_choices],
                {
                    **{
                        text: code
                        for text, code in Synonym.objects.filter(
                            table__key="practice_category", personnel_category=None
                        ).values_list("text", "code__code")
                    },
                    **{"护士": _NURSE_LICENCE, "护理": _NURSE_LICENCE, "护士执业": _NURSE_LICENCE},
                },
            ),
            sex_codes=sex_codes,
            sex_ids={code: pk for pk, code in sex_codes.items()},
            practice_ids=dict(
                Code.objects.filter(table__key="practice_category").values_list("code", "id")
            ),
            personnel_codes=dict(
                Code.objects.filter(table__key="personnel_category").values_list("id", "code")
            ),
            title_grades={title.pk: title.grade for title in titles},
            institution_lookup=Lookup(institutions),
            institution_names=names,
            departments=departments,
            default_institution=context.default_institution,
        )


@dataclass
class Draft:
    """A valid row of someone already on file, read into ids and Python values."""

    row: int
    name: str
    id_number: str
    values: dict


@dataclass
class RosterPayload:
    values: dict = field(default_factory=dict)  # the cleaned columns, all rows
    new: list[int] = field(default_factory=list)  # row indexes (into values) of new people
    title_grades: dict = field(default_factory=dict)
    updates: list[dict] = field(default_factory=list)  # person id, changes, records to add

    @property
    def indexes(self) -> list[str]:
        """Blind indexes of the new people."""
        column = self.values.get("index", [])
        return [column[i] for i in self.new]

    @property
    def rows(self) -> list[int]:
        column = self.values.get("row", [])
        return [column[i] for i in self.new]


class _Columns:
    """The sheet read column by column, each distinct cell value cleaned once: a roster
    repeats its sexes, departments, titles and dates thousands of times."""

    def __init__(self, located: Located):
        self.located = located
        self.count = len(located.rows)
        self.errors: dict[int, list] = {}
        self.warnings: dict[int, list] = {}

    def clean(self, key: str, convert) -> list:
        raws = column_values(self.located, key)
        if raws is None:
            return [None] * self.count
        memo: dict = {None: None, "": None}
        bad: dict = {}
        for raw in set(raws):
            if raw not in memo:
                try:
                    memo[raw] = convert(raw)
                except cleaning.CellError as error:
                    memo[raw], bad[raw] = None, str(error)
        if bad:
            for index, raw in enumerate(raws):
                if raw in bad:
                    self.add(index, key, raw, bad[raw])
        return list(map(memo.__getitem__, raws))

    def raw(self, key: str, index: int):
        """The cell as the user typed it (男, not the id it was read as)."""
        position = self.located.positions.get(key)
        cells = self.located.rows[index][1]
        return cells[position] if position is not None and position < len(cells) else None

    def has(self, key: str) -> bool:
        return key in self.located.positions

    def add(self, index: int, key: str, raw, message: str) -> None:
        self.errors.setdefault(index, []).append((key, raw, message))

    def warn(self, index: int, key: str, message: str) -> None:
        self.warnings.setdefault(index, []).append((key, self.raw(key, index), message))


def _string(limit: int | None):
    """Text of at most `limit` characters, None when blank."""
    convert = records.text(limit)
    return lambda raw: convert(raw) or None


class NeedsCategory(str):
    """A title written as its grade only (副主任): which series it is in depends on the row's
    personnel category, so it is looked up row by row."""


def _title_of(lookup: Lookup):
    def convert(raw):
        found = lookup.get(raw)
        if found is not None:
            return found
        value = cleaning.text(raw)
        if lookup.needs_category(value):
            return NeedsCategory(value)
        raise cleaning.CellError(
            _("职称“%s”不在职称代码表（GB/T 8561）中，或只是职称系列。") % value
        )

    return convert


# 本科/学士, 研究生（硕士）, 大学本科、医学学士: a level and a degree in one cell.
_LEVEL_AND_DEGREE = re.compile(r"\s*[/／、，,（(）)]+\s*")


def _education_of(lookups: "Lookups"):
    """A cell of 学历 read as (level, degree or None): the degree when the cell gives both."""

    def convert(raw):
        found = lookups.education.get(raw)
        if found is not None:
            return found, None
        value = cleaning.text(raw)
        parts = [part for part in _LEVEL_AND_DEGREE.split(value) if part]
        if len(parts) == 2:
            level, degree = lookups.education.get(parts[0]), lookups.degree.get(parts[1])
            if level is not None and degree is not None:
                return level, degree
        raise cleaning.CellError(_("学历“%s”不在学历代码表（GB/T 4658）中。") % value)

    return convert


def _institution_of(lookups: "Lookups"):
    """By name, short name, code or alias; else the one institution whose name contains
    what was written (宝山区中心医院 in 上海市宝山区中心医院) or is contained in it."""

    def convert(raw):
        found = lookups.institution_lookup.get(raw)
        if found is not None:
            return found
        value = cleaning.text(raw)
        key = cleaning.code_key(value)
        near = {
            pk
            for name, pk in lookups.institution_names
            if (len(key) >= 4 and key in cleaning.code_key(name))
            or (len(name) >= 4 and cleaning.code_key(name) in key)
        }
        if len(near) == 1:
            return near.pop()
        raise cleaning.CellError(
            _(
                "所在机构“%s”对应不到您可以导入人员的机构：请写机构全称或简称，"
                "或在机构资料中为该机构添加这个别名。"
            )
            % value
        )

    return convert


def _masked(value: str) -> bool:
    """A number as Yicai's exports show it (**************1234): the one on file stays."""
    return "*" in value


def _id_number(raw):
    if cleaning.number_was_rounded(raw):
        raise cleaning.CellError(
            _("身份证号码被 Excel 存成了数字，末几位已丢失；请把该列设为文本后重新填写。")
        )
    value = cleaning.compact(raw)
    if _masked(value):
        if not re.fullmatch(r"\*+[0-9]{3}[0-9X]", value.upper()):
            raise cleaning.CellError(_("身份证号码格式错误。"))
        return value.upper()
    return normalise(value) or None


def _phone(raw):
    value = cleaning.text(raw)
    if _masked(value):
        return value  # as exported: the number on file stays
    try:
        return phone_number(value) or None
    except ValidationError as error:
        raise cleaning.CellError(error.messages[0]) from None


class RosterImport(Entity):
    key = "people"
    title = gettext_lazy("人才花名册")
    sheet_name = gettext_lazy("花名册")
    permission = "person.edit"
    columns = COLUMNS

    def tables(self) -> list[str]:
        return [Person._meta.db_table, *(model._meta.db_table for model, _fields in RECORDS)]

    # -- analyse: prepare, check, classify; writes nothing ---------------------------------------
    def prepare(self, context) -> "Lookups":
        return Lookups.build(context)

    def check(self, located: Located, start: int, end: int, prepared: "Lookups") -> tuple:
        """Clean and check rows[start:end]: (cleaned columns, errors and warnings by index in
        the part)."""
        cols = _Columns(dataclasses.replace(located, rows=located.rows[start:end]))
        values = self._clean_columns(cols, prepared)
        self._check_rows(cols, values, prepared)
        return values, cols.errors, cols.warnings

    def classify(self, located: Located, parts, context, prepared: "Lookups", progress) -> Plan:
        count = len(located.rows)
        plan = Plan(entity=self.key, total=count)
        progress("analyse", 0, count)
        values, errors, warnings = _joined(parts)
        rows = [number for number, _cells in located.rows]
        self._unmask(values, errors, context)
        valid = self._deduplicate(values, errors, rows)
        for index, found in sorted(errors.items()):
            plan.invalid_rows.add(rows[index])
            for key, raw, reason in found:
                plan.problems.append(self._problem(located, rows[index], key, raw, reason))
        for note in self._missing_columns(located):
            plan.notes.append(note)
        for index, found in sorted(warnings.items()):
            if index not in errors:
                for key, raw, reason in found:
                    problem = self._problem(located, rows[index], key, raw, reason)
                    plan.warn(problem.row, problem.column, problem.value, problem.reason)
        self._compare_with_file(located, valid, rows, values, plan, context, prepared)
        progress("analyse", count, count)
        return plan

    # Columns a roster often lacks: one note for the file rather than a warning a row.
    _PARTS_NOTED = (
        ("education", ("school", "graduated_on")),
        ("title", ("title_obtained_on",)),
        ("institution", ("start_on",)),
    )

    def _missing_columns(self, located: Located) -> list[Problem]:
        notes = []
        for main, parts in self._PARTS_NOTED:
            absent = [str(self.column(key).header) for key in parts if key not in located.positions]
            if main in located.positions and absent:
                notes.append(
                    Problem(
                        located.header_row,
                        "、".join(absent),
                        "",
                        _(
                            "文件中没有“%(columns)s”列：%(main)s照常导入，这些信息留空，"
                            "导入后可在人才档案中筛选“档案不完整”的人员补全。"
                        )
                        % {"columns": "”“".join(absent), "main": self.column(main).header},
                        WARNING,
                    )
                )
        return notes

    @staticmethod
    def _unmask(values, errors: dict, context) -> None:
        """Rows with an identity number as exported (masked) name someone on file: found by
        the last four digits with the name and birth date, among the people the user may
        edit; their number on file stays."""
        numbers, indexes = values["id_number"], values["index"]
        masked = [
            i for i, number in enumerate(numbers) if number and _masked(number) and i not in errors
        ]
        if not masked:
            return
        names = sorted({values["name"][i] for i in masked if values["name"][i]})
        found: dict[tuple, list] = {}
        for start in range(0, len(names), 2000):
            people = Person.objects.filter(
                name__in=names[start : start + 2000],
                id_number_last4__in={numbers[i][-4:] for i in masked},
            )
            if context.user is not None:
                people = scoped(context.user, people, "person.edit")
            for last4, name, born, index in people.values_list(
                "id_number_last4", "name", "birth_date", "id_number_index"
            ):
                found.setdefault((last4, name), []).append((born, index))
        for i in masked:
            matches = [
                index
                for born, index in found.get((numbers[i][-4:], values["name"][i]), [])
                if values["birth_date"][i] in (None, born)
            ]
            if len(matches) == 1:
                indexes[i] = matches[0]
                continue
            message = (
                _("身份证号码为脱敏号码，且对应不到唯一的人员：新增人员须填写完整的身份证号码。")
                if not matches
                else _("身份证号码为脱敏号码，有多人与之对应：请填写完整的身份证号码。")
            )
            errors.setdefault(i, []).append(("id_number", numbers[i], message))

    @staticmethod
    def _deduplicate(values, errors: dict, rows: list[int]) -> list[int]:
        """The valid rows, but for a second row with the same identity number."""
        seen: dict[str, int] = {}
        valid = []
        for i, index in enumerate(values["index"]):
            if index is None or i in errors:
                continue
            first = seen.setdefault(index, i)
            if first != i:
                message = _("与第 %s 行的身份证号码重复。") % rows[first]
                errors.setdefault(i, []).append(("id_number", values["id_number"][i], message))
                continue
            valid.append(i)
        return valid

    def _problem(self, located: Located, row: int, key: str, raw, reason: str) -> Problem:
        column = self.column(key)
        shown = cleaning.text(raw)
        if column.sensitive and shown and not _masked(shown):
            shown = pii.mask_last4(shown[-4:], len(shown))
        return Problem(row, located.headers.get(key, str(column.header)), shown, reason)

    @staticmethod
    def _clean_columns(cols: _Columns, lookups: Lookups) -> dict[str, list]:
        past = records.past_date()
        code = records.code
        education = cols.clean("education", _education_of(lookups))
        degree = cols.clean("degree", code(lookups.degree, _("学位“%s”不在学位代码表中。")))
        values = {
            "name": cols.clean("name", _string(_LENGTHS["name"])),
            "id_number": cols.clean("id_number", _id_number),
            "sex": cols.clean("sex", code(lookups.sex, _("性别“%s”无法识别，请填写 男 或 女。"))),
            "birth_date": cols.clean("birth_date", past),
            "ethnicity": cols.clean(
                "ethnicity", code(lookups.ethnicity, _("民族“%s”不在民族代码表中。"))
            ),
            "political_status": cols.clean(
                "political_status",
                code(
                    lookups.political_status, _("政治面貌“%s”不在政治面貌代码表（GB/T 4762）中。")
                ),
            ),
            "phone": cols.clean("phone", _phone),
            "category": cols.clean("category", code(lookups.category, _("人员类别“%s”无法识别。"))),
            "staffing": cols.clean("staffing", code(lookups.staffing, _("编制情况“%s”无法识别。"))),
            "personnel_category": cols.clean(
                "personnel_category",
                code(lookups.personnel_category, _("从事专业类别“%s”不在代码表中。")),
            ),
            "source": cols.clean("source", code(lookups.source, _("人才来源“%s”无法识别。"))),
            "institution": cols.clean("institution", _institution_of(lookups)),
            "department": cols.clean("department", _string(None)),
            "position": cols.clean("position", _string(_LENGTHS["position"])),
            "work_start_on": cols.clean("work_start_on", past),
            "start_on": cols.clean("start_on", past),
            "education": [pair[0] if pair else None for pair in education],
            # The degree column, or the degree a 学历 cell gave with its level (本科/学士).
            "degree": [
                given if given is not None else (pair[1] if pair else None)
                for given, pair in zip(degree, education, strict=True)
            ],
            "school": cols.clean("school", _string(_LENGTHS["school"])),
            "major": cols.clean("major", _string(_LENGTHS["major"])),
            "graduated_on": cols.clean("graduated_on", past),
            "title": cols.clean("title", _title_of(lookups.title)),
            "title_obtained_on": cols.clean("title_obtained_on", past),
            "licence_number": cols.clean(
                "licence_number",
                lambda raw: cleaning.compact(_string(_LENGTHS["licence_number"])(raw)) or None,
            ),
            "licence_category": cols.clean(
                "licence_category", code(lookups.licence_category, _("执业类别“%s”无法识别。"))
            ),
            "licence_scope": cols.clean("licence_scope", _string(_LENGTHS["licence_scope"])),
        }
        values["practice_category"] = [
            lookups.practice_ids.get(category) if category else None
            for category in values["licence_category"]
        ]
        return values

    def _check_rows(self, cols: _Columns, values, lookups: Lookups) -> None:
        """Rules across cells, row by row; a valid row gets its blind index in values."""
        name_missing, id_missing = _("请填写姓名。"), _("请填写身份证号码。")
        sex_missing, institution_missing = _("请填写性别。"), _("请填写所在机构。")
        # The message the form and the API give (the problem table shows the cell).
        not_a_department = _("科室不属于所选机构。")
        has_institution_column = cols.has("institution")
        names, ids, sexes, births = (
            values["name"],
            values["id_number"],
            values["sex"],
            values["birth_date"],
        )
        institutions, departments = values["institution"], values["department"]
        sex_codes, department_ids = lookups.sex_codes, lookups.departments
        default_institution = lookups.default_institution
        department_keys: dict[str, str] = {}
        errors = cols.errors
        encrypt, blind_index = pii.bulk_functions()
        initials, pinyin, phones = services.name_initials, services.name_pinyin, values["phone"]
        indexes: list[str | None] = [None] * cols.count
        sealed: list[tuple | None] = [None] * cols.count
        for i in range(cols.count):
            bad = errors.get(i, ())
            keys = {error[0] for error in bad}
            if not names[i] and "name" not in keys:
                cols.add(i, "name", "", name_missing)
            number = ids[i]
            if number is None and "id_number" not in keys:
                cols.add(i, "id_number", "", id_missing)
            masked = number is not None and _masked(number)
            if number is not None and not masked:
                for key, message in identity_errors(
                    number, births[i], sex_codes.get(sexes[i])
                ).items():
                    cols.add(i, key, cols.raw(key, i) if key != "id_number" else number, message)
                    keys.add(key)
                if "id_number" not in keys:
                    # Left blank, they are read from the number (its checks passed).
                    born, sex = encoded(number)
                    if births[i] is None:
                        births[i] = born
                    if sexes[i] is None and "sex" not in keys:
                        sexes[i] = lookups.sex_ids.get(sex)
            if sexes[i] is None and "sex" not in keys and not masked:
                cols.add(i, "sex", "", sex_missing)
            institution = institutions[i]
            if institution is None and "institution" not in keys:
                institution = institutions[i] = default_institution
                if institution is None and (
                    has_institution_column or departments[i] or values["start_on"][i]
                ):
                    cols.add(i, "institution", "", institution_missing)
            department = departments[i]
            if department is not None and institution is not None:
                department_key = department_keys.get(department)
                if department_key is None:  # a roster names its few departments thousands of times
                    department_key = department_keys[department] = cleaning.code_key(department)
                found = department_ids.get((institution, department_key))
                if found is None:
                    cols.add(i, "department", department, not_a_department)
                departments[i] = found
            self._resolve_title(cols, values, lookups, i)
            self._incomplete(cols, values, lookups, i)
            if i not in errors and not masked:
                indexes[i] = blind_index(number)
                # Sealed here, where big sheets are split over two processes, so the commit
                # only lays out rows.
                phone = phones[i] or ""
                sealed[i] = (
                    encrypt(number),
                    encrypt("" if _masked(phone) else phone),
                    initials(names[i]),
                    pinyin(names[i]),
                )
        values["index"], values["sealed"] = indexes, sealed

    @staticmethod
    def _resolve_title(cols: _Columns, values, lookups: Lookups, i: int) -> None:
        title = values["title"][i]
        if not isinstance(title, NeedsCategory):
            return
        category = values["personnel_category"][i]
        found = lookups.title.get(title, category)
        values["title"][i] = found
        if found is None:
            cols.add(
                i,
                "title",
                title,
                _(
                    "职称“%s”只写了级别，须按从事专业类别确定系列（医师、护师、药师、技师）："
                    "请填写从事专业类别，或写全职称名称（如 副主任医师）。"
                )
                % title,
            )

    def _incomplete(self, cols: _Columns, values, lookups: Lookups, i: int) -> None:
        """What a row leaves out is told, not refused: a record is imported with what it has
        (an education without its school, a title without its date), and parts that cannot
        stand without their record (a school without an education) are left out, saying so.
        A complete row passes a few tests and nothing more (imports check 100,000 rows)."""
        if values["education"][i] is not None:
            absent = [
                key for key in ("school", "graduated_on") if cols.has(key) and not values[key][i]
            ]
            if absent:
                self._missing(cols, i, "education", absent)
        else:
            orphans = [key for key in _EDUCATION_PARTS if values[key][i]]
            if orphans and not cleaning.text(cols.raw("education", i)):
                self._left_out(cols, values, i, "education", orphans)
        if values["title"][i] is not None:
            if cols.has("title_obtained_on") and values["title_obtained_on"][i] is None:
                self._missing(cols, i, "title", ["title_obtained_on"])
        elif values["title_obtained_on"][i] is not None and not cleaning.text(cols.raw("title", i)):
            self._left_out(cols, values, i, "title", ["title_obtained_on"])
        if values["licence_number"][i]:
            if values["licence_category"][i] is None:
                category = lookups.personnel_codes.get(values["personnel_category"][i])
                if category in _NURSING_CATEGORIES:
                    values["licence_category"][i] = _NURSE_LICENCE
                else:
                    cols.warn(
                        i,
                        "licence_number",
                        _(
                            "缺执业类别，执业证书未导入：请填写执业类别（临床、口腔、公共卫生、中医、护士）。"
                        ),
                    )
                    values["licence_number"][i] = values["licence_scope"][i] = None
        elif values["licence_scope"][i]:
            self._left_out(cols, values, i, "licence_number", ["licence_scope"])
        if (
            values["start_on"][i] is None
            and values["institution"][i] is not None
            and cols.has("start_on")
        ):
            self._missing(cols, i, "start_on", ["start_on"])

    def _missing(self, cols: _Columns, i: int, key: str, absent: list[str]) -> None:
        parts = "、".join(str(self.column(part).header) for part in absent)
        cols.warn(i, key, _("缺%s（照常导入，可稍后补全）。") % parts)

    def _left_out(self, cols: _Columns, values, i: int, main: str, parts: list[str]) -> None:
        named = "、".join(str(self.column(part).header) for part in parts)
        cols.warn(
            i,
            parts[0],
            _("未填%(main)s，%(parts)s未导入。")
            % {"main": self.column(main).header, "parts": named},
        )
        for part in parts:
            values[part][i] = None

    # -- classify: new, updated, unchanged; conflicts with what is stored ------------------------
    def _compare_with_file(self, located, valid, rows, values, plan: Plan, context, lookups):
        bulk = BulkWriter()
        indexes = values["index"]
        existing = bulk.existing(Person, "id_number_index", [indexes[i] for i in valid])
        editable = set(existing.values())
        if context.user is not None and editable:
            editable = set(
                scoped(
                    context.user, Person.objects.filter(pk__in=editable), "person.edit"
                ).values_list("pk", flat=True)
            )
        numbers, categories = values["licence_number"], values["licence_category"]
        licence_owner = self._licence_owners(bulk, [numbers[i] for i in valid if numbers[i]])
        current = _Current.load([pk for pk in existing.values() if pk in editable])
        values["row"] = rows
        payload = RosterPayload(values=values, title_grades=lookups.title_grades)
        claimed: dict[tuple[str, str], int] = {}
        elsewhere = _("该身份证号码已存在于其他机构的人才档案中，您无权通过导入修改。")
        taken = _("该执业证书编号已登记在另一人名下。")
        for i in valid:
            row = rows[i]
            person_id = existing.get(indexes[i])
            licence = (categories[i], numbers[i]) if numbers[i] else None
            problem = None
            if person_id is not None and person_id not in editable:
                problem = ("id_number", values["id_number"][i], elsewhere)
            elif licence is not None:
                owner = licence_owner.get(licence)
                if owner is not None and owner != person_id:
                    problem = ("licence_number", numbers[i], taken)
                elif licence in claimed:
                    problem = (
                        "licence_number",
                        numbers[i],
                        _("与第 %s 行的执业证书编号重复。") % claimed[licence],
                    )
            if problem is not None:
                plan.invalid_rows.add(row)
                plan.problems.append(self._problem(located, row, *problem))
                continue
            if licence is not None:
                claimed[licence] = row
            if person_id is None:
                payload.new.append(i)
                plan.new += 1
                continue
            draft = Draft(
                row,
                values["name"][i],
                values["id_number"][i],
                {key: column[i] for key, column in values.items()},
            )
            update = current.changes(person_id, draft)
            if update:
                payload.updates.append(update)
                plan.updated += 1
            else:
                plan.unchanged += 1
        plan.problems.sort(key=lambda problem: problem.row)
        plan.payload = payload

    @staticmethod
    def _licence_owners(bulk: BulkWriter, numbers: list[str]) -> dict[tuple[str, str], int]:
        rows = bulk.rows_where_in(Licence, ("category", "number", "person"), "number", numbers)
        return {(category, number): person for category, number, person in rows}

    # -- commit: inside the caller's transaction ------------------------------------------------
    def commit(self, plan: Plan, context, progress: Progress) -> dict[str, int]:
        payload = plan.payload
        if not isinstance(payload, RosterPayload):
            raise TypeError("a roster plan carries a RosterPayload")
        bulk = BulkWriter()
        if bulk.existing(Person, "id_number_index", payload.indexes):
            raise StalePlan(_("导入预览之后，已有其他人录入了部分人员，请重新预览。"))
        total, written = len(payload.new) + len(payload.updates), 0
        ids = bulk.allocate_ids(Person, len(payload.new))
        layout = _Layout(payload, sqlite=bulk.sqlite)
        batches = [
            (payload.new[start : start + BATCH], ids[start : start + BATCH])
            for start in range(0, len(ids), BATCH)
        ]
        for batch in batches:
            people, records = layout.rows(*batch)
            bulk.insert(Person, PERSON_FIELDS, people)
            for (model, fields), rows in zip(RECORDS, records, strict=True):
                bulk.insert(model, fields, rows)
            written += len(people)
            progress("commit", written, total)
        if ids:
            audit.record(
                AuditEntry.Event.IMPORT,
                summary=_("导入新建人才档案 %s 人") % len(ids),
                data={
                    "人员编号": _ranges(ids),
                    "来源行": _ranges(payload.rows),
                    **context.describe(),
                },
                action=AuditEntry.Action.CREATE,
            )
        for update in payload.updates:
            self._apply(update)
            written += 1
            progress("commit", written, total)
        return {"created": len(ids), "updated": len(payload.updates)}

    @staticmethod
    def _apply(update: dict) -> None:
        """An existing person: changed through the services, as an edit on the page is."""
        person = Person.objects.select_for_update().get(pk=update["person"])
        if update["fields"] or update.get("phone") is not None:
            services.person_update(person=person, phone=update.get("phone"), **update["fields"])
        for kind, values in update["records"]:
            RECORD_ADDERS[kind](person=person, **values)


BATCH = 5000


def _joined(parts: list[tuple[int, tuple]]) -> tuple[dict, dict, dict]:
    """The checked parts of a sheet as one: columns end to end, errors and warnings by index
    in the sheet."""
    if len(parts) == 1:
        return parts[0][1]
    values: dict[str, list] = {}
    errors: dict[int, list] = {}
    warnings: dict[int, list] = {}
    for start, (part_values, part_errors, part_warnings) in parts:
        for key, column in part_values.items():
            values.setdefault(key, []).extend(column)
        errors.update({start + index: found for index, found in part_errors.items()})
        warnings.update({start + index: found for index, found in part_warnings.items()})
    return values, errors, warnings


_DATE_KEYS = ("birth_date", "work_start_on", "start_on", "title_obtained_on", "graduated_on")


class _Layout:
    """New people and their records as table rows, with the summary columns
    `profile_refresh` would compute from those records. Pure Python, no database; rows are
    put together column by column (zip builds the tuples), not cell by cell."""

    def __init__(self, payload: RosterPayload, *, sqlite: bool):
        self.values = payload.values
        self.grades = payload.title_grades
        # SQLite stores dates as text: converting them here spares the database driver a
        # Python adapter call per value.
        self.sqlite = sqlite
        # Dates as text, each distinct one converted once.
        self.iso = {None: None}
        for key in _DATE_KEYS if sqlite else ():
            self.iso.update((day, day.isoformat()) for day in set(self.values[key]) - {None})
        now = timezone.now()
        self.stamp = connection.ops.adapt_datetimefield_value(now) if sqlite else now

    def rows(self, indexes: list[int], ids: list[int]) -> tuple[list[tuple], list[list[tuple]]]:
        first = indexes[0] if indexes else 0
        contiguous = indexes == list(range(first, first + len(indexes)))

        def column(key: str) -> list:
            values = self.values[key]
            if contiguous:  # every row new: the usual case
                return values[first : first + len(indexes)]
            return list(map(values.__getitem__, indexes))

        def dates(key: str) -> list:
            values = column(key)
            return list(map(self.iso.__getitem__, values)) if self.sqlite else values

        def blank(values: list) -> list:  # text columns store "" rather than NULL
            return [value or "" for value in values]

        numbers, titles = column("id_number"), column("title")
        phones = ["" if not phone or _masked(phone) else phone for phone in column("phone")]
        number_ciphers, phone_ciphers, initials, pinyins = zip(*column("sealed"), strict=True)
        places, departments = column("institution"), column("department")
        positions, levels = blank(column("position")), column("education")
        grades = [self.grades.get(title, "") if title else "" for title in titles]
        staff, stamps = Person.Category.STAFF, [self.stamp] * len(ids)
        people = list(
            zip(
                ids,
                column("name"),
                initials,
                pinyins,
                column("sex"),
                dates("birth_date"),
                column("ethnicity"),
                number_ciphers,
                column("index"),
                [number[-4:] for number in numbers],
                phone_ciphers,
                [phone[-4:] for phone in phones],
                [category or staff for category in column("category")],
                column("source"),
                column("personnel_category"),
                places,
                departments,
                positions,
                levels,
                titles,
                grades,
                column("practice_category"),
                column("political_status"),
                column("staffing"),
                dates("work_start_on"),
                stamps,
                stamps,
                strict=True,
            )
        )
        nothing = [None] * len(ids)
        started = dates("start_on")
        # Everyone has their post, with its start date when the sheet gives it.
        appointments = [
            row
            for row in zip(ids, places, departments, positions, started, nothing, strict=True)
            if row[1] is not None
        ]
        obtained = dates("title_obtained_on")
        title_rows = [
            row for row in zip(ids, titles, grades, obtained, nothing, strict=True) if row[1]
        ]
        educations = [
            (*row, True)
            for row in zip(
                ids,
                levels,
                column("degree"),
                blank(column("school")),
                blank(column("major")),
                dates("graduated_on"),
                strict=True,
            )
            if row[1]
        ]
        licences = [
            row
            for row in zip(
                ids,
                column("licence_number"),
                column("licence_category"),
                blank(column("licence_scope")),
                places,
                nothing,
                nothing,
                strict=True,
            )
            if row[1]
        ]
        records = {
            Appointment: appointments,
            TitleRecord: title_rows,
            Education: educations,
            Licence: licences,
        }
        return people, [records.get(model, []) for model, _fields in RECORDS]


def _ranges(numbers: list[int]) -> str:
    """1-3,7,9-10: a compact list of ids for the audit entry."""
    parts: list[str] = []
    start: int | None = None
    previous = 0
    for number in numbers:
        if start is not None and number == previous + 1:
            previous = number
            continue
        if start is not None:
            parts.append(f"{start}-{previous}" if previous != start else str(start))
        start = previous = number
    if start is not None:
        parts.append(f"{start}-{previous}" if previous != start else str(start))
    return ",".join(parts)


def _fill(model):
    def fill(*, person, pk, **values):
        services.record_update(record=model.objects.get(person=person, pk=pk), **values)

    return fill


RECORD_ADDERS = {
    "education": services.education_add,
    "title": services.title_add,
    "licence": services.licence_add,
    "appointment": services.appointment_add,
    "education_fill": _fill(Education),
    "title_fill": _fill(TitleRecord),
    "appointment_fill": _fill(Appointment),
}


class _Current:
    """What is on file for the people a sheet names, loaded in a few queries."""

    # Person fields a row may change (a blank cell changes nothing), by column in values().
    FIELDS = {
        "name": "name",
        "sex": "sex_id",
        "birth_date": "birth_date",
        "ethnicity": "ethnicity_id",
        "political_status": "political_status_id",
        "category": "category",
        "staffing": "staffing_id",
        "source": "source_id",
        "personnel_category": "personnel_category_id",
        "practice_category": "practice_category_id",
        "institution": "institution_id",
        "department": "department_id",
        "position": "position",
        "work_start_on": "work_start_on",
    }

    def __init__(self) -> None:
        self.people: dict[int, dict] = {}
        self.educations: dict[int, list] = {}  # person -> [(pk, level, school, graduated_on)]
        self.titles: dict[int, list] = {}  # person -> [(pk, title, obtained_on)]
        self.licences: dict[int, set] = {}
        self.open_posts: dict[int, tuple] = {}  # person -> (pk, institution, start_on)

    @classmethod
    def load(cls, ids: list[int]) -> "_Current":
        current = cls()
        fields = ("pk", "phone_cipher", *cls.FIELDS.values())
        for start in range(0, len(ids), 5000):
            chunk = ids[start : start + 5000]
            for row in Person.objects.filter(pk__in=chunk).values_list(*fields):
                current.people[row[0]] = dict(zip(fields, row, strict=True))
            for person, *record in Education.objects.filter(person__in=chunk).values_list(
                "person_id", "pk", "level_id", "school", "graduated_on"
            ):
                current.educations.setdefault(person, []).append(tuple(record))
            for person, *record in TitleRecord.objects.filter(person__in=chunk).values_list(
                "person_id", "pk", "title_id", "obtained_on"
            ):
                current.titles.setdefault(person, []).append(tuple(record))
            for person, *key in Licence.objects.filter(person__in=chunk).values_list(
                "person_id", "category", "number"
            ):
                current.licences.setdefault(person, set()).add(tuple(key))
            for person, *post in (
                Appointment.objects.filter(person__in=chunk, end_on__isnull=True)
                .order_by(F("start_on").asc(nulls_first=True), "id")  # the latest wins
                .values_list("person_id", "pk", "institution_id", "start_on")
            ):
                current.open_posts[person] = tuple(post)
        return current

    def changes(self, person_id: int, draft: Draft) -> dict | None:
        """What the row would change: person fields (blank cells change nothing), records the
        person does not have yet, and what the row adds to an incomplete record of theirs
        (the school and date of an education a roster gave as 本科 only). None when the row
        matches what is on file."""
        stored = self.people[person_id]
        values = draft.values
        fields: dict[str, Any] = {}  # field name -> the row's value (an instance for a key)
        for name, column in self.FIELDS.items():
            value = draft.name if name == "name" else values[name]
            if value not in (None, "") and stored[column] != value:
                fields[name] = value
        for name in fields:
            if self.FIELDS[name].endswith("_id"):
                fields[name] = _instance(name, fields[name])
        if "institution" in fields and "department" not in fields and stored["department_id"]:
            fields["department"] = None  # the old department belongs to the old institution
        phone = values["phone"]
        phone_change = None
        if (
            phone
            and not _masked(phone)
            and (not stored["phone_cipher"] or pii.decrypt(stored["phone_cipher"]) != phone)
        ):
            phone_change = phone
        records = [*self._education(person_id, values), *self._title(person_id, values)]
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
                        "scope": values["licence_scope"] or "",
                    },
                )
            )
        post = self.open_posts.get(person_id)
        if post is not None:
            pk, institution, start_on = post
            if (
                start_on is None
                and values["start_on"]
                and values["institution"] in (None, institution)
            ):
                records.append(("appointment_fill", {"pk": pk, "start_on": values["start_on"]}))
        elif values["institution"]:
            records.append(
                (
                    "appointment",
                    {
                        "institution": _instance("institution", values["institution"]),
                        "department": _instance("department", values["department"]),
                        "position": values["position"] or "",
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

    def _education(self, person_id: int, values) -> list:
        level = values["education"]
        if not level:
            return []
        school, graduated_on = values["school"] or "", values["graduated_on"]
        same_level = [record for record in self.educations.get(person_id, []) if record[1] == level]
        for _pk, _level, stored_school, stored_on in same_level:
            if school in ("", stored_school) and graduated_on in (None, stored_on):
                return []  # on file already, as complete as the row or more
        for pk, _level, stored_school, stored_on in same_level:
            if stored_school in ("", school) and stored_on in (None, graduated_on):
                filled = {"school": school, "graduated_on": graduated_on}
                if values["degree"]:
                    filled["degree"] = _code(values["degree"])
                if values["major"]:
                    filled["major"] = values["major"]
                return [("education_fill", {"pk": pk, **filled})]
        return [
            (
                "education",
                {
                    "level": _code(level),
                    "degree": _code(values["degree"]),
                    "school": school,
                    "major": values["major"] or "",
                    "graduated_on": graduated_on,
                },
            )
        ]

    def _title(self, person_id: int, values) -> list:
        title, obtained_on = values["title"], values["title_obtained_on"]
        if not title:
            return []
        same = [record for record in self.titles.get(person_id, []) if record[1] == title]
        if any(obtained_on in (None, stored_on) for _pk, _title, stored_on in same):
            return []
        undated = [pk for pk, _title, stored_on in same if stored_on is None]
        if undated:
            return [("title_fill", {"pk": undated[0], "obtained_on": obtained_on})]
        return [("title", {"title": _code(title), "obtained_on": obtained_on})]


def _code(pk):
    return Code.objects.get(pk=pk) if pk else None


def _instance(name: str, pk: int | None) -> Institution | Department | Code | None:
    if pk is None:
        return None
    if name == "institution":
        return Institution.objects.get(pk=pk)
    if name == "department":
        return Department.objects.get(pk=pk)
    return Code.objects.get(pk=pk)
