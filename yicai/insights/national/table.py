"""The table's columns, in its order, and how each is filled from a person's records as they
stood on the day the table is made for; which columns the table requires of whom. Pure: the
records come prefetched (`yicai.insights.national.queries`).

The columns and their order are those of the 卫统 direct-reporting system's export of the
table (卫生人力基本信息调查表, 表号 卫统1-2表, now 卫健统1-2表), preceded by the institution's code
and name; codes are the national tables Yicai keeps (yicai/codes/fixtures/SOURCES.md), dates
are YYYYMMDD as the system writes them. A column whose code list Yicai does not keep carries
the value as recorded; a column Yicai does not record is left empty. docs/national-table.md
gives the sources, column by column.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from yicai.people.models import GRADE_RANK, Appointment, Education, Licence, Person, TitleRecord

# 从事专业类别代码 of the people the table asks a physician's licence of: 执业医师, 执业助理医师.
PHYSICIANS = frozenset({"11", "12"})
# 卫生技术人员 (physicians, nurses, pharmacists, technicians, health inspectors, 69 other health
# technical staff), of whom the table asks a title: 11–50 and 69. Not 60 乡村医生, 70 其他技术人员,
# 80 管理人员, 90 工勤技能人员.
HEALTH_TECHNICAL = frozenset(
    {"11", "12", "13", "21", "22", "31", "32", "41", "42", "43", "44", "50", "69"}
)
# A physician's licence categories (医师执业类别代码 1 临床, 2 口腔, 3 公共卫生, 4 中医); 9 is
# Yicai's own value for a nurse's licence, which this layout has no column for.
PHYSICIAN_LICENCES = frozenset({"1", "2", "3", "4"})
# Yicai records resident identity numbers only (GB 11643, people.identity); the table's code
# list of identity documents is not among Yicai's tables, so the kind is written out.
RESIDENT_IDENTITY_CARD = "居民身份证"


# The table's name, as the statistics system gives it.
TITLE = "卫生人力基本信息调查表"


def file_name(day: datetime.date) -> str:
    """An export's file (and sheet) name: the table's, with its day."""
    return f"{TITLE}（{national_date(day)}）"


def national_date(day: datetime.date | None) -> str:
    """A date as the table writes it: YYYYMMDD (20131125)."""
    return day.strftime("%Y%m%d") if day else ""


@dataclass(frozen=True)
class Held:
    """A person as their records stood on the table's day: the post that places them (its
    institution and department), the highest education, the highest title obtained and the
    highest appointed to (聘), a physician's practising licence in force, and their identity
    and phone numbers as the reader may see them (in full or masked)."""

    person: Person
    post: Appointment
    education: Education | None
    title: TitleRecord | None
    appointed: TitleRecord | None
    licence: Licence | None
    id_number: str
    phone: str

    @property
    def category(self) -> str:
        """The 从事专业类别代码, "" when none is recorded."""
        category = self.person.personnel_category
        return category.code if category is not None else ""

    @property
    def physician(self) -> bool:
        return self.category in PHYSICIANS

    @property
    def health_technical(self) -> bool:
        return self.category in HEALTH_TECHNICAL


def held_on(
    person: Person,
    posts: Iterable[Appointment],
    educations: Iterable[Education],
    titles: Iterable[TitleRecord],
    licences: Iterable[Licence],
    *,
    day: datetime.date,
    id_number: str,
    phone: str,
) -> Held | None:
    """What the table reads of a person from the records in force on `day` (the queries give
    only those): None for a person with no post that day, who is not in the table."""
    post = max(posts, key=_latest_post, default=None)
    if post is None:
        return None
    titles = list(titles)
    appointed = [t for t in titles if t.appointed_on is not None and t.appointed_on <= day]
    return Held(
        person=person,
        post=post,
        education=min(educations, key=_highest_education, default=None),
        title=max(titles, key=_highest_title, default=None),
        appointed=max(appointed, key=_highest_title, default=None),
        licence=max(
            (lic for lic in licences if lic.category in PHYSICIAN_LICENCES),
            key=lambda lic: (lic.issued_on or datetime.date.min, lic.pk),
            default=None,
        ),
        id_number=id_number,
        phone=phone,
    )


def _latest_post(post: Appointment) -> tuple[datetime.date, int]:
    # Two posts at once (a move recorded without its end): the one begun last; an undated one
    # only when no other is dated.
    return (post.start_on or datetime.date.min, post.pk)


def _highest_education(education: Education) -> tuple[str, int, int]:
    # GB/T 4658 numbers the levels from the highest (11 博士研究生毕业 before 21 大学本科毕业), as
    # the profile's highest education does (people.services.profile_refresh); among equals
    # the latest graduated, an undated one last.
    graduated = education.graduated_on.toordinal() if education.graduated_on else 0
    return (education.level.code, -graduated, -education.pk)


def _highest_title(title: TitleRecord) -> tuple[int, datetime.date, int]:
    # As the profile's current title: the highest grade, among equals the latest obtained.
    return (GRADE_RANK.get(title.grade, 0), title.obtained_on or datetime.date.min, title.pk)


# Who a column is required of.
Need = Callable[[Held], bool]


def everyone(held: Held) -> bool:
    return True


def physicians(held: Held) -> bool:
    return held.physician


def health_technical(held: Held) -> bool:
    return held.health_technical


def _empty(held: Held) -> str:
    return ""


def _code(code: object) -> str:
    return str(getattr(code, "code", "")) if code is not None else ""


@dataclass(frozen=True)
class Column:
    """A column: its key (the API's), the heading the national system gives it (exported and
    shown as the system spells it, in any language), how it is filled, of whom it is required
    (None: of nobody), and whether Yicai records it at all (not: always empty)."""

    key: str
    heading: str
    value: Callable[[Held], str] = _empty
    required: Need | None = None
    recorded: bool = True


def _licence(held: Held) -> Licence | None:
    return held.licence


COLUMNS: tuple[Column, ...] = (
    Column("institution_code", "机构编码", lambda h: h.post.institution.code),
    Column("institution_name", "机构名称", lambda h: h.post.institution.name),
    Column("name", "姓名", lambda h: h.person.name, everyone),
    Column(
        "id_kind",
        "身份证件种类",
        lambda h: RESIDENT_IDENTITY_CARD if h.person.id_number_cipher else "",
        everyone,
    ),
    Column("id_number", "身份证件号码", lambda h: h.id_number, everyone),
    Column("birth_date", "出生日期", lambda h: national_date(h.person.birth_date), everyone),
    Column("sex", "性别代码", lambda h: _code(h.person.sex), everyone),
    Column("ethnicity", "民族代码", lambda h: _code(h.person.ethnicity), everyone),
    Column(
        "work_start_on", "参加工作日期", lambda h: national_date(h.person.work_start_on), everyone
    ),
    Column("office_phone", "办公室电话号码", recorded=False),
    Column("phone", "手机号码", lambda h: h.phone),
    # The national department codes are not among Yicai's tables, nor on its departments.
    Column("department_code", "所在科室代码", required=everyone, recorded=False),
    Column(
        "department_name",
        "科室实际名称",
        lambda h: h.post.department.name if h.post.department else "",
        everyone,
    ),
    Column(
        "personnel_category",
        "从事专业类别代码",
        lambda h: _code(h.person.personnel_category),
        everyone,
    ),
    Column(
        "licence_number",
        "医师/卫生监督员执业证书编码",
        lambda h: lic.number if (lic := _licence(h)) else "",
        physicians,
    ),
    Column(
        "practice_category",
        "医师执业类别代码",
        lambda h: lic.category if (lic := _licence(h)) else _code(h.person.practice_category),
        physicians,
    ),
    # The 执业范围 code list is not among Yicai's tables: the scope as recorded.
    Column(
        "practice_scope",
        "医师执业范围代码",
        lambda h: lic.scope if (lic := _licence(h)) else "",
        physicians,
    ),
    Column("multi_site", "是否多地点执业医师", recorded=False),
    Column("second_site_kind", "第2执业单位的机构类别", recorded=False),
    Column("third_site_kind", "第3执业单位的机构类别", recorded=False),
    Column("residency_certified", "是否获得国家住院医师规范化培训合格证书", recorded=False),
    Column("residency_certificate", "住院医师规范化培训合格证书编码", recorded=False),
    # A post's 职务/岗位 mixes posts (主治医师) with offices (科主任); the table's office codes are
    # not among Yicai's tables.
    Column("office", "行政/业务管理职务代码", recorded=False),
    Column(
        "qualification",
        "专业技术资格(评)代码",
        lambda h: h.title.title.code if h.title else "",
        health_technical,
    ),
    Column(
        "appointed_title",
        "专业技术职务(聘)代码",
        lambda h: str(h.appointed.title.attrs.get("cv08_30_005", "")) if h.appointed else "",
        health_technical,
    ),
    Column(
        "education", "学历代码", lambda h: h.education.level.code if h.education else "", everyone
    ),
    Column(
        "degree",
        "学位代码",
        lambda h: _code(h.education.degree) if h.education else "",
        everyone,
    ),
    # The 所学专业 code list is not among Yicai's tables: the major as recorded.
    Column("major", "所学专业代码", lambda h: h.education.major if h.education else "", everyone),
    Column("specialty_1", "专科特长1", recorded=False),
    Column("specialty_2", "专科特长2", recorded=False),
    Column("specialty_3", "专科特长3", recorded=False),
    Column("movement", "年内人员流动情况", recorded=False),
    Column("moved_on", "调入/调出时间", recorded=False),
    # Yicai's own 编制情况 dictionary, not the table's codes: the name as recorded.
    Column(
        "staffing",
        "编制情况",
        lambda h: h.person.staffing.name if h.person.staffing else "",
        everyone,
    ),
    Column("general_practice", "是否注册为全科医学专业", recorded=False),
    Column("general_practice_training", "全科医生取得培训合格证书情况", recorded=False),
    Column("village_posting", "是否由乡镇卫生院或社区卫生服务机构派驻村卫生室工作", recorded=False),
    Column("statistics_work", "是否从事统计信息化业务工作", recorded=False),
    Column("statistics_work_kind", "统计信息化业务工作", recorded=False),
)
HEADINGS = [column.heading for column in COLUMNS]
BY_KEY = {column.key: column for column in COLUMNS}
# The columns the check asks of people: required of someone and recorded by Yicai.
CHECKED = tuple(c for c in COLUMNS if c.required is not None and c.recorded)
# Required of everyone but not recorded by Yicai: said once on the page, not of each person.
UNRECORDED_REQUIRED = tuple(c for c in COLUMNS if c.required is not None and not c.recorded)


@dataclass(frozen=True)
class Row:
    """A person's row of the table and the required columns it leaves empty."""

    held: Held
    values: tuple[str, ...]
    missing: tuple[Column, ...]

    @property
    def person(self) -> Person:
        return self.held.person


def row_of(held: Held) -> Row:
    values = {column.key: column.value(held) for column in COLUMNS}
    missing = tuple(
        column
        for column in CHECKED
        if column.required is not None and column.required(held) and not values[column.key]
    )
    return Row(held, tuple(values[column.key] for column in COLUMNS), missing)
