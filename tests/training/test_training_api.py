"""Happy paths of /api/v1/training/: each collection listed, filtered, read and added to through
the services (mentorships, techniques, case logs with their verification, studios with the
year's figures, visits with their counts, consultations), by session and by token.

The `records` fixture (rows of every kind in A, B and for the partner expert) and the API
clients are shared with the scope, validation and query-count files beside this one."""

import datetime
from decimal import Decimal

from tests.builders import once_per_module
from tests.training.api import (
    API,
    ids,
    mentoring_records,
    pks,
    results,
    signed_in,
    token_client,
    visit,
)
from tests.training.helpers import DAY
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
from yicai.training.services.mentoring import case_log_verify
from yicai.training.services.studios import studio_funding_record

_built, records = once_per_module(mentoring_records)


# --- mentorships -----------------------------------------------------------------------------


def test_mentorships_are_listed_with_their_apprentices_and_filtered(world, records):
    api = signed_in(world.commission)
    rows = results(api.get(f"{API}/mentorships/"))
    assert {row["id"] for row in rows} == pks(
        records, "pair", "surgeon_pair", "ward_pair", "b_pair"
    )
    row = next(row for row in rows if row["id"] == records["pair"].pk)
    assert row["mentor"] == {"id": world.partner_expert.pk, "name": "孙名医"}
    assert row["mentor_kind"] == "external" and row["mentor_kind_display"] == "院外导师"
    assert row["apprentices"] == [{"id": world.a_doctor.pk, "name": "李心怡"}]
    assert row["institution"]["id"] == world.a.pk and row["department"] is None
    assert (row["target_visits"], row["target_lectures"], row["target_operations"]) == (12, 4, 20)
    assert ids(api.get(f"{API}/mentorships/?q=周外科")) == pks(
        records, "surgeon_pair", "ward_pair", "b_pair"
    )  # as mentor or as apprentice
    assert ids(api.get(f"{API}/mentorships/?institution={world.b.pk}")) == pks(records, "b_pair")
    assert ids(api.get(f"{API}/mentorships/?status=active")) == pks(
        records, "pair", "surgeon_pair", "ward_pair", "b_pair"
    )
    assert ids(api.get(f"{API}/mentorships/?status=completed")) == set()


def test_a_mentorship_is_read_with_its_apprentices_and_targets(world, records):
    response = signed_in(world.hospital_a).get(f"{API}/mentorships/{records['ward_pair'].pk}/")
    assert response.status_code == 200
    body = response.json()
    assert body["mentor_kind"] == "internal"
    assert body["apprentices"] == [{"id": world.a_ward_nurse.pk, "name": "赵护士"}]
    assert body["department"] == {"id": world.a_cardiology.pk, "name": "心血管内科"}
    assert body["mentorship_status"] == "active" and body["mentorship_status_display"] == "进行中"


def test_a_hospital_pairs_its_staff_with_a_partner_expert(world):
    api = signed_in(world.hospital_a)
    response = api.post(
        f"{API}/mentorships/",
        {
            "mentor": world.partner_expert.pk,
            "apprentices": [world.a_surgeon.pk, world.a_ward_nurse.pk],
            "institution": world.a.pk,
            "department": world.a_surgery.pk,
            "start_on": "2025-01-01",
            "end_on": "2026-12-31",
            "goals": "独立开展腹腔镜胆囊切除术",
            "target_operations": 30,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["mentor_kind"] == "external"
    assert {row["name"] for row in body["apprentices"]} == {"周外科", "赵护士"}
    mentorship = Mentorship.objects.get(pk=body["id"])
    assert mentorship.target_operations == 30 and mentorship.end_on == datetime.date(2026, 12, 31)
    assert Apprenticeship.objects.filter(mentorship=mentorship).count() == 2


# --- techniques ------------------------------------------------------------------------------


def test_techniques_show_the_gap_they_filled_and_their_verified_independent_cases(world, records):
    api = signed_in(world.hospital_a)
    row = next(
        row for row in results(api.get(f"{API}/techniques/")) if row["id"] == records["a_item"].pk
    )
    assert row["gap_filled_on"] is None and row["verified_independent"] == 0
    case_log_verify(case_log=records["own"], user=world.mentor)
    body = api.get(f"{API}/techniques/{records['a_item'].pk}/").json()
    assert body["gap_filled_on"] == DAY.isoformat()
    assert body["verified_independent"] == 1
    assert body["first_in_region"] is True
    assert body["technique_category"] == "surgery" and body["technique_status"] == "planned"
    assert body["mentorship"] == records["pair"].pk
    assert ids(api.get(f"{API}/techniques/?gap=yes")) == pks(records, "a_item")
    assert ids(api.get(f"{API}/techniques/?gap=no")) == pks(records, "surgery_item", "cardio_item")
    assert ids(api.get(f"{API}/techniques/?q=PICC")) == pks(records, "cardio_item")
    assert ids(api.get(f"{API}/techniques/?status=routine")) == set()
    commission = signed_in(world.commission)
    assert ids(commission.get(f"{API}/techniques/?institution={world.b.pk}")) == pks(
        records, "b_item"
    )


def test_a_hospital_registers_a_technique(world, records):
    response = signed_in(world.hospital_a).post(
        f"{API}/techniques/",
        {
            "institution": world.a.pk,
            "department": world.a_surgery.pk,
            "name": "  达芬奇机器人辅助胃癌根治术 ",
            "technique_category": "surgery",
            "origin": "mentorship",
            "mentorship": records["surgeon_pair"].pk,
            "technique_status": "approved",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["name"] == "达芬奇机器人辅助胃癌根治术"
    assert body["technique_status"] == "approved" and body["gap_filled_on"] is None
    technique = Technique.objects.get(pk=body["id"])
    assert technique.mentorship == records["surgeon_pair"]
    assert technique.category == "surgery"


# --- case logs -------------------------------------------------------------------------------


def test_a_trainee_logs_a_case_with_a_token_for_their_own_person(world, records):
    client = token_client(world.trainee)
    response = client.post(
        f"{API}/case-logs/",
        {
            "technique": records["a_item"].pk,
            "performed_on": "2025-03-05",
            "role": "supervised",
            "supervisor": world.partner_expert.pk,
            "mentorship": records["pair"].pk,
            "note": "术中出血少，Calot 三角解剖清楚",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["apprentice"] == {"id": world.a_doctor.pk, "name": "李心怡"}
    assert body["verified"] is False and body["verified_at"] is None
    assert body["institution"] == {"id": world.a.pk, "name": world.a.name}
    entry = AuditEntry.objects.filter(object_pk=str(body["id"])).order_by("pk").last()
    assert entry.actor_id == world.trainee.pk


def test_case_logs_are_filtered_by_role_verification_and_name(world, records):
    case_log_verify(case_log=records["nurse"], user=world.hospital_a)
    api = signed_in(world.hospital_a)
    assert ids(api.get(f"{API}/case-logs/")) == pks(records, "own", "surgeon", "nurse")
    assert ids(api.get(f"{API}/case-logs/?role=assisted")) == pks(records, "surgeon")
    assert ids(api.get(f"{API}/case-logs/?verified=yes")) == pks(records, "nurse")
    assert ids(api.get(f"{API}/case-logs/?verified=no")) == pks(records, "own", "surgeon")
    assert ids(api.get(f"{API}/case-logs/?q=赵护士")) == pks(records, "nurse")
    assert ids(api.get(f"{API}/case-logs/?q=经皮肾镜")) == pks(records, "surgeon")
    body = api.get(f"{API}/case-logs/{records['nurse'].pk}/").json()
    assert body["verified"] is True and body["verified_by_name"] == "hospital_a"
    assert body["supervisor"] == {"id": world.partner_expert.pk, "name": "孙名医"}


def test_a_mentor_verifies_an_apprentices_case_and_withdraws_it(world, records):
    api = signed_in(world.mentor)
    url = f"{API}/case-logs/{records['own'].pk}"
    response = api.post(f"{url}/verify/")
    assert response.status_code == 200, response.content
    assert response.json()["verified"] is True
    stored = CaseLog.objects.get(pk=records["own"].pk)
    assert stored.verified_by == world.mentor and stored.verified_at is not None
    gap = api.get(f"{API}/techniques/{records['a_item'].pk}/").json()["gap_filled_on"]
    assert gap == DAY.isoformat()
    response = api.post(f"{url}/unverify/")
    assert response.status_code == 200
    assert response.json()["verified"] is False
    assert CaseLog.objects.get(pk=records["own"].pk).verified_at is None
    assert api.get(f"{API}/techniques/{records['a_item'].pk}/").json()["gap_filled_on"] is None


# --- studios ---------------------------------------------------------------------------------


def test_studios_are_listed_with_member_counts_and_read_with_members(world, records):
    api = signed_in(world.commission)
    rows = {row["id"]: row for row in results(api.get(f"{API}/studios/"))}
    assert set(rows) == pks(records, "a_studio", "cardio_studio", "b_studio")
    assert rows[records["a_studio"].pk]["member_count"] == 1
    assert rows[records["cardio_studio"].pk]["member_count"] == 0
    assert rows[records["b_studio"].pk]["tier_display"] == "省级"
    assert ids(api.get(f"{API}/studios/?tier=national")) == pks(records, "a_studio")
    assert ids(api.get(f"{API}/studios/?institution={world.b.pk}")) == pks(records, "b_studio")
    assert ids(api.get(f"{API}/studios/?q=孙名医")) == pks(records, "a_studio")
    body = api.get(f"{API}/studios/{records['a_studio'].pk}/").json()
    assert body["lead"] == {"id": world.partner_expert.pk, "name": "孙名医"}
    assert body["members"] == [
        {"person": {"id": world.a_doctor.pk, "name": "李心怡"}, "joined_on": "2023-10-01"}
    ]


def test_a_hospital_founds_a_studio_with_members(world):
    response = signed_in(world.hospital_a).post(
        f"{API}/studios/",
        {
            "name": "孙名医外科工作室",
            "lead": world.partner_expert.pk,
            "tier": "provincial",
            "institution": world.a.pk,
            "department": world.a_surgery.pk,
            "founded_on": "2024-05-01",
            "members": [world.a_surgeon.pk, world.a_doctor.pk],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["member_count"] == 2
    assert {row["person"]["name"] for row in body["members"]} == {"周外科", "李心怡"}
    studio = ExpertStudio.objects.get(pk=body["id"])
    assert StudioMember.objects.filter(studio=studio).count() == 2


def test_the_studio_figures_of_a_year_count_running_studios_and_their_money(world, records):
    studio_funding_record(studio=records["a_studio"], year=2024)
    api = signed_in(world.commission)
    body = api.get(f"{API}/studios/figures/?year=2024").json()
    assert body["year"] == 2024 and body["studios"] == 3
    assert body["by_tier"] == {"national": 1, "provincial": 1, "district": 1}
    assert Decimal(body["subsidy_due"]) == Decimal("380000")
    assert Decimal(body["funding_recorded"]) == Decimal("200000")
    assert api.get(f"{API}/studios/figures/?year=2022").json()["studios"] == 0
    hospital_b = signed_in(world.hospital_b).get(f"{API}/studios/figures/?year=2024").json()
    assert hospital_b["studios"] == 1 and Decimal(hospital_b["funding_recorded"]) == 0


# --- visits ----------------------------------------------------------------------------------


def test_visits_are_listed_filtered_and_read(world, records):
    api = signed_in(world.commission)
    assert ids(api.get(f"{API}/visits/")) == pks(
        records, "pair_visit", "cardio_visit", "b_visit", "partner_free"
    )
    assert ids(api.get(f"{API}/visits/?kind=lecture")) == pks(records, "cardio_visit")
    assert ids(api.get(f"{API}/visits/?since=2025-02-14&until=2025-02-28")) == pks(
        records, "cardio_visit", "b_visit"
    )
    assert ids(api.get(f"{API}/visits/?q=孙名医")) == pks(records, "pair_visit", "partner_free")
    body = api.get(f"{API}/visits/{records['partner_free'].pk}/").json()
    assert body["visit_kind"] == "free_clinic" and body["visit_kind_display"] == "义诊"
    assert body["patients"] == 80 and body["institution"]["id"] == world.b.pk
    assert api.get(f"{API}/visits/{records['pair_visit'].pk}/").json()["mentorship"] == (
        records["pair"].pk
    )


def test_a_hospital_records_a_visit_for_a_studio_and_a_mentorship(world, records):
    response = signed_in(world.hospital_a).post(
        f"{API}/visits/",
        {
            "expert": world.partner_expert.pk,
            "visit_kind": "surgery_guidance",
            "institution": world.a.pk,
            "department": world.a_surgery.pk,
            "held_on": "2025-03-12",
            "studio": records["a_studio"].pk,
            "mentorship": records["surgeon_pair"].pk,
            "operations": 3,
            "note": "指导腹腔镜胆囊切除 3 台",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["studio"] == {"id": records["a_studio"].pk, "name": "孙名医工作室"}
    assert body["operations"] == 3
    assert Visit.objects.get(pk=body["id"]).mentorship == records["surgeon_pair"]


def test_visit_counts_count_held_visits_since_a_date(world, records):
    api = signed_in(world.commission)
    body = api.get(f"{API}/visits/counts/?since=2025-02-01").json()
    assert body["total"] == 3
    assert {(row["name"], row["visits"]) for row in body["by_expert"]} == {
        ("孙名医", 1),
        ("周外科", 1),
        ("陈全科", 1),
    }
    assert {(row["id"], row["visits"]) for row in body["by_studio"]} == {(None, 3)}
    assert {(row["id"], row["visits"]) for row in body["by_institution"]} == {
        (world.a.pk, 1),
        (world.b.pk, 2),
    }
    assert body["by_month"] == [
        {"month": "2025-02-01", "visits": 2},
        {"month": "2025-03-01", "visits": 1},
    ]
    assert api.get(f"{API}/visits/counts/").json()["total"] == 4
    assert signed_in(world.mentor).get(f"{API}/visits/counts/").json()["total"] == 2


# --- consultations ---------------------------------------------------------------------------


def test_consultations_are_listed_filtered_and_read(world, records):
    api = signed_in(world.commission)
    assert ids(api.get(f"{API}/consultations/")) == pks(
        records, "a_consult", "surgery_consult", "b_consult"
    )
    assert ids(api.get(f"{API}/consultations/?q=李心怡")) == pks(records, "a_consult")
    assert ids(api.get(f"{API}/consultations/?since=2025-01-06&until=2025-02-01")) == pks(
        records, "surgery_consult"
    )
    body = api.get(f"{API}/consultations/{records['a_consult'].pk}/").json()
    assert body["expert"]["name"] == "孙名医" and body["requester"]["name"] == "李心怡"
    assert body["advice"] == "建议择期行冠脉造影。"


def test_a_hospital_records_a_consultation_with_a_partner_expert(world):
    response = signed_in(world.hospital_a).post(
        f"{API}/consultations/",
        {
            "expert": world.partner_expert.pk,
            "requester": world.a_surgeon.pk,
            "institution": world.a.pk,
            "held_on": "2025-03-03",
            "summary": "胆囊结石伴慢性胆囊炎，拟行腹腔镜手术。",
            "outcome": "手术顺利",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    consultation = Consultation.objects.get(pk=response.json()["id"])
    assert consultation.requester == world.a_surgeon and consultation.outcome == "手术顺利"


def test_the_lists_page_by_cursor(world, records):
    for index in range(52):
        visit(world, world.a_surgeon, datetime.date(2024, 1, 1) + datetime.timedelta(index % 5))
    api = signed_in(world.hospital_a)
    first = api.get(f"{API}/visits/").json()
    assert len(first["results"]) == 50 and first["next"]
    second = api.get(first["next"]).json()
    ids = [row["id"] for row in first["results"] + second["results"]]
    assert len(ids) == len(set(ids)) == 54
    assert second["next"] is None
