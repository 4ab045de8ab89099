"""The ranked list of workforce priorities (人才工作优先事项, issue 15 point 5; docs/planning.md):
where to recruit, whom to second, which technique gaps have no mentorship yet, which
obligations end soon. Read from the domain apps' scoped queries, each section by a rule
simple enough to say in one sentence (RULES), the same for the page, its exports and the API.

1. Where to recruit: each department's shortfall is the larger of its WISN shortage (the
   latest study of each staff category up to the as-of year: required − current staff where
   above zero; a study whose discipline figure is not recorded is left out and said so) and
   its shortage by the bed norms (yicai.insights.norms), plus its staff already at or reaching
   the statutory retirement age in the next five years (the retirement projection); ranked by
   that sum, largest first. The larger, not the sum, of the two estimates: both count the same
   missing doctors and nurses.
2. Whom to second: departments with techniques not yet filled (no verified independent case),
   most first, and the staff of the department one might send: an intermediate title (中级),
   under SECONDMENT_AGE on the as-of day, not on a secondment under way; youngest first.
3. Technique gaps with no mentorship: techniques not yet filled that no mentorship in progress
   is linked to.
4. Obligations ending soon: from the as-of day to DAYS later (180 by default), the last day of
   a directed student's years of service, of an introduction's agreed service period (still
   there), of a mentorship in progress (its end date) and of a secondment under way.

A fixed number of queries whatever the number of rows."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yicai.access.models import RequestUser
from yicai.access.scope import scoped
from yicai.insights import norms, queries, workloads
from yicai.insights.models import WisnStudy
from yicai.lookups import narrowed
from yicai.org.models import Institution, Region
from yicai.people.models import Person, TitleGrade
from yicai.recruitment.models import DirectedContract
from yicai.recruitment.queries import contracts_for, introductions_for
from yicai.recruitment.services import commitment_last_day, service_last_day
from yicai.training.models import Mentorship, Secondment, Technique
from yicai.training.queries.mentoring import techniques_for
from yicai.training.queries.secondments import active_on, secondments_for

ZERO = Decimal(0)
DAYS = 180  # obligations ending within this many days, by default
MAX_DAYS = 3650
SECONDMENT_AGE = 45  # candidates to second are younger than this on the as-of day
SECONDMENT_GRADE = TitleGrade.INTERMEDIATE
SERVICE_YEARS = range(1, 31)  # the service periods the records allow

SECTIONS = ("recruit", "second", "techniques", "obligations")
TITLES = {
    "recruit": _("一、哪里需要招聘"),
    "second": _("二、选派谁去进修"),
    "techniques": _("三、尚无师带徒的技术空白"),
    "obligations": _("四、即将到期的服务与培养"),
}
RULES = {
    "recruit": _(
        "规则：各科室取 WISN 测算缺口（各类人员最近一年测算的所需 − 现有，大于 0 者之和）与床位"
        "配置标准缺口中的较大者，加上已到龄及五年内达到法定退休年龄的人数，按合计从大到小排列。"
    ),
    "second": _(
        "规则：有尚未填补的技术空白（无经审核的独立完成病例）的科室，按空白数从多到少排列；"
        "候选人为本科室在档人员中中级职称、未满 %(age)d 周岁、当前不在进修中的人员，"
        "按年龄从小到大。"
    ),
    "techniques": _(
        "规则：尚未填补（无经审核的独立完成病例）且没有进行中的师带徒关系的新技术新项目。"
    ),
    "obligations": _(
        "规则：自现状截至日起若干天内到期的定向培养服务期、人才引进服务期（尚未离开）、"
        "进行中的师带徒和进修，按到期日先后排列。"
    ),
}


def rule(section: str) -> str:
    """A section's rule in one sentence, in the language of the request."""
    return (
        str(RULES[section]) % {"age": SECONDMENT_AGE}
        if section == "second"
        else str(RULES[section])
    )


# --- 1. Where to recruit ----------------------------------------------------------------


@dataclass
class StudyShortage:
    study: WisnStudy
    required: Decimal | None  # None: a discipline figure missing, or not calculable
    current: Decimal
    missing: list[str] = field(default_factory=list)  # the missing figures, in words

    @property
    def shortage(self) -> Decimal:
        if self.required is None:
            return ZERO
        return max(self.required - self.current, ZERO)


@dataclass
class RecruitRow:
    institution_id: int
    institution: str
    department_id: int
    department: str
    studies: list[StudyShortage] = field(default_factory=list)
    norm_shortfall: Decimal | None = None  # None: no beds recorded
    retiring: int = 0

    @property
    def wisn_shortfall(self) -> Decimal | None:
        counted = [s for s in self.studies if s.required is not None]
        return sum((s.shortage for s in counted), ZERO) if counted else None

    @property
    def incomplete(self) -> bool:
        return any(s.required is None for s in self.studies)

    @property
    def need(self) -> Decimal:
        return max(self.wisn_shortfall or ZERO, self.norm_shortfall or ZERO) + self.retiring


def _latest_studies(
    user: RequestUser, as_of: datetime.date, institution: Institution | None
) -> list[WisnStudy]:
    """Of each department's studies of a staff category, the latest up to the as-of year."""
    studies = narrowed(
        queries.studies_for(user).filter(year__lte=as_of.year), institution=institution
    ).prefetch_related("activities", "allowances")
    latest: dict[tuple[int, int], WisnStudy] = {}
    for study in studies.order_by("year", "id"):
        latest[(study.department_id, study.staff_category_id)] = study
    return list(latest.values())


def _study_shortage(study: WisnStudy) -> StudyShortage:
    feeds = workloads.feeds_of(study, list(study.activities.all()))
    gone = workloads.missing(feeds.values())
    result = None if gone else queries.study_result(study)
    return StudyShortage(
        study=study,
        required=None if result is None else result.required_staff,
        current=study.current_staff,
        missing=[f"{feed.activity.name}：{feed.text}" for feed in gone],
    )


def where_to_recruit(
    user: RequestUser,
    as_of: datetime.date,
    institution: Institution | None,
    gaps: norms.NormGaps,
) -> list[RecruitRow]:
    rows: dict[int, RecruitRow] = {}

    def row(institution_id: int, name: str, department_id: int, department: str) -> RecruitRow:
        if department_id not in rows:
            rows[department_id] = RecruitRow(institution_id, name, department_id, department)
        return rows[department_id]

    for study in _latest_studies(user, as_of, institution):
        found = row(
            study.institution_id,
            study.institution.short_name or study.institution.name,
            study.department_id,
            study.department.name,
        )
        found.studies.append(_study_shortage(study))
    for bed in gaps.rows:
        if not bed.total and bed.department_id is not None:
            found = row(bed.institution_id, bed.institution, bed.department_id, bed.department)
            found.norm_shortfall = bed.shortfall
    projection = queries.retirement_projection(user, as_of=as_of, institution=institution)
    for line in projection.rows:
        if line.total or line.department_id is None or line.institution_id is None:
            continue
        found = row(line.institution_id, line.institution, line.department_id, line.department)
        found.retiring = sum(line.counts)
    ranked = [r for r in rows.values() if r.need > 0 or r.incomplete]
    ranked.sort(key=lambda r: (-r.need, r.institution, r.department, r.department_id))
    return ranked


# --- 2. Whom to second, 3. techniques without a mentorship -------------------------------


@dataclass
class SecondRow:
    institution_id: int
    institution: str
    department_id: int
    department: str
    techniques: list[Technique]
    candidates: list[Person] = field(default_factory=list)


def _open_techniques(user: RequestUser, institution: Institution | None) -> Any:
    return narrowed(
        techniques_for(user).filter(
            gap_filled_on__isnull=True, institution__relation=Institution.Relation.MANAGED
        ),
        institution=institution,
    )


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def whom_to_second(
    user: RequestUser, as_of: datetime.date, institution: Institution | None
) -> list[SecondRow]:
    techniques = (
        _open_techniques(user, institution).filter(department__isnull=False).order_by("name", "id")
    )
    rows: dict[int, SecondRow] = {}
    for technique in techniques:
        department = technique.department
        if department is None:  # filtered out above
            continue
        if department.pk not in rows:
            rows[department.pk] = SecondRow(
                technique.institution_id,
                technique.institution.short_name or technique.institution.name,
                department.pk,
                department.name,
                [],
            )
        rows[department.pk].techniques.append(technique)
    if rows:
        seconded = Secondment.objects.filter(active_on(as_of)).values("person_id")
        candidates = (
            queries.planning_staff(user)
            .filter(
                department_id__in=list(rows),
                title_grade=SECONDMENT_GRADE,
                birth_date__gt=_years_before(as_of, SECONDMENT_AGE),
            )
            .exclude(pk__in=seconded)
            .select_related("institution", "department", "current_title")
            .order_by("-birth_date", "id")
        )
        for person in candidates:
            if person.department_id is not None:
                rows[person.department_id].candidates.append(person)
    ranked = list(rows.values())
    ranked.sort(key=lambda r: (-len(r.techniques), r.institution, r.department, r.department_id))
    return ranked


def techniques_without_mentorship(
    user: RequestUser, institution: Institution | None
) -> list[Technique]:
    in_progress = Q(mentorship__isnull=False, mentorship__status=Mentorship.Status.ACTIVE)
    found = list(_open_techniques(user, institution).exclude(in_progress).order_by())
    # Sorted here: PostgreSQL and SQLite order Chinese names each their own way.
    found.sort(
        key=lambda t: (
            t.institution.name,
            t.department is None,
            t.department.name if t.department else "",
            t.name,
            t.pk,
        )
    )
    return found


# --- 4. Obligations ending soon ------------------------------------------------------------


@dataclass(frozen=True)
class Obligation:
    kind: str  # directed, introduction, mentorship, secondment
    name: str  # whose
    institution: str
    ends_on: datetime.date
    as_of: datetime.date
    url_name: str
    pk: int

    @property
    def kind_label(self) -> str:
        return str(OBLIGATION_KINDS[self.kind])

    @property
    def days_left(self) -> int:
        return (self.ends_on - self.as_of).days


OBLIGATION_KINDS = {
    "directed": _("定向培养服务期"),
    "introduction": _("人才引进服务期"),
    "mentorship": _("师带徒"),
    "secondment": _("进修"),
}


def _started_for(field_name: str, first: datetime.date, last: datetime.date) -> Q:
    """Records whose period of `service_years` from `field_name` may end from `first` to
    `last` (a few days of slack either side; the exact last day is checked after)."""
    slack = datetime.timedelta(days=4)
    found = Q(pk__in=[])
    for years in SERVICE_YEARS:
        earliest = _years_before(first, years) - slack
        latest = _years_before(last, years) + slack
        found |= Q(service_years=years, **{f"{field_name}__range": (earliest, latest)})
    return found


def obligations_ending(
    user: RequestUser, as_of: datetime.date, days: int, institution: Institution | None
) -> list[Obligation]:
    last = as_of + datetime.timedelta(days=days)
    found: list[Obligation] = []

    def within(day: datetime.date | None) -> bool:
        return day is not None and as_of <= day <= last

    def named(institution_row: Institution | None) -> str:
        if institution_row is None:
            return ""
        return institution_row.short_name or institution_row.name

    contracts = contracts_for(user).filter(
        _started_for("service_starts_on", as_of, last),
        status=DirectedContract.Status.IN_SERVICE,
    )
    if institution is not None:  # the sponsor keeps the contract; the place is served
        contracts = contracts.filter(Q(sponsor=institution) | Q(service_place=institution))
    for contract in contracts:
        ends = service_last_day(contract)
        if ends is not None and within(ends):
            found.append(
                Obligation(
                    "directed",
                    contract.name,
                    named(contract.service_place or contract.sponsor),
                    ends,
                    as_of,
                    "recruitment:contract",
                    contract.pk,
                )
            )
    introductions = narrowed(
        introductions_for(user).filter(
            _started_for("introduced_on", as_of, last), left_on__isnull=True
        ),
        institution=institution,
    )
    for introduction in introductions:
        ends = commitment_last_day(introduction)
        if ends is not None and within(ends):
            found.append(
                Obligation(
                    "introduction",
                    introduction.person.name,
                    named(introduction.institution),
                    ends,
                    as_of,
                    "recruitment:introduction",
                    introduction.pk,
                )
            )
    mentorships = narrowed(
        scoped(
            user, Mentorship.objects.select_related("mentor", "institution"), "training.view"
        ).filter(status=Mentorship.Status.ACTIVE, end_on__range=(as_of, last)),
        institution=institution,
    )
    for mentorship in mentorships:
        if mentorship.end_on is None:  # filtered out above
            continue
        found.append(
            Obligation(
                "mentorship",
                mentorship.mentor.name,
                named(mentorship.institution),
                mentorship.end_on,
                as_of,
                "training:mentorship",
                mentorship.pk,
            )
        )
    secondments = narrowed(
        secondments_for(user).filter(status=Secondment.Status.ACTIVE, end_on__range=(as_of, last)),
        person__institution=institution,
    )
    for secondment in secondments:
        found.append(
            Obligation(
                "secondment",
                secondment.person.name,
                named(secondment.person.institution),
                secondment.end_on,
                as_of,
                "training:secondment",
                secondment.pk,
            )
        )
    found.sort(key=lambda o: (o.ends_on, o.kind, o.name, o.pk))
    return found


# --- All of it ---------------------------------------------------------------------------


@dataclass
class Priorities:
    as_of: datetime.date
    days: int
    institution: Institution | None
    recruit: list[RecruitRow]
    second: list[SecondRow]
    techniques: list[Technique]
    obligations: list[Obligation]
    norm_gaps: norms.NormGaps


def priorities(
    user: RequestUser,
    *,
    as_of: datetime.date | None = None,
    days: int | None = None,
    institution: Institution | None = None,
    region: Region | None = None,
) -> Priorities:
    """The four sections for what the user sees, as of a day (default today)."""
    as_of = as_of or timezone.localdate()
    days = DAYS if days is None else days
    gaps = norms.norm_gaps(user, as_of=as_of, institution=institution, region=region)
    return Priorities(
        as_of=as_of,
        days=days,
        institution=institution,
        recruit=where_to_recruit(user, as_of, institution, gaps),
        second=whom_to_second(user, as_of, institution),
        techniques=techniques_without_mentorship(user, institution),
        obligations=obligations_ending(user, as_of, days, institution),
        norm_gaps=gaps,
    )
