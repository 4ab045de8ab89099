"""/api/v1/training/education/: continuing-education events with the attendance each user may
see, recording attendance, each person's credits against the year's requirement, the
training quotas with their fulfilment, and enrolments. Happy paths; hostile input refused by
field in Chinese with nothing written; every persona against every list, row and action;
query counts that do not grow with the rows."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests import factories
from tests.builders import once_per_module
from tests.scope_tables import PERSONAS
from tests.training.api import API, ids, pks, results, signed_in
from tests.training.education import CLASS_I, CLASS_II, attend, event, external
from yicai.access.models import AuditEntry
from yicai.training.models import Attendance, EducationEvent, Enrolment, TrainingKind
from yicai.training.services.education import (
    attendance_remove,
    credit_requirement_set,
    enrolment_create,
    quota_set,
)
from yicai.training.services.secondments import secondment_create

EDUCATION = f"{API}/education"
YEAR = 2024
DAY = datetime.date(YEAR, 3, 12)
CHINESE = re.compile(r"[\u4e00-\u9fff]")
WITHOUT_TRAINING = ("auditor", "security", "nobody")
EDITORS = ("commission", "hospital_a", "hospital_b")


def education_records(world) -> dict:
    """A cardiology lecture at A given by 周外科, attended by 李心怡 and by 陈全科 of B; a
    surgery workshop at A; B's own discussion given by the partner expert. Credits of the
    year: 李心怡 2 + 5 (short of 25), 赵护士 10 + 15 (met). Quotas of A and B and what fills
    them; enrolments at A and B."""
    w = world
    lecture = event(
        w, on=DAY, department=w.a_cardiology, speaker=w.a_surgeon, speaker_name="", credits="2"
    )
    attend(lecture, w.a_doctor, w.b_doctor)
    workshop = event(
        w,
        on=DAY + datetime.timedelta(days=30),
        title="腹腔镜基本技能培训",
        kind=EducationEvent.Kind.SKILLS_TRAINING,
        department=w.a_surgery,
        credit_class=CLASS_I,
        credits="3",
    )
    attend(workshop, w.a_surgeon, credits="1.5")
    b_event = event(
        w,
        on=DAY,
        title="慢病管理疑难病例讨论",
        kind=EducationEvent.Kind.CASE_DISCUSSION,
        institution=w.b,
        speaker=w.partner_expert,
        speaker_name="",
    )
    attend(b_event, w.b_doctor)
    external(w, person=w.a_doctor, on=DAY, credits="5")
    external(w, person=w.a_ward_nurse, on=DAY, credit_class=CLASS_I, credits="10")
    external(w, person=w.a_ward_nurse, on=DAY, credit_class=CLASS_II, credits="15")
    quotas = {
        "a_secondment": quota_set(
            institution=w.a, year=YEAR, kind=TrainingKind.SECONDMENT, number=2
        ),
        "a_short": quota_set(institution=w.a, year=YEAR, kind=TrainingKind.SHORT_COURSE, number=1),
        "b_degree": quota_set(institution=w.b, year=YEAR, kind=TrainingKind.DEGREE, number=1),
    }
    secondment_create(
        person=w.a_doctor,
        host=w.partner,
        host_department="心内科",
        start_on=datetime.date(YEAR, 3, 1),
    )
    enrolments = {
        "a_course": enrolment_create(
            person=w.a_surgeon,
            kind=Enrolment.Kind.SHORT_COURSE,
            provider="市医学会",
            programme="腔镜技能提高班",
            start_on=datetime.date(YEAR, 4, 1),
            end_on=datetime.date(YEAR, 4, 30),
            status=Enrolment.Status.COMPLETED,
        ),
        "nurse_degree": enrolment_create(
            person=w.a_ward_nurse,
            kind=Enrolment.Kind.DEGREE,
            provider="医科大学",
            programme="护理学（专升本）",
            start_on=datetime.date(YEAR, 9, 1),
        ),
        "b_study": enrolment_create(
            person=w.b_doctor,
            kind=Enrolment.Kind.DEGREE,
            provider="医科大学",
            programme="全科医学（在职研究生）",
            start_on=datetime.date(YEAR - 1, 9, 1),
        ),
    }
    return {
        "lecture": lecture,
        "workshop": workshop,
        "b_event": b_event,
        **quotas,
        **enrolments,
    }


_built, records = once_per_module(education_records)


def _counts() -> tuple:
    return tuple(
        model.objects.count() for model in (EducationEvent, Attendance, Enrolment, AuditEntry)
    )


def assert_refused(response, field: str, message: str | None = None) -> None:
    assert response.status_code == 400, response.content
    body = response.json()
    assert field in body, body
    messages = body[field] if isinstance(body[field], list) else [body[field]]
    assert all(isinstance(text, str) and CHINESE.search(text) for text in messages), messages
    if message is not None:
        assert message in " ".join(messages), messages


# --- happy paths -----------------------------------------------------------------------------


def test_events_are_listed_with_their_attendance_and_filtered(world, records):
    api = signed_in(world.commission)
    rows = {row["id"]: row for row in results(api.get(f"{EDUCATION}/events/"))}
    assert set(rows) == pks(records, "lecture", "workshop", "b_event")
    lecture = rows[records["lecture"].pk]
    assert lecture["event_kind"] == "lecture" and lecture["event_kind_display"] == "小讲课"
    assert lecture["speaker"] == {"id": world.a_surgeon.pk, "name": "周外科"}
    assert lecture["speaker_display"] == "周外科" and lecture["attendee_count"] == 2
    assert lecture["credits"] == "2.0" and lecture["hours"] == "1.5"
    assert lecture["credit_class"] == "class_ii" and lecture["credit_class_display"] == "Ⅱ类学分"
    assert rows[records["workshop"].pk]["speaker_display"] == "王教授"
    assert ids(api.get(f"{EDUCATION}/events/?kind=skills_training")) == pks(records, "workshop")
    assert ids(api.get(f"{EDUCATION}/events/?credit_class=class_i")) == pks(records, "workshop")
    assert ids(api.get(f"{EDUCATION}/events/?institution={world.b.pk}")) == pks(records, "b_event")
    assert ids(api.get(f"{EDUCATION}/events/?q=王教授")) == pks(records, "workshop")
    assert ids(api.get(f"{EDUCATION}/events/?since=2024-04-01&until=2024-12-31")) == pks(
        records, "workshop"
    )


def test_an_event_shows_only_the_attendees_the_user_may_see(world, records):
    url = f"{EDUCATION}/events/{records['lecture'].pk}/"
    body = signed_in(world.commission).get(url).json()
    assert {row["person"]["name"] for row in body["attendances"]} == {"李心怡", "陈全科"}
    assert body["hidden_attendees"] == 0
    body = signed_in(world.hospital_a).get(url).json()
    assert [row["person"]["name"] for row in body["attendances"]] == ["李心怡"]
    assert body["attendee_count"] == 2 and body["hidden_attendees"] == 1
    row = body["attendances"][0]
    assert row["awarded_credits"] == "2.0" and row["own_credits"] is None
    assert row["institution"]["id"] == world.a.pk
    workshop = signed_in(world.hospital_a).get(f"{EDUCATION}/events/{records['workshop'].pk}/")
    row = workshop.json()["attendances"][0]
    assert (row["own_credits"], row["awarded_credits"]) == ("1.5", "1.5")


def test_a_hospital_records_an_event_and_its_attendance(world, records):
    api = signed_in(world.hospital_a)
    response = api.post(
        f"{EDUCATION}/events/",
        {
            "event_kind": "technique_lecture",
            "title": "经皮冠脉介入新进展",
            "institution": world.a.pk,
            "department": world.a_cardiology.pk,
            "held_on": "2024-05-20",
            "speaker_name": "外院专家",
            "hours": "2",
            "credit_class": "class_i",
            "credits": "1.5",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["credits"] == "1.5" and body["attendances"] == []
    event_id = body["id"]
    assert EducationEvent.objects.get(pk=event_id).credits == Decimal("1.5")
    response = api.post(
        f"{EDUCATION}/events/{event_id}/attendance/",
        {"people": [world.a_doctor.pk, world.a_ward_nurse.pk], "credits": "1"},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert {row["person"]["name"] for row in body["attendances"]} == {"李心怡", "赵护士"}
    assert {row["awarded_credits"] for row in body["attendances"]} == {"1.0"}
    assert Attendance.objects.filter(event_id=event_id).count() == 2


def test_credits_are_summed_by_class_against_the_requirement(world, records):
    api = signed_in(world.hospital_a)
    rows = {
        row["person"]["name"]: row for row in results(api.get(f"{EDUCATION}/credits/?year={YEAR}"))
    }
    assert set(rows) == {"李心怡", "赵护士", "周外科"}
    doctor = rows["李心怡"]
    assert doctor["earned"] == {"class_i": "5.0", "class_ii": "2.0", "total": "7.0"}
    assert doctor["required"] == {"class_i": "5.0", "class_ii": "15.0", "total": "25.0"}
    assert doctor["meets"] is False and doctor["year"] == YEAR
    assert doctor["institution"]["id"] == world.a.pk
    assert doctor["department"] == {"id": world.a_cardiology.pk, "name": "心血管内科"}
    assert rows["赵护士"]["earned"]["total"] == "25.0" and rows["赵护士"]["meets"] is True
    assert rows["周外科"]["earned"]["class_i"] == "1.5"

    def names(query):
        return {row["person"]["name"] for row in results(api.get(f"{EDUCATION}/credits/?{query}"))}

    assert names(f"year={YEAR}&below=yes") == {"李心怡", "周外科"}
    assert names(f"year={YEAR}&below=no") == {"赵护士"}
    assert names(f"year={YEAR}&q=赵") == {"赵护士"}
    credit_requirement_set(year=YEAR, total="7", class_i="5", class_ii="2")
    assert names(f"year={YEAR}&below=no") == {"赵护士", "李心怡"}
    assert names(f"year={YEAR - 1}&below=no") == set()  # nothing earned the year before


def test_quotas_show_what_fills_them(world, records):
    rows = {
        row["id"]: row
        for row in results(signed_in(world.commission).get(f"{EDUCATION}/quotas/?year={YEAR}"))
    }
    assert set(rows) == pks(records, "a_secondment", "a_short", "b_degree")
    secondments = rows[records["a_secondment"].pk]
    assert secondments["training_kind"] == "secondment"
    assert secondments["training_kind_display"] == "进修"
    assert (secondments["number"], secondments["fulfilled"], secondments["met"]) == (2, 1, False)
    assert (rows[records["a_short"].pk]["fulfilled"], rows[records["a_short"].pk]["met"]) == (
        1,
        True,
    )
    assert rows[records["b_degree"].pk]["fulfilled"] == 0  # began the year before
    api = signed_in(world.hospital_a)
    assert ids(api.get(f"{EDUCATION}/quotas/?year={YEAR}&unmet=yes")) == pks(
        records, "a_secondment"
    )
    assert ids(api.get(f"{EDUCATION}/quotas/?year={YEAR}&kind=short_course")) == pks(
        records, "a_short"
    )
    assert ids(api.get(f"{EDUCATION}/quotas/?year={YEAR + 1}")) == set()


def test_enrolments_are_listed_filtered_read_and_recorded(world, records):
    api = signed_in(world.hospital_a)
    assert ids(api.get(f"{EDUCATION}/enrolments/")) == pks(records, "a_course", "nurse_degree")
    assert ids(api.get(f"{EDUCATION}/enrolments/?kind=degree")) == pks(records, "nurse_degree")
    assert ids(api.get(f"{EDUCATION}/enrolments/?status=completed")) == pks(records, "a_course")
    assert ids(api.get(f"{EDUCATION}/enrolments/?q=护理&year={YEAR}")) == pks(
        records, "nurse_degree"
    )
    body = api.get(f"{EDUCATION}/enrolments/{records['a_course'].pk}/").json()
    assert body["enrolment_kind"] == "short_course" and body["enrolment_status"] == "completed"
    assert body["person"]["name"] == "周外科" and body["end_on"] == f"{YEAR}-04-30"
    response = api.post(
        f"{EDUCATION}/enrolments/",
        {
            "person": world.a_doctor.pk,
            "enrolment_kind": "degree",
            "provider": "医科大学",
            "programme": "内科学（在职研究生）",
            "start_on": f"{YEAR}-09-01",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["enrolment_status"] == "enrolled"
    assert Enrolment.objects.get(pk=response.json()["id"]).person == world.a_doctor


# --- scope -----------------------------------------------------------------------------------

EVENTS = {
    "commission": {"lecture", "workshop", "b_event"},
    "hospital_a": {"lecture", "workshop"},
    "hospital_b": {"b_event"},
    "dept_head": {"lecture"},  # held by cardiology
    "mentor": {"b_event"},  # they spoke at it
    "trainee": {"lecture"},  # they attended it
}
# The attendees each persona sees at each event it sees.
ATTENDEES = {
    "commission": {"lecture": {"李心怡", "陈全科"}, "workshop": {"周外科"}, "b_event": {"陈全科"}},
    "hospital_a": {"lecture": {"李心怡"}, "workshop": {"周外科"}},
    "hospital_b": {"b_event": {"陈全科"}},
    "dept_head": {"lecture": {"李心怡"}},
    "mentor": {"b_event": set()},
    "trainee": {"lecture": {"李心怡"}},
}
CREDITED = {  # staff only: the partner's expert is not held to the requirement
    "commission": {"李心怡", "赵护士", "周外科", "陈全科"},
    "hospital_a": {"李心怡", "赵护士", "周外科"},
    "hospital_b": {"陈全科"},
    "dept_head": {"李心怡", "赵护士"},
    "mentor": set(),
    "trainee": {"李心怡"},
}
QUOTAS = {
    "commission": {"a_secondment", "a_short", "b_degree"},
    "hospital_a": {"a_secondment", "a_short"},
    "hospital_b": {"b_degree"},
    "dept_head": set(),  # quotas are the institution's
    "mentor": set(),
    "trainee": set(),
}
ENROLMENTS = {
    "commission": {"a_course", "nurse_degree", "b_study"},
    "hospital_a": {"a_course", "nurse_degree"},
    "hospital_b": {"b_study"},
    "dept_head": {"nurse_degree"},
    "mentor": set(),
    "trainee": set(),
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_list_holds_exactly_the_personas_scope(world, records, persona):
    api = signed_in(getattr(world, persona))
    lists = {
        f"events/?since={YEAR}-01-01": EVENTS,
        f"quotas/?year={YEAR}": QUOTAS,
        "enrolments/": ENROLMENTS,
    }
    for url, expected in lists.items():
        response = api.get(f"{EDUCATION}/{url}")
        if persona in WITHOUT_TRAINING:
            assert response.status_code == 403, url
        else:
            assert ids(response) == pks(records, *expected[persona]), url
    response = api.get(f"{EDUCATION}/credits/?year={YEAR}")
    if persona in WITHOUT_TRAINING:
        assert response.status_code == 403
    else:
        assert {row["person"]["name"] for row in results(response)} == CREDITED[persona]


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_event_and_enrolment_is_read_only_within_the_scope(world, records, persona):
    api = signed_in(getattr(world, persona))
    for key in ("lecture", "workshop", "b_event"):
        response = api.get(f"{EDUCATION}/events/{records[key].pk}/")
        if persona in WITHOUT_TRAINING:
            assert response.status_code == 403, key
        elif key in EVENTS[persona]:
            names = {row["person"]["name"] for row in response.json()["attendances"]}
            assert names == ATTENDEES[persona][key], key
        else:
            assert response.status_code == 404, key
    for key in ("a_course", "nurse_degree", "b_study"):
        response = api.get(f"{EDUCATION}/enrolments/{records[key].pk}/")
        if persona in WITHOUT_TRAINING:
            expected = 403
        else:
            expected = 200 if key in ENROLMENTS[persona] else 404
        assert response.status_code == expected, key


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("target", ["lecture", "b_event"])
def test_attendance_is_recorded_only_by_those_who_record_the_event(world, records, persona, target):
    attendee = {"lecture": world.a_ward_nurse, "b_event": world.b_doctor}[target]
    if target == "b_event":
        for attendance in Attendance.objects.filter(event=records["b_event"]):
            attendance_remove(attendance=attendance)
    api = signed_in(getattr(world, persona))
    before = _counts()
    response = api.post(
        f"{EDUCATION}/events/{records[target].pk}/attendance/",
        {"people": [attendee.pk]},
        format="json",
    )
    if persona not in EDITORS:
        expected = 403
    else:
        mine = {"commission": True, "hospital_a": target == "lecture"}
        expected = 201 if mine.get(persona, target == "b_event") else 404
    assert response.status_code == expected
    assert Attendance.objects.filter(event=records[target], person=attendee).exists() == (
        expected == 201
    )
    if expected != 201:
        assert _counts() == before


@pytest.mark.parametrize("persona", PERSONAS)
def test_events_and_enrolments_are_recorded_only_by_those_who_record(world, records, persona):
    api = signed_in(getattr(world, persona))
    before = _counts()
    event_response = api.post(
        f"{EDUCATION}/events/",
        {
            "event_kind": "lecture",
            "title": "院感防控",
            "institution": world.a.pk,
            "held_on": "2024-06-01",
            "speaker_name": "院感科",
            "hours": "1",
            "credit_class": "class_ii",
            "credits": "1",
        },
        format="json",
    )
    enrolment_response = api.post(
        f"{EDUCATION}/enrolments/",
        {
            "person": world.a_doctor.pk,
            "enrolment_kind": "short_course",
            "provider": "市医学会",
            "programme": "心电图提高班",
            "start_on": "2024-06-01",
        },
        format="json",
    )
    if persona not in EDITORS:
        assert (event_response.status_code, enrolment_response.status_code) == (403, 403)
        assert _counts() == before
    elif persona == "hospital_b":
        assert_refused(event_response, "institution", "所选机构不存在或不在您的管辖范围内。")
        assert_refused(enrolment_response, "person", "所选人员不存在或不在您的管辖范围内。")
        assert _counts() == before
    else:
        assert (event_response.status_code, enrolment_response.status_code) == (201, 201)


# --- hostile input ---------------------------------------------------------------------------

EVENT = {
    "event_kind": "lecture",
    "title": "院感防控",
    "institution": "a",
    "held_on": "2024-06-01",
    "speaker_name": "院感科",
    "hours": "1",
    "credit_class": "class_ii",
    "credits": "1",
}
HOSTILE_EVENTS = [
    ("too many credits", {"credits": "30"}, "credits", None),
    ("negative credits", {"credits": "-1"}, "credits", None),
    ("two decimals", {"credits": "1.25"}, "credits", None),
    ("credits as words", {"credits": "两分"}, "credits", None),
    ("credits missing", {"credits": None}, "credits", None),
    ("no hours", {"hours": "0"}, "hours", None),
    ("both speakers", {"speaker": "a_surgeon"}, "speaker_name", "不必再填写院外主讲人"),
    ("no speaker", {"speaker_name": ""}, "speaker", "请选择主讲人"),
    ("speaker out of scope", {"speaker": "b_doctor", "speaker_name": ""}, "speaker", "主讲人"),
    ("identity number", {"title": "患者 310113198506010012 病例讨论"}, "title", "患者信息"),
    ("unknown kind", {"event_kind": "picnic"}, "event_kind", None),
    ("unknown class", {"credit_class": "class_iii"}, "credit_class", None),
    ("not a date", {"held_on": "2024-02-30"}, "held_on", None),
    ("another hospital's department", {"department": "b_medicine"}, "department", None),
    ("NUL in the title", {"title": "院感\x00"}, "title", None),
]


def _resolve(world, payload: dict) -> dict:
    def one(value):
        if isinstance(value, str) and hasattr(world, value):
            return getattr(world, value).pk
        if isinstance(value, list):
            return [one(item) for item in value]
        return value

    return {field: one(value) for field, value in payload.items()}


@pytest.mark.parametrize(
    ("case", "change", "field", "message"), HOSTILE_EVENTS, ids=[c[0] for c in HOSTILE_EVENTS]
)
def test_a_hostile_event_is_refused_by_field_and_nothing_is_written(
    world, records, case, change, field, message
):
    api = signed_in(world.hospital_a)
    before = _counts()
    response = api.post(f"{EDUCATION}/events/", _resolve(world, {**EVENT, **change}), format="json")
    assert_refused(response, field, message)
    assert _counts() == before
    response = api.post(f"{EDUCATION}/events/", _resolve(world, EVENT), format="json")
    assert response.status_code == 201, response.content


HOSTILE_ATTENDANCE = [
    ("nobody", {"people": []}, "people", "请至少选择一名参加人员"),
    ("the same person twice", {"people": ["a_ward_nurse", "a_ward_nurse"]}, "people", "重复"),
    ("already there", {"people": ["a_ward_nurse", "a_doctor"]}, "people", "李心怡"),
    ("another hospital's staff", {"people": ["b_doctor"]}, "people", "参加人员"),
    ("the partner's expert", {"people": ["partner_expert"]}, "people", "参加人员"),
    ("people as text", {"people": "赵护士"}, "people", None),
    ("people as objects", {"people": [{"id": 1}]}, "people", None),
    ("too many credits", {"people": ["a_ward_nurse"], "credits": "26"}, "credits", None),
    ("credits as a list", {"people": ["a_ward_nurse"], "credits": [1]}, "credits", None),
]


@pytest.mark.parametrize(
    ("case", "payload", "field", "message"),
    HOSTILE_ATTENDANCE,
    ids=[c[0] for c in HOSTILE_ATTENDANCE],
)
def test_hostile_attendance_is_refused_and_nobody_is_recorded(
    world, records, case, payload, field, message
):
    api = signed_in(world.hospital_a)
    before = _counts()
    response = api.post(
        f"{EDUCATION}/events/{records['lecture'].pk}/attendance/",
        _resolve(world, payload),
        format="json",
    )
    assert_refused(response, field, message)
    assert _counts() == before


def test_attendance_waits_for_the_event_day(world, records):
    planned = event(world, on=timezone.localdate() + datetime.timedelta(days=30))
    api = signed_in(world.hospital_a)
    before = _counts()
    response = api.post(
        f"{EDUCATION}/events/{planned.pk}/attendance/",
        {"people": [world.a_doctor.pk]},
        format="json",
    )
    assert_refused(response, "event", "活动尚未举行")
    assert _counts() == before


ENROLMENT = {
    "person": "a_doctor",
    "enrolment_kind": "short_course",
    "provider": "市医学会",
    "programme": "心电图提高班",
    "start_on": "2024-06-01",
}
HOSTILE_ENROLMENTS = [
    ("end before start", {"end_on": "2024-05-01"}, "end_on", None),
    ("completed without an end", {"enrolment_status": "completed"}, "end_on", "结束日期"),
    ("completed in the future", {"end_on": "2999-01-01", "enrolment_status": "completed"},
     "end_on", "尚未到结束日期"),
    ("a future start not enrolled", {"start_on": "2999-01-01", "enrolment_status": "withdrawn"},
     "enrolment_status", "只能登记为在读/在训"),
    ("a phone in the programme", {"programme": "联系 13800138000"}, "programme", "患者信息"),
    ("another hospital's person", {"person": "b_doctor"}, "person", "所选人员"),
    ("a secondment is not an enrolment", {"enrolment_kind": "secondment"}, "enrolment_kind",
     None),
    ("unknown status", {"enrolment_status": "graduated"}, "enrolment_status", None),
    ("blank provider", {"provider": ""}, "provider", None),
]  # fmt: skip


@pytest.mark.parametrize(
    ("case", "change", "field", "message"),
    HOSTILE_ENROLMENTS,
    ids=[c[0] for c in HOSTILE_ENROLMENTS],
)
def test_a_hostile_enrolment_is_refused_by_field(world, records, case, change, field, message):
    api = signed_in(world.hospital_a)
    before = _counts()
    response = api.post(
        f"{EDUCATION}/enrolments/", _resolve(world, {**ENROLMENT, **change}), format="json"
    )
    assert_refused(response, field, message)
    assert _counts() == before
    response = api.post(f"{EDUCATION}/enrolments/", _resolve(world, ENROLMENT), format="json")
    assert response.status_code == 201, response.content


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("credits/?year=1999", "year"),
        ("credits/?year=今年", "year"),
        ("credits/?below=maybe", "below"),
        ("credits/?institution={b}", "institution"),
        ("quotas/?year=3000", "year"),
        ("quotas/?kind=sabbatical", "kind"),
        ("quotas/?institution={partner}", "institution"),
        ("quotas/?unmet=perhaps", "unmet"),
        ("events/?since=yesterday", "since"),
        ("events/?institution={b}", "institution"),
        ("events/?credit_class=gold", "credit_class"),
        ("enrolments/?status=lost", "status"),
        ("enrolments/?year=twenty", "year"),
    ],
)
def test_bad_filters_are_refused_by_name(world, records, url, field):
    url = url.format(b=world.b.pk, partner=world.partner.pk)
    response = signed_in(world.hospital_a).get(f"{EDUCATION}/{url}")
    assert_refused(response, field)


# --- query counts ----------------------------------------------------------------------------


def _queries(api, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = api.get(url)
    assert response.status_code == 200, response.content
    return len(captured)


def _more(world, records, start: int, count: int) -> None:
    """More people at A, each at an event of their own and at the cardiology lecture, with
    credits from outside and an enrolment; more quotas at new institutions."""
    for index in range(start, start + count):
        person = factories.person(world.a, f"学员{index:03d}", department=world.a_cardiology)
        own = event(world, on=DAY, title=f"讲座{index:03d}", department=world.a_cardiology)
        attend(own, person, world.a_doctor)
        attend(records["lecture"], person)
        external(world, person=person, on=DAY)
        enrolment_create(
            person=person,
            kind=Enrolment.Kind.SHORT_COURSE,
            provider="市医学会",
            programme=f"培训班{index:03d}",
            start_on=DAY,
        )
        where = factories.institution(f"新机构{index:03d}")
        quota_set(institution=where, year=YEAR, kind=TrainingKind.SECONDMENT, number=1)


URLS = [
    "events/",
    "events/?q=讲座&kind=lecture&credit_class=class_ii&since=2024-01-01&institution={a}",
    "events/{lecture}/",
    f"credits/?year={YEAR}",
    f"credits/?year={YEAR}&below=yes&q=学员&institution={{a}}",
    f"quotas/?year={YEAR}",
    f"quotas/?year={YEAR}&kind=secondment&unmet=no",
    "enrolments/",
    f"enrolments/?kind=short_course&status=enrolled&year={YEAR}&q=培训",
]


@pytest.mark.parametrize("persona", ["commission", "hospital_a"])
@pytest.mark.parametrize("url", URLS)
def test_queries_do_not_grow_with_rows(world, records, persona, url):
    api = signed_in(getattr(world, persona))
    url = f"{EDUCATION}/" + url.format(a=world.a.pk, lecture=records["lecture"].pk)
    _more(world, records, 0, 2)
    few = _queries(api, url)
    _more(world, records, 2, 4)
    many = _queries(api, url)
    assert few == many
    assert many <= 16, many


def test_the_rows_counted_are_the_ones_added(world, records):
    _more(world, records, 0, 3)
    api = signed_in(world.commission)
    assert len(results(api.get(f"{EDUCATION}/events/"))) == 3 + 3
    assert len(results(api.get(f"{EDUCATION}/credits/?year={YEAR}"))) == 4 + 3
    assert len(results(api.get(f"{EDUCATION}/quotas/?year={YEAR}"))) == 3 + 3
    assert len(results(api.get(f"{EDUCATION}/enrolments/"))) == 3 + 3
    body = api.get(f"{EDUCATION}/events/{records['lecture'].pk}/").json()
    assert len(body["attendances"]) == 2 + 3
