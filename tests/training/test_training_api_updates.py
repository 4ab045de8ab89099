"""Changing and deleting through /api/v1/training/ what the pages change and delete:
mentorships (with their apprentices), techniques, studios, visits and consultations, through
the services, with training.edit on the row (another institution's row is a 404)."""

import datetime

import pytest

from tests.builders import once_per_module
from tests.training.api import API, PATIENT_DATA, assert_refused, mentoring_records, signed_in
from tests.training.helpers import technique
from yicai.training.models import (
    Apprenticeship,
    Consultation,
    ExpertStudio,
    Mentorship,
    Technique,
    Visit,
)

_built, records = once_per_module(mentoring_records)


def _state() -> tuple:
    """Everything a refused change could have half-written."""
    return (
        list(Mentorship.objects.order_by("pk").values()),
        sorted(Apprenticeship.objects.values_list("mentorship_id", "apprentice_id")),
        list(Technique.objects.order_by("pk").values()),
        list(ExpertStudio.objects.order_by("pk").values()),
        list(Visit.objects.order_by("pk").values()),
        list(Consultation.objects.order_by("pk").values()),
    )


# --- happy paths -----------------------------------------------------------------------------


def test_a_mentorship_agreement_and_its_apprentices_are_changed(world, records):
    pk = records["surgeon_pair"].pk
    response = signed_in(world.hospital_a).patch(
        f"{API}/mentorships/{pk}/",
        {"apprentices": [world.a_ward_nurse.pk], "goals": "独立完成腹腔镜手术", "target_visits": 6},
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["apprentices"] == [{"id": world.a_ward_nurse.pk, "name": world.a_ward_nurse.name}]
    assert body["goals"] == "独立完成腹腔镜手术" and body["target_visits"] == 6
    saved = Mentorship.objects.get(pk=pk)
    assert saved.target_visits == 6 and saved.target_lectures == 4  # untouched stays
    assert list(saved.apprenticeships.values_list("apprentice_id", flat=True)) == [
        world.a_ward_nurse.pk
    ]


def test_a_mentorship_is_closed_through_its_status(world, records):
    pk = records["surgeon_pair"].pk
    response = signed_in(world.hospital_a).patch(
        f"{API}/mentorships/{pk}/", {"mentorship_status": "completed"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["mentorship_status"] == "completed"
    assert Mentorship.objects.get(pk=pk).status == Mentorship.Status.COMPLETED


def test_a_technique_is_renamed_and_moved_on_in_status(world, records):
    pk = records["surgery_item"].pk
    response = signed_in(world.hospital_a).patch(
        f"{API}/techniques/{pk}/",
        {"name": "经皮肾镜碎石取石术", "technique_status": "approved"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["technique_status"] == "approved"
    saved = Technique.objects.get(pk=pk)
    assert (saved.name, saved.status, saved.institution_id) == (
        "经皮肾镜碎石取石术",
        "approved",
        world.a.pk,
    )


def test_a_technique_without_case_logs_is_deleted(world, records):
    mistake = technique(world, "误登记的技术")
    response = signed_in(world.hospital_a).delete(f"{API}/techniques/{mistake.pk}/")
    assert response.status_code == 204, response.content
    assert not Technique.objects.filter(pk=mistake.pk).exists()


def test_a_technique_with_case_logs_is_not_deleted(world, records):
    pk = records["surgery_item"].pk
    response = signed_in(world.hospital_a).delete(f"{API}/techniques/{pk}/")
    assert_refused(response, "non_field_errors", "不能删除")
    assert Technique.objects.filter(pk=pk).exists()


def test_a_studio_is_changed_and_closed(world, records):
    pk = records["a_studio"].pk
    response = signed_in(world.hospital_a).patch(
        f"{API}/studios/{pk}/",
        {"name": "孙名医心血管工作室", "tier": "provincial", "closed_on": "2025-12-31"},
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["name"], body["tier"], body["closed_on"]) == (
        "孙名医心血管工作室",
        "provincial",
        "2025-12-31",
    )
    assert [member["person"]["id"] for member in body["members"]] == [world.a_doctor.pk]
    saved = ExpertStudio.objects.get(pk=pk)
    assert saved.closed_on == datetime.date(2025, 12, 31) and saved.tier == "provincial"


def test_a_visit_is_corrected_and_another_deleted(world, records):
    api = signed_in(world.hospital_a)
    pk = records["pair_visit"].pk
    response = api.patch(
        f"{API}/visits/{pk}/",
        {"visit_kind": "lecture", "attendees": 12, "note": "讲授介入治疗进展"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["visit_kind"] == "lecture"
    saved = Visit.objects.get(pk=pk)
    assert (saved.kind, saved.attendees, saved.note) == ("lecture", 12, "讲授介入治疗进展")
    assert saved.mentorship_id == records["pair"].pk  # untouched stays
    gone = records["cardio_visit"].pk
    assert api.delete(f"{API}/visits/{gone}/").status_code == 204
    assert not Visit.objects.filter(pk=gone).exists()


def test_a_consultation_is_completed_with_its_outcome(world, records):
    pk = records["a_consult"].pk
    response = signed_in(world.hospital_a).patch(
        f"{API}/consultations/{pk}/", {"outcome": "造影后行支架植入，恢复良好。"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["outcome"] == "造影后行支架植入，恢复良好。"
    saved = Consultation.objects.get(pk=pk)
    assert saved.outcome == "造影后行支架植入，恢复良好。"
    assert saved.advice == "建议择期行冠脉造影。"


# --- hostile input ---------------------------------------------------------------------------

HOSTILE = [
    ("mentorships", "surgeon_pair", {"apprentices": []}, "apprentices", "至少选择一名徒弟"),
    ("mentorships", "surgeon_pair", {"apprentices": ["b_doctor"]}, "apprentices", None),
    ("mentorships", "surgeon_pair", {"goals": "患者 310113198506010012"}, "goals", PATIENT_DATA),
    ("mentorships", "surgeon_pair", {"mentorship_status": "paused"}, "mentorship_status", None),
    ("mentorships", "surgeon_pair", {"end_on": "2024-01-01"}, "end_on", None),
    ("mentorships", "surgeon_pair", {"institution": "b"}, "institution", None),
    ("techniques", "surgery_item", {"name": "   "}, "name", None),
    ("techniques", "surgery_item", {"technique_status": 3}, "technique_status", None),
    ("techniques", "surgery_item", {"mentorship": "b_pair"}, "mentorship", None),
    ("studios", "a_studio", {"lead": "a_doctor"}, "lead", "请先将其移出成员"),
    ("studios", "a_studio", {"institution": "b"}, "institution", None),
    ("studios", "a_studio", {"tier": "global"}, "tier", None),
    ("visits", "pair_visit", {"note": "患者 310113198506010012"}, "note", PATIENT_DATA),
    ("visits", "pair_visit", {"visit_kind": "picnic"}, "visit_kind", None),
    ("visits", "pair_visit", {"patients": "many"}, "patients", None),
    ("visits", "pair_visit", {"studio": "b_studio"}, "studio", None),
    ("consultations", "a_consult", {"summary": "身份证 310113198506010012"}, "summary", None),
    ("consultations", "a_consult", {"requester": "b_doctor"}, "requester", None),
    ("consultations", "a_consult", {"held_on": "2025-02-30"}, "held_on", None),
]


def _resolve(world, records, value):
    """A name in a payload: a record of `records`, a person or an institution of the world."""
    if isinstance(value, list):
        return [_resolve(world, records, item) for item in value]
    if isinstance(value, str) and value in records:
        return records[value].pk
    if isinstance(value, str) and value.isidentifier() and hasattr(world, value):
        return getattr(world, value).pk
    return value


@pytest.mark.parametrize(("collection", "row", "payload", "field", "message"), HOSTILE)
def test_a_hostile_change_is_refused_by_field_and_nothing_is_written(
    world, records, collection, row, payload, field, message
):
    body = {key: _resolve(world, records, value) for key, value in payload.items()}
    before = _state()
    response = signed_in(world.hospital_a).patch(
        f"{API}/{collection}/{records[row].pk}/", body, format="json"
    )
    assert_refused(response, field, message)
    assert _state() == before


# --- scope and permission --------------------------------------------------------------------

CHANGES = [
    ("patch", "mentorships", "pair", {"goals": "改"}),
    ("patch", "techniques", "a_item", {"name": "改名"}),
    ("delete", "techniques", "a_item", None),
    ("patch", "studios", "a_studio", {"name": "改名"}),
    ("patch", "visits", "pair_visit", {"attendees": 1}),
    ("delete", "visits", "pair_visit", None),
    ("patch", "consultations", "a_consult", {"outcome": "改"}),
]


@pytest.mark.parametrize(("method", "collection", "row", "payload"), CHANGES)
def test_another_institution_cannot_change_or_delete_a_row_of_a(
    world, records, method, collection, row, payload
):
    before = _state()
    api = signed_in(world.hospital_b)
    response = getattr(api, method)(
        f"{API}/{collection}/{records[row].pk}/", payload, format="json"
    )
    assert response.status_code == 404, response.content
    assert _state() == before


@pytest.mark.parametrize("persona", ["trainee", "mentor"])
@pytest.mark.parametrize(("method", "collection", "row", "payload"), CHANGES)
def test_a_trainee_or_mentor_cannot_change_or_delete_what_they_see(
    world, records, persona, method, collection, row, payload
):
    before = _state()
    api = signed_in(getattr(world, persona))
    response = getattr(api, method)(
        f"{API}/{collection}/{records[row].pk}/", payload, format="json"
    )
    assert response.status_code == 403, response.content
    assert _state() == before


def test_the_commission_changes_a_row_of_either_institution(world, records):
    api = signed_in(world.commission)
    response = api.patch(f"{API}/visits/{records['b_visit'].pk}/", {"patients": 30}, format="json")
    assert response.status_code == 200, response.content
    assert Visit.objects.get(pk=records["b_visit"].pk).patients == 30
