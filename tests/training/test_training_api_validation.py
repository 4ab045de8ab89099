"""Hostile input to /api/v1/training/ gets a 400 that names the field in Chinese, and nothing
is written: patient numbers in free text, bad dates, wrong types, unknown ids, repeated
people, bodies that are not JSON objects; bad filters and malformed ids are refused too."""

import re

import pytest

from tests.builders import once_per_module
from tests.training.api import (
    API,
    PATIENT_DATA,
    assert_refused,
    mentoring_records,
    signed_in,
    valid_payload,
)
from yicai.access.models import AuditEntry
from yicai.training.models import (
    Apprenticeship,
    CaseLog,
    Consultation,
    ExpertStudio,
    Mentorship,
    StudioMember,
    Technique,
    Visit,
)

CHINESE = re.compile(r"[\u4e00-\u9fff]")


_built, records = once_per_module(mentoring_records)


def _counts() -> tuple:
    return tuple(
        model.objects.count()
        for model in (
            Mentorship,
            Apprenticeship,
            Technique,
            CaseLog,
            ExpertStudio,
            StudioMember,
            Visit,
            Consultation,
            AuditEntry,
        )
    )


HOSTILE = [
    # mentorships
    ("mentorships", "no apprentice", {"apprentices": []}, "apprentices", "至少选择一名徒弟"),
    ("mentorships", "mentor as own apprentice", {"mentor": "a_surgeon"}, "apprentices", None),
    ("mentorships", "repeated apprentice", {"apprentices": ["a_surgeon"] * 2}, "apprentices", None),
    ("mentorships", "apprentices as text", {"apprentices": "周外科"}, "apprentices", None),
    ("mentorships", "unknown mentor", {"mentor": 10**12}, "mentor", "导师"),
    ("mentorships", "mentor as an object", {"mentor": {"id": 1}}, "mentor", None),
    ("mentorships", "end before start", {"end_on": "2024-12-31"}, "end_on", None),
    ("mentorships", "not a date", {"start_on": "2025-13-45"}, "start_on", None),
    ("mentorships", "before 1900", {"start_on": "1899-12-31"}, "start_on", None),
    ("mentorships", "negative target", {"target_visits": -1}, "target_visits", None),
    ("mentorships", "target as words", {"target_visits": "十二"}, "target_visits", None),
    ("mentorships", "institution missing", {"institution": ...}, "institution", None),
    # techniques
    ("techniques", "blank name", {"name": "   "}, "name", None),
    ("techniques", "overlong name", {"name": "术" * 101}, "name", None),
    ("techniques", "NUL in the name", {"name": "术\x00"}, "name", None),
    ("techniques", "unknown category", {"technique_category": "magic"}, "technique_category", None),
    ("techniques", "status as a number", {"technique_status": 3}, "technique_status", None),
    (
        "techniques",
        "mentorship of another institution",
        {"mentorship": "b_pair", "_as": "commission"},
        "mentorship",
        "该师带徒关系不在本机构",
    ),
    # studios
    ("studios", "lead also a member", {"members": ["partner_expert"]}, "members", None),
    ("studios", "repeated member", {"members": ["a_doctor", "a_doctor"]}, "members", None),
    ("studios", "unknown tier", {"tier": "global"}, "tier", None),
    ("studios", "founded in the future", {"founded_on": "2999-01-01"}, "founded_on", None),
    ("studios", "members as a number", {"members": 5}, "members", None),
    # visits
    (
        "visits",
        "identity number in the note",
        {"note": "患者 310113198506010012"},
        "note",
        PATIENT_DATA,
    ),
    ("visits", "phone in the note", {"note": "随访电话 13800138000"}, "note", PATIENT_DATA),
    ("visits", "unknown kind", {"visit_kind": "picnic"}, "visit_kind", None),
    ("visits", "patients as text", {"patients": "many"}, "patients", None),
    ("visits", "patients as a list", {"patients": [1]}, "patients", None),
    ("visits", "a date as a number", {"held_on": 20250101}, "held_on", None),
    ("visits", "overlong note", {"note": "字" * 301}, "note", None),
    # consultations
    (
        "consultations",
        "identity number in the summary",
        {"summary": "患者身份证 310113198506010012"},
        "summary",
        PATIENT_DATA,
    ),
    (
        "consultations",
        "phone in the advice",
        {"advice": "联系 138 0013 8000 或 13800138000"},
        "advice",
        PATIENT_DATA,
    ),
    (
        "consultations",
        "full-width digits",
        {"outcome": "电话１３８００１３８０００"},
        "outcome",
        PATIENT_DATA,
    ),
    (
        "consultations",
        "requester of another institution",
        {"institution": "b", "_as": "commission"},
        "requester",
        "申请医生须是申请机构的人员",
    ),
    (
        "visits",
        "department of another institution",
        {"department": "b_medicine", "_as": "commission"},
        "department",
        "科室不属于所选机构",
    ),
    (
        "studios",
        "studio of another institution",
        {"department": "b_medicine", "_as": "commission"},
        "department",
        "科室不属于所选机构",
    ),
    (
        "visits",
        "studio the expert has no part in",
        {"studio": "cardio_studio"},
        "studio",
        "专家不属于该机构的这个工作室",
    ),
    (
        "mentorships",
        "apprentice of another institution",
        {"apprentices": ["b_doctor"], "_as": "commission"},
        "apprentices",
        "徒弟须是带教机构的人员",
    ),
    ("consultations", "expert is the requester", {"expert": "a_surgeon"}, "expert", None),
    ("consultations", "empty summary", {"summary": ""}, "summary", None),
    ("consultations", "in the future", {"held_on": "2999-01-01"}, "held_on", None),
]


@pytest.mark.parametrize(
    ("collection", "overrides", "field", "message"),
    [case[:1] + case[2:] for case in HOSTILE],
    ids=[f"{case[0]}: {case[1]}" for case in HOSTILE],
)
def test_hostile_input_is_refused_by_field_and_nothing_is_written(
    world, records, collection, overrides, field, message
):
    overrides = dict(overrides)
    persona = overrides.pop("_as", "hospital_a")
    for name in ("mentorship", "studio", "department"):
        if name in overrides:  # a row of the records or of the world, by name
            overrides[name] = (records.get(overrides[name]) or getattr(world, overrides[name])).pk
    payload = valid_payload(world, collection, **overrides)
    payload = {key: value for key, value in payload.items() if value is not ...}
    api = signed_in(getattr(world, persona))
    before = _counts()
    response = api.post(f"{API}/{collection}/", payload, format="json")
    assert_refused(response, field, message)
    assert _counts() == before


CASE_HOSTILE = [
    (
        "identity number in the note",
        {"note": "患者身份证 310113198506010012"},
        "note",
        PATIENT_DATA,
    ),
    ("a day in the future", {"performed_on": "2999-01-01"}, "performed_on", None),
    ("not a date", {"performed_on": "yesterday"}, "performed_on", None),
    ("unknown role", {"role": "watched"}, "role", None),
    ("technique as text", {"technique": "PICC"}, "technique", None),
    ("technique missing", {"technique": ...}, "technique", None),
    ("overlong note", {"note": "字" * 301}, "note", None),
]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [case[1:] for case in CASE_HOSTILE],
    ids=[case[0] for case in CASE_HOSTILE],
)
def test_a_hostile_case_log_is_refused_by_field_and_nothing_is_written(
    world, records, overrides, field, message
):
    payload = {"technique": records["a_item"].pk, "performed_on": "2025-03-01", "role": "observed"}
    payload = {key: value for key, value in {**payload, **overrides}.items() if value is not ...}
    api = signed_in(world.trainee)
    before = _counts()
    response = api.post(f"{API}/case-logs/", payload, format="json")
    assert_refused(response, field, message)
    assert _counts() == before


@pytest.mark.parametrize(
    "body",
    [b"[1, 2]", b"{not json", b'"text"', b"null", b"42"],
    ids=["a list", "broken json", "a string", "null", "a number"],
)
@pytest.mark.parametrize("collection", ["mentorships", "techniques", "studios", "visits"])
def test_a_body_that_is_not_a_json_object_is_a_400(world, body, collection):
    api = signed_in(world.hospital_a)
    before = _counts()
    response = api.post(f"{API}/{collection}/", body, content_type="application/json")
    assert response.status_code == 400
    assert CHINESE.search(response.content.decode("utf-8"))
    assert _counts() == before


def test_a_form_encoded_body_is_refused(world):
    api = signed_in(world.hospital_a)
    before = _counts()
    response = api.post(f"{API}/techniques/", {"name": "x"}, format="multipart")
    assert response.status_code == 415
    assert _counts() == before


def test_a_mentor_cannot_verify_with_a_body_that_is_not_an_object(world, records):
    response = signed_in(world.mentor).post(
        f"{API}/case-logs/{records['own'].pk}/verify/", b"[1]", content_type="application/json"
    )
    assert response.status_code == 400
    assert not CaseLog.objects.get(pk=records["own"].pk).verified


def test_an_apprentice_cannot_verify_their_own_case_even_as_an_administrator(world, records):
    """A hospital administrator who is also the apprentice gets the service's refusal."""
    from yicai.access import services as access_services
    from yicai.access.models import Role

    access_services.role_assign(
        user=world.trainee, role=Role.INSTITUTION_ADMIN, institution=world.a
    )
    response = signed_in(world.trainee).post(f"{API}/case-logs/{records['own'].pk}/verify/")
    assert_refused(response, "non_field_errors", "不能审核本人的记录")
    assert not CaseLog.objects.get(pk=records["own"].pk).verified


BAD_FILTERS = [
    ("mentorships", "status=paused", "status"),
    ("mentorships", "institution=abc", "institution"),
    ("mentorships", "q=" + "x" * 101, "q"),
    ("techniques", "gap=maybe", "gap"),
    ("techniques", "institution=99999999999", "institution"),
    ("case-logs", "verified=perhaps", "verified"),
    ("case-logs", "role=boss", "role"),
    ("studios", "tier=global", "tier"),
    ("visits", "since=2025-02-30", "since"),
    ("visits", "until=tomorrow", "until"),
    ("visits", "kind=picnic", "kind"),
    ("consultations", "since=not-a-date", "since"),
    ("consultations", "q=%00", "q"),
    ("studios/figures", "year=abc", "year"),
    ("studios/figures", "year=10000", "year"),
    ("visits/counts", "since=2025-13-01", "since"),
]


@pytest.mark.parametrize(
    ("path", "query", "field"), BAD_FILTERS, ids=[f"{p}?{q[:20]}" for p, q, _f in BAD_FILTERS]
)
def test_a_bad_filter_is_a_400_naming_it(world, records, path, query, field):
    response = signed_in(world.commission).get(f"{API}/{path}/?{query}")
    assert_refused(response, field)


@pytest.mark.parametrize("pk", ["abc", "1.5", "-1", "99999999999999999999", "0"])
@pytest.mark.parametrize("collection", ["mentorships", "techniques", "case-logs", "visits"])
def test_a_malformed_or_unknown_id_is_a_404(world, records, collection, pk):
    api = signed_in(world.commission)
    assert api.get(f"{API}/{collection}/{pk}/").status_code == 404
    if collection == "case-logs":
        assert api.post(f"{API}/case-logs/{pk}/verify/").status_code == 404


def test_an_invalid_cursor_is_a_404(world, records):
    assert signed_in(world.commission).get(f"{API}/visits/?cursor=nonsense").status_code == 404


def test_only_the_routed_methods_are_answered(world, records):
    api = signed_in(world.commission)
    pk = records["pair"].pk
    assert api.put(f"{API}/mentorships/{pk}/", {}, format="json").status_code == 405
    assert api.delete(f"{API}/mentorships/{pk}/").status_code == 405
    assert api.get(f"{API}/case-logs/{records['own'].pk}/verify/").status_code == 405
    assert api.post(f"{API}/visits/counts/", {}, format="json").status_code == 405
    assert Mentorship.objects.filter(pk=pk).exists()
