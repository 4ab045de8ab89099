"""A year of cultivation in the demo district, made through the training services: the
central hospital brings in new techniques, each in the department that performs it, taught by
a mentor of that specialty (an expert of a partner hospital's department of the same name, or
a senior colleague) to young doctors or nurses of that department; the experts' visits (this
month's among them, some still to come), their studios with members from the host
department, consultations, and case logs dated on the days they were done. Deterministic;
loaded once."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q

from yicai.access.models import User
from yicai.demo import secondments
from yicai.demo.moments import on, restamp
from yicai.org.models import Department, Institution
from yicai.people.models import GRADE_RANK, Person
from yicai.training.models import (
    CaseLog,
    ExpertStudio,
    Mentorship,
    StudioTier,
    Technique,
    Visit,
)
from yicai.training.services.activity import consultation_record, visit_record
from yicai.training.services.mentoring import (
    case_log_create,
    confirmation_link_create,
    confirmation_link_use,
    mentorship_create,
    technique_register,
)
from yicai.training.services.studios import studio_create, studio_funding_record, studio_member_add

SENIOR = ("senior", "associate_senior")
EXTERNAL, INTERNAL = "external", "internal"


@dataclass(frozen=True)
class Craft:
    """A technique new to the central hospital and who teaches it."""

    name: str
    category: str
    department: str  # the central hospital's department that performs it
    staff: str  # personnel category of those who learn it: 11 doctors, 21 nurses
    mentor: str  # EXTERNAL: an expert of a partner's department of that name; INTERNAL: a colleague
    cases: tuple[str, ...]  # consultations' cases in this specialty


C = Technique.Category
CRAFTS = (
    Craft(
        "经皮冠状动脉介入治疗",
        C.INTERVENTION,
        "心血管内科",
        "11",
        EXTERNAL,
        ("胸痛 3 天，心电图 ST 段抬高", "活动后胸闷半年，冠脉 CTA 提示前降支狭窄"),
    ),
    Craft(
        "单孔腹腔镜胆囊切除术",
        C.SURGERY,
        "普外科",
        "11",
        EXTERNAL,
        ("反复右上腹痛，超声提示胆囊结石", "胆囊息肉 1.2 cm，随访增大"),
    ),
    Craft(
        "内镜黏膜下剥离术",
        C.INTERVENTION,
        "消化内科",
        "11",
        EXTERNAL,
        ("胃镜发现胃窦早期病变", "结肠侧向发育型肿瘤 3 cm"),
    ),
    Craft(
        "超声支气管镜引导下经支气管针吸活检术",
        C.DIAGNOSIS,
        "呼吸与危重症医学科",
        "11",
        EXTERNAL,
        ("纵隔淋巴结肿大待查", "肺门占位，痰检阴性"),
    ),
    Craft(
        "经皮椎体后凸成形术",
        C.SURGERY,
        "骨科",
        "11",
        EXTERNAL,
        ("骨质疏松性腰椎压缩骨折", "胸椎压缩骨折，保守治疗后疼痛不缓解"),
    ),
    Craft(
        "PICC 置管术",
        C.NURSING,
        "重症医学科",
        "21",
        EXTERNAL,
        ("需长期静脉治疗，外周静脉条件差", "PICC 置管后穿刺点渗血"),
    ),
    Craft("经皮肾镜取石术", C.SURGERY, "泌尿外科", "11", INTERNAL, ()),
    Craft("超声引导下神经阻滞", C.TREATMENT, "麻醉科", "11", INTERNAL, ()),
)
HANDS_ON = {C.SURGERY, C.INTERVENTION}
# What a visiting mentor comes to do: operations only where the technique is one.
TEACHING = [Visit.Kind.LECTURE, Visit.Kind.ONLINE_TEACHING]
VISIT_KINDS = {
    True: [Visit.Kind.SURGERY_GUIDANCE, Visit.Kind.WARD_ROUND, Visit.Kind.CLINIC, *TEACHING],
    False: [Visit.Kind.CLINIC, Visit.Kind.WARD_ROUND, Visit.Kind.FREE_CLINIC, *TEACHING],
}
HELD_VISITS = 68  # the sources' "68 expert visits" in a year
PLANNED_DAYS = (2, 5, 9, 13)  # days after the load day of the visits still to come
LEVELS = [CaseLog.Role.OBSERVED] * 3 + [CaseLog.Role.ASSISTED] * 3 + [CaseLog.Role.SUPERVISED] * 2


def is_loaded() -> bool:
    return Mentorship.objects.exists()


def subtree(department: Department) -> Q:
    """The department and those under it (a ward of cardiology is cardiology)."""
    return Q(department=department) | Q(department__parent=department)


def by_seniority(people) -> list[Person]:
    return sorted(people, key=lambda p: (-GRADE_RANK.get(p.title_grade, 0), p.birth_date, p.pk))


@dataclass
class Pair:
    craft: Craft
    mentorship: Mentorship
    department: Department  # the mentorship's
    apprentices: list[Person]
    colleague: dict[int, Person | None]  # apprentice -> a senior of their own department
    visits: list[datetime.date]


class Year:
    def __init__(self, today: datetime.date, seed: int, host: Institution):
        self.today = today
        self.rng = random.Random(seed)  # noqa: S311 - demo data, not security
        self.start = today - datetime.timedelta(days=365)
        self.host = host
        self.departments = {d.name: d for d in Department.objects.filter(institution=self.host)}
        self.taken: set[int] = set()
        mentor = User.objects.filter(username="mentor").select_related("person").first()
        trainee = User.objects.filter(username="trainee").select_related("person").first()
        self.mentor_persona = mentor.person if mentor else None
        self.trainee = trainee.person if trainee and trainee.person else None
        # The demo trainee leaves on the secondment batch; their cases come before it.
        self.away_from = secondments.batch_start(today) - datetime.timedelta(days=7)

    # -- who ------------------------------------------------------------------------------------
    def _staff(self, department: Department, category: str):
        return list(
            Person.objects.filter(
                subtree(department),
                institution=self.host,
                category=Person.Category.STAFF,
                personnel_category__code=category,
            ).exclude(pk__in=self.taken)
        )

    def apprentices(self, craft: Craft, department: Department) -> list[Person]:
        """Two young doctors (nurses) of the department who hold no post, the trainee first."""
        young = ("junior_practitioner", "intermediate", "junior_assistant")
        people = [
            p
            for p in self._staff(department, craft.staff)
            if p.title_grade in young and p.position in ("医师", "护士")
        ]
        people.sort(
            key=lambda p: (
                p.pk != getattr(self.trainee, "pk", None),
                -p.birth_date.toordinal(),
                p.pk,
            )
        )
        return people[:2]

    def mentor(self, craft: Craft, department: Department) -> Person | None:
        if craft.mentor == INTERNAL:
            seniors = [p for p in self._staff(department, craft.staff) if p.title_grade in SENIOR]
            return next(iter(by_seniority(seniors)), None)
        experts = Person.objects.filter(
            category=Person.Category.EXTERNAL_EXPERT,
            department__name="护理部" if craft.staff == "21" else craft.department,
            personnel_category__code=craft.staff,
        ).exclude(pk__in=self.taken)
        persona = self.mentor_persona
        if persona is not None and experts.filter(pk=persona.pk).exists():
            return persona
        return next(iter(by_seniority(experts)), None)

    def colleague(self, apprentice: Person, mentor: Person) -> Person | None:
        """The most senior of the apprentice's own department (who may confirm their cases)."""
        if apprentice.department_id is None:  # apprentices are chosen from a department
            return None
        seniors = Person.objects.filter(
            department_id=apprentice.department_id,
            category=Person.Category.STAFF,
            personnel_category=apprentice.personnel_category_id,
        ).exclude(pk__in=[apprentice.pk, mentor.pk])
        return next(iter(by_seniority(seniors)), None)

    # -- what -----------------------------------------------------------------------------------
    def pairs(self) -> list[Pair]:
        pairs = []
        for number, craft in enumerate(CRAFTS):
            department = self.departments.get(craft.department)
            if department is None:
                continue
            apprentices = self.apprentices(craft, department)
            mentor = self.mentor(craft, department) if apprentices else None
            if mentor is None:
                continue
            self.taken |= {mentor.pk, *(p.pk for p in apprentices)}
            hands_on = craft.category in HANDS_ON
            mentorship = mentorship_create(
                mentor=mentor,
                apprentices=apprentices,
                institution=self.host,
                department=department,
                start_on=self.start + datetime.timedelta(days=number * 7),
                goals=f"传授{craft.name}，徒弟能独立完成",
                target_visits=12 if craft.mentor == EXTERNAL else 0,
                target_lectures=4 if craft.mentor == EXTERNAL else 0,
                target_operations=20 if hands_on and craft.mentor == EXTERNAL else 0,
            )
            colleagues = {p.pk: self.colleague(p, mentor) for p in apprentices}
            pairs.append(Pair(craft, mentorship, department, apprentices, colleagues, []))
        return pairs

    def visits(self, pairs: list[Pair], studios: dict[int, ExpertStudio]) -> None:
        """68 held visits of the external mentors, spread over the year up to today (so this
        month has some), and a few still to come."""
        visiting = [pair for pair in pairs if pair.craft.mentor == EXTERNAL]
        if not visiting:
            return
        first = min(pair.mentorship.start_on for pair in visiting) + datetime.timedelta(days=10)
        span = (self.today - first).days
        days = [
            first + datetime.timedelta(days=span * n // (HELD_VISITS - 1))
            for n in range(HELD_VISITS)
        ]
        planned = [self.today + datetime.timedelta(days=d) for d in PLANNED_DAYS]
        # Taken in turn, counted from today both ways: the first pair (the demo mentor's)
        # has today's visit and the next one.
        for turn, day in enumerate(days + planned):
            started = [p for p in visiting if p.mentorship.start_on < day]
            back = len(days) - 1 - turn  # 0 today, -1 the first still to come
            pair = started[(back if back >= 0 else -1 - back) % len(started)]
            self._visit(pair, day, studios.get(pair.mentorship.mentor_id))

    def _visit(self, pair: Pair, day: datetime.date, studio: ExpertStudio | None) -> None:
        rng = self.rng
        kind = rng.choice(VISIT_KINDS[pair.craft.category in HANDS_ON])
        held = day <= self.today
        visit_record(
            expert=pair.mentorship.mentor,
            kind=kind,
            institution=self.host,
            department=pair.mentorship.department,
            held_on=day,
            studio=studio,
            mentorship=pair.mentorship,
            patients=rng.randint(15, 45) if held and kind in ("clinic", "free_clinic") else 0,
            attendees=rng.randint(10, 60) if held and kind in ("lecture", "online_teaching") else 0,
            operations=rng.randint(1, 4) if held and kind == "surgery_guidance" else 0,
        )
        if held:
            pair.visits.append(day)

    def studios(self, pairs: list[Pair]) -> dict[int, ExpertStudio]:
        """The first external mentors lead studios in their specialty's department, with its
        doctors and nurses as members: the apprentices when it opened, others since."""
        tiers = [
            StudioTier.NATIONAL,
            StudioTier.PROVINCIAL,
            StudioTier.DISTRICT,
            StudioTier.DISTRICT,
        ]
        external = [pair for pair in pairs if pair.craft.mentor == EXTERNAL]
        studios = {}
        for pair, tier in zip(external, tiers, strict=False):
            expert, department = pair.mentorship.mentor, pair.department
            founded = pair.mentorship.start_on
            members = [*pair.apprentices]
            others = Person.objects.filter(
                subtree(department),
                institution=self.host,
                category=Person.Category.STAFF,
                personnel_category__code__in=("11", "21"),
            ).exclude(pk__in=[expert.pk, *(p.pk for p in members)])
            members += list(others.order_by("pk")[:4])
            studio = studio_create(
                name=f"{expert.name}名医工作室",
                lead=expert,
                tier=tier,
                institution=self.host,
                department=department,
                founded_on=founded,
            )
            for number, person in enumerate(members):
                later = 0 if number < len(pair.apprentices) else self.rng.randint(30, 200)
                studio_member_add(
                    studio=studio,
                    person=person,
                    joined_on=min(founded + datetime.timedelta(days=later), self.today),
                )
            for year in sorted({founded.year, self.today.year}):
                studio_funding_record(studio=studio, year=year)
            studios[expert.pk] = studio
        return studios

    def consultations(self, pairs: list[Pair]) -> None:
        """Every three months an apprentice asks their visiting mentor about a case of the
        specialty (not while away on a secondment)."""
        external = [pair for pair in pairs if pair.craft.mentor == EXTERNAL]
        for number in range(20 if external else 0):
            pair = external[number % len(external)]
            rounds = number // len(external)
            day = pair.mentorship.start_on + datetime.timedelta(days=10 + rounds * 90)
            here = [
                p for p in pair.apprentices if not (p == self.trainee and day >= self.away_from)
            ]
            if day >= self.today or not here:
                continue
            consultation_record(
                expert=pair.mentorship.mentor,
                requester=here[rounds % len(here)],
                institution=self.host,
                held_on=day,
                summary=pair.craft.cases[rounds % len(pair.craft.cases)],
                advice="完善检查后按会诊意见处理",
                outcome="好转",
            )

    def cases(self, pairs: list[Pair], admin) -> int:
        made = 0
        for pair in pairs:
            craft = pair.craft
            technique = technique_register(
                institution=self.host,
                name=craft.name,
                category=craft.category,
                origin=Technique.Origin.MENTORSHIP,
                department=pair.mentorship.department,
                mentorship=pair.mentorship,
                status=Technique.Status.APPROVED,
            )
            for number, apprentice in enumerate(pair.apprentices):
                levels = LEVELS + [CaseLog.Role.INDEPENDENT] * self.rng.randint(0, 7)
                if number:  # the second apprentice started later
                    levels = levels[: self.rng.randint(2, 4)]
                made += self._cases(pair, technique, apprentice, levels, admin)
        return made

    def _cases(self, pair: Pair, technique, apprentice: Person, levels, admin) -> int:
        """Cases with the visiting mentor fall on the days of their visits; the rest, later,
        are confirmed by a senior of the apprentice's department (an internal mentor is there
        every day). The latest awaits review."""
        mentor, rng = pair.mentorship.mentor, self.rng
        begin = pair.mentorship.start_on + datetime.timedelta(days=20)
        end = self.today - datetime.timedelta(days=3)
        if self.trainee is not None and apprentice.pk == self.trainee.pk:
            end = min(end, self.away_from)
        if end <= begin:
            return 0
        with_mentor = sorted(day for day in pair.visits if begin <= day <= end)
        if pair.craft.mentor == INTERNAL:
            with_mentor = []
        with_mentor = with_mentor[: len(levels) - 2]
        rest = len(levels) - len(with_mentor)
        after = with_mentor[-1] + datetime.timedelta(days=1) if with_mentor else begin
        span = max((end - after).days, rest)
        days = [after + datetime.timedelta(days=span * (n + 1) // (rest + 1)) for n in range(rest)]
        colleague = pair.colleague.get(apprentice.pk) or mentor
        for step, (role, day) in enumerate(zip(levels, with_mentor + days, strict=True)):
            supervisor = (
                mentor if step < len(with_mentor) or pair.craft.mentor == INTERNAL else colleague
            )
            log = case_log_create(
                apprentice=apprentice,
                technique=technique,
                performed_on=min(day, end),
                role=role,
                supervisor=supervisor,
                mentorship=pair.mentorship,
            )
            restamp(log, created_at=on(log.performed_on, self.today, 17, rng.randint(0, 59)))
            if step < len(levels) - 1:  # the latest awaits review; the others were confirmed
                token = confirmation_link_create(case_log=log, user=admin)
                confirmation_link_use(token=token, name=supervisor.name)
                confirmed = on(
                    log.performed_on + datetime.timedelta(days=rng.randint(1, 6)), self.today, 20
                )
                restamp(log, verified_at=confirmed)
                log.links.update(created_at=log.created_at, used_at=confirmed)
        return len(levels)


@transaction.atomic
def load_training(*, today: datetime.date, seed: int = 7) -> int:
    """Returns the number of case logs made (0 when the year was already loaded)."""
    if is_loaded():
        return 0
    host = Institution.objects.filter(relation="managed").order_by("pk").first()
    if host is None:
        return 0
    year = Year(today, seed, host)
    pairs = year.pairs()
    if not pairs:
        return 0
    studios = year.studios(pairs)
    year.visits(pairs, studios)
    year.consultations(pairs)
    return year.cases(pairs, User.objects.filter(username="hospital").first())
