"""Training quotas (进修 / 短期培训 / 学历教育): set by the commission for managed
institutions only, and fulfilled by exactly the secondments and enrolments of the
institution's people that start in the year and were not withdrawn."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.training.education import DEGREE, SECONDMENT, SHORT, YEAR, enrolment, quota, secondment
from yicai.training.models import Enrolment, TrainingQuota
from yicai.training.queries.education import quota_list, quota_totals
from yicai.training.services.education import enrolment_update, quota_set


@pytest.fixture
def recorded(world):
    """A's 2025: two secondments (one withdrawn, one of 2024 besides), a short course and a
    degree (a withdrawn short course besides); B's: one of each of two kinds."""
    for kind in (SECONDMENT, SHORT, DEGREE):
        quota(world, world.a, kind, 2)
        quota(world, world.b, kind, 1)
    secondment(world, world.a_doctor, datetime.date(YEAR, 3, 1))
    secondment(world, world.a_ward_nurse, datetime.date(YEAR, 9, 1))
    secondment(world, world.a_surgeon, datetime.date(YEAR, 5, 1), status="withdrawn")
    secondment(world, world.a_surgeon, datetime.date(YEAR - 1, 12, 31))
    secondment(world, world.b_doctor, datetime.date(YEAR, 1, 1))
    enrolment(world.a_doctor)
    enrolment(world.a_surgeon, DEGREE, programme="临床医学硕士")
    enrolment(world.a_ward_nurse, status="withdrawn")
    enrolment(world.a_ward_nurse, start_on=datetime.date(YEAR + 1, 1, 1))
    enrolment(world.b_doctor, start_on=datetime.date(YEAR, 12, 31))


def _figures(user, **filters):
    return {
        (item.institution.short_name, item.kind): (item.number, item.fulfilled)
        for item in quota_list(user, year=YEAR, **filters)
    }


def test_fulfilment_counts_the_secondments_and_enrolments_recorded_in_the_year(world, recorded):
    a, b = world.a.short_name, world.b.short_name
    assert _figures(world.commission) == {
        (a, SECONDMENT): (2, 2),
        (a, SHORT): (2, 1),
        (a, DEGREE): (2, 1),
        (b, SECONDMENT): (1, 1),
        (b, SHORT): (1, 1),
        (b, DEGREE): (1, 0),
    }
    assert set(_figures(world.commission, unmet="yes")) == {(a, SHORT), (a, DEGREE), (b, DEGREE)}
    totals = quota_totals(quota_list(world.commission, year=YEAR))
    assert (totals[SECONDMENT]["quota"], totals[SECONDMENT]["done"]) == (3, 3)
    assert (totals[DEGREE]["quota"], totals[DEGREE]["done"]) == (3, 1)


def test_a_withdrawal_takes_an_enrolment_out_of_the_count(world, recorded):
    course = Enrolment.objects.get(person=world.a_doctor)
    enrolment_update(enrolment=course, status=Enrolment.Status.WITHDRAWN)
    assert _figures(world.hospital_a)[(world.a.short_name, SHORT)] == (2, 0)
    enrolment_update(enrolment=course, status=Enrolment.Status.ENROLLED)
    assert _figures(world.hospital_a)[(world.a.short_name, SHORT)] == (2, 1)


def test_each_institution_sees_its_own_quotas(world, recorded):
    assert {name for name, _kind in _figures(world.hospital_a)} == {world.a.short_name}
    assert {name for name, _kind in _figures(world.hospital_b)} == {world.b.short_name}
    for who in ("dept_head", "mentor", "trainee", "auditor", "nobody"):
        assert _figures(getattr(world, who)) == {}, who


def test_setting_a_quota_again_changes_it(world):
    quota(world, world.a, SHORT, 3)
    quota(world, world.a, SHORT, 5)
    assert list(TrainingQuota.objects.values_list("number", flat=True)) == [5]


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"institution": "partner"}, "institution"),
        ({"number": -1}, "number"),
        ({"number": "many"}, "number"),
        ({"kind": "holiday"}, "kind"),
        ({"year": 1999}, "year"),
        ({"year": "soon"}, "year"),
    ],
)
def test_a_hostile_quota_is_refused_by_field(world, extra, field):
    values = {"institution": world.a, "year": YEAR, "kind": SHORT, "number": 3} | extra
    if values["institution"] == "partner":
        values["institution"] = world.partner
    with pytest.raises(ValidationError) as raised:
        quota_set(**values)
    assert field in raised.value.message_dict
    assert not TrainingQuota.objects.exists()


def _future(days=30):
    return timezone.localdate() + datetime.timedelta(days=days)


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"end_on": datetime.date(YEAR, 3, 1)}, "end_on"),  # before the start
        ({"status": "completed"}, "end_on"),  # completed needs an end
        ({"status": "completed", "end_on": "future"}, "end_on"),
        ({"start_on": "future", "status": "withdrawn"}, "status"),
        ({"start_on": datetime.date(1899, 1, 1)}, "start_on"),
        ({"start_on": "spring"}, "start_on"),
        ({"kind": "secondment"}, "kind"),  # further study is a Secondment
        ({"programme": ""}, "programme"),
        ({"provider": "联系电话 13800138000"}, "provider"),
    ],
)
def test_a_hostile_enrolment_is_refused_by_field(world, extra, field):
    for name in ("start_on", "end_on"):
        if extra.get(name) == "future":
            extra[name] = _future()
    with pytest.raises(ValidationError) as raised:
        enrolment(world.a_doctor, **extra)
    assert field in raised.value.message_dict, raised.value.message_dict
    assert not Enrolment.objects.exists()


def test_an_admission_ahead_of_its_start_counts_in_its_start_year(world):
    start = _future(400)
    enrolment(world.a_doctor, DEGREE, start_on=start)
    quota(world, world.a, DEGREE, 1, year=start.year)
    (item,) = quota_list(world.hospital_a, year=start.year)
    assert item.fulfilled == 1


def test_an_enrolment_update_keeps_the_person_and_the_rules(world):
    course = enrolment(world.a_doctor, end_on=datetime.date(YEAR, 6, 30))
    with pytest.raises(TypeError):
        enrolment_update(enrolment=course, person=world.b_doctor)
    with pytest.raises(ValidationError):
        enrolment_update(enrolment=course, end_on=datetime.date(YEAR, 1, 1))
    course.refresh_from_db()
    assert course.end_on == datetime.date(YEAR, 6, 30)
    enrolment_update(enrolment=course, status="completed")
    course.refresh_from_db()
    assert course.status == "completed"
