"""Every /api/v1/training/ list × every persona: exactly the rows of the pages' scope (a mentor
their mentorships, visits and apprentices' cases; a trainee their own), 403 for roles without
training.view, 404 for a row outside the scope on read and on verify, and writes only into
the institutions the user records for, with foreign keys only among the rows they may use."""

import datetime

import pytest

from tests.builders import once_per_module
from tests.scope_tables import CASES, PERSONAS
from tests.training.api import API, ids, mentoring_records, pks, signed_in, valid_payload
from yicai.access.models import Role
from yicai.training.models import CaseLog, Consultation, ExpertStudio, Mentorship, Technique, Visit

MENTORSHIPS = {
    "commission": {"pair", "surgeon_pair", "ward_pair", "b_pair"},
    "hospital_a": {"pair", "surgeon_pair", "ward_pair"},
    "hospital_b": {"b_pair"},
    "dept_head": {"ward_pair"},  # the one with a department: cardiology
    "mentor": {"pair", "surgeon_pair"},  # the ones they lead
    "trainee": {"pair"},  # the one they are an apprentice in
}
TECHNIQUES = {
    "commission": {"a_item", "surgery_item", "cardio_item", "b_item"},
    "hospital_a": {"a_item", "surgery_item", "cardio_item"},
    "hospital_b": {"b_item"},
    "dept_head": {"cardio_item"},
    "mentor": {"a_item"},  # registered under their mentorship
    "trainee": {"a_item"},  # they logged a case of it
}
STUDIOS = {
    "commission": {"a_studio", "cardio_studio", "b_studio"},
    "hospital_a": {"a_studio", "cardio_studio"},
    "hospital_b": {"b_studio"},
    "dept_head": {"cardio_studio"},
    "mentor": {"a_studio"},  # they lead it
    "trainee": {"a_studio"},  # they are a member
}
VISITS = {
    "commission": {"pair_visit", "cardio_visit", "b_visit", "partner_free"},
    "hospital_a": {"pair_visit", "cardio_visit"},
    "hospital_b": {"b_visit", "partner_free"},
    "dept_head": {"cardio_visit"},
    "mentor": {"pair_visit", "partner_free"},  # their own, at A and at B
    "trainee": {"pair_visit"},  # made for their mentorship
}
CONSULTATIONS = {
    "commission": {"a_consult", "surgery_consult", "b_consult"},
    "hospital_a": {"a_consult", "surgery_consult"},
    "hospital_b": {"b_consult"},
    "dept_head": {"a_consult"},  # asked by a cardiologist
    "mentor": {"a_consult"},  # they gave it
    "trainee": {"a_consult"},  # they asked for it
}
LISTS = {
    "mentorships": (Mentorship, MENTORSHIPS),
    "techniques": (Technique, TECHNIQUES),
    "case-logs": (CaseLog, CASES),
    "studios": (ExpertStudio, STUDIOS),
    "visits": (Visit, VISITS),
    "consultations": (Consultation, CONSULTATIONS),
}
WITHOUT_TRAINING = ("auditor", "security", "nobody")
EDITS = {"commission": {"a", "b", "partner"}, "hospital_a": {"a"}, "hospital_b": {"b"}}


_built, records = once_per_module(mentoring_records)


def test_the_matrix_names_every_row_of_the_records(records):
    for model, expected in LISTS.values():
        named = {key for key, row in records.items() if isinstance(row, model)}
        assert expected["commission"] == named, model


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("collection", list(LISTS))
def test_each_list_holds_exactly_the_personas_scope(world, records, persona, collection):
    response = signed_in(getattr(world, persona)).get(f"{API}/{collection}/")
    if persona in WITHOUT_TRAINING:
        assert response.status_code == 403
        assert "detail" in response.json()
        return
    assert ids(response) == pks(records, *LISTS[collection][1][persona])


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("collection", list(LISTS))
def test_each_row_is_read_only_within_the_scope(world, records, persona, collection):
    api = signed_in(getattr(world, persona))
    model, expected = LISTS[collection]
    for key, row in records.items():
        if not isinstance(row, model):
            continue
        response = api.get(f"{API}/{collection}/{row.pk}/")
        if persona in WITHOUT_TRAINING:
            assert response.status_code == 403, key
        elif key in expected[persona]:
            assert response.status_code == 200, key
            assert response.json()["id"] == row.pk
        else:
            assert response.status_code == 404, key
            assert set(response.json()) == {"detail"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_figures_and_counts_need_training_view_and_count_only_the_scope(
    world, records, persona
):
    api = signed_in(getattr(world, persona))
    figures = api.get(f"{API}/studios/figures/?year=2024")
    counts = api.get(f"{API}/visits/counts/")
    if persona in WITHOUT_TRAINING:
        assert (figures.status_code, counts.status_code) == (403, 403)
        return
    assert figures.json()["studios"] == len(STUDIOS[persona])
    assert counts.json()["total"] == len(VISITS[persona])


# --- verification ----------------------------------------------------------------------------

VERIFIES = {key: CASES[key] for key in ("commission", "hospital_a", "hospital_b", "dept_head")}
VERIFIES["mentor"] = CASES["mentor"]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("target", ["own", "surgeon", "nurse", "b_case"])
def test_a_case_is_verified_only_within_the_verifiers_scope(world, records, persona, target):
    api = signed_in(getattr(world, persona))
    row = records[target]
    response = api.post(f"{API}/case-logs/{row.pk}/verify/")
    if persona not in VERIFIES:
        expected = 403  # the trainee, the oversight roles, an account without roles
    else:
        expected = 200 if target in VERIFIES[persona] else 404
    assert response.status_code == expected
    assert CaseLog.objects.get(pk=row.pk).verified == (expected == 200)
    if expected == 200:
        response = api.post(f"{API}/case-logs/{row.pk}/unverify/")
        assert response.status_code == 200
        assert not CaseLog.objects.get(pk=row.pk).verified
    else:
        assert api.post(f"{API}/case-logs/{row.pk}/unverify/").status_code == expected


def test_a_verification_is_withdrawn_only_within_the_scope(world, records):
    from yicai.training import services

    services.case_log_verify(case_log=records["b_case"], user=world.hospital_b)
    response = signed_in(world.hospital_a).post(f"{API}/case-logs/{records['b_case'].pk}/unverify/")
    assert response.status_code == 404
    assert CaseLog.objects.get(pk=records["b_case"].pk).verified


def test_verifying_needs_the_verify_scope_not_only_the_view_scope(world, records):
    """李心怡 (trainee) also heads surgery: she sees her own case as staff but may verify only
    surgery's; her own case is a 404 before the rule against self-verification is reached."""
    from yicai.access import services as access_services

    access_services.role_assign(
        user=world.trainee, role=Role.DEPARTMENT_HEAD, department=world.a_surgery
    )
    api = signed_in(world.trainee)
    assert ids(api.get(f"{API}/case-logs/")) == pks(records, "own", "surgeon")
    assert api.post(f"{API}/case-logs/{records['own'].pk}/verify/").status_code == 404
    assert api.post(f"{API}/case-logs/{records['surgeon'].pk}/verify/").status_code == 200
    assert not CaseLog.objects.get(pk=records["own"].pk).verified


# --- writes ----------------------------------------------------------------------------------


def _technique_payload(institution) -> dict:
    return {
        "institution": institution.pk,
        "name": "经导管主动脉瓣置换术",
        "technique_category": "intervention",
        "origin": "own",
    }


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("target", ["a", "b", "partner"])
def test_a_technique_is_registered_only_in_an_institution_the_user_records_for(
    world, persona, target
):
    api = signed_in(getattr(world, persona))
    count = Technique.objects.count()
    response = api.post(
        f"{API}/techniques/", _technique_payload(getattr(world, target)), format="json"
    )
    if persona not in EDITS:
        assert response.status_code == 403
    elif target in EDITS[persona]:
        assert response.status_code == 201
        assert Technique.objects.count() == count + 1
        return
    else:
        assert response.status_code == 400
        assert response.json()["institution"] == ["所选机构不存在或不在您的管辖范围内。"]
    assert Technique.objects.count() == count


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_kind_of_record_is_added_only_by_those_who_record(world, records, persona):
    """training.edit for mentorships, techniques, studios, visits and consultations;
    training.log (and a person of one's own) for case logs."""
    api = signed_in(getattr(world, persona))
    payloads = {
        "mentorships": {
            "mentor": world.partner_expert.pk,
            "apprentices": [world.a_surgeon.pk],
            "institution": world.a.pk,
            "start_on": "2025-01-01",
        },
        "studios": {
            "name": "新工作室",
            "lead": world.partner_expert.pk,
            "tier": "district",
            "institution": world.a.pk,
            "founded_on": "2025-01-01",
        },
        "visits": {
            "expert": world.partner_expert.pk,
            "visit_kind": "clinic",
            "institution": world.a.pk,
            "held_on": "2025-01-01",
        },
        "consultations": {
            "expert": world.partner_expert.pk,
            "requester": world.a_surgeon.pk,
            "institution": world.a.pk,
            "held_on": "2025-01-01",
            "summary": "术后随访",
        },
        "case-logs": {
            "technique": records["a_item"].pk,
            "performed_on": "2025-01-01",
            "role": "observed",
        },
    }
    models = {
        "mentorships": Mentorship,
        "studios": ExpertStudio,
        "visits": Visit,
        "consultations": Consultation,
        "case-logs": CaseLog,
    }
    for collection, payload in payloads.items():
        count = models[collection].objects.count()
        response = api.post(f"{API}/{collection}/", payload, format="json")
        if collection == "case-logs":
            allowed = persona == "trainee"
        else:
            allowed = persona in ("commission", "hospital_a")
        if persona == "hospital_b" and collection != "case-logs":
            assert response.status_code == 400, collection  # A's institution is not theirs
        else:
            assert response.status_code == (201 if allowed else 403), collection
        assert models[collection].objects.count() == count + allowed, collection


def test_an_account_without_a_person_cannot_log_a_case(world, records):
    from tests import factories

    staff = factories.user("no_person", roles=[(Role.STAFF, {})])
    count = CaseLog.objects.count()
    response = signed_in(staff).post(
        f"{API}/case-logs/",
        {"technique": records["a_item"].pk, "performed_on": "2025-01-01", "role": "observed"},
        format="json",
    )
    assert response.status_code == 403
    assert "人员档案" in response.json()["detail"]
    assert CaseLog.objects.count() == count


# Each foreign key a hospital may name only within its scope: the message is the scope's
# (the service's own check, where there is one, would say something else).
OUT_OF_SCOPE = [
    ("mentorships", "mentor", "b_doctor", "所选导师不存在或不在您的管辖范围内。"),
    ("mentorships", "apprentices", "b_doctor", "所选徒弟不存在或不在您的管辖范围内。"),
    ("mentorships", "department", "b_medicine", "所选科室不存在或不在您的管辖范围内。"),
    ("techniques", "mentorship", "b_pair", "所选师带徒关系不存在或不在您的管辖范围内。"),
    ("techniques", "department", "b_medicine", "所选科室不存在或不在您的管辖范围内。"),
    ("studios", "lead", "b_doctor", "所选领衔专家不存在或不在您的管辖范围内。"),
    ("studios", "members", "b_doctor", "所选成员不存在或不在您的管辖范围内。"),
    ("visits", "expert", "b_doctor", "所选专家不存在或不在您的管辖范围内。"),
    ("visits", "studio", "b_studio", "所选工作室不存在或不在您的管辖范围内。"),
    ("visits", "mentorship", "b_pair", "所选师带徒关系不存在或不在您的管辖范围内。"),
    ("consultations", "expert", "b_doctor", "所选会诊专家不存在或不在您的管辖范围内。"),
    ("consultations", "requester", "b_doctor", "所选申请医生不存在或不在您的管辖范围内。"),
]


@pytest.mark.parametrize(
    ("collection", "field", "target", "message"),
    OUT_OF_SCOPE,
    ids=[f"{case[0]}-{case[1]}" for case in OUT_OF_SCOPE],
)
def test_a_foreign_key_outside_the_scope_is_a_400_naming_the_field(
    world, records, collection, field, target, message
):
    row = getattr(world, target, None) or records[target]
    value = [row.pk] if field in ("apprentices", "members") else row.pk
    payload = {**valid_payload(world, collection), field: value}
    model = {
        "mentorships": Mentorship,
        "techniques": Technique,
        "studios": ExpertStudio,
        "visits": Visit,
        "consultations": Consultation,
    }[collection]
    count = model.objects.count()
    api = signed_in(world.hospital_a)
    response = api.post(f"{API}/{collection}/", payload, format="json")
    assert response.status_code == 400, response.content
    assert message in str(response.json()[field])
    assert model.objects.count() == count
    # The same payload without the stranger is accepted: the field alone was refused.
    response = api.post(f"{API}/{collection}/", valid_payload(world, collection), format="json")
    assert response.status_code == 201, response.content


CASE_OUT_OF_SCOPE = [
    ("technique", "b_item", "记录人所在机构没有登记这项技术，请先在新技术新项目中登记。"),
    ("supervisor", "b_doctor", "指导/审核人须是记录人的导师或同科室人员。"),
    ("mentorship", "surgeon_pair", "所选师带徒关系不存在或本人不是其徒弟。"),
]


@pytest.mark.parametrize(("field", "target", "message"), CASE_OUT_OF_SCOPE)
def test_a_trainee_names_only_their_institutions_techniques_mentors_and_colleagues(
    world, records, field, target, message
):
    row = getattr(world, target, None) or records[target]
    payload = {"technique": records["a_item"].pk, "performed_on": "2025-01-01", "role": "observed"}
    count = CaseLog.objects.count()
    api = signed_in(world.trainee)
    response = api.post(f"{API}/case-logs/", {**payload, field: row.pk}, format="json")
    assert response.status_code == 400
    assert response.json()[field] == [message]
    assert CaseLog.objects.count() == count
    assert api.post(f"{API}/case-logs/", payload, format="json").status_code == 201


@pytest.mark.parametrize("collection", ["mentorships", "techniques", "studios"])
@pytest.mark.parametrize("persona", ["hospital_a", "hospital_b", "dept_head", "mentor", "trainee"])
def test_filtering_by_an_institution_outside_the_scope_is_refused(
    world, records, collection, persona
):
    api = signed_in(getattr(world, persona))
    seen = {"hospital_a": "a", "hospital_b": "b", "dept_head": "a", "mentor": "partner"}
    seen["trainee"] = "a"
    for key in ("a", "b", "partner"):
        response = api.get(f"{API}/{collection}/?institution={getattr(world, key).pk}")
        if key == seen[persona]:
            assert response.status_code == 200
        else:
            assert response.status_code == 400
            assert "institution" in response.json()


def test_a_new_mentorship_may_name_a_partner_expert_but_not_a_partner_outside_the_region(world):
    from tests import factories

    elsewhere = factories.institution("外省合作医院", relation="partner", commission="310104")
    stranger = factories.person(elsewhere, "钱专家", category="external_expert")
    api = signed_in(world.hospital_a)
    count = Mentorship.objects.count()
    payload = valid_payload(world, "mentorships")
    response = api.post(f"{API}/mentorships/", {**payload, "mentor": stranger.pk}, format="json")
    assert response.status_code == 400
    assert "mentor" in response.json()
    assert Mentorship.objects.count() == count
    response = api.post(f"{API}/mentorships/", payload, format="json")
    assert response.status_code == 201
    assert response.json()["mentor"]["id"] == world.partner_expert.pk
    assert datetime.date.fromisoformat(response.json()["start_on"]) == datetime.date(2025, 1, 1)
