"""/api/v1/training/education/ writes: changing and deleting an event, removing one attendance,
recording credits earned outside, and setting the yearly requirement and the quotas. Happy
paths; hostile input refused by field in Chinese with nothing written; other institutions'
rows are 404, roles without the permission 403."""

import datetime
import re
from decimal import Decimal

import pytest

from tests.training.api import API, signed_in
from tests.training.education import CLASS_I, attend, event
from yicai.access.models import AuditEntry
from yicai.training.models import (
    Attendance,
    CreditRequirement,
    EducationEvent,
    ExternalCredit,
    TrainingKind,
    TrainingQuota,
)

EDUCATION = f"{API}/education"
DAY = datetime.date(2024, 3, 12)
CHINESE = re.compile(r"[\u4e00-\u9fff]")
PATIENT_ID = "患者110101199003077777"


@pytest.fixture(name="rows")
def _rows(world) -> dict:
    """A's lecture attended by 李心怡 (A) and 陈全科 (B); an empty A workshop; B's own event."""
    w = world
    lecture = event(w, on=DAY, credits="2")
    attend(lecture, w.a_doctor, w.b_doctor)
    empty = event(w, on=DAY, title="腹腔镜基本技能培训", credit_class=CLASS_I, credits="3")
    b_event = event(w, on=DAY, title="慢病管理讲座", institution=w.b)
    attendances = {item.person_id: item for item in Attendance.objects.filter(event=lecture)}
    return {
        "lecture": lecture,
        "empty": empty,
        "b_event": b_event,
        "a_attendance": attendances[w.a_doctor.pk],
        "b_attendance": attendances[w.b_doctor.pk],
    }


def _counts() -> tuple:
    models = (EducationEvent, Attendance, ExternalCredit, CreditRequirement, TrainingQuota)
    return (*(model.objects.count() for model in models), AuditEntry.objects.count())


def _refused(response, field: str) -> None:
    assert response.status_code == 400, response.content
    body = response.json()
    assert field in body, body
    messages = body[field] if isinstance(body[field], list) else [body[field]]
    assert all(CHINESE.search(text) for text in messages), messages


# --- events ----------------------------------------------------------------------------------


def test_a_hospital_changes_an_event_and_its_attendees_follow_the_credits(world, rows):
    lecture = rows["lecture"]
    response = signed_in(world.hospital_a).patch(
        f"{EDUCATION}/events/{lecture.pk}/",
        {"title": "心衰诊治新进展", "credits": "3", "event_kind": "skills_training"},
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["title"] == "心衰诊治新进展" and body["event_kind"] == "skills_training"
    assert {row["awarded_credits"] for row in body["attendances"]} == {"3.0"}
    lecture.refresh_from_db()
    assert (lecture.credits, lecture.kind) == (Decimal("3"), "skills_training")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"institution": "b"}, "institution"),
        ({"held_on": "2024-02-30"}, "held_on"),
        ({"title": PATIENT_ID}, "title"),
        ({"credits": "abc"}, "credits"),
        ({"event_kind": "party"}, "event_kind"),
        ({"held_on": "2099-01-01"}, "held_on"),
    ],
)
def test_a_hostile_event_change_is_refused_by_field_and_nothing_is_written(
    world, rows, change, field
):
    if change.get("institution") == "b":
        change = {"institution": world.b.pk}
    lecture = rows["lecture"]
    api = signed_in(world.hospital_a)
    before = _counts()
    response = api.patch(f"{EDUCATION}/events/{lecture.pk}/", change, format="json")
    _refused(response, field)
    assert _counts() == before
    fresh = EducationEvent.objects.get(pk=lecture.pk)
    assert (fresh.title, fresh.held_on, fresh.institution_id) == (
        lecture.title,
        lecture.held_on,
        world.a.pk,
    )


def test_an_event_nobody_attended_is_deleted_and_one_with_attendance_is_refused(world, rows):
    api = signed_in(world.hospital_a)
    before = _counts()
    _refused(api.delete(f"{EDUCATION}/events/{rows['lecture'].pk}/"), "event")
    assert _counts() == before
    response = api.delete(f"{EDUCATION}/events/{rows['empty'].pk}/")
    assert response.status_code == 204, response.content
    assert not EducationEvent.objects.filter(pk=rows["empty"].pk).exists()


@pytest.mark.parametrize("method", ["patch", "delete"])
def test_another_institutions_event_is_not_found_and_readers_are_forbidden(world, rows, method):
    url = f"{EDUCATION}/events/{rows['empty'].pk}/"
    before = _counts()[:-1]
    assert getattr(signed_in(world.hospital_b), method)(url, {}, format="json").status_code == 404
    assert (
        getattr(signed_in(world.hospital_a), method)(
            f"{EDUCATION}/events/{rows['b_event'].pk}/", {}, format="json"
        ).status_code
        == 404
    )
    for persona in ("trainee", "auditor", "nobody"):
        response = getattr(signed_in(getattr(world, persona)), method)(url, {}, format="json")
        assert response.status_code == 403, (persona, response.content)
    assert _counts()[:-1] == before


# --- attendance ------------------------------------------------------------------------------


def test_a_hospital_removes_its_own_attendee_but_not_another_institutions(world, rows):
    api = signed_in(world.hospital_a)
    b_url = f"{EDUCATION}/attendance/{rows['b_attendance'].pk}/"
    a_url = f"{EDUCATION}/attendance/{rows['a_attendance'].pk}/"
    assert api.delete(b_url).status_code == 404
    assert signed_in(world.hospital_b).delete(a_url).status_code == 404
    # B's administrator may edit 陈全科 but not A's event.
    assert signed_in(world.hospital_b).delete(b_url).status_code == 404
    assert signed_in(world.trainee).delete(a_url).status_code == 403
    assert api.delete(f"{EDUCATION}/attendance/abc/").status_code == 404
    assert Attendance.objects.filter(event=rows["lecture"]).count() == 2
    assert api.delete(a_url).status_code == 204
    assert list(
        Attendance.objects.filter(event=rows["lecture"]).values_list("person_id", flat=True)
    ) == [world.b_doctor.pk]


# --- credits earned outside ------------------------------------------------------------------


def _credit(person=None, **change) -> dict:
    values = {
        "earned_on": "2024-05-01",
        "title": "省级心血管介入培训班",
        "provider": "省医学会",
        "credit_class": "class_i",
        "credits": "4",
    }
    if person is not None:
        values["person"] = person.pk
    return values | change


def test_an_administrator_records_credits_for_staff_and_staff_report_their_own(world):
    response = signed_in(world.hospital_a).post(
        f"{EDUCATION}/external-credits/", _credit(world.a_ward_nurse), format="json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["person"]["id"] == world.a_ward_nurse.pk and body["credits"] == "4.0"
    assert body["credit_class_display"] == "Ⅰ类学分"
    response = signed_in(world.trainee).post(
        f"{EDUCATION}/external-credits/", _credit(), format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["person"]["id"] == world.a_doctor.pk
    assert ExternalCredit.objects.filter(person=world.a_doctor).count() == 1


@pytest.mark.parametrize(
    ("persona", "change", "field"),
    [
        ("hospital_a", {"person": "b_doctor"}, "person"),
        ("hospital_a", {"person": "missing"}, "person"),
        ("trainee", {"person": "a_ward_nurse"}, "person"),
        ("hospital_a", {"title": PATIENT_ID}, "title"),
        ("hospital_a", {"credits": "0"}, "credits"),
        ("hospital_a", {"credits": "abc"}, "credits"),
        ("hospital_a", {"earned_on": "2099-01-01"}, "earned_on"),
        ("hospital_a", {"credit_class": "class_x"}, "credit_class"),
    ],
)
def test_hostile_external_credits_are_refused_by_field(world, persona, change, field):
    person = change.pop("person", None)
    values = _credit(world.a_doctor if persona == "hospital_a" else None, **change)
    if person == "missing":
        values["person"] = None
    elif person is not None:
        values["person"] = getattr(world, person).pk
    api = signed_in(getattr(world, persona))
    before = _counts()
    _refused(api.post(f"{EDUCATION}/external-credits/", values, format="json"), field)
    assert _counts() == before


def test_roles_that_neither_record_nor_report_credits_are_forbidden(world):
    for persona in ("auditor", "security", "nobody"):
        response = signed_in(getattr(world, persona)).post(
            f"{EDUCATION}/external-credits/", _credit(world.a_doctor), format="json"
        )
        assert response.status_code == 403, (persona, response.content)
    assert not ExternalCredit.objects.exists()


# --- requirement and quotas ------------------------------------------------------------------


def test_the_commission_sets_and_changes_the_requirement_of_a_year(world):
    api = signed_in(world.commission)
    url = f"{EDUCATION}/credit-requirements/"
    values = {"year": 2025, "total": "30", "class_i": "10", "class_ii": "15"}
    response = api.post(url, values, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["total"] == "30.0"
    response = api.post(url, values | {"total": "28"}, format="json")
    assert response.status_code == 200, response.content
    requirement = CreditRequirement.objects.get(year=2025)
    assert (requirement.total, requirement.class_i) == (Decimal("28"), Decimal("10"))
    assert CreditRequirement.objects.filter(year=2025).count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"total": "20"}, "total"),
        ({"year": 1900}, "year"),
        ({"class_i": "-1"}, "class_i"),
        ({"class_ii": "abc"}, "class_ii"),
    ],
)
def test_a_hostile_requirement_is_refused_by_field(world, change, field):
    values = {"year": 2025, "total": "30", "class_i": "10", "class_ii": "15"} | change
    api = signed_in(world.commission)
    before = _counts()
    response = api.post(f"{EDUCATION}/credit-requirements/", values, format="json")
    _refused(response, field)
    assert _counts() == before


def test_the_commission_sets_a_quota_and_changes_it(world):
    api = signed_in(world.commission)
    values = {"institution": world.a.pk, "year": 2024, "training_kind": "secondment", "number": 3}
    response = api.post(f"{EDUCATION}/quotas/", values, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["number"] == 3 and body["fulfilled"] == 0 and body["met"] is False
    response = api.post(f"{EDUCATION}/quotas/", values | {"number": 0}, format="json")
    assert response.status_code == 200, response.content
    quota = TrainingQuota.objects.get()
    assert (quota.number, quota.kind) == (0, TrainingKind.SECONDMENT)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"institution": "partner"}, "institution"),
        ({"institution": "abc"}, "institution"),
        ({"number": -1}, "number"),
        ({"training_kind": "holiday"}, "training_kind"),
        ({"year": 3000}, "year"),
    ],
)
def test_a_hostile_quota_is_refused_by_field(world, change, field):
    values = {"institution": world.a.pk, "year": 2024, "training_kind": "secondment", "number": 3}
    values |= change
    if values["institution"] == "partner":
        values["institution"] = world.partner.pk
    api = signed_in(world.commission)
    before = _counts()
    _refused(api.post(f"{EDUCATION}/quotas/", values, format="json"), field)
    assert _counts() == before


@pytest.mark.parametrize("persona", ["hospital_a", "hospital_b", "dept_head", "trainee", "nobody"])
def test_only_the_commission_sets_requirements_and_quotas(world, persona):
    api = signed_in(getattr(world, persona))
    before = _counts()
    requirement = {"year": 2025, "total": "30", "class_i": "10", "class_ii": "15"}
    quota = {"institution": world.a.pk, "year": 2024, "training_kind": "degree", "number": 1}
    response = api.post(f"{EDUCATION}/credit-requirements/", requirement, format="json")
    assert response.status_code == 403, response.content
    assert api.post(f"{EDUCATION}/quotas/", quota, format="json").status_code == 403
    assert _counts() == before
