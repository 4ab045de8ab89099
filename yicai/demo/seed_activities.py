"""`yicai seed --activities M`: add M generated activity records of 育, 引 and 留, fast (bulk),
for load and performance tests of the dashboard, the annual report and the assessment metrics.

The records are the ones those figures read, split by SHARES (per mille of M; the last kind
takes what rounding leaves, so the kinds add up to exactly M):

- 育: continuing-education attendances (CME credits, `training.Attendance`), case logs of
  mentorships' apprentices (`training.CaseLog`: verified independent cases, gaps filled),
  expert visits (`training.Visit`: visits, lectures, guided operations) and secondments'
  monthly reports (`training.MonthlyReport`: reports on time);
- 引: introductions (`recruitment.Introduction`) and applications to posts
  (`recruitment.Application`: posts filled);
- 留: award lines (`retention.AwardLine`, three per introduction: the incentive policy's
  settlement, research and allowance rules, each paid once), fund ledger entries
  (`retention.Entry`: first the payments of the approved award lines, then appropriations,
  donations and other spending) and the 八个一 service tasks (`retention.ServiceTask`: on
  time, late or still open).

What they hang on is made beside them and is not counted in M: once a run, the commission's
fund, its incentive policy with three rules and a run a year, the service package with its
items, and a pool of new techniques for each institution; and in each batch, the mentorships
with their apprentices, the education events, the secondments, the recruitment plans with
their posts and the service enrolments the batch's records belong to.

People come from those already in the database (all of the managed institutions', or one
institution's): `yicai seed --people N --activities M` first adds the N people, then the
records, each part one transaction. Dates fall over the five years up to today, more of them
in recent years; every row keeps the database's constraints (the tests check them).

Like `yicai seed --people`, worker processes generate batches (pure Python, no database: the
people they choose from are handed to each worker once, when it starts) while this process
writes them with COPY (PostgreSQL) or multi-row INSERTs (SQLite), explicit primary keys, and
references between the rows of a batch resolved as it is written.
"""

from __future__ import annotations

import bisect
import collections
import datetime
import itertools
import multiprocessing
import os
import time
from array import array
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, reset_queries, transaction
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone

from yicai.access import audit, pii
from yicai.access.models import AuditEntry
from yicai.demo import worker
from yicai.demo.generate import Catalogue, Dice, Identity
from yicai.demo.names import NameMaker
from yicai.demo.seed import SeedError, default_workers
from yicai.exchange.bulk import BulkWriter
from yicai.org.models import Institution
from yicai.people.models import Person
from yicai.recruitment.models import Application, Introduction, Post, RecruitmentPlan
from yicai.retention.models import (
    AwardLine,
    AwardRun,
    Entry,
    Fund,
    Policy,
    Rule,
    RuleAmount,
    ServiceItem,
    ServicePackage,
    ServiceTask,
)
from yicai.retention.models import Enrolment as CareEnrolment
from yicai.retention.services.care import due_periods
from yicai.training.models import (
    Apprenticeship,
    Attendance,
    CaseLog,
    EducationEvent,
    Mentorship,
    MonthlyReport,
    Secondment,
    Technique,
    Visit,
)

YEARS = 5
LOCAL = ZoneInfo("Asia/Shanghai")
UTC = datetime.UTC

# Per mille of the records asked for. Award lines are three per introduction (INTRODUCTION
# × 3), so their share is implied; attendances take what rounding leaves.
SHARES = {
    "case_log": 200,
    "service_task": 140,
    "visit": 80,
    "application": 80,
    "entry": 70,
    "monthly_report": 50,
    "introduction": 25,
}
AWARDS_PER_INTRODUCTION = 3  # one line for each of RULES
KINDS = (
    "attendance",
    "case_log",
    "service_task",
    "visit",
    "application",
    "entry",
    "monthly_report",
    "introduction",
    "award_line",
)


def split(total: int) -> dict[str, int]:
    """How many records of each kind make `total`: SHARES, three award lines per
    introduction, attendances the rest (so the kinds add up to exactly `total`)."""
    counts = dict.fromkeys(KINDS, 0)
    introductions = total * SHARES["introduction"] // 1000
    counts["introduction"] = introductions
    counts["award_line"] = introductions * AWARDS_PER_INTRODUCTION
    for kind, share in SHARES.items():
        if kind != "introduction":
            counts[kind] = total * share // 1000
    counts["attendance"] = total - sum(counts.values())
    return counts


# --- The tables: the fields a row gives (no id), and which hold a row of the same batch ----


@dataclass(frozen=True)
class Table:
    model: type[Model]
    fields: tuple[str, ...]
    # position in `fields` -> the table whose row (its place in the batch) it names
    refs: dict[int, str] = field(default_factory=dict)


TABLES: dict[str, Table] = {
    "mentorship": Table(
        Mentorship,
        (
            "mentor",
            "kind",
            "institution",
            "department",
            "start_on",
            "end_on",
            "goals",
            "target_visits",
            "target_lectures",
            "target_operations",
            "status",
            "created_at",
        ),
    ),
    "apprenticeship": Table(Apprenticeship, ("mentorship", "apprentice"), {0: "mentorship"}),
    "case_log": Table(
        CaseLog,
        (
            "apprentice",
            "technique",
            "performed_on",
            "role",
            "supervisor",
            "mentorship",
            "note",
            "verified_at",
            "verified_by",
            "verified_by_name",
            "verified_on_paper",
            "paper_reference",
            "paper_scan",
            "entered_by",
            "created_at",
        ),
        {5: "mentorship"},
    ),
    "education_event": Table(
        EducationEvent,
        (
            "kind",
            "title",
            "institution",
            "department",
            "held_on",
            "speaker",
            "speaker_name",
            "hours",
            "credit_class",
            "credits",
            "note",
            "created_at",
        ),
    ),
    "attendance": Table(
        Attendance, ("event", "person", "credits", "recorded_at"), {0: "education_event"}
    ),
    "secondment": Table(
        Secondment,
        (
            "batch",
            "person",
            "host",
            "host_department",
            "start_on",
            "end_on",
            "objectives",
            "linked_leader",
            "status",
            "completed_on",
            "completion_report",
            "created_at",
        ),
    ),
    "monthly_report": Table(
        MonthlyReport,
        (
            "secondment",
            "month",
            "content",
            "techniques",
            "submitted_at",
            "comment",
            "commented_at",
            "commented_by",
            "entered_by",
            "comment_entered_by",
        ),
        {0: "secondment"},
    ),
    "introduction": Table(
        Introduction,
        (
            "person",
            "institution",
            "department",
            "introduced_on",
            "mode",
            "category",
            "tier",
            "title_grade",
            "previous_employer",
            "post",
            "service_years",
            "note",
            "left_on",
            "left_reason",
            "document",
            "created_at",
        ),
    ),
    "award_line": Table(
        AwardLine,
        (
            "run",
            "rule",
            "person",
            "institution",
            "fact_id",
            "fact_on",
            "fact_label",
            "fact_url",
            "tranche",
            "due_on",
            "amount",
            "basis",
            "status",
            "reason",
        ),
        {4: "introduction"},
    ),
    "entry": Table(
        Entry,
        (
            "fund",
            "on",
            "direction",
            "kind",
            "amount",
            "summary",
            "donor",
            "voucher",
            "award",
            "reverses",
            "override_reason",
            "overridden_by",
            "recorded_by",
            "recorded_at",
        ),
        {8: "award_line"},
    ),
    "plan": Table(
        RecruitmentPlan,
        (
            "institution",
            "year",
            "title",
            "written_weight",
            "interview_weight",
            "status",
            "note",
            "submitted_on",
            "decided_on",
            "decided_by",
            "return_reason",
            "published_on",
            "closed_on",
            "created_at",
        ),
    ),
    "post": Table(
        Post,
        (
            "plan",
            "name",
            "department",
            "specialty",
            "places",
            "min_education",
            "min_degree",
            "title_required",
            "max_age",
            "staffing",
            "procedure",
            "organiser",
            "note",
        ),
        {0: "plan"},
    ),
    "application": Table(
        Application,
        (
            "id_number_cipher",
            "id_number_index",
            "id_number_last4",
            "phone_cipher",
            "phone_last4",
            "post",
            "exam_number",
            "name",
            "sex",
            "birth_date",
            "education",
            "degree",
            "school",
            "major",
            "title",
            "applied_on",
            "status",
            "eligibility_findings",
            "eligibility_decided_by",
            "eligibility_reason",
            "written_score",
            "interview_score",
            "shortlist_reason",
            "stage",
            "outcome_reason",
            "notice",
            "person",
            "hired_on",
            "purged_on",
            "note",
            "created_at",
        ),
        {5: "post"},
    ),
    "enrolment": Table(
        CareEnrolment,
        (
            "package",
            "person",
            "employer",
            "talent_kind",
            "enrolled_on",
            "ended_on",
            "institution",
            "guardian",
            "team_name",
            "note",
            "generated_through",
            "created_at",
        ),
    ),
    "service_task": Table(
        ServiceTask,
        (
            "enrolment",
            "item",
            "period",
            "institution",
            "due_on",
            "deadline",
            "done_on",
            "channel",
            "note",
            "done_by",
            "satisfaction",
        ),
        {0: "enrolment"},
    ),
    "visit": Table(
        Visit,
        (
            "expert",
            "kind",
            "institution",
            "department",
            "held_on",
            "studio",
            "mentorship",
            "patients",
            "attendees",
            "operations",
            "note",
            "confirmed_at",
            "confirmed_by_name",
            "created_at",
        ),
    ),
}
# The kinds counted in M are tables of the same names; the others are what they hang on.

TECHNIQUES = (
    ("经皮冠状动脉介入治疗", "intervention"),
    ("腹腔镜胆囊切除术", "surgery"),
    ("腹腔镜阑尾切除术", "surgery"),
    ("经尿道前列腺电切术", "surgery"),
    ("无痛胃肠镜检查", "diagnosis"),
    ("内镜下黏膜剥离术", "intervention"),
    ("超声引导下神经阻滞", "treatment"),
    ("关节镜下半月板修复术", "surgery"),
    ("经皮椎体成形术", "intervention"),
    ("脑血管造影术", "diagnosis"),
    ("静脉溶栓治疗", "treatment"),
    ("冠脉CT血管成像", "diagnosis"),
    ("PICC置管维护", "nursing"),
    ("早期康复护理", "nursing"),
    ("针刺治疗中风后遗症", "tcm"),
    ("中药穴位贴敷", "tcm"),
    ("甲状腺细针穿刺活检", "diagnosis"),
    ("输尿管软镜碎石术", "surgery"),
    ("睡眠呼吸监测", "diagnosis"),
    ("血液净化治疗", "treatment"),
)
EVENT_TOPICS = (
    "急性胸痛的识别与处置",
    "糖尿病足的综合管理",
    "抗菌药物合理使用",
    "危重症患者的液体管理",
    "脑卒中早期识别",
    "医疗质量与安全",
    "院感防控规范",
    "心肺复苏技能",
    "老年综合评估",
    "疼痛规范化管理",
    "肿瘤规范化诊疗",
    "儿童常见病诊治",
)
HOST_DEPARTMENTS = ("心血管内科", "普外科", "神经内科", "重症医学科", "消化内科", "骨科", "儿科")
EMPLOYERS = (
    "上海市第一人民医院",
    "复旦大学附属中山医院",
    "江苏省人民医院",
    "安徽省立医院",
    "浙江省人民医院",
    "南京鼓楼医院",
    "苏州大学附属第一医院",
    "民营医院",
)
SCHOOLS = (
    "上海交通大学医学院",
    "复旦大学上海医学院",
    "南京医科大学",
    "安徽医科大学",
    "温州医科大学",
    "上海健康医学院",
    "上海中医药大学",
)
DONORS = ("区慈善基金会", "某医药集团有限公司", "区医学会", "某医疗器械有限公司")
ITEMS = (  # (name, recurrence, days to do); the green channel is asked for, never generated
    ("建立健康档案", ServiceItem.Recurrence.ONCE, 14),
    ("家庭医生随访", ServiceItem.Recurrence.MONTHLY, 7),
    ("健康体检", ServiceItem.Recurrence.HALF_YEARLY, 30),
    ("就医绿色通道", ServiceItem.Recurrence.ON_REQUEST, 3),
)
RULES = (  # (name, paid as, amount by introduction category)
    (
        "引进人才安家补贴",
        "award",
        {"high_level": 300000, "discipline_leader": 200000, "shortage": 80000, "other": 30000},
    ),
    (
        "引进人才科研启动经费",
        "subsidy",
        {"high_level": 200000, "discipline_leader": 100000, "shortage": 30000, "other": 10000},
    ),
    (
        "引进人才生活津贴",
        "allowance",
        {"high_level": 60000, "discipline_leader": 36000, "shortage": 12000, "other": 6000},
    ),
)


@dataclass(frozen=True)
class ActivityPlan:
    """What a batch needs besides the people (handed to each worker once): small, pickled
    with every batch."""

    seed: str
    tag: str  # names this run's plans and techniques apart from any other run's
    today: datetime.date
    sqlite: bool
    stamp: Any  # created_at of every row (the database's own form on SQLite)
    counts: list[dict[str, int]]  # per batch, how many of each kind
    codes: dict[str, int]
    hosts: list[int]  # partner hospitals a secondment goes to
    techniques: dict[int, list[int]]  # institution -> its technique pool
    fund: int
    rules: list[tuple[int, str, dict[str, int]]]  # (id, name, amount by category)
    runs: dict[int, tuple[int, bool]]  # year -> (award run, approved)
    package: int
    items: list[tuple[int, str, int]]  # (id, recurrence, days to do), generated ones
    introduction_url: str  # with {} for the id

    @property
    def first_day(self) -> datetime.date:
        return self.today - datetime.timedelta(days=YEARS * 365 + 1)


# --- The people records are chosen from --------------------------------------------------

# Set in each worker by worker.setup_activities (and here when generating in this process):
# plain arrays, so they unpickle before Django is set up.
ROSTER: dict[str, Any] = {}


def load_roster(institution_id: int | None) -> dict[str, Any]:
    """The people of the managed institutions (or of one): per institution their ids, their
    departments (0: none) and those with a senior title (mentors, experts, leaders)."""
    people = Person.objects.filter(institution__isnull=False)
    if institution_id is not None:
        people = people.filter(institution_id=institution_id)
    else:
        people = people.filter(
            institution__relation=Institution.Relation.MANAGED, institution__active=True
        )
    ids: dict[int, array] = {}
    departments: dict[int, array] = {}
    seniors: dict[int, array] = {}
    rows = people.order_by().values_list("pk", "institution_id", "department_id", "title_grade")
    for pk, institution, department, grade in rows.iterator(chunk_size=20000):
        if institution not in ids:
            ids[institution], departments[institution] = array("q"), array("q")
            seniors[institution] = array("q")
        ids[institution].append(pk)
        departments[institution].append(department or 0)
        if grade in ("senior", "associate_senior"):
            seniors[institution].append(pk)
    institutions = sorted(ids)
    return {
        "institutions": institutions,
        "cumulative": list(itertools.accumulate(len(ids[i]) for i in institutions)),
        "ids": [ids[i] for i in institutions],
        "departments": [departments[i] for i in institutions],
        "seniors": [seniors[i] for i in institutions],
    }


# --- Generating a batch (no database) ----------------------------------------------------


class Maker:
    """Generates batch `number` of a run: its own random source, so the result does not
    depend on which process made it."""

    def __init__(self, plan: ActivityPlan, roster: dict[str, Any], number: int):
        self.plan, self.roster, self.number = plan, roster, number
        self.rng = Dice(f"{plan.seed}:activities:{number}")
        self.today = plan.today
        self.first = plan.first_day
        self.span = (self.today - self.first).days
        self.rows: dict[str, list[tuple]] = {key: [] for key in TABLES}
        self.now = datetime.datetime.now(UTC)
        self.names = NameMaker(self.rng)
        self.identity = Identity(self.rng)
        self.seal, self.index = pii.bulk_functions()

    # -- values in the database's form
    def day(self, value: datetime.date | None) -> Any:
        if value is None or not self.plan.sqlite:
            return value
        return value.isoformat()

    def moment(self, day: datetime.date, hour: int, minute: int = 0) -> Any:
        """A local time on `day`, never after now."""
        value = min(datetime.datetime.combine(day, datetime.time(hour, minute), LOCAL), self.now)
        if not self.plan.sqlite:
            return value
        return str(value.astimezone(UTC).replace(tzinfo=None))

    def money(self, value: Decimal) -> Any:
        return str(value) if self.plan.sqlite else value

    # -- draws
    def when(self, earliest: datetime.date | None = None) -> datetime.date:
        """A day of the five years, more of them lately (as the records grow year on year)."""
        first = max(earliest or self.first, self.first)
        span = (self.today - first).days
        return first + datetime.timedelta(days=int(span * self.rng.random() ** 0.8))

    def institution(self) -> int:
        """An institution's place in the roster, by its number of people."""
        cumulative = self.roster["cumulative"]
        return bisect.bisect_right(cumulative, self.rng.random() * cumulative[-1])

    def person(self, place: int) -> tuple[int, int | None]:
        ids = self.roster["ids"][place]
        index = int(self.rng.random() * len(ids))
        return ids[index], self.roster["departments"][place][index] or None

    def people(self, place: int, k: int) -> list[tuple[int, int | None]]:
        ids, departments = self.roster["ids"][place], self.roster["departments"][place]
        chosen = self.rng.sample(range(len(ids)), min(k, len(ids)))
        return [(ids[i], departments[i] or None) for i in chosen]

    def senior(self, place: int) -> int:
        seniors = self.roster["seniors"][place]
        if not seniors:
            return self.person(place)[0]
        return seniors[int(self.rng.random() * len(seniors))]

    def make(self) -> dict[str, list[tuple]]:
        counts = self.plan.counts[self.number]
        self.mentorships(counts["case_log"])
        self.events(counts["attendance"])
        self.secondments(counts["monthly_report"])
        self.introductions(counts["introduction"], counts["entry"])
        self.plans(counts["application"])
        self.enrolments(counts["service_task"])
        self.visits(counts["visit"])
        return self.rows

    # -- 育
    def mentorships(self, count: int) -> None:
        rng, rows, plan = self.rng, self.rows, self.plan
        left = count
        while left > 0:
            place = self.institution()
            institution = self.roster["institutions"][place]
            mentor = self.senior(place)
            pupils = [p for p in self.people(place, rng.randint(1, 3)) if p[0] != mentor]
            pupils = pupils or [self.person(place)]
            start = self.when() - datetime.timedelta(days=rng.randint(30, 200))
            start = max(start, self.first)
            end = start + datetime.timedelta(days=rng.choice((365, 730, 1095)))
            done = end < self.today
            index = len(rows["mentorship"])
            department = pupils[0][1]
            rows["mentorship"].append(
                (
                    mentor,
                    "internal" if rng.random() < 0.7 else "external",
                    institution,
                    department,
                    self.day(start),
                    self.day(end),
                    "",
                    rng.randint(4, 24),
                    rng.randint(2, 12),
                    rng.randint(0, 20),
                    "completed" if done else "active",
                    plan.stamp,
                )
            )
            for pupil, _department in pupils:
                rows["apprenticeship"].append((index, pupil))
            pool = plan.techniques.get(institution) or [
                t for ts in plan.techniques.values() for t in ts
            ]
            taught = rng.sample(pool, min(len(pool), rng.randint(1, 2)))
            last = min(end, self.today)
            length = max(1, (last - start).days)
            for _ in range(min(left, rng.randint(30, 60))):
                offset = int(length * rng.random())
                performed = start + datetime.timedelta(days=offset)
                progress = rng.random() + offset / length * 0.8 - 0.2
                role = (
                    "observed"
                    if progress < 0.25
                    else "assisted"
                    if progress < 0.5
                    else "supervised"
                    if progress < 0.8
                    else "independent"
                )
                verified = rng.random() < 0.85
                rows["case_log"].append(
                    (
                        rng.choice(pupils)[0],
                        rng.choice(taught),
                        self.day(performed),
                        role,
                        mentor,
                        index,
                        "",
                        self.moment(performed + datetime.timedelta(days=rng.randint(0, 6)), 17)
                        if verified
                        else None,
                        None,
                        "带教导师" if verified else "",
                        False,
                        "",
                        "",
                        None,
                        plan.stamp,
                    )
                )
                left -= 1

    def events(self, count: int) -> None:
        rng, rows, plan = self.rng, self.rows, self.plan
        kinds = EducationEvent.Kind.values
        labels = dict(EducationEvent.Kind.choices)
        left = count
        while left > 0:
            place = self.institution()
            attendees = self.people(place, min(left, rng.randint(20, 60)))
            held = self.when()
            kind = rng.choice(kinds)
            credits = rng.choice((Decimal("0.5"), Decimal("1.0"), Decimal("2.0"), Decimal("3.0")))
            index = len(rows["education_event"])
            rows["education_event"].append(
                (
                    kind,
                    f"{labels[kind]}：{rng.choice(EVENT_TOPICS)}",
                    self.roster["institutions"][place],
                    attendees[0][1],
                    self.day(held),
                    self.senior(place) if rng.random() < 0.7 else None,
                    "",
                    self.money(Decimal(rng.randint(1, 8)) / 2),
                    "class_i" if rng.random() < 0.3 else "class_ii",
                    self.money(credits),
                    "",
                    plan.stamp,
                )
            )
            for person, _department in attendees:
                rows["attendance"].append((index, person, None, plan.stamp))
            left -= len(attendees)

    def secondments(self, count: int) -> None:
        rng, rows, plan = self.rng, self.rows, self.plan
        left = count
        while left > 0:
            place = self.institution()
            person, _department = self.person(place)
            start = self.when().replace(day=1)
            end = datetime.date(start.year + 1, start.month, 1) - datetime.timedelta(days=1)
            done = end < self.today
            reports: list[tuple[datetime.date, datetime.date]] = []
            month = start.replace(day=1)
            while month <= min(end, self.today) and len(reports) < left:
                following = datetime.date(month.year + (month.month == 12), month.month % 12 + 1, 1)
                sent = following + datetime.timedelta(days=rng.choice((0, 1, 2, 3, 4, 6, 9)))
                if sent >= self.today:
                    break  # not in yet
                reports.append((month, sent))
                month = following
            if not reports:
                continue  # too recent to have a report yet: draw another
            index = len(rows["secondment"])
            leader = self.senior(place)
            rows["secondment"].append(
                (
                    None,
                    person,
                    rng.choice(plan.hosts),
                    rng.choice(HOST_DEPARTMENTS),
                    self.day(start),
                    self.day(end),
                    "学习新技术、新项目，回院开展。",
                    leader,
                    "completed" if done else "active",
                    self.day(end) if done else None,
                    "完成进修计划。" if done else "",
                    plan.stamp,
                )
            )
            for month, sent in reports:
                submitted = self.moment(sent, 20)
                commented = rng.random() < 0.7
                rows["monthly_report"].append(
                    (
                        index,
                        self.day(month),
                        "本月跟随带教老师参加门诊、查房和手术，学习规范化诊疗。",
                        rng.choice(TECHNIQUES)[0],
                        submitted,
                        "已阅，继续加强。" if commented else "",
                        self.moment(sent + datetime.timedelta(days=rng.randint(1, 7)), 9)
                        if commented
                        else None,
                        leader if commented else None,
                        None,
                        None,
                    )
                )
            left -= len(reports)

    # -- 引 and the awards and payments it brings
    def introductions(self, count: int, entries: int) -> None:
        rng, rows, plan = self.rng, self.rows, self.plan
        modes = ("full_time", "flexible", "returnee", "three_supports", "directed_graduate")
        mode_weights = (45, 20, 10, 10, 15)
        mode_labels = dict(Introduction.Mode.choices)
        categories = ("shortage", "high_level", "discipline_leader", "other")
        grades = {
            "high_level": ("senior", "associate_senior"),
            "discipline_leader": ("associate_senior", "senior"),
            "shortage": ("intermediate", "junior_practitioner"),
            "other": ("", "intermediate"),
        }
        taken: set[tuple[int, datetime.date]] = set()
        paid: list[tuple[int, datetime.date, Decimal, str]] = []
        for _ in range(count):
            place = self.institution()
            person, department = self.person(place)
            day = self.when()
            while (person, day) in taken:
                day -= datetime.timedelta(days=1)
            taken.add((person, day))
            mode = rng.choices(modes, weights=mode_weights)[0]
            category = rng.choices(categories, weights=(40, 15, 5, 40))[0]
            institution = self.roster["institutions"][place]
            index = len(rows["introduction"])
            rows["introduction"].append(
                (
                    person,
                    institution,
                    department,
                    self.day(day),
                    mode,
                    category,
                    "",
                    rng.choice(grades[category]),
                    rng.choice(EMPLOYERS),
                    "临床医师",
                    rng.choice((3, 5, 5, 8)),
                    "",
                    None,
                    "",
                    "",
                    plan.stamp,
                )
            )
            label = f"{day.isoformat()} 引进（{mode_labels[mode]}）"
            for rule, name, amounts in plan.rules:
                due = min(day + datetime.timedelta(days=rng.randint(0, 60)), self.today)
                run, approved = plan.runs[due.year]
                amount = Decimal(amounts[category])
                line = len(rows["award_line"])
                rows["award_line"].append(
                    (
                        run,
                        rule,
                        person,
                        institution,
                        index,
                        self.day(day),
                        label,
                        None,  # the introduction's page, once it has its id
                        1,
                        self.day(due),
                        self.money(amount),
                        f"按引进人才类别核定（{dict(Introduction.Category.choices)[category]}）",
                        "approved" if approved else "proposed",
                        "",
                    )
                )
                if approved:
                    paid.append((line, due, amount, f"{name}：{label}"))
        self.ledger(entries, paid)

    def ledger(self, count: int, paid: list[tuple[int, datetime.date, Decimal, str]]) -> None:
        """The payments of the approved award lines first, then the fund's other entries."""
        rng, rows, plan = self.rng, self.rows, self.plan
        for n, (line, due, amount, summary) in enumerate(paid[:count]):
            on = min(due + datetime.timedelta(days=rng.randint(3, 30)), self.today)
            rows["entry"].append(
                (
                    plan.fund,
                    self.day(on),
                    "expense",
                    "award",
                    self.money(amount),
                    summary[:200],
                    "",
                    f"记-{on.year}-{self.number}-{n}",
                    line,
                    None,
                    "",
                    None,
                    None,
                    plan.stamp,
                )
            )
        kinds = (
            ("income", "appropriation", "财政拨款：人才发展专项资金", 500000, 3000000),
            ("income", "donation", "社会捐赠：师带徒公益基金", 50000, 500000),
            ("expense", "subsidy", "经费补助：师带徒结对补助", 5000, 80000),
            ("expense", "allowance", "津贴补贴：柔性引进专家津贴", 2000, 30000),
            ("expense", "hospitality", "专家接待：驻点专家公寓、接送", 1000, 20000),
        )
        for n in range(count - min(count, len(paid))):
            direction, kind, summary, low, high = rng.choices(kinds, weights=(12, 4, 40, 32, 12))[0]
            on = self.when()
            rows["entry"].append(
                (
                    plan.fund,
                    self.day(on),
                    direction,
                    kind,
                    self.money(Decimal(rng.randint(low, high))),
                    summary,
                    rng.choice(DONORS) if kind == "donation" else "",
                    f"记-{on.year}-{self.number}-x{n}",
                    None,
                    None,
                    "",
                    None,
                    None,
                    plan.stamp,
                )
            )

    def plans(self, count: int) -> None:
        rng, rows, plan = self.rng, self.rows, self.plan
        codes = plan.codes
        left = count
        while left > 0:
            place = self.institution()
            institution = self.roster["institutions"][place]
            year = self.when().year
            published = min(datetime.date(year, 3, 1), self.today)
            closed = published + datetime.timedelta(days=120)
            open_plan = closed > self.today
            index = len(rows["plan"])
            rows["plan"].append(
                (
                    institution,
                    year,
                    f"{year}年度公开招聘计划（{plan.tag}-{self.number}-{index}）",
                    40,
                    60,
                    "published" if open_plan else "closed",
                    "",
                    self.day(published - datetime.timedelta(days=30)),
                    self.day(published - datetime.timedelta(days=10)),
                    None,
                    "",
                    self.day(published),
                    None if open_plan else self.day(closed),
                    plan.stamp,
                )
            )
            for number in range(rng.randint(2, 6)):
                if left <= 0:
                    break
                places = rng.randint(1, 4)
                post = len(rows["post"])
                rows["post"].append(
                    (
                        index,
                        f"临床医师{number + 1}",
                        self.person(place)[1],
                        "临床医学",
                        places,
                        codes["education:21"],
                        None,
                        None,
                        35,
                        None,
                        "open",
                        "institution",
                        "",
                    )
                )
                size = min(left, rng.randint(places * 3, places * 10))
                self.applications(post, size, places, year, published, closed, open_plan, place)
                left -= size

    def applications(
        self,
        post: int,
        size: int,
        places: int,
        year: int,
        published: datetime.date,
        closed: datetime.date,
        open_plan: bool,
        place: int,
    ) -> None:
        rng, rows, plan = self.rng, self.rows, self.plan
        codes = plan.codes
        numbers: set[str] = set()
        drafted = []
        for k in range(size):
            male = rng.random() < 0.45
            birth = datetime.date(
                year - rng.randint(22, 34), rng.randint(1, 12), rng.randint(1, 28)
            )
            area = self.identity.area()
            number = self.identity.number(area, birth, male)
            while number in numbers:
                number = self.identity.number(area, birth, male)
            numbers.add(number)
            written = Decimal(rng.randint(4000, 9500)) / 100
            interview = Decimal(rng.randint(5000, 9500)) / 100
            drafted.append((k, male, birth, number, written, interview))
        # The best combined scores are hired, as many as the post has places.
        ranked = sorted(drafted, key=lambda row: -(row[4] * 40 + row[5] * 60))
        hired = {row[0] for row in ranked[:places]}
        for k, male, birth, number, written, interview in drafted:
            applied = min(published + datetime.timedelta(days=rng.randint(1, 20)), self.today)
            phone = self.identity.phone()
            name = self.names.name(male=male, birth_year=birth.year)
            scored = not open_plan
            if open_plan:
                status, stage = ("applied" if rng.random() < 0.5 else "eligible"), ""
            elif rng.random() < 0.08:
                status, stage, scored = "ineligible", "eligibility", False
            elif k in hired:
                status, stage = "hired", ""
            elif rng.random() < 0.06:
                status, stage = "withdrawn", "exam"
            else:
                status, stage = "failed", "exam"
            hire = status == "hired"
            rows["application"].append(
                (
                    self.seal(number),
                    self.index(number),
                    number[-4:],
                    self.seal(phone),
                    phone[-4:],
                    post,
                    f"{year}{post:05d}{k:03d}",
                    name,
                    codes["sex:1"] if male else codes["sex:2"],
                    self.day(birth),
                    codes["education:21"],
                    None,
                    rng.choice(SCHOOLS),
                    "临床医学",
                    None,
                    self.day(applied),
                    status,
                    "",
                    None,
                    "",
                    self.money(written) if scored else None,
                    self.money(interview) if scored else None,
                    "",
                    stage,
                    "不符合岗位资格条件" if status == "ineligible" else "",
                    None,
                    self.person(place)[0] if hire else None,
                    self.day(min(closed, self.today)) if hire else None,
                    None,
                    "",
                    plan.stamp,
                )
            )

    # -- 留: the 八个一 service
    def enrolments(self, count: int) -> None:
        rng, rows, plan = self.rng, self.rows, self.plan
        left = count
        while left > 0:
            place = self.institution()
            person, _department = self.person(self.institution())
            enrolled = self.when()
            tasks = sorted(
                (due, item, period, days)
                for item, recurrence, days in plan.items
                for period, due in due_periods(
                    recurrence, enrolled_on=enrolled, born=None, after=None, through=self.today
                )
            )
            if not tasks:
                continue
            whole = len(tasks) <= left
            tasks = tasks[:left]
            institution = self.roster["institutions"][place]
            index = len(rows["enrolment"])
            rows["enrolment"].append(
                (
                    plan.package,
                    person,
                    rng.choice(EMPLOYERS[-1:] + ("区科创园区企业", "区重点实验室")),
                    "科创人才",
                    self.day(enrolled),
                    None,
                    institution,
                    self.senior(place),
                    "家庭医生团队",
                    "",
                    # generated through today; the last, cut short, left to `yicai remind`
                    self.day(self.today) if whole else None,
                    plan.stamp,
                )
            )
            for due, item, period, days in tasks:
                deadline = due + datetime.timedelta(days=days)
                done = None
                roll = rng.random()
                if deadline < self.today:
                    if roll < 0.88:
                        done = due + datetime.timedelta(days=rng.randint(0, days))
                    elif roll < 0.95:
                        done = min(
                            deadline + datetime.timedelta(days=rng.randint(1, 20)), self.today
                        )
                elif roll < 0.5:
                    done = due + datetime.timedelta(days=rng.randint(0, (self.today - due).days))
                rows["service_task"].append(
                    (
                        index,
                        item,
                        period,
                        institution,
                        self.day(due),
                        self.day(deadline),
                        self.day(done),
                        rng.choice(("phone", "wechat", "visit", "clinic")) if done else "",
                        "",
                        None,
                        rng.choice((4, 5, 5)) if done and rng.random() < 0.6 else None,
                    )
                )
            left -= len(tasks)

    def visits(self, count: int) -> None:
        rng, rows, plan = self.rng, self.rows, self.plan
        kinds = Visit.Kind.values
        weights = (30, 20, 15, 15, 10, 10)
        for _ in range(count):
            place = self.institution()
            kind = rng.choices(kinds, weights=weights)[0]
            # Most experts come from another institution of the district.
            expert = self.senior(self.institution())
            patients = attendees = operations = 0
            if kind in ("clinic", "free_clinic"):
                patients = rng.randint(15, 60) * (3 if kind == "free_clinic" else 1)
            elif kind == "ward_round":
                patients = rng.randint(5, 20)
            elif kind in ("lecture", "online_teaching"):
                attendees = rng.randint(15, 120)
            else:
                operations = rng.randint(1, 4)
            rows["visit"].append(
                (
                    expert,
                    kind,
                    self.roster["institutions"][place],
                    self.person(place)[1],
                    self.day(self.when()),
                    None,
                    None,
                    patients,
                    attendees,
                    operations,
                    "",
                    None,
                    "",
                    plan.stamp,
                )
            )


def prepare_batch(plan: ActivityPlan, number: int) -> dict[str, list[tuple]]:
    return Maker(plan, ROSTER, number).make()


# --- Writing ------------------------------------------------------------------------------


class Store:
    """Writes batches on this process's connection, inside the caller's transaction."""

    def __init__(self, plan: ActivityPlan):
        self.plan = plan
        self.bulk = BulkWriter()

    def store(self, batch: dict[str, list[tuple]]) -> int:
        self._one_introduction_a_day(batch)
        ids: dict[str, list[int]] = {}
        written = 0
        for key, table in TABLES.items():
            rows = batch[key]
            ids[key] = self.bulk.allocate_ids(table.model, len(rows))
            if not rows:
                continue
            refs = [(position, ids[parent]) for position, parent in table.refs.items()]
            if refs:
                rows = [self._resolved(row, refs) for row in rows]
            if key == "award_line":
                url = self.plan.introduction_url
                rows = [(*row[:7], url.format(row[4]), *row[8:]) for row in rows]
            written += self.bulk.insert(
                table.model,
                ("id", *table.fields),
                [(pk, *row) for pk, row in zip(ids[key], rows, strict=True)],
            )
        return written

    @staticmethod
    def _resolved(row: tuple, refs: list[tuple[int, list[int]]]) -> tuple:
        values = list(row)
        for position, parent in refs:
            local = values[position]
            if local is not None:
                values[position] = parent[local]
        return tuple(values)

    def _one_introduction_a_day(self, batch: dict[str, list[tuple]]) -> None:
        """An introduction is once a day per person (a constraint): one that falls on a day
        the person already has one on file moves to the day before (its award lines too)."""
        introductions = batch["introduction"]
        if not introductions:
            return
        people = sorted({row[0] for row in introductions})
        on_file = {
            (person, self._date(day))
            for person, day in self.bulk.rows_where_in(
                Introduction, ("person", "introduced_on"), "person", people
            )
        }
        if not on_file:
            return
        taken = on_file | {(row[0], self._date(row[3])) for row in introductions}
        moved: dict[int, int] = {}
        for index, row in enumerate(introductions):
            person, day = row[0], self._date(row[3])
            if (person, day) not in on_file:
                continue
            shift = 0
            while (person, day - datetime.timedelta(days=shift)) in taken:
                shift += 1
            new = day - datetime.timedelta(days=shift)
            taken.add((person, new))
            introductions[index] = (*row[:3], self._form(new), *row[4:])
            moved[index] = shift
        lines = batch["award_line"]
        for n, line in enumerate(lines):
            back_days = moved.get(line[4])
            if back_days:
                back = datetime.timedelta(days=back_days)
                fact_on = self._date(line[5]) - back
                due_on = self._date(line[9]) - back
                label = fact_on.isoformat() + line[6][10:]
                lines[n] = (
                    *line[:5],
                    self._form(fact_on),
                    label,
                    line[7],
                    line[8],
                    self._form(due_on),
                    *line[10:],
                )

    def _date(self, value: Any) -> datetime.date:
        return datetime.date.fromisoformat(value) if isinstance(value, str) else value

    def _form(self, value: datetime.date) -> Any:
        return value.isoformat() if self.plan.sqlite else value


# --- A run --------------------------------------------------------------------------------


@dataclass
class ActivityResult:
    activities: int
    rows: int
    seconds: float
    by_kind: dict[str, int]

    @property
    def activities_per_second(self) -> float:
        return self.activities / self.seconds if self.seconds else 0.0

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


def seed_activities(
    *,
    activities: int,
    institution_id: int | None = None,
    batch_size: int = 20000,
    seed: int | str | None = None,
    workers: int | None = None,
    progress: Callable[[int, int, ActivityResult], None] | None = None,
) -> ActivityResult:
    if activities < 1:
        raise SeedError("--activities 至少为 1 / must be at least 1")
    if batch_size < 1:
        raise SeedError("--batch-size 至少为 1 / must be at least 1")
    run_seed = str(seed) if seed is not None else os.urandom(16).hex()
    workers = default_workers() if workers is None else workers
    debug, settings.DEBUG = settings.DEBUG, False  # no query log: it would grow without end
    try:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:  # as seed_people does
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            roster = load_roster(institution_id)
            if not roster["institutions"]:
                raise SeedError(
                    "还没有人员：请先运行 `yicai demo` 或 `yicai seed --people N` / "
                    "no people yet: run `yicai demo` or `yicai seed --people N` first"
                )
            plan = _plan(run_seed, activities, batch_size, institution_id, roster)
            result = _run(plan, roster, workers, progress)
            audit.record(
                AuditEntry.Event.IMPORT,
                summary="批量生成测试业务记录",
                data={
                    "activities": result.activities,
                    "rows": result.rows,
                    "institution": institution_id,
                    "by_kind": result.by_kind,
                },
            )
    finally:
        settings.DEBUG = debug
    return result


def _plan(
    run_seed: str,
    activities: int,
    batch_size: int,
    institution_id: int | None,
    roster: dict[str, Any],
) -> ActivityPlan:
    """The records of the whole run by batch, and what they hang on that is made once."""
    today = timezone.localdate()
    sqlite = connection.vendor == "sqlite"
    now = timezone.now()
    stamp = connection.ops.adapt_datetimefield_value(now) if sqlite else now
    tag = os.urandom(3).hex()
    totals = split(activities)
    batches = -(-activities // batch_size)
    counts = [
        {
            kind: total * (number + 1) // batches - total * number // batches
            for kind, total in totals.items()
        }
        for number in range(batches)
    ]
    for line in counts:  # three award lines for each introduction of the batch
        line["award_line"] = line["introduction"] * AWARDS_PER_INTRODUCTION
    catalogue = Catalogue()
    codes = {
        "sex:1": catalogue.id("sex", "1"),
        "sex:2": catalogue.id("sex", "2"),
        "education:21": catalogue.id("education", "21"),
    }
    institutions = Institution.objects.filter(pk__in=roster["institutions"])
    region = institutions.select_related("commission_region").order_by("pk")[0].commission_region
    hosts = list(
        Institution.objects.filter(relation=Institution.Relation.PARTNER).values_list(
            "pk", flat=True
        )
    ) or list(roster["institutions"])
    first_day = today - datetime.timedelta(days=YEARS * 365 + 1)
    techniques: dict[int, list[int]] = {}
    made = Technique.objects.bulk_create(
        Technique(
            institution_id=institution,
            name=f"{name}（{tag}）",
            category=category,
            origin=Technique.Origin.MENTORSHIP,
            status=Technique.Status.ROUTINE,
        )
        for institution in roster["institutions"]
        for name, category in TECHNIQUES
    )
    for technique in made:
        techniques.setdefault(technique.institution_id, []).append(technique.pk)
    fund = Fund.objects.create(
        region=region, name=f"人才发展专项资金（生成数据 {tag}）", kind=Fund.Kind.TALENT
    )
    policy = Policy.objects.create(
        region=region,
        title=f"卫生健康人才引进激励办法（生成数据 {tag}）",
        issuer="区卫生健康委员会",
        effective_from=first_day,
        fund=fund,
        status=Policy.Status.PUBLISHED,
        published_on=first_day,
    )
    rules = []
    for order, (name, paid_as, amounts) in enumerate(RULES):
        rule = Rule.objects.create(
            policy=policy,
            name=name,
            fact=Rule.Fact.INTRODUCTION,
            schedule=Rule.Schedule.ONCE,
            paid_as=paid_as,
            order=order,
        )
        RuleAmount.objects.create(rule=rule, valid_from=first_day, amount=Decimal(amounts["other"]))
        rules.append((rule.pk, name, amounts))
    runs = {}
    for year in range(first_day.year, today.year + 1):
        approved = year < today.year
        run = AwardRun.objects.create(
            policy=policy,
            period_start=datetime.date(year, 1, 1),
            period_end=datetime.date(year, 12, 31),
            status=AwardRun.Status.APPROVED if approved else AwardRun.Status.PROPOSED,
            approved_on=min(datetime.date(year + 1, 1, 20), today) if approved else None,
        )
        runs[year] = (run.pk, approved)
    package = ServicePackage.objects.create(region=region, name=f"八个一服务包（生成数据 {tag}）")
    items: list[tuple[int, str, int]] = []
    for order, (name, recurrence, days) in enumerate(ITEMS):
        item = ServiceItem.objects.create(
            package=package, name=name, recurrence=recurrence, order=order, days_to_do=days
        )
        if recurrence != ServiceItem.Recurrence.ON_REQUEST:
            items.append((item.pk, str(recurrence), days))
    return ActivityPlan(
        seed=run_seed,
        tag=tag,
        today=today,
        sqlite=sqlite,
        stamp=stamp,
        counts=counts,
        codes=codes,
        hosts=hosts,
        techniques=techniques,
        fund=fund.pk,
        rules=rules,
        runs=runs,
        package=package.pk,
        items=items,
        introduction_url=reverse("recruitment:introduction", args=[987654321]).replace(
            "987654321", "{}"
        ),
    )


def _run(
    plan: ActivityPlan,
    roster: dict[str, Any],
    workers: int,
    progress: Callable[[int, int, ActivityResult], None] | None,
) -> ActivityResult:
    store = Store(plan)
    total = sum(sum(line[k] for k in KINDS) for line in plan.counts)
    by_kind = dict.fromkeys(KINDS, 0)
    started = time.perf_counter()
    done = rows = 0

    def write(batch: dict[str, list[tuple]]) -> None:
        nonlocal done, rows
        for kind in KINDS:
            by_kind[kind] += len(batch[kind])
            done += len(batch[kind])
        rows += store.store(batch)
        reset_queries()
        if progress is not None:
            progress(
                done, total, ActivityResult(done, rows, time.perf_counter() - started, by_kind)
            )

    numbers = range(len(plan.counts))
    if workers < 1 or len(numbers) < 3:
        ROSTER.clear()
        ROSTER.update(roster)
        for number in numbers:
            write(prepare_batch(plan, number))
        return ActivityResult(done, rows, time.perf_counter() - started, by_kind)
    # As seed_people: workers generate while this process writes; the roster goes to each
    # worker once, as it starts.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        workers, mp_context=context, initializer=worker.setup_activities, initargs=(roster,)
    ) as pool:
        queue = iter(numbers)
        pending: collections.deque = collections.deque()
        for number in itertools.islice(queue, workers + 1):
            pending.append(pool.submit(worker.prepare_activities, plan, number))
        while pending:
            future = pending.popleft()
            try:
                batch = future.result()
            except BrokenProcessPool as error:
                raise SeedError(
                    "生成进程异常退出（见上方错误）；可用 --workers 0 在本进程中生成 / "
                    "a worker process died (see the error above); --workers 0 generates here"
                ) from error
            following = next(queue, None)
            if following is not None:
                pending.append(pool.submit(worker.prepare_activities, plan, following))
            write(batch)
    return ActivityResult(done, rows, time.perf_counter() - started, by_kind)
