"""A year of cultivation in the demo district, made through the training services: mentor
pairs, studios of each tier with their funding, expert visits, consultations, and case logs
whose verified independent cases fill technical gaps. Deterministic; loaded once."""

import datetime
import random

from django.db import transaction

from yicai.access.models import User
from yicai.org.models import Institution
from yicai.people.models import Person
from yicai.training import services
from yicai.training.models import CaseLog, Mentorship, StudioTier, Technique, Visit

TECHNIQUES = [
    ("单孔腹腔镜胆囊切除术", Technique.Category.SURGERY),
    ("经皮冠状动脉介入治疗", Technique.Category.INTERVENTION),
    ("齦下刮治根面平整术", Technique.Category.TREATMENT),
    ("经皮肾镜取石术", Technique.Category.SURGERY),
    ("超声引导下神经阻滞", Technique.Category.TREATMENT),
    ("无痛胃肠镜检查", Technique.Category.DIAGNOSIS),
    ("PICC 置管术", Technique.Category.NURSING),
    ("中医针刀疗法", Technique.Category.TCM),
]
SUMMARIES = ["胸痛 3 天，心电图 ST 段改变", "反复腹痛，影像提示胆囊结石", "皮疹 2 周伴瘙痒"]
VISIT_KINDS = [
    Visit.Kind.CLINIC,
    Visit.Kind.CLINIC,
    Visit.Kind.WARD_ROUND,
    Visit.Kind.LECTURE,
    Visit.Kind.SURGERY_GUIDANCE,
    Visit.Kind.FREE_CLINIC,
    Visit.Kind.ONLINE_TEACHING,
]


def is_loaded() -> bool:
    return Mentorship.objects.exists()


@transaction.atomic
def load_training(*, today: datetime.date, seed: int = 7) -> int:
    """Returns the number of case logs made (0 when the year was already loaded)."""
    if is_loaded():
        return 0
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    experts = list(
        Person.objects.filter(category=Person.Category.EXTERNAL_EXPERT).order_by("pk")[:12]
    )
    host = Institution.objects.filter(relation="managed").order_by("pk").first()
    if not experts or host is None:
        return 0
    staff = list(
        Person.objects.filter(institution=host, category=Person.Category.STAFF)
        .exclude(department=None)
        .order_by("pk")[:200]
    )
    # The demo accounts first, so the mentor and the trainee logins see their own pair.
    mentor_user = User.objects.filter(username="mentor").select_related("person").first()
    trainee_user = User.objects.filter(username="trainee").select_related("person").first()
    if mentor_user and mentor_user.person in experts:
        experts.remove(mentor_user.person)
        experts.insert(0, mentor_user.person)
    if trainee_user and trainee_user.person_id and trainee_user.person.institution_id == host.pk:
        staff = [trainee_user.person, *[p for p in staff if p.pk != trainee_user.person_id]]
    admin = User.objects.filter(username="hospital").first()
    start = today - datetime.timedelta(days=365)

    pairs = []
    for number, expert in enumerate(experts[:8]):
        apprentices = staff[number * 2 : number * 2 + 2]
        if not apprentices:
            break
        pairs.append(
            services.mentorship_create(
                mentor=expert,
                apprentices=apprentices,
                institution=host,
                department=apprentices[0].department,
                start_on=start + datetime.timedelta(days=number * 7),
                goals="每月坐诊带教；传授一项新技术",
                target_visits=12,
                target_lectures=4,
                target_operations=20,
            )
        )
    tiers = [StudioTier.NATIONAL, StudioTier.PROVINCIAL, StudioTier.DISTRICT, StudioTier.DISTRICT]
    studios = []
    for expert, tier in zip(experts[:4], tiers, strict=False):
        studio = services.studio_create(
            name=f"{expert.name}名医工作室",
            lead=expert,
            tier=tier,
            institution=host,
            founded_on=start,
        )
        for year in sorted({start.year, today.year}):
            services.studio_funding_record(studio=studio, year=year)
        studios.append(studio)

    for number in range(68):  # the sources' "68 expert visits" in a year
        pair = pairs[number % len(pairs)]
        studio = next((s for s in studios if s.lead_id == pair.mentor_id), None)
        kind = rng.choice(VISIT_KINDS)
        services.visit_record(
            expert=pair.mentor,
            kind=kind,
            institution=host,
            department=pair.department,
            held_on=start + datetime.timedelta(days=5 + number * 5),
            studio=studio,
            mentorship=pair,
            patients=rng.randint(15, 45) if kind in ("clinic", "free_clinic") else 0,
            attendees=rng.randint(10, 60) if kind in ("lecture", "online_teaching") else 0,
            operations=rng.randint(1, 4) if kind == "surgery_guidance" else 0,
        )
    for number in range(20):
        pair = pairs[number % len(pairs)]
        services.consultation_record(
            expert=pair.mentor,
            requester=pair.apprenticeships.first().apprentice,
            institution=host,
            held_on=start + datetime.timedelta(days=10 + number * 17),
            summary=rng.choice(
                ["胸痛 3 天，心电图 ST 段改变", "反复腹痛，影像提示胆囊结石", "皮疹 2 周伴瘙痒"]
            ),
            advice="完善检查后按会诊意见处理",
            outcome="好转",
        )

    cases = 0
    for (name, category), pair in zip(TECHNIQUES, pairs, strict=False):
        technique = services.technique_register(
            institution=host,
            name=name,
            category=category,
            origin=Technique.Origin.MENTORSHIP,
            department=pair.department,
            mentorship=pair,
            status=Technique.Status.APPROVED,
        )
        apprentice = pair.apprenticeships.first().apprentice
        levels = [CaseLog.Role.OBSERVED] * 3 + [CaseLog.Role.ASSISTED] * 3
        levels += [CaseLog.Role.SUPERVISED] * 2 + [CaseLog.Role.INDEPENDENT] * rng.randint(0, 10)
        for step, role in enumerate(levels):
            log = services.case_log_create(
                apprentice=apprentice,
                technique=technique,
                performed_on=start + datetime.timedelta(days=30 + step * 18),
                role=role,
                supervisor=pair.mentor,
                mentorship=pair,
            )
            cases += 1
            if step < len(levels) - 1:  # the latest awaits review; the others were confirmed
                token = services.confirmation_link_create(case_log=log, user=admin)
                services.confirmation_link_use(token=token, name=pair.mentor.name)
    return cases
