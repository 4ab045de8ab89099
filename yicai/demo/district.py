"""Load the demo district: institutions, departments, designations and about 3,000 people.

Idempotent: institutions and departments are matched by name; people are generated only when
the central hospital has none yet. Everything is written in one transaction, in bulk
(`yicai.demo.writer`: model signals and the per-row audit log are skipped on purpose); one
IMPORT audit event records what was loaded.
"""

from __future__ import annotations

import datetime
import random
import time
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from stdnum.cn import uscc

from yicai.access import audit
from yicai.access.models import AuditEntry
from yicai.demo import region as blueprint
from yicai.demo.generate import (
    HOSPITAL_KINDS,
    POSITIONS,
    RANK,
    Catalogue,
    Dice,
    Draft,
    Generator,
    Identity,
    Place,
    add_years,
    weighted_sample,
)
from yicai.demo.region import Dept
from yicai.demo.writer import Writer
from yicai.org.models import Department, DisciplineDesignation, Institution, Region
from yicai.people.models import Person

DEMO_SEED = 20230830  # the Baoshan report's date
DEMO_PEOPLE = 3000
LEADER_DEPARTMENTS = ("院办公室", "综合办公室")
FOREIGN_SCHOOLS = (
    "东京大学医学系研究科",
    "约翰斯·霍普金斯大学医学院",
    "新加坡国立大学",
    "悉尼大学医学院",
    "海德堡大学医学院",
    "伦敦国王学院",
)
DOCTOR_HEADED = {
    "clinical",
    "obstetric",
    "dental",
    "tcm",
    "mental",
    "rehab",
    "gp",
    "township_gp",
    "public_health",
}
TECH_HEADED = {"imaging", "lab", "pathology", "pharmacy", "tcm_pharmacy", "medtech"}


@dataclass
class Result:
    created: bool
    people: int = 0
    rows: int = 0
    seconds: float = 0.0
    institutions: int = 0
    departments: int = 0


def is_loaded() -> bool:
    return Person.objects.filter(institution__name=blueprint.CENTRAL.name).exists()


def organisation_code(rng: random.Random, area: str) -> str:
    """A synthetic 统一社会信用代码 for a public institution (12 = 事业单位), both check digits
    valid: the GB 11714 one of the organisation code and the USCC one (python-stdnum)."""
    body = f"{rng.randrange(10**8):08d}"
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    check = 11 - sum(int(digit) * weight for digit, weight in zip(body, weights, strict=True)) % 11
    organisation = body + {10: "X", 11: "0"}.get(check, str(check))
    number = f"12{area}{organisation}"
    return number + uscc.calc_check_digit(number)


def _allocate(total: int, weights: list[float]) -> list[int]:
    """Split total in proportion to weights (largest remainder)."""
    whole = sum(weights)
    exact = [total * weight / whole for weight in weights]
    counts = [int(value) for value in exact]
    order = sorted(range(len(weights)), key=lambda i: exact[i] - counts[i], reverse=True)
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def ensure_organisation(rng: random.Random) -> dict[str, tuple[Institution, dict[str, Department]]]:
    """Institutions and departments of the blueprint, created where missing."""
    regions = {region.code: region for region in Region.objects.all()}
    commission = regions[blueprint.COMMISSION_REGION]
    units = (*blueprint.MANAGED, *blueprint.PARTNERS)
    existing = {
        inst.name: inst
        for inst in Institution.objects.filter(name__in=[unit.name for unit in units])
    }
    missing = [
        Institution(
            name=unit.name,
            short_name=unit.short_name,
            kind=unit.kind,
            grade=unit.grade,
            relation=unit.relation,
            region=regions[unit.region],
            commission_region=commission,
            affiliation=unit.affiliation,
            code=organisation_code(rng, unit.region),
        )
        for unit in units
        if unit.name not in existing
    ]
    for inst in Institution.objects.bulk_create(missing):
        existing[inst.name] = inst
    result = {}
    for unit in units:
        inst = existing[unit.name]
        depts = {dept.name: dept for dept in Department.objects.filter(institution=inst)}
        new = [
            Department(institution=inst, name=spec.name, clinical=spec.clinical)
            for spec in unit.departments
            if spec.name not in depts
        ]
        for dept in Department.objects.bulk_create(new):
            depts[dept.name] = dept
        parents = []
        for spec in unit.departments:
            dept = depts[spec.name]
            if spec.parent and dept.parent_id is None:
                dept.parent = depts[spec.parent]
                parents.append(dept)
        Department.objects.bulk_update(parents, ["parent"])
        result[unit.key] = (inst, depts)
    return result


class DistrictBuilder:
    def __init__(self, *, people: int, seed: int, today: datetime.date):
        self.rng = Dice(seed)
        self.today = today
        self.people = people
        self.catalogue = Catalogue()
        self.generator = Generator(self.rng, today, self.catalogue, detail=True)
        self.places: dict[tuple[str, str], Place] = {}
        self.drafts: list[Draft] = []

    # -- who works where ------------------------------------------------------------------------
    def draft_people(self, organisation) -> None:
        rng, scale = self.rng, self.people / DEMO_PEOPLE
        for unit in (*blueprint.MANAGED, *blueprint.PARTNERS):
            inst, depts = organisation[unit.key]
            for spec in unit.departments:
                dept = depts[spec.name]
                self.places[(unit.key, spec.name)] = Place(unit, inst.pk, spec, dept.pk)
        expert_counts = {
            unit.key: max(1, round(rng.randint(*unit.experts) * scale))
            for unit in blueprint.PARTNERS
        }
        students = max(1, round(self.people * 0.004))
        managed_total = max(
            len(blueprint.MANAGED), self.people - sum(expert_counts.values()) - students
        )
        per_unit = _allocate(managed_total, [unit.share for unit in blueprint.MANAGED])
        for unit, headcount in zip(blueprint.MANAGED, per_unit, strict=True):
            per_dept = _allocate(headcount, [spec.weight for spec in unit.departments])
            for spec, count in zip(unit.departments, per_dept, strict=True):
                place = self.places[(unit.key, spec.name)]
                self.drafts.extend(self.generator.draft(place) for _ in range(count))
        primary = [unit for unit in blueprint.MANAGED if unit.kind in ("community", "township")]
        for _ in range(students):
            unit = rng.choice(primary)
            inst, _depts = organisation[unit.key]
            self.drafts.append(self.generator.student(Place(unit, inst.pk)))
        for unit in blueprint.PARTNERS:
            areas = Identity(rng, [(code, 1) for code in unit.expert_areas])
            places = [self.places[(unit.key, spec.name)] for spec in unit.departments]
            weights = [spec.weight for spec in unit.departments]
            for _ in range(expert_counts[unit.key]):
                place = rng.choices(places, weights=weights)[0]
                draft = self.generator.draft(place, areas=areas)
                draft.source = "flexible_introduction"
                if draft.titles:
                    self._set_post(draft, position=self.catalogue.name_of[draft.titles[-1][0]])
                self.drafts.append(draft)

    def _set_post(
        self, draft: Draft, *, place: Place | None = None, position: str | None = None
    ) -> None:
        institution_id, department_id, old_position, start, end = draft.appointments[-1]
        if place is not None:
            draft.place = place
            institution_id, department_id = place.institution_id, place.department_id
        if position is not None:
            draft.position = old_position = position
            draft.staffing = "1"  # post holders are established staff
        draft.appointments[-1] = (institution_id, department_id, old_position, start, end)

    # -- posts, careers, sources and tags ------------------------------------------------------
    def staff(self) -> list[Draft]:
        return [d for d in self.drafts if d.category == Person.Category.STAFF]

    def _seniority(self, draft: Draft) -> tuple[int, int]:
        return (RANK.get(draft.grade, -1) if draft.grade else -1, -draft.birth.toordinal())

    def assign_posts(self) -> dict[tuple[str, str], Draft]:
        """Hospital leaders, then a head (and deputy, head nurse) for every department."""
        heads: dict[tuple[str, str], Draft] = {}
        by_unit: dict[str, list[Draft]] = defaultdict(list)
        for draft in self.staff():
            by_unit[draft.place.unit.key].append(draft)
        for unit in blueprint.MANAGED:
            drafts = by_unit[unit.key]
            office = next(
                (
                    self.places[(unit.key, name)]
                    for name in LEADER_DEPARTMENTS
                    if (unit.key, name) in self.places
                ),
                None,
            )
            doctors = sorted(
                (d for d in drafts if d.personnel_category == "11" and d.grade),
                key=self._seniority,
                reverse=True,
            )
            leaders = doctors[: 3 if unit.kind in HOSPITAL_KINDS else 2]
            titles = {"community": ("中心主任", "中心副主任")}.get(unit.kind, ("院长", "副院长"))
            for index, draft in enumerate(leaders):
                self._set_post(draft, place=office, position=titles[0 if index == 0 else 1])
            leader_ids = {id(d) for d in leaders}
            by_dept: dict[Dept, list[Draft]] = defaultdict(list)
            for draft in drafts:
                if id(draft) not in leader_ids and draft.place.dept is not None:
                    by_dept[draft.place.dept].append(draft)
            for dept, members in by_dept.items():
                name, profile = dept.name, dept.profile
                ranked = sorted(members, key=self._seniority, reverse=True)
                doctors = [d for d in ranked if d.personnel_category == "11"]
                nurses = [d for d in ranked if d.personnel_category in ("21", "22")]
                head = None
                if profile in DOCTOR_HEADED and doctors:
                    head = doctors[0]
                    if len(members) >= 15 and len(doctors) > 1:
                        self._set_post(doctors[1], position="科副主任")
                    if nurses:
                        self._set_post(nurses[0], position="护士长")
                elif profile == "nursing_admin" and nurses:
                    head = nurses[0]
                    self._set_post(head, position="护理部主任")
                    heads[(unit.key, name)] = head
                    continue
                elif profile in TECH_HEADED:
                    head = next((d for d in ranked if d.grade), ranked[0])
                else:
                    head = ranked[0]
                self._set_post(
                    head, position="科主任" if profile not in ("admin", "logistics") else "主任"
                )
                heads[(unit.key, name)] = head
        return heads

    def careers(self) -> None:
        """Some staff came from another institution of the district."""
        rng, today = self.rng, self.today
        managed = list(blueprint.MANAGED)
        ordinary = set(POSITIONS.values())
        for draft in self.staff():
            years = (today - draft.started).days / 365.25
            if years < 6 or draft.position not in ordinary or rng.random() > 0.15:
                continue
            unit = draft.place.unit
            others = [
                u
                for u in managed
                if u.key != unit.key
                and (u.kind in ("community", "township"))
                == (unit.kind not in ("community", "township"))
            ]
            other = rng.choice(others or managed)
            same = self.places.get((other.key, draft.place.dept.name)) if draft.place.dept else None
            previous = same or Place(other, self._institution_id(other))
            switch = add_years(draft.started, rng.uniform(2, years - 1))
            _i, _d, position, _start, _end = draft.appointments[-1]
            draft.appointments = [
                (
                    previous.institution_id,
                    previous.department_id,
                    position,
                    draft.started,
                    switch,
                ),
                (
                    draft.place.institution_id,
                    draft.place.department_id,
                    position,
                    switch + datetime.timedelta(days=1),
                    None,
                ),
            ]

    def _institution_id(self, unit) -> int:
        return next(
            place.institution_id for (key, _n), place in self.places.items() if key == unit.key
        )

    def _tag_dates(self, draft: Draft) -> tuple[datetime.date, datetime.date]:
        today = self.today
        start = max(
            draft.started + datetime.timedelta(days=365),
            add_years(today, -self.rng.uniform(0, 4)),
        )
        start = min(start, today)
        return start, add_years(start, 3) - datetime.timedelta(days=1)

    def _tag(self, chosen, code: str, note: str = "") -> None:
        for draft in chosen:
            start, end = self._tag_dates(draft)
            draft.tags.append((code, start, end, note))

    def sources_and_tags(self, heads: dict[tuple[str, str], Draft]) -> None:
        rng, today = self.rng, self.today
        staff = self.staff()
        count = len(staff)

        def age(draft: Draft) -> int:
            return draft.age(today)

        def level(draft: Draft) -> str:
            return min(item[0] for item in draft.educations)

        def sample(weight, share: float) -> list[Draft]:
            weights = [weight(d) for d in staff]
            return weighted_sample(rng, staff, weights, round(count * share))

        high_level = sample(
            lambda d: (
                (3 if level(d) == "11" else 1)
                if d.personnel_category == "11"
                and d.grade in ("senior", "associate_senior")
                and level(d) in ("11", "14")
                else 0
            ),
            0.01,
        )
        self._tag(high_level, "high_level", "区卫生健康人才激励办法认定")
        high_ids = {id(d) for d in high_level}
        primary = ("community", "township")

        def introduction_weight(draft: Draft) -> float:
            if (today - draft.started).days < 3 * 365:
                return 0
            weight = 10 if id(draft) in high_ids else 1
            if draft.grade in ("senior", "associate_senior"):
                weight *= 3
            return weight * (2 if level(draft) in ("11", "14") else 1)

        taken: set[int] = set()
        for source, weight, share in (
            ("introduction", introduction_weight, 0.06),
            ("returnee", lambda d: {"11": 5, "14": 1}.get(level(d), 0), 0.01),
            (
                "three_supports",
                lambda d: 1 if d.place.unit.kind in primary and age(d) <= 35 else 0,
                0.01,
            ),
            (
                "directed_student",
                lambda d: (
                    1
                    if d.place.unit.kind in primary
                    and age(d) <= 38
                    and d.personnel_category in ("11", "12")
                    else 0
                ),
                0.02,
            ),
        ):
            for draft in sample(lambda d, w=weight: 0 if id(d) in taken else w(d), share):
                taken.add(id(draft))
                draft.source = source
                if source == "introduction":
                    self._introduced(draft)
                elif source == "returnee":
                    level_, degree, _school, major, graduated, full = draft.educations[0]
                    draft.educations[0] = (
                        level_,
                        degree,
                        rng.choice(FOREIGN_SCHOOLS),
                        major,
                        graduated,
                        full,
                    )

        shortage = sample(
            lambda d: (
                (3 if d.personnel_category == "11" else 1)
                if d.place.dept is not None
                and d.place.dept.shortage
                and d.personnel_category in ("11", "12", "21", "41", "43", "69")
                else 0
            ),
            0.06,
        )
        self._tag(shortage, "shortage", "紧缺专业人才")
        innovation = sample(
            lambda d: (
                (3 if level(d) == "11" else 1) if level(d) in ("11", "14") and age(d) <= 50 else 0
            ),
            0.01,
        )
        self._tag(innovation, "innovation", "科创人才“八个一”服务对象")
        young = sample(
            lambda d: (
                1
                if d.personnel_category == "11"
                and age(d) <= 40
                and d.grade in ("junior_practitioner", "intermediate")
                else 0
            ),
            0.03,
        )
        self._tag(young, "young_backbone", "育才计划青年骨干")
        rural = [
            d
            for d in staff
            if d.place.unit.kind == "township"
            and (
                d.personnel_category == "60"
                or (d.personnel_category in ("11", "12") and rng.random() < 0.5)
            )
        ]
        for draft in rural:
            start = min(draft.started + datetime.timedelta(days=90), today)
            draft.tags.append(("rural_doctor", start, None, "乡村医生"))
        for draft in self.drafts:
            if draft.category == Person.Category.EXTERNAL_EXPERT and (
                draft.grade == "senior" or rng.random() < 0.4
            ):
                start = add_years(today, -rng.uniform(0.1, 3))
                draft.tags.append(("famous_doctor", start, add_years(start, 3), "名医专家"))
        for designation in blueprint.DESIGNATIONS:
            head = heads.get((designation.unit, designation.department))
            if head is not None:
                start = min(datetime.date(designation.year_from, 1, 1), today)
                end = datetime.date(designation.year_to, 12, 31) if designation.year_to else None
                head.tags.append(("discipline_leader", start, end, designation.name))

    def _introduced(self, draft: Draft) -> None:
        """Introduced talent joined recently, from outside the district."""
        rng, today = self.rng, self.today
        earliest = max(draft.started + datetime.timedelta(days=730), add_years(today, -5))
        latest = today - datetime.timedelta(days=110)
        joined = earliest + datetime.timedelta(days=rng.randint(0, (latest - earliest).days))
        institution_id, department_id, position, _start, _end = draft.appointments[-1]
        draft.appointments = [(institution_id, department_id, position, joined, None)]

    # -- writing --------------------------------------------------------------------------------
    def write(self, organisation, heads) -> int:
        writer = Writer(self.catalogue, batch_size=2000, seed=self.rng.getrandbits(64))
        rows = writer.write(self.drafts)
        designations = []
        for spec in blueprint.DESIGNATIONS:
            _inst, depts = organisation[spec.unit]
            head = heads.get((spec.unit, spec.department))
            designations.append(
                DisciplineDesignation(
                    department=depts[spec.department],
                    name=spec.name,
                    kind=spec.kind,
                    level=spec.level,
                    year_from=spec.year_from,
                    year_to=spec.year_to,
                    lead_id=head.pk if head else None,
                )
            )
        DisciplineDesignation.objects.bulk_create(designations)
        return rows + len(designations)


@transaction.atomic
def load_district(
    *, people: int = DEMO_PEOPLE, seed: int = DEMO_SEED, today: datetime.date | None = None
) -> Result:
    started = time.perf_counter()
    today = today or timezone.localdate()
    rng = Dice(seed)
    organisation = ensure_organisation(rng)
    result = Result(
        created=False,
        institutions=len(organisation),
        departments=sum(len(depts) for _inst, depts in organisation.values()),
    )
    if is_loaded():
        result.seconds = time.perf_counter() - started
        return result
    builder = DistrictBuilder(people=people, seed=seed, today=today)
    builder.draft_people(organisation)
    heads = builder.assign_posts()
    builder.careers()
    builder.sources_and_tags(heads)
    rows = builder.write(organisation, heads)
    result.created, result.people, result.rows = True, len(builder.drafts), rows
    audit.record(
        AuditEntry.Event.IMPORT,
        summary="演示数据",
        data={
            "institutions": result.institutions,
            "departments": result.departments,
            "people": result.people,
            "rows": rows,
            "seed": seed,
        },
    )
    result.seconds = time.perf_counter() - started
    return result
