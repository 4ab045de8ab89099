"""Who sees which cultivation records: the commission its district, a hospital its own, a
department head their department, a mentor their mentorships and their apprentices' cases, a
trainee their own; the oversight roles and an account without roles see nothing."""

import datetime

import pytest

from tests import factories
from tests.builders import once_per_module
from tests.scope_tables import CASES
from tests.training.helpers import case, mentorship, technique
from yicai.access.models import Role
from yicai.access.scope import scoped
from yicai.training.models import CaseLog, Mentorship, Technique
from yicai.training.services.mentoring import mentorship_create

EVERYONE = ("commission", "hospital_a", "hospital_b", "dept_head", "mentor", "trainee")
NOBODY = ("auditor", "security", "nobody")


def scope_records(world):
    # 孙名医 (partner) and 李心怡 (A, cardiology) and 赵护士 (A, cardiology's ward)
    pair = mentorship(world, world.a_doctor, world.a_ward_nurse)
    a_item = technique(world, mentorship=pair)
    b_item = technique(world, "胃镜下息肉切除术", institution=world.b)
    return {
        "pair": pair,
        "other_pair": mentorship(world, world.a_surgeon),
        "a_item": a_item,
        "b_item": b_item,
        "own": case(world, a_item),
        # Seen by the mentor as the cases of an apprentice, and as a case they supervise.
        "surgeon": case(
            world, technique(world, "经皮肾镜取石术"), apprentice=world.a_surgeon, supervisor=None
        ),
        "nurse": case(world, technique(world, "PICC置管术"), apprentice=world.a_ward_nurse),
        "b_case": case(world, b_item, apprentice=world.b_doctor, supervisor=None),
    }


_built, records = once_per_module(scope_records)


MENTORSHIPS = {
    "commission": {"pair", "other_pair"},
    "hospital_a": {"pair", "other_pair"},
    "hospital_b": set(),
    "dept_head": set(),  # mentorships have no department here
    "mentor": {"pair", "other_pair"},
    "trainee": {"pair"},
}


def _names(records, queryset):
    ids = set(queryset.values_list("pk", flat=True))
    return {name for name, item in records.items() if item.pk in ids}


@pytest.mark.parametrize("who", EVERYONE + NOBODY)
def test_case_logs_and_mentorships_follow_the_scope(world, records, who):
    user = getattr(world, who)
    cases = {k: v for k, v in records.items() if isinstance(v, CaseLog)}
    pairs = {k: v for k, v in records.items() if isinstance(v, Mentorship)}
    assert _names(cases, scoped(user, CaseLog.objects.all())) == CASES.get(who, set())
    assert _names(pairs, scoped(user, Mentorship.objects.all())) == MENTORSHIPS.get(who, set())


@pytest.mark.parametrize("who", EVERYONE + NOBODY)
def test_techniques_follow_the_scope(world, records, who):
    items = {k: v for k, v in records.items() if isinstance(v, Technique)}
    expected = {
        "commission": {"a_item", "b_item"},
        "hospital_a": {"a_item"},
        "hospital_b": {"b_item"},
        "dept_head": set(),
        "mentor": {"a_item"},  # registered under 孙名医's mentorship
        "trainee": {"a_item"},  # 李心怡 logged a case of it
    }
    user = getattr(world, who)
    assert _names(items, scoped(user, Technique.objects.all())) == expected.get(who, set())


def test_what_a_person_oversees_elsewhere_they_read_and_confirm_but_never_change(world):
    """B's administrator who mentors at A sees that mentorship and its cases, verifies them,
    and may not edit A's mentorship, its techniques or its cases."""
    pair = mentorship_create(
        mentor=world.b_doctor,
        apprentices=[world.a_doctor],
        institution=world.a,
        start_on=datetime.date(2024, 9, 1),
    )
    item = technique(world, "甲院经皮冠脉介入术", mentorship=pair)
    logged = case(world, item, supervisor=world.b_doctor)
    admin_b = factories.user(
        "admin_b_mentor",
        person=world.b_doctor,
        roles=[(Role.INSTITUTION_ADMIN, {"institution": world.b})],
    )
    for model, row in ((Mentorship, pair), (Technique, item), (CaseLog, logged)):
        assert scoped(admin_b, model.objects.filter(pk=row.pk)).exists()
        assert not scoped(admin_b, model.objects.filter(pk=row.pk), "training.edit").exists()
    assert scoped(admin_b, CaseLog.objects.filter(pk=logged.pk), "training.verify").exists()
