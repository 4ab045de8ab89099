"""Continuing education: events refused by field when their input is hostile, attendance
once per person and only after the event, credits summed exactly by class (with those
reported from outside) against the year's requirement, and events that keep their
attendance from being deleted with them."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.training.education import CLASS_I, CLASS_II, DAY, YEAR, attend, event, external
from yicai.training.models import (
    MAX_CREDITS,
    Attendance,
    CreditRequirement,
    EducationEvent,
    ExternalCredit,
)
from yicai.training.queries.education import credit_list, credits_of, meets, requirement_for
from yicai.training.services.education import (
    attendance_remove,
    credit_requirement_set,
    event_delete,
    event_update,
    external_credit_delete,
)


def test_an_event_keeps_its_figures_as_decimals(world):
    lecture = event(world, credits="0.5", department=world.a_cardiology)
    lecture.refresh_from_db()
    assert (lecture.credits, lecture.hours) == (Decimal("0.5"), Decimal("1.5"))
    assert lecture.speaker_display == "王教授"


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"credits": "-1"}, "credits"),
        ({"credits": "abc"}, "credits"),
        ({"credits": "NaN"}, "credits"),
        ({"credits": str(MAX_CREDITS + 1)}, "credits"),
        ({"credits": "1.25"}, "credits"),
        ({"credits": None}, "credits"),
        ({"hours": "-2"}, "hours"),
        ({"hours": "many"}, "hours"),
        ({"kind": "picnic"}, "kind"),
        ({"credit_class": "class_iii"}, "credit_class"),
        ({"held_on": datetime.date(1899, 12, 31)}, "held_on"),
        ({"held_on": "yesterday"}, "held_on"),
        ({"title": "  "}, "title"),
        ({"title": "疑难病例：患者 310113198506010011"}, "title"),
        ({"note": "家属电话 13800138000"}, "note"),
        ({"speaker_name": ""}, "speaker"),
        ({"speaker_name": "王教授", "speaker": "partner_expert"}, "speaker_name"),
        ({"department": "b_medicine"}, "department"),
    ],
)
def test_a_hostile_event_is_refused_by_field_and_nothing_is_written(world, extra, field):
    extra = {
        k: getattr(world, v) if v in ("partner_expert", "b_medicine") else v
        for k, v in extra.items()
    }
    with pytest.raises(ValidationError) as raised:
        event(world, **extra)
    assert field in raised.value.message_dict, raised.value.message_dict
    assert not EducationEvent.objects.exists()


def test_a_person_may_speak_instead_of_an_outside_name(world):
    lecture = event(world, speaker=world.a_surgeon, speaker_name="")
    assert lecture.speaker_display == "周外科"


def test_attendees_get_the_events_credits_unless_given_their_own(world):
    lecture = event(world, credits="2")
    first, second = attend(lecture, world.a_doctor, world.a_surgeon)
    (partial,) = attend(lecture, world.a_ward_nurse, credits="1")
    assert (first.awarded, second.awarded, partial.awarded) == (
        Decimal("2"),
        Decimal("2"),
        Decimal("1"),
    )
    # A change of the event's credits reaches those who were given the event's.
    event_update(event=lecture, credits="3")
    assert credits_of(world.a_doctor, YEAR)["class_ii"] == Decimal("3.0")
    assert credits_of(world.a_ward_nurse, YEAR)["class_ii"] == Decimal("1.0")


def test_a_person_appears_once_per_event_and_a_refused_batch_writes_nobody(world):
    lecture = event(world)
    attend(lecture, world.a_doctor)
    with pytest.raises(ValidationError) as raised:
        attend(lecture, world.a_surgeon, world.a_doctor)
    assert "李心怡" in raised.value.message_dict["people"][0]
    with pytest.raises(ValidationError) as raised:
        attend(lecture, world.a_surgeon, world.a_surgeon)
    assert "people" in raised.value.message_dict
    with pytest.raises(ValidationError) as raised:
        attend(lecture)
    assert "people" in raised.value.message_dict
    assert list(Attendance.objects.values_list("person__name", flat=True)) == ["李心怡"]


@pytest.mark.parametrize("credits", ["-0.5", "x", "26", "0.05"])
def test_hostile_attendance_credits_are_refused(world, credits):
    lecture = event(world)
    with pytest.raises(ValidationError) as raised:
        attend(lecture, world.a_doctor, credits=credits)
    assert "credits" in raised.value.message_dict
    assert not Attendance.objects.exists()


def test_attendance_waits_for_the_event_day_and_a_held_event_stays_in_the_past(world):
    today = timezone.localdate()
    planned = event(world, on=today + datetime.timedelta(days=7))
    with pytest.raises(ValidationError) as raised:
        attend(planned, world.a_doctor)
    assert "event" in raised.value.message_dict
    held = event(world, on=today)
    attend(held, world.a_doctor)
    with pytest.raises(ValidationError) as raised:
        event_update(event=held, held_on=today + datetime.timedelta(days=1))
    assert "held_on" in raised.value.message_dict
    held.refresh_from_db()
    assert held.held_on == today


def test_an_update_refuses_unknown_fields_and_keeps_the_rules(world):
    lecture = event(world)
    with pytest.raises(TypeError):
        event_update(event=lecture, created_at=DAY)
    with pytest.raises(ValidationError) as raised:
        event_update(event=lecture, department=world.b_medicine, credits="-3")
    assert {"department", "credits"} <= set(raised.value.message_dict)
    lecture.refresh_from_db()
    assert (lecture.department, lecture.credits) == (None, Decimal("2"))


def test_an_event_with_attendance_is_deleted_only_once_its_attendance_is_removed(world):
    lecture = event(world)
    (row,) = attend(lecture, world.a_doctor)
    with pytest.raises(ValidationError) as raised:
        event_delete(event=lecture)
    assert "1 人" in raised.value.message_dict["event"][0]
    assert EducationEvent.objects.filter(pk=lecture.pk).exists()
    attendance_remove(attendance=row)
    event_delete(event=lecture)
    assert not EducationEvent.objects.exists()


def _year_of_credits(world):
    """李心怡's 2025: Ⅰ类 2.5 + 2.5 at events and 0.1 reported; Ⅱ类 0.1 + 0.2 at events and
    19.7 reported; a 2024 event and another person's credits that must not count."""
    rows = {}
    for n, credits in enumerate(["2.5", "2.5"]):
        rows[f"i{n}"] = attend(event(world, credit_class=CLASS_I, credits=credits), world.a_doctor)[
            0
        ]
    rows["ii_small"] = attend(event(world, credits="0.1"), world.a_doctor)[0]
    rows["ii_other"] = attend(event(world, credits="0.2"), world.a_doctor, world.a_surgeon)[0]
    attend(event(world, on=datetime.date(YEAR - 1, 12, 31), credits="9"), world.a_doctor)
    external(world, credit_class=CLASS_I, credits="0.1")
    external(world, credit_class=CLASS_II, credits="19.7")
    external(world, world.a_surgeon, credit_class=CLASS_II, credits="5")
    return rows


def test_credits_are_summed_exactly_by_class_with_those_reported_from_outside(world):
    _year_of_credits(world)
    assert credits_of(world.a_doctor, YEAR) == {
        "class_i": Decimal("5.1"),
        "class_ii": Decimal("20.0"),
        "total": Decimal("25.1"),
    }
    assert credits_of(world.a_doctor, YEAR - 1)["class_ii"] == Decimal("9.0")
    assert credits_of(world.a_ward_nurse, YEAR)["total"] == Decimal("0.0")


def test_the_requirement_is_met_exactly_and_missed_once_an_attendance_is_removed(world):
    rows = _year_of_credits(world)
    requirement = requirement_for(YEAR)
    assert (requirement.total, requirement.class_i, requirement.class_ii) == (25, 5, 15)

    def standing(name):
        people = credit_list(world.commission, year=YEAR, standing=name)
        return set(people.values_list("name", flat=True))

    # 25.1 in all, Ⅰ类 5.1, Ⅱ类 20.0 (of 0.1 + 0.2 + 19.7, inexact as floating point).
    assert "李心怡" in standing("met") and "李心怡" not in standing("below")
    assert {"周外科", "赵护士", "陈全科"} <= standing("below")
    attendance_remove(attendance=rows["i0"])  # Ⅰ类 2.6: short of 5
    assert credits_of(world.a_doctor, YEAR)["class_i"] == Decimal("2.6")
    assert "李心怡" in standing("below")


def test_class_ii_credits_do_not_make_up_for_missing_class_i(world):
    external(world, credit_class=CLASS_II, credits="25")
    external(world, credit_class=CLASS_II, credits="5")
    (row,) = credit_list(world.trainee, year=YEAR)
    assert (row.total, meets(row, requirement_for(YEAR))) == (30, False)


def test_the_requirement_in_force_is_the_latest_set_from_that_year_or_before(world):
    assert requirement_for(YEAR).since == 2000  # the national rules, on file
    credit_requirement_set(year=YEAR + 1, total="30", class_i="10", class_ii="15")
    assert requirement_for(YEAR).total == 25
    later = requirement_for(YEAR + 3)
    assert (later.since, later.total, later.class_i) == (YEAR + 1, 30, 10)
    credit_requirement_set(year=YEAR + 1, total="28", class_i="10", class_ii="15")
    assert CreditRequirement.objects.filter(year=YEAR + 1).get().total == 28
    CreditRequirement.objects.all().delete()
    assert (requirement_for(YEAR).total, requirement_for(YEAR).since) == (25, None)


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"total": "20", "class_i": "10", "class_ii": "15"}, "total"),
        ({"total": "-1"}, "total"),
        ({"class_i": "ten"}, "class_i"),
        ({"class_ii": None}, "class_ii"),
        ({"year": 1999}, "year"),
        ({"year": "next"}, "year"),
    ],
)
def test_a_hostile_requirement_is_refused_by_field(world, values, field):
    before = list(CreditRequirement.objects.values_list("year", "total"))
    values = {"year": YEAR, "total": "25", "class_i": "5", "class_ii": "15"} | values
    with pytest.raises(ValidationError) as raised:
        credit_requirement_set(**values)
    assert field in raised.value.message_dict
    assert list(CreditRequirement.objects.values_list("year", "total")) == before


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"credits": "0"}, "credits"),
        ({"credits": "-2"}, "credits"),
        ({"credits": "lots"}, "credits"),
        ({"on": "future"}, "earned_on"),
        ({"title": "会诊患者 13800138000"}, "title"),
        ({"provider": ""}, "provider"),
        ({"credit_class": "gold"}, "credit_class"),
    ],
)
def test_hostile_external_credits_are_refused_by_field(world, extra, field):
    if extra.get("on") == "future":
        extra["on"] = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as raised:
        external(world, **extra)
    assert field in raised.value.message_dict
    assert not ExternalCredit.objects.exists()


def test_an_external_credit_deleted_no_longer_counts(world):
    record = external(world, credits="4")
    assert credits_of(world.a_doctor, YEAR)["class_i"] == 4
    external_credit_delete(record=record)
    assert credits_of(world.a_doctor, YEAR)["class_i"] == 0
