"""Training records for tests, made through the services."""

import datetime

from yicai.training.models import CaseLog, Technique
from yicai.training.queries.mentoring import mentorships_of
from yicai.training.services.mentoring import case_log_create, mentorship_create, technique_register

DAY = datetime.date(2025, 3, 1)


def mentorship(world, *apprentices, institution=None):
    return mentorship_create(
        mentor=world.partner_expert,
        apprentices=apprentices or [world.a_doctor],
        institution=institution or world.a,
        start_on=datetime.date(2024, 9, 1),
        target_operations=20,
    )


def technique(world, name="单孔腹腔镜胆囊切除术", institution=None, **extra):
    return technique_register(
        institution=institution or world.a,
        name=name,
        category=Technique.Category.SURGERY,
        origin=Technique.Origin.MENTORSHIP,
        **extra,
    )


def case(world, technique, role=CaseLog.Role.INDEPENDENT, on=DAY, apprentice=None, **extra):
    """A case log; supervised, unless told otherwise, by the apprentice's first mentor (a
    supervisor must be a mentor or a colleague of their department)."""
    apprentice = apprentice or world.a_doctor
    if "supervisor" not in extra:
        mentorship = mentorships_of(apprentice).select_related("mentor").order_by("pk").first()
        extra["supervisor"] = mentorship.mentor if mentorship else None
    return case_log_create(
        apprentice=apprentice, technique=technique, performed_on=on, role=role, **extra
    )
