"""Generated people: one person at a time as a plain draft, then written in bulk.

`Generator.draft()` makes a consistent record for someone working in a given department:
personnel category, sex, title grade, then an age that fits the grade, education that fits the
age, and a career (graduation, first post, title promotions) laid out on the calendar. With
`detail=True` (the demo) a person gets their whole history (earlier degrees and titles, a
licence); with `detail=False` (`yicai seed`) exactly one appointment, title and education.

`yicai.demo.writer.Writer` turns drafts into rows.
"""

from __future__ import annotations

import bisect
import datetime
import itertools
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING, TypeVar

from stdnum.cn import ric

from yicai.codes.models import Code
from yicai.demo.names import NameMaker
from yicai.demo.region import DOCTOR_LICENCE, PROFILES, STAFF_AREAS, Dept, Unit
from yicai.people.models import Person

if TYPE_CHECKING:
    from _typeshed import SupportsLenAndGetItem

T = TypeVar("T")

RANKS = ("junior_assistant", "junior_practitioner", "intermediate", "associate_senior", "senior")
RANK = {grade: index for index, grade in enumerate(RANKS)}
# Title series (GB/T 8561) of each personnel category; categories without a series get no title.
SERIES = {
    "11": "230",
    "12": "230",
    "21": "250",
    "22": "250",
    "31": "240",
    "32": "240",
    "41": "260",
    "42": "260",
    "43": "260",
    "44": "260",
    "69": "260",
}
DOCTORS = {"11", "12", "13"}
NURSES = {"21", "22"}
HOSPITAL_KINDS = {"general", "tcm", "specialist"}

# Title grade weights (junior_assistant ... senior) by group and tier.
GRADE_WEIGHTS = {
    ("doctor", True): (0, 31, 40, 22, 7),
    ("doctor", False): (0, 43, 45, 10.5, 1.5),
    ("assistant", True): (70, 30, 0, 0, 0),
    ("assistant", False): (70, 30, 0, 0, 0),
    ("nurse", True): (25, 33, 35, 6.2, 0.8),
    ("nurse", False): (24, 35, 36.8, 4, 0.2),
    ("other", True): (16, 35, 40, 8, 1),
    ("other", False): (18, 37, 39, 5.5, 0.5),
    ("expert", True): (0, 0, 0, 40, 60),
    ("expert_nursing", True): (0, 0, 0, 70, 30),
}
# (low, high, mode) ages by title grade; None: no title.
AGES = {
    "junior_assistant": (23, 34, 25),
    "junior_practitioner": (24, 45, 29),
    "intermediate": (30, 56, 38),
    "associate_senior": (38, 60, 47),
    "senior": (45, 62, 53),
    None: (23, 60, 38),
}
# Nominal years between promotions, from the grade below to the grade named.
PROMOTION_YEARS = {"junior_practitioner": 3, "intermediate": 5, "associate_senior": 5, "senior": 5}
MALE_SHARE = {
    "11": 0.48,
    "12": 0.55,
    "13": 0.45,
    "21": 0.04,
    "22": 0.0,
    "31": 0.3,
    "32": 0.35,
    "41": 0.4,
    "42": 0.55,
    "43": 0.5,
    "44": 0.5,
    "60": 0.65,
    "69": 0.3,
    "70": 0.6,
    "80": 0.4,
    "90": 0.6,
}
ETHNICITIES = (
    ("01", 965),
    ("03", 8),
    ("11", 6),
    ("08", 4),
    ("15", 4),
    ("06", 3),
    ("10", 3),
    ("02", 3),
    ("07", 2),
    ("22", 2),
)
PHONE_PREFIXES = (
    "130",
    "131",
    "132",
    "133",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "153",
    "155",
    "156",
    "157",
    "158",
    "159",
    "177",
    "180",
    "181",
    "182",
    "183",
    "185",
    "186",
    "187",
    "188",
    "189",
    "198",
    "199",
)
# Age at graduation (years, spread in years) by education level code (GB/T 4658).
GRADUATION_AGE = {
    "11": (29, 2),
    "14": (26, 1),
    "21": (22, 1),
    "31": (20, 1),
    "41": (18, 1),
    "61": (18, 0),
}
LOWER_LEVEL = {"11": "14", "14": "21", "21": "31", "31": "41", "41": "41", "61": "61"}

# Schools by level and the province (first two digits of the area code) people come from.
TOP_SCHOOLS = (
    "复旦大学上海医学院",
    "上海交通大学医学院",
    "同济大学医学院",
    "海军军医大学",
    "北京大学医学部",
    "浙江大学医学院",
    "中山大学中山医学院",
    "四川大学华西临床医学院",
    "华中科技大学同济医学院",
    "中南大学湘雅医学院",
    "南京医科大学",
    "首都医科大学",
)
TCM_SCHOOLS = (
    "上海中医药大学",
    "南京中医药大学",
    "浙江中医药大学",
    "北京中医药大学",
    "安徽中医药大学",
    "福建中医药大学",
)
UNIVERSITIES = {
    "31": (
        "上海交通大学医学院",
        "复旦大学上海医学院",
        "同济大学医学院",
        "上海中医药大学",
        "上海健康医学院",
    ),
    "32": ("南京医科大学", "苏州大学医学部", "徐州医科大学", "扬州大学医学院", "南通大学医学院"),
    "33": ("温州医科大学", "浙江中医药大学", "杭州医学院"),
    "34": ("安徽医科大学", "蚌埠医学院", "皖南医学院", "安徽中医药大学"),
    "35": ("福建医科大学", "福建中医药大学", "莆田学院"),
    "36": ("南昌大学医学部", "赣南医学院"),
    "37": ("山东第一医科大学", "滨州医学院", "潍坊医学院"),
    "41": ("郑州大学医学院", "新乡医学院"),
    "42": ("武汉大学医学部", "湖北医药学院"),
    "43": ("中南大学湘雅医学院", "南华大学衡阳医学院"),
    "11": ("首都医科大学", "北京大学医学部"),
    "": (
        "中国医科大学",
        "哈尔滨医科大学",
        "河北医科大学",
        "内蒙古医科大学",
        "四川大学华西临床医学院",
    ),
}
COLLEGES = {
    "31": ("上海健康医学院", "上海思博职业技术学院", "上海医药高等专科学校"),
    "32": ("江苏医药职业学院", "江苏卫生健康职业学院"),
    "33": ("宁波卫生职业技术学院", "金华职业技术学院"),
    "34": ("安徽医学高等专科学校", "皖北卫生职业学院"),
    "35": ("泉州医学高等专科学校", "漳州卫生职业学院"),
    "": ("上海健康医学院", "江西医学高等专科学校", "山东医学高等专科学校"),
}
VOCATIONAL = {
    "31": ("上海市医药学校", "上海市卫生学校"),
    "34": ("宿州卫生学校", "安徽省淮南卫生学校"),
    "35": ("泉州卫生学校",),
    "": ("上海市医药学校", "江苏省南通卫生高等职业技术学校"),
}
HIGH_SCHOOLS = (
    "上海市行知中学",
    "上海市吴淞中学",
    "上海市宝山中学",
    "上海市罗店中学",
    "上海市通河中学",
)

# Bachelor / college majors and postgraduate majors by personnel category (doctors use the
# department's). Level 41 (中专) majors are the vocational names.
MAJORS = {
    "21": ("护理学", "护理学", "护理", "护理"),
    "22": ("助产学", "护理学", "助产", "助产"),
    "31": ("药学", "药剂学", "药学", "药剂"),
    "32": ("中药学", "中药学", "中药学", "中药"),
    "41": ("医学检验技术", "临床检验诊断学", "医学检验技术", "医学检验技术"),
    "42": ("医学影像技术", "影像医学与核医学", "医学影像技术", "医学影像技术"),
    "43": ("康复治疗学", "康复医学与理疗学", "康复治疗技术", "康复技术"),
    "44": ("医学技术", "医学技术", "医学技术", "医学技术"),
    "60": ("农村医学", "全科医学", "临床医学", "农村医学"),
    "69": ("应用心理学", "应用心理学", "心理咨询", "医学技术"),
    "70": ("计算机科学与技术", "生物医学工程", "计算机应用技术", "计算机应用"),
    "80": ("公共事业管理", "社会医学与卫生事业管理", "卫生信息管理", "会计"),
    "90": ("", "", "机电一体化技术", "机电技术应用"),
}
ADMIN_MAJORS = ("公共事业管理", "卫生事业管理", "会计学", "人力资源管理", "汉语言文学", "法学")
POSITIONS = {
    "11": "医师",
    "12": "助理医师",
    "13": "见习医师",
    "21": "护士",
    "22": "助产士",
    "31": "药师",
    "32": "中药师",
    "41": "检验技师",
    "42": "影像技师",
    "43": "康复治疗师",
    "44": "技师",
    "60": "乡村医生",
    "69": "心理治疗师",
    "70": "信息工程师",
    "80": "科员",
    "90": "工勤人员",
}


class Dice(random.Random):
    """random.Random with quicker draws (float scaling instead of rejection sampling): the
    generator makes a dozen draws per person, and a million people should take minutes."""

    def randrange(self, start: int, stop: int | None = None, step: int = 1) -> int:
        if stop is None:
            start, stop = 0, start
        return start + int(self.random() * (stop - start))

    def randint(self, a: int, b: int) -> int:
        return a + int(self.random() * (b - a + 1))

    def choice(self, seq: SupportsLenAndGetItem[T]) -> T:
        return seq[int(self.random() * len(seq))]

    def choices(
        self,
        population: SupportsLenAndGetItem[T],
        weights: Sequence[float | Fraction] | None = None,
        *,
        cum_weights: Sequence[float | Fraction] | None = None,
        k: int = 1,
    ) -> list[T]:
        if cum_weights is None:
            if weights is None:
                return [self.choice(population) for _ in range(k)]
            cum_weights = list(itertools.accumulate(weights))
        total, last = cum_weights[-1], len(population) - 1
        if k == 1:
            return [population[min(bisect.bisect_right(cum_weights, self.random() * total), last)]]
        return [
            population[min(bisect.bisect_right(cum_weights, self.random() * total), last)]
            for _ in range(k)
        ]


def _weighted(rng: random.Random, weights: Mapping[str, float]) -> str:
    return rng.choices(tuple(weights), weights=tuple(weights.values()))[0]


def add_years(day: datetime.date, years: float) -> datetime.date:
    return day + datetime.timedelta(days=round(years * 365.25))


class Catalogue:
    """The code tables the generator uses, loaded once: (table, code) -> Code id."""

    TABLES = (
        "sex",
        "ethnicity",
        "education",
        "degree",
        "title",
        "personnel_category",
        "talent_tag",
        "person_source",
        "political_status",
        "staffing",
        "practice_category",
    )

    def __init__(self) -> None:
        self.ids: dict[tuple[str, str], int] = {}
        self.grade_of: dict[int, str] = {}
        self.titles: dict[tuple[str, str], int] = {}  # (series, grade) -> title id
        self.name_of: dict[int, str] = {}
        rows = Code.objects.filter(table__key__in=self.TABLES).values_list(
            "table__key", "code", "pk", "attrs", "parent__code", "name"
        )
        for table, code, pk, attrs, parent, name in rows:
            self.ids[(table, code)] = pk
            self.name_of[pk] = name
            if table == "title" and parent and attrs.get("grade"):
                self.grade_of[pk] = attrs["grade"]
                self.titles[(parent, attrs["grade"])] = pk
        for table in self.TABLES:
            if not any(key[0] == table for key in self.ids):
                raise LookupError(f"code table {table!r} is empty: run `yicai migrate` first")

    def id(self, table: str, code: str) -> int:
        try:
            return self.ids[(table, code)]
        except KeyError:
            raise LookupError(f"code {code!r} missing from table {table!r}") from None


@dataclass(slots=True)
class Place:
    """Where a generated person works: an institution (and department) with its blueprint."""

    unit: Unit
    institution_id: int
    dept: Dept | None = None
    department_id: int | None = None

    @property
    def hospital(self) -> bool:
        return self.unit.kind in HOSPITAL_KINDS


@dataclass(slots=True)
class Draft:
    name: str
    male: bool
    birth: datetime.date
    area: str
    category: str
    personnel_category: str | None
    place: Place
    position: str = ""
    ethnicity: str = "01"
    source: str = "local_recruitment"
    political_status: str | None = None  # GB/T 4762
    staffing: str | None = None  # 编制情况
    grade: str | None = None
    work_start: datetime.date | None = None
    id_number: str = ""
    phone: str = ""
    titles: list[tuple[int, datetime.date, datetime.date | None]] = field(default_factory=list)
    # (level, degree or "", school, major, graduated_on, full_time)
    educations: list[tuple[str, str, str, str, datetime.date, bool]] = field(default_factory=list)
    # (institution id, department id, position, start, end)
    appointments: list[tuple[int, int | None, str, datetime.date, datetime.date | None]] = field(
        default_factory=list
    )
    # (practice category, scope, issued, expires); the writer numbers it
    licence: tuple[str, str, datetime.date, datetime.date | None] | None = None
    # (tag code, valid from, valid to, note)
    tags: list[tuple[str, datetime.date, datetime.date | None, str]] = field(default_factory=list)
    pk: int | None = None

    def age(self, today: datetime.date) -> int:
        return (today - self.birth).days // 365

    @property
    def started(self) -> datetime.date:
        """When they started work; a student, who has not, has no such date."""
        if self.work_start is None:
            raise ValueError(f"{self.name} has not started work")
        return self.work_start


class Identity:
    """Synthetic resident identity numbers with valid check digits and phones."""

    def __init__(self, rng: random.Random, areas: Sequence[tuple[str, float]] = STAFF_AREAS):
        self.rng = rng
        self.areas = [code for code, _weight in areas]
        self.cumulative = list(itertools.accumulate(weight for _code, weight in areas))

    def area(self) -> str:
        return self.rng.choices(self.areas, cum_weights=self.cumulative)[0]

    def number(self, area: str, birth: datetime.date, male: bool) -> str:
        # Order code: odd for men, even for women; never 000.
        order = self.rng.randrange(500) * 2 + 1 if male else self.rng.randrange(1, 500) * 2
        body = f"{area}{birth:%Y%m%d}{order:03d}"
        return body + ric.calc_check_digit(body + "0")

    def phone(self) -> str:
        return self.rng.choice(PHONE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"


class Generator:
    def __init__(
        self, rng: random.Random, today: datetime.date, catalogue: Catalogue, *, detail: bool = True
    ):
        self.rng = rng
        self.today = today
        self.catalogue = catalogue
        self.detail = detail
        self.names = NameMaker(rng)
        self.identity = Identity(rng)
        self._ethnicities = [code for code, _weight in ETHNICITIES]
        self._ethnicity_cum = list(itertools.accumulate(weight for _c, weight in ETHNICITIES))
        # Political status and staffing draw from a source of their own, so adding them left
        # every other draw (names, careers) as it was.
        self.traits = Dice(today.toordinal())

    # -- people ---------------------------------------------------------------------------------
    def draft(
        self, place: Place, *, personnel_category: str | None = None, areas: Identity | None = None
    ) -> Draft:
        rng, today = self.rng, self.today
        dept = place.dept
        profile = dept.profile if dept else "clinical"
        pc = personnel_category or _weighted(rng, PROFILES[profile])
        group = self._group(pc, profile)
        grade = None
        if pc in SERIES:
            grade = rng.choices(
                RANKS, weights=GRADE_WEIGHTS[(group, place.hospital or group.startswith("expert"))]
            )[0]
        male = rng.random() < self._male_share(pc, dept)
        age = self._age(grade, male)
        birth = today - datetime.timedelta(days=age * 365 + rng.randrange(365) + age // 4)
        identity = areas or self.identity
        area = identity.area()
        draft = Draft(
            name=self.names.name(male=male, birth_year=birth.year),
            male=male,
            birth=birth,
            area=area,
            category=Person.Category.EXTERNAL_EXPERT
            if group.startswith("expert")
            else Person.Category.STAFF,
            personnel_category=pc,
            place=place,
            grade=grade,
            position=POSITIONS.get(pc, ""),
        )
        if rng.random() > 0.965:
            draft.ethnicity = rng.choices(self._ethnicities, cum_weights=self._ethnicity_cum)[0]
        draft.id_number = identity.number(area, birth, male)
        draft.phone = identity.phone()
        self._education(draft, group)
        self._titles(draft, pc)
        draft.appointments.append(
            (place.institution_id, place.department_id, draft.position, draft.started, None)
        )
        if self.detail and pc in DOCTORS | NURSES and pc != "13":
            self._licence(draft, pc, dept)
        self._traits(draft)
        if not self.detail:
            draft.source = rng.choices(
                (
                    "local_recruitment",
                    "introduction",
                    "returnee",
                    "three_supports",
                    "directed_student",
                ),
                weights=(90, 6, 1, 1, 2),
            )[0]
        return draft

    def student(self, place: Place) -> Draft:
        """An order-directed medical student still at school, bound for `place`."""
        rng, today = self.rng, self.today
        male = rng.random() < 0.5
        age = rng.randint(19, 22)
        birth = today - datetime.timedelta(days=age * 365 + rng.randrange(365) + age // 4)
        area = rng.choice(("310113", "310113", "310230", "341324"))
        draft = Draft(
            name=self.names.name(male=male, birth_year=birth.year),
            male=male,
            birth=birth,
            area=area,
            category=Person.Category.DIRECTED_STUDENT,
            personnel_category=None,
            place=place,
            position="订单定向医学生（在读）",
            source="directed_student",
        )
        draft.id_number = self.identity.number(area, birth, male)
        draft.phone = self.identity.phone()
        graduated = datetime.date(birth.year + 18, 6, 30)
        if graduated > today:
            graduated = today - datetime.timedelta(days=30)
        draft.educations.append(("61", "", rng.choice(HIGH_SCHOOLS), "", graduated, True))
        return draft

    def _traits(self, draft: Draft) -> None:
        """Political status (GB/T 4762) and staffing (编制) as a public hospital's roster has
        them: more party members among the senior, League members among the young; most
        posts established (在编), the rest contracts, agency staff and, in logistics,
        dispatched workers."""
        rng, age = self.traits, draft.age(self.today)
        senior = draft.grade in ("senior", "associate_senior")
        weights = {"01": 45 if senior else 22, "02": 1, "08": 2, "10": 1, "05": 1, "13": 60}
        if age <= 28:
            weights = {**weights, "03": 45, "01": 8}
        draft.political_status = _weighted(rng, weights)
        if draft.category == Person.Category.EXTERNAL_EXPERT:
            draft.staffing = "1"  # at their own hospital
        elif draft.personnel_category == "90":
            draft.staffing = _weighted(rng, {"1": 20, "2": 30, "4": 50})
        else:
            draft.staffing = _weighted(rng, {"1": 72 if age > 30 else 55, "2": 20, "3": 6})
        if age >= 60 and rng.random() < 0.5:
            draft.staffing = "6"

    @staticmethod
    def _group(pc: str, profile: str) -> str:
        if profile.startswith("expert"):
            return profile
        if pc in ("11", "13"):
            return "doctor"
        if pc == "12":
            return "assistant"
        if pc in NURSES:
            return "nurse"
        return "other"

    @staticmethod
    def _male_share(pc: str, dept: Dept | None) -> float:
        share = MALE_SHARE.get(pc, 0.5)
        if dept is not None and pc in DOCTORS:
            if dept.pg in ("外科学", "麻醉学"):
                share = 0.75
            elif dept.profile == "obstetric":
                share = 0.2
        return share

    def _age(self, grade: str | None, male: bool) -> int:
        low, high, mode = AGES[grade]
        if not male:
            high = min(high, 60 if grade in ("senior", "associate_senior") else 55)
        return int(self.rng.triangular(low, high + 0.999, mode))

    # -- education ------------------------------------------------------------------------------
    def _level(self, draft: Draft, group: str, age: int) -> str:
        pc, place = draft.personnel_category, draft.place
        rng = self.rng
        weights: dict[str, float]
        if group.startswith("expert"):
            weights = {"11": 80, "14": 20}
        elif pc in ("11", "13"):
            if place.hospital:
                weights = {"11": 8, "14": 38, "21": 52, "31": 2}
                if draft.grade in ("senior", "associate_senior"):
                    weights["11"] = 16
            elif place.unit.kind == "community":
                weights = {"14": 8, "21": 75, "31": 17}
            else:
                weights = {"21": 45, "31": 45, "41": 10}
            if age >= 50:
                weights = {
                    **weights,
                    "11": weights.get("11", 0) / 2,
                    "14": weights.get("14", 0) / 2,
                    "31": weights.get("31", 0) * 3 + 3,
                }
        elif pc == "12":
            weights = {"31": 70, "41": 30}
        elif pc == "60":
            weights = {"41": 70, "31": 30}
        elif pc in NURSES:
            weights = (
                {"14": 2, "21": 55, "31": 40, "41": 3}
                if place.hospital
                else {"21": 35, "31": 55, "41": 10}
            )
            if age >= 45:
                weights = {**weights, "41": weights["41"] * 4, "21": weights["21"] / 2}
        elif pc == "90":
            weights = {"41": 50, "61": 50}
        elif pc in ("69", "70"):
            weights = {"14": 20, "21": 65, "31": 15}
        elif pc == "80":
            weights = {"14": 25, "21": 60, "31": 15}
        else:
            weights = {"14": 10, "21": 60, "31": 28, "41": 2}
        return _weighted(rng, weights)

    def _graduation(self, level: str, birth: datetime.date, doctor: bool) -> datetime.date:
        base, spread = GRADUATION_AGE[level]
        if level == "21" and doctor:
            base += 1  # five-year clinical degree
        years = base + (self.rng.randint(0, spread) if spread else 0)
        return datetime.date(birth.year + years, 7, 1) - datetime.timedelta(
            days=self.rng.randrange(12)
        )

    def _education(self, draft: Draft, group: str) -> None:
        rng, today = self.rng, self.today
        pc = draft.personnel_category or ""
        doctor = pc in DOCTORS
        level = self._level(draft, group, draft.age(today))
        graduated = self._graduation(level, draft.birth, doctor)
        while graduated > today - datetime.timedelta(days=200) and level != LOWER_LEVEL[level]:
            level = LOWER_LEVEL[level]
            graduated = self._graduation(level, draft.birth, doctor)
        records = [(level, graduated, True)]
        if self.detail:
            # The degrees before the highest one; older nurses often upgraded part-time.
            current, when = level, graduated
            while current in ("11", "14"):
                current = "14" if current == "11" else "21"
                when = datetime.date(when.year - 3, 7, 1) - datetime.timedelta(
                    days=rng.randrange(12)
                )
                records.append((current, when, True))
            if level == "21" and pc in NURSES and draft.age(today) >= 32 and rng.random() < 0.5:
                first = self._graduation("31", draft.birth, False)
                part_time = add_years(first, rng.uniform(3, 9))
                if part_time < today - datetime.timedelta(days=60):
                    records = [("21", part_time, False), ("31", first, True)]
        # Work starts after the last full-time study; part-time degrees come while working.
        studied = max(when for _level, when, full in records if full)
        draft.work_start = studied + datetime.timedelta(days=rng.randint(20, 75))
        if draft.work_start > today:
            draft.work_start = today
        for record_level, when, full_time in records:
            school = self._school(record_level, draft, full_time)
            major = self._major(record_level, draft)
            degree = self._degree(record_level, draft, full_time)
            draft.educations.append((record_level, degree, school, major, when, full_time))

    def _school(self, level: str, draft: Draft, full_time: bool) -> str:
        rng = self.rng
        province = draft.area[:2]
        tcm = draft.place.dept is not None and draft.place.dept.profile == "tcm"
        if level == "61":
            return rng.choice(HIGH_SCHOOLS)
        if level in ("11", "14"):
            if tcm and draft.personnel_category in DOCTORS:
                return rng.choice(TCM_SCHOOLS)
            return rng.choice(TOP_SCHOOLS)
        if level == "21":
            if not full_time:
                return rng.choice(
                    ("上海交通大学医学院", "复旦大学上海医学院", "上海中医药大学", "上海健康医学院")
                )
            if tcm and draft.personnel_category in DOCTORS:
                return rng.choice(TCM_SCHOOLS)
            if rng.random() < 0.35:
                province = "31"
            return rng.choice(UNIVERSITIES.get(province, UNIVERSITIES[""]))
        table = COLLEGES if level == "31" else VOCATIONAL
        if rng.random() < 0.4:
            province = "31"
        return rng.choice(table.get(province, table[""]))

    def _major(self, level: str, draft: Draft) -> str:
        pc = draft.personnel_category or ""
        dept = draft.place.dept
        postgraduate = level in ("11", "14")
        if pc in DOCTORS:
            if postgraduate:
                return dept.pg if dept else "内科学"
            if level == "41":
                return "农村医学"
            return dept.ug if dept and level == "21" else "临床医学"
        if pc == "80" and level == "21":
            return self.rng.choice(ADMIN_MAJORS)
        if pc == "" or level == "61":
            return ""
        bachelor, graduate, college, vocational = MAJORS.get(pc, MAJORS["44"])
        return {"11": graduate, "14": graduate, "21": bachelor, "31": college}.get(
            level, vocational
        )

    def _degree(self, level: str, draft: Draft, full_time: bool) -> str:
        rng = self.rng
        pc = draft.personnel_category or ""
        doctor = pc in DOCTORS
        if level == "11":
            if doctor:
                return rng.choices(("210", "245"), weights=(60, 40))[0]
            return rng.choice(("210", "207"))
        if level == "14":
            if doctor:
                if draft.place.dept is not None and draft.place.dept.profile == "public_health":
                    return "351"
                return rng.choices(("345", "310", "351"), weights=(55, 40, 5))[0]
            if pc == "80":
                return rng.choice(("349", "346", "312"))
            if pc == "70":
                return "308"
            if pc in ("31", "32"):
                return rng.choice(("310", "307"))
            return "310"
        if level == "21":
            if not full_time and rng.random() < 0.5:
                return ""
            if doctor:
                return "410"
            if pc in NURSES:
                return rng.choices(("410", "407"), weights=(65, 35))[0]
            if pc in ("31", "32"):
                return rng.choices(("407", "410"), weights=(60, 40))[0]
            if pc in ("69",):
                return "407"
            if pc == "70":
                return "408"
            if pc == "80":
                return rng.choices(("412", "402", "403", "405"), weights=(50, 20, 10, 20))[0]
            return rng.choices(("410", "407"), weights=(70, 30))[0]
        return ""

    # -- titles and licences --------------------------------------------------------------------
    def _titles(self, draft: Draft, pc: str) -> None:
        if draft.grade is None:
            return
        rng, today = self.rng, self.today
        series = SERIES[pc]
        current = RANK[draft.grade]
        first_level = draft.educations[-1][0]
        start = 0 if (pc == "12" or first_level in ("31", "41")) else 1
        start = min(start, current)
        work_start = draft.work_start or today
        first = work_start + datetime.timedelta(days=rng.randint(300, 430))
        latest = today - datetime.timedelta(days=rng.randint(20, 90))
        if first > latest:
            first = latest
        dates = [first]
        for rank in range(start + 1, current + 1):
            gap = PROMOTION_YEARS[RANKS[rank]] * rng.uniform(0.8, 1.5)
            dates.append(add_years(dates[-1], gap))
        if dates[-1] > latest:  # squeeze a fast career into the time there was
            span = (latest - first).days
            total = (dates[-1] - first).days or 1
            dates = [
                first + datetime.timedelta(days=(day - first).days * span // total) for day in dates
            ]
            for index in range(1, len(dates)):  # promotions on distinct days
                if dates[index] <= dates[index - 1]:
                    dates[index] = dates[index - 1] + datetime.timedelta(days=1)
        ranks = list(range(start, current + 1))
        if not self.detail:
            ranks, dates = ranks[-1:], dates[-1:]
        for rank, obtained in zip(ranks, dates, strict=True):
            obtained = min(obtained, today)
            appointed = obtained + datetime.timedelta(days=rng.randint(30, 200))
            title_id = self.catalogue.titles[(series, RANKS[rank])]
            draft.titles.append((title_id, obtained, appointed if appointed <= today else None))

    def _licence(self, draft: Draft, pc: str, dept: Dept | None) -> None:
        rng, today = self.rng, self.today
        work_start = draft.work_start or today
        nurse = pc in NURSES
        if nurse:
            category, scope = "9", ""
            issued = work_start + datetime.timedelta(days=rng.randint(60, 200))
        else:
            profile = dept.profile if dept else "clinical"
            category = DOCTOR_LICENCE.get(profile, "1")
            scope = dept.scope if dept else "内科专业"
            if draft.place.unit.kind in ("community", "township") and profile in (
                "gp",
                "township_gp",
            ):
                scope = "全科医学专业"
            issued = work_start + datetime.timedelta(days=rng.randint(330, 500))
        issued = min(issued, today - datetime.timedelta(days=5))
        expires = None
        if nurse:  # registration lasts five years and is renewed
            expires = add_years(issued, 5)
            while expires < today and rng.random() < 0.97:
                expires = add_years(expires, 5)
        draft.licence = (category, scope, issued, expires)


def weighted_sample(rng: random.Random, items: Sequence, weights: Sequence[float], k: int) -> list:
    """k items without replacement, each drawn with probability proportional to its weight."""
    keyed = [
        (rng.random() ** (1.0 / weight), index)
        for index, weight in enumerate(weights)
        if weight > 0
    ]
    keyed.sort(reverse=True)
    return [items[index] for _key, index in keyed[:k]]


def pick(rng: random.Random, cumulative: Sequence[float]) -> int:
    """Index drawn from cumulative weights."""
    return bisect.bisect_right(cumulative, rng.random() * cumulative[-1])
