"""/api/v1/training/ for secondments (进修): batches, secondments with their monthly reports and
needs, completion and withdrawal. Happy paths; hostile input refused by field in Chinese with
nothing written; every persona (and a linked leader, 挂钩领导) against every list, row and
action, with the answers of the pages; and query counts that do not grow with the rows."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.builders import once_per_module
from tests.scope_tables import PERSONAS
from tests.training.api import API, ids, pks, results, signed_in
from tests.training.secondments import START, TODAY, leader_user, secondment
from yicai.access.models import AuditEntry
from yicai.people import services as people_services
from yicai.training.models import (
    MonthlyReport,
    Secondment,
    SecondmentBatch,
    SecondmentNeed,
    Technique,
)
from yicai.training.services.secondments import (
    default_end,
    monthly_report_submit,
    secondment_batch_create,
    secondment_need_raise,
    secondment_withdraw,
)

CHINESE = re.compile(r"[\u4e00-\u9fff]")
WITHOUT_TRAINING = ("auditor", "security", "nobody")
EVERYONE = (*PERSONAS, "linked_leader")


def _batch(world, name, institution=None):
    return secondment_batch_create(
        name=name, year=START.year, region=world.a.commission_region, institution=institution
    )


def secondment_records(world) -> dict:
    """李心怡 (the trainee) at the partner hospital with 周外科 as her linked leader, in the
    district's batch with 陈全科 of B; 赵护士 of A's cardiology ward in A's own batch."""
    district = _batch(world, "2024 年区级进修")
    a_batch = _batch(world, "甲院护理进修", institution=world.a)
    a_sec = secondment(world, batch=district, objectives="肝胆介入")
    nurse_sec = secondment(world, person=world.a_ward_nurse, linked_leader=None, batch=a_batch)
    b_sec = secondment(world, person=world.b_doctor, linked_leader=None, batch=district)
    report = monthly_report_submit(
        secondment=a_sec, person=world.a_doctor, month=START, content="跟台肝胆手术 20 台"
    )
    need = secondment_need_raise(secondment=a_sec, content="需要腹腔镜模拟训练")
    return {
        "district": district,
        "a_batch": a_batch,
        "a_sec": a_sec,
        "nurse_sec": nurse_sec,
        "b_sec": b_sec,
        "report": report,
        "need": need,
    }


_built, records = once_per_module(secondment_records)


@pytest.fixture(name="users")
def _users(world) -> dict:
    """The nine personas, and 周外科's account: head of surgery, the trainee's linked leader."""
    return {
        **{name: getattr(world, name) for name in PERSONAS},
        "linked_leader": leader_user(world),
    }


def _counts() -> tuple:
    return tuple(
        model.objects.count()
        for model in (SecondmentBatch, Secondment, MonthlyReport, SecondmentNeed, Technique)
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


def test_secondments_are_listed_with_their_figures_and_filtered(world, records):
    api = signed_in(world.commission)
    rows = {row["id"]: row for row in results(api.get(f"{API}/secondments/"))}
    assert set(rows) == pks(records, "a_sec", "nurse_sec", "b_sec")
    row = rows[records["a_sec"].pk]
    assert row["person"] == {"id": world.a_doctor.pk, "name": "李心怡"}
    assert row["institution"]["id"] == world.a.pk
    assert row["department"] == {"id": world.a_cardiology.pk, "name": "心血管内科"}
    assert row["host"] == {"id": world.partner.pk, "name": world.partner.name}
    assert row["linked_leader"] == {"id": world.a_surgeon.pk, "name": "周外科"}
    assert row["batch"]["id"] == records["district"].pk
    assert row["secondment_status"] == "active" and row["secondment_status_display"] == "进修中"
    assert (row["report_count"], row["awaiting_comment"], row["open_needs"]) == (1, 1, 1)
    assert ids(api.get(f"{API}/secondments/?q=赵护士")) == pks(records, "nurse_sec")
    assert ids(api.get(f"{API}/secondments/?batch={records['district'].pk}")) == pks(
        records, "a_sec", "b_sec"
    )
    assert ids(api.get(f"{API}/secondments/?institution={world.b.pk}")) == pks(records, "b_sec")
    assert ids(api.get(f"{API}/secondments/?status=current")) == set(rows)
    secondment_withdraw(secondment=records["b_sec"], on=TODAY)
    assert ids(api.get(f"{API}/secondments/?status=withdrawn")) == pks(records, "b_sec")
    assert ids(api.get(f"{API}/secondments/?status=current")) == pks(records, "a_sec", "nurse_sec")


def test_a_secondment_is_read_with_its_reports_and_needs(world, records):
    body = signed_in(world.hospital_a).get(f"{API}/secondments/{records['a_sec'].pk}/").json()
    assert body["objectives"] == "肝胆介入"
    assert body["end_on"] == default_end(START).isoformat()
    assert body["reports"] == [
        {
            "id": records["report"].pk,
            "secondment": records["a_sec"].pk,
            "month": START.replace(day=1).isoformat(),
            "content": "跟台肝胆手术 20 台",
            "techniques": "",
            "submitted_at": body["reports"][0]["submitted_at"],
            "comment": "",
            "commented_at": None,
            "commented_by": None,
            "entered_by_name": "",
            "comment_entered_by_name": "",
        }
    ]
    assert body["needs"] == [
        {
            "id": records["need"].pk,
            "secondment": records["a_sec"].pk,
            "raised_on": TODAY.isoformat(),
            "content": "需要腹腔镜模拟训练",
            "resolved_on": None,
            "resolution": "",
        }
    ]
    assert body["techniques"] == [] and body["completion_report"] == ""


def test_batches_count_the_members_each_user_sees(world, records):
    rows = {
        row["id"]: row
        for row in results(signed_in(world.commission).get(f"{API}/secondment-batches/"))
    }
    assert set(rows) == pks(records, "district", "a_batch")
    assert (rows[records["district"].pk]["members"], rows[records["district"].pk]["active"]) == (
        2,
        2,
    )
    assert rows[records["district"].pk]["institution"] is None
    assert rows[records["a_batch"].pk]["institution"]["id"] == world.a.pk
    # Hospital B sees the district's batch through its own doctor, and counts only him.
    rows = results(signed_in(world.hospital_b).get(f"{API}/secondment-batches/"))
    assert [(row["id"], row["members"]) for row in rows] == [(records["district"].pk, 1)]
    api = signed_in(world.commission)
    assert ids(api.get(f"{API}/secondment-batches/?year={START.year}")) == set(
        pks(records, "district", "a_batch")
    )
    assert ids(api.get(f"{API}/secondment-batches/?year={START.year - 1}")) == set()


def test_the_commission_and_a_hospital_create_batches(world):
    response = signed_in(world.commission).post(
        f"{API}/secondment-batches/", {"name": "2025 年区级进修", "year": 2025}, format="json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["institution"] is None and (body["members"], body["active"]) == (0, 0)
    batch = SecondmentBatch.objects.get(pk=body["id"])
    assert batch.region == world.a.commission_region
    response = signed_in(world.hospital_a).post(
        f"{API}/secondment-batches/",
        {"name": "甲院 2025 年进修", "year": 2025, "institution": world.a.pk, "note": "外科"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["institution"]["id"] == world.a.pk


def test_a_hospital_plans_a_secondment_a_year_long_by_default(world, records):
    # The cardiologist is also, as a hospital leader, in charge of surgery.
    people_services.record_update(
        record=world.a_doctor.appointments.get(), departments_in_charge=[world.a_surgery]
    )
    response = signed_in(world.hospital_a).post(
        f"{API}/secondments/",
        {
            "person": world.a_surgeon.pk,
            "batch": records["district"].pk,
            "host": world.partner.pk,
            "host_department": "  超声科 ",
            "start_on": "2023-02-27",
            "linked_leader": world.a_doctor.pk,
            "objectives": "肝胆介入超声",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["end_on"] == "2024-02-26" and body["host_department"] == "超声科"
    assert body["linked_leader"]["id"] == world.a_doctor.pk and body["reports"] == []
    made = Secondment.objects.get(pk=body["id"])
    assert made.batch == records["district"] and made.person == world.a_surgeon
    entry = AuditEntry.objects.filter(object_pk=str(made.pk)).order_by("pk").last()
    assert entry.actor_id == world.hospital_a.pk


def test_a_hospital_changes_the_plan_but_not_who_went(world, records):
    api = signed_in(world.hospital_a)
    url = f"{API}/secondments/{records['a_sec'].pk}/"
    response = api.patch(
        url,
        {"host_department": "胆道外科", "linked_leader": None, "person": world.a_surgeon.pk},
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["host_department"] == "胆道外科" and body["linked_leader"] is None
    assert body["person"]["id"] == world.a_doctor.pk  # `person` is not a field of a change
    stored = Secondment.objects.get(pk=records["a_sec"].pk)
    assert stored.linked_leader is None and stored.objectives == "肝胆介入"


def test_the_trainee_reports_and_the_linked_leader_comments(world, records, users):
    month = START + datetime.timedelta(days=40)
    response = signed_in(world.trainee).post(
        f"{API}/secondments/{records['a_sec'].pk}/reports/",
        {"month": month.isoformat(), "content": "独立完成 ERCP 3 例", "techniques": "ERCP"},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["month"] == month.replace(day=1).isoformat() and body["comment"] == ""
    leader = signed_in(users["linked_leader"])
    response = leader.post(
        f"{API}/reports/{body['id']}/comment/", {"comment": " 继续加强术前评估 "}, format="json"
    )
    assert response.status_code == 200, response.content
    commented = response.json()
    assert commented["comment"] == "继续加强术前评估"
    assert commented["commented_by"] == {"id": world.a_surgeon.pk, "name": "周外科"}
    assert commented["commented_at"] is not None
    # The leader sees their trainee's secondment only, and what still awaits them.
    assert ids(leader.get(f"{API}/secondments/")) == pks(records, "a_sec")
    row = results(leader.get(f"{API}/secondments/"))[0]
    assert (row["report_count"], row["awaiting_comment"]) == (2, 1)


def test_needs_are_raised_by_the_trainee_and_resolved_by_the_leader(world, records, users):
    response = signed_in(world.trainee).post(
        f"{API}/secondments/{records['a_sec'].pk}/needs/",
        {"content": "希望参加省级内镜培训班"},
        format="json",
    )
    assert response.status_code == 201, response.content
    need = response.json()
    assert need["raised_on"] == TODAY.isoformat() and need["resolved_on"] is None
    response = signed_in(users["linked_leader"]).post(
        f"{API}/needs/{need['id']}/resolve/", {"resolution": "已联系报名"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["resolution"] == "已联系报名"
    assert response.json()["resolved_on"] == TODAY.isoformat()


def test_completion_puts_the_named_techniques_in_the_registry_as_planned(world, records):
    response = signed_in(world.hospital_a).post(
        f"{API}/secondments/{records['a_sec'].pk}/complete/",
        {
            "completed_on": TODAY.isoformat(),
            "report": "完成进修计划，掌握胆道镜技术。",
            "techniques": [
                {"name": "胆道镜取石术", "technique_category": "surgery"},
                {"name": "超声引导下肝穿刺"},
            ],
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["secondment_status"] == "completed" and body["completed_on"] == TODAY.isoformat()
    assert body["completion_report"] == "完成进修计划，掌握胆道镜技术。"
    assert [
        (row["name"], row["technique_category"], row["technique_status"])
        for row in body["techniques"]
    ] == [
        ("胆道镜取石术", "surgery", "planned"),
        ("超声引导下肝穿刺", "other", "planned"),
    ]
    planned = Technique.objects.filter(secondment=records["a_sec"])
    assert {technique.institution_id for technique in planned} == {world.a.pk}


def test_a_secondment_is_withdrawn_today_or_on_a_given_day(world, records):
    api = signed_in(world.commission)
    response = api.post(f"{API}/secondments/{records['b_sec'].pk}/withdraw/", {}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["secondment_status"] == "withdrawn"
    assert response.json()["end_on"] == TODAY.isoformat()
    day = START + datetime.timedelta(days=10)
    response = api.post(
        f"{API}/secondments/{records['nurse_sec'].pk}/withdraw/",
        {"on": day.isoformat()},
        format="json",
    )
    assert response.status_code == 200
    assert Secondment.objects.get(pk=records["nurse_sec"].pk).end_on == day


# --- scope: every persona and the linked leader ----------------------------------------------

SECONDMENTS = {
    "commission": {"a_sec", "nurse_sec", "b_sec"},
    "hospital_a": {"a_sec", "nurse_sec"},
    "hospital_b": {"b_sec"},
    "dept_head": {"a_sec", "nurse_sec"},  # cardiology and its ward
    "mentor": set(),
    "trainee": {"a_sec"},  # their own
    "linked_leader": {"a_sec"},  # the trainee they follow, not their own department's people
}
BATCHES = {
    "commission": {"district", "a_batch"},
    "hospital_a": {"district", "a_batch"},
    "hospital_b": {"district"},
    "dept_head": {"district", "a_batch"},
    "mentor": set(),
    "trainee": {"district"},
    "linked_leader": {"district"},
}
EDITORS = ("commission", "hospital_a", "hospital_b")


def _expected(persona, seen: set, allowed: int, key: str) -> int:
    """403 without training.view, 404 outside the scope, else the action's own answer."""
    if persona in WITHOUT_TRAINING:
        return 403
    return allowed if key in seen else 404


@pytest.mark.parametrize("persona", EVERYONE)
def test_the_lists_hold_exactly_the_personas_scope(records, users, persona):
    api = signed_in(users[persona])
    for collection, expected in (("secondments", SECONDMENTS), ("secondment-batches", BATCHES)):
        response = api.get(f"{API}/{collection}/")
        if persona in WITHOUT_TRAINING:
            assert response.status_code == 403, collection
            assert "detail" in response.json()
        else:
            assert ids(response) == pks(records, *expected[persona]), collection


@pytest.mark.parametrize("persona", EVERYONE)
def test_each_secondment_is_read_only_within_the_scope(records, users, persona):
    api = signed_in(users[persona])
    for key in ("a_sec", "nurse_sec", "b_sec"):
        response = api.get(f"{API}/secondments/{records[key].pk}/")
        expected = _expected(persona, SECONDMENTS.get(persona, set()), 200, key)
        assert response.status_code == expected, key
        if expected == 404:
            assert set(response.json()) == {"detail"}


# Administrators of the trainee's institution may enter past reports and comments on their
# behalf (training.backfill); everyone else who sees the secondment is refused.
BACKFILLERS = ("commission", "hospital_a")


@pytest.mark.parametrize("persona", EVERYONE)
def test_the_trainee_submits_a_report_or_an_administrator_enters_it(records, users, persona):
    count = MonthlyReport.objects.count()
    response = signed_in(users[persona]).post(
        f"{API}/secondments/{records['a_sec'].pk}/reports/",
        {"month": (START + datetime.timedelta(days=35)).isoformat(), "content": "学习内镜"},
        format="json",
    )
    # Seeing a secondment is not being its trainee: everyone else is refused, as on the page.
    allowed = 201 if persona in ("trainee", *BACKFILLERS) else 403
    expected = _expected(persona, SECONDMENTS.get(persona, set()), allowed, "a_sec")
    assert response.status_code == expected
    if expected == 403 and persona not in WITHOUT_TRAINING:
        assert response.json()["detail"] == "只有进修人员本人可以提交月报。"
    assert MonthlyReport.objects.count() == count + (expected == 201)
    if expected == 201:
        on_behalf = persona in BACKFILLERS
        assert (response.json()["entered_by_name"] != "") == on_behalf


@pytest.mark.parametrize("persona", EVERYONE)
def test_only_the_linked_leader_comments_a_report(records, users, persona):
    response = signed_in(users[persona]).post(
        f"{API}/reports/{records['report'].pk}/comment/", {"comment": "多上手"}, format="json"
    )
    allowed = 200 if persona == "linked_leader" else 400  # seen, but not the leader: as on the page
    expected = _expected(persona, SECONDMENTS.get(persona, set()), allowed, "a_sec")
    assert response.status_code == expected
    if expected == 400 and persona in BACKFILLERS:  # entering the leader's comment: its day
        assert response.json() == {"commented_on": ["请填写批注日期。"]}
    elif expected == 400:
        assert response.json()["non_field_errors"] == ["只有该进修人员的挂钩领导可以批注月报。"]
    assert MonthlyReport.objects.get(pk=records["report"].pk).comment == (
        "多上手" if expected == 200 else ""
    )


@pytest.mark.parametrize("persona", EVERYONE)
def test_needs_are_raised_by_the_trainee_or_their_institution(records, users, persona):
    count = SecondmentNeed.objects.count()
    response = signed_in(users[persona]).post(
        f"{API}/secondments/{records['a_sec'].pk}/needs/", {"content": "需要住宿"}, format="json"
    )
    allowed = 201 if persona in ("commission", "hospital_a", "trainee") else 403
    expected = _expected(persona, SECONDMENTS.get(persona, set()), allowed, "a_sec")
    assert response.status_code == expected
    assert SecondmentNeed.objects.count() == count + (expected == 201)


@pytest.mark.parametrize("persona", EVERYONE)
def test_needs_are_resolved_by_the_institution_or_the_linked_leader(records, users, persona):
    response = signed_in(users[persona]).post(
        f"{API}/needs/{records['need'].pk}/resolve/", {"resolution": "已解决"}, format="json"
    )
    allowed = 200 if persona in ("commission", "hospital_a", "linked_leader") else 403
    expected = _expected(persona, SECONDMENTS.get(persona, set()), allowed, "a_sec")
    assert response.status_code == expected
    resolved = SecondmentNeed.objects.get(pk=records["need"].pk).resolved_on
    assert (resolved is not None) == (expected == 200)


@pytest.mark.parametrize("persona", EVERYONE)
@pytest.mark.parametrize("action", ["complete", "withdraw", "change"])
def test_changing_completing_and_withdrawing_need_the_edit_scope(records, users, persona, action):
    api = signed_in(users[persona])
    url = f"{API}/secondments/{records['a_sec'].pk}/"
    if action == "change":
        response = api.patch(url, {"host_department": "胆道外科"}, format="json")
    else:
        payload = {"completed_on": TODAY.isoformat(), "report": "完成"}
        response = api.post(f"{url}{action}/", payload, format="json")
    if persona not in EDITORS:
        expected = 403  # training.edit is asked first, as on the pages
    else:
        expected = 200 if persona != "hospital_b" else 404
    assert response.status_code == expected
    stored = Secondment.objects.get(pk=records["a_sec"].pk)
    changed = {
        "complete": stored.status == "completed",
        "withdraw": stored.status == "withdrawn",
        "change": stored.host_department == "胆道外科",
    }[action]
    assert changed == (expected == 200)


@pytest.mark.parametrize("persona", EVERYONE)
def test_secondments_and_batches_are_created_by_those_who_record(world, records, users, persona):
    api = signed_in(users[persona])
    before = _counts()
    response = api.post(
        f"{API}/secondments/",
        {
            "person": world.a_surgeon.pk,
            "host": world.partner.pk,
            "host_department": "超声科",
            "start_on": START.isoformat(),
        },
        format="json",
    )
    batch = api.post(
        f"{API}/secondment-batches/",
        {"name": "新批次", "year": 2025, "institution": world.a.pk},
        format="json",
    )
    if persona not in EDITORS:
        assert (response.status_code, batch.status_code) == (403, 403)
        assert _counts() == before
    elif persona == "hospital_b":  # A's surgeon and A are not B's to name
        assert_refused(response, "person", "所选进修人员不存在或不在您的管辖范围内。")
        assert_refused(batch, "institution", "所选机构不存在或不在您的管辖范围内。")
        assert _counts() == before
    else:
        assert (response.status_code, batch.status_code) == (201, 201)


# --- hostile input ---------------------------------------------------------------------------

HOSTILE_PLANS = [
    ("another hospital's person", {"person": "b_doctor"}, "person", "进修人员"),
    ("unknown person", {"person": 10**12}, "person", None),
    ("person as text", {"person": "李心怡"}, "person", None),
    ("own hospital as host", {"host": "a"}, "host", "不能是本人所在机构"),
    (
        "the trainee as leader",
        {"linked_leader": "a_surgeon"},
        "linked_leader",
        "不能是进修人员本人",
    ),
    ("a leader out of scope", {"linked_leader": "b_doctor"}, "linked_leader", "挂钩领导"),
    ("end before start", {"end_on": "2023-01-01"}, "end_on", None),
    ("not a date", {"start_on": "2024-02-30"}, "start_on", None),
    ("before 1900", {"start_on": "1899-12-31"}, "start_on", None),
    ("blank department", {"host_department": "   "}, "host_department", None),
    ("overlong department", {"host_department": "科" * 101}, "host_department", None),
    ("identity number", {"objectives": "跟随 310113198506010012"}, "objectives", "患者信息"),
    ("batch as a list", {"batch": [1]}, "batch", None),
    ("another district's batch", {"batch": "elsewhere"}, "batch", "进修批次"),
]
PLAN = {
    "person": "a_surgeon",
    "host": "partner",
    "host_department": "超声科",
    "start_on": "2023-02-27",
}


def _resolve(world, records, payload: dict) -> dict:
    def one(value):
        if isinstance(value, str) and hasattr(world, value):
            return getattr(world, value).pk
        if isinstance(value, str) and value in records:
            return records[value].pk
        return value

    return {field: one(value) for field, value in payload.items()}


@pytest.mark.parametrize(
    ("case", "change", "field", "message"), HOSTILE_PLANS, ids=[c[0] for c in HOSTILE_PLANS]
)
def test_a_hostile_plan_is_refused_by_field_and_nothing_is_written(
    world, records, case, change, field, message
):
    from tests import factories

    records["elsewhere"] = secondment_batch_create(
        name="外区批次", year=2024, region=factories.region("310104")
    )
    api = signed_in(world.hospital_a)
    before = _counts()
    response = api.post(
        f"{API}/secondments/", _resolve(world, records, {**PLAN, **change}), format="json"
    )
    assert_refused(response, field, message)
    assert _counts() == before
    assert (
        api.post(f"{API}/secondments/", _resolve(world, records, PLAN), format="json").status_code
        == 201
    )


def test_an_overlapping_secondment_is_refused(world, records):
    before = _counts()
    response = signed_in(world.hospital_a).post(
        f"{API}/secondments/",
        _resolve(world, records, {**PLAN, "person": "a_doctor", "start_on": TODAY.isoformat()}),
        format="json",
    )
    assert_refused(response, "start_on", "已有进修安排")
    assert _counts() == before


HOSTILE_CHANGES = [
    ({"end_on": (START - datetime.timedelta(days=1)).isoformat()}, "end_on"),
    ({"linked_leader": "b_doctor"}, "linked_leader"),
    ({"host": "a"}, "host"),
    ({"objectives": "电话 13800138000"}, "objectives"),
    ({"start_on": 20240101}, "start_on"),
]


@pytest.mark.parametrize(("change", "field"), HOSTILE_CHANGES)
def test_a_hostile_change_is_refused_and_the_plan_stays(world, records, change, field):
    url = f"{API}/secondments/{records['a_sec'].pk}/"
    response = signed_in(world.hospital_a).patch(
        url, _resolve(world, records, change), format="json"
    )
    assert_refused(response, field)
    stored = Secondment.objects.get(pk=records["a_sec"].pk)
    assert (stored.end_on, stored.linked_leader, stored.host) == (
        records["a_sec"].end_on,
        world.a_surgeon,
        world.partner,
    )


HOSTILE_REPORTS = [
    ({"month": (TODAY + datetime.timedelta(days=62)).isoformat()}, "month", "未来月份"),
    ({"month": (START - datetime.timedelta(days=40)).isoformat()}, "month", "不在进修期内"),
    ({"month": "2024-13"}, "month", None),
    ({"content": "患者电话 13800138000"}, "content", "患者信息"),
    ({"content": ""}, "content", None),
    ({"techniques": "术" * 301}, "techniques", None),
    ({"month": START.isoformat()}, "non_field_errors", "该月的月报已提交"),
]


@pytest.mark.parametrize(("change", "field", "message"), HOSTILE_REPORTS)
def test_a_hostile_report_is_refused_by_field(world, records, change, field, message):
    payload = {"month": (START + datetime.timedelta(days=35)).isoformat(), "content": "学习"}
    before = _counts()
    response = signed_in(world.trainee).post(
        f"{API}/secondments/{records['a_sec'].pk}/reports/", {**payload, **change}, format="json"
    )
    assert_refused(response, field, message)
    assert _counts() == before


def test_a_finished_secondment_takes_no_report_and_no_need(world, records):
    secondment_withdraw(secondment=records["a_sec"], on=TODAY)
    api = signed_in(world.trainee)
    url = f"{API}/secondments/{records['a_sec'].pk}"
    before = _counts()
    response = api.post(
        f"{url}/reports/", {"month": START.isoformat(), "content": "x"}, format="json"
    )
    assert_refused(response, "month", "该进修已结束")
    response = api.post(f"{url}/needs/", {"content": "住宿"}, format="json")
    assert response.status_code == 403 and "已结束" in response.json()["detail"]
    assert _counts() == before


@pytest.mark.parametrize(
    ("path", "payload", "field"),
    [
        ("comment", {"comment": "  "}, "comment"),
        ("comment", {}, "comment"),
        ("comment", {"comment": ["多上手"]}, "comment"),
        ("comment", {"comment": "请回电 13800138000"}, "comment"),
        ("resolve", {"resolution": ""}, "resolution"),
        ("resolve", {"resolution": "字" * 301}, "resolution"),
        ("resolve", {"resolution": "患者 310113198506010012 已转诊"}, "resolution"),
    ],
)
def test_an_empty_comment_or_resolution_is_refused(world, records, users, path, payload, field):
    if path == "comment":
        url = f"{API}/reports/{records['report'].pk}/comment/"
    else:
        url = f"{API}/needs/{records['need'].pk}/resolve/"
    response = signed_in(users["linked_leader"]).post(url, payload, format="json")
    assert_refused(response, field)
    assert MonthlyReport.objects.get(pk=records["report"].pk).commented_at is None
    assert SecondmentNeed.objects.get(pk=records["need"].pk).resolved_on is None


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"content": "患者 310113198506010012 的随访"}, "content"),
        ({"content": "住宿", "raised_on": "2999-01-01"}, "raised_on"),
        ({"content": "需" * 301}, "content"),
    ],
)
def test_a_hostile_need_is_refused(world, records, payload, field):
    before = _counts()
    response = signed_in(world.trainee).post(
        f"{API}/secondments/{records['a_sec'].pk}/needs/", payload, format="json"
    )
    assert_refused(response, field)
    assert _counts() == before


HOSTILE_COMPLETIONS = [
    ({"completed_on": "2999-01-01"}, "completed_on", "不能晚于今天"),
    ({"completed_on": "1999-01-01"}, "completed_on", "不能早于开始日期"),
    ({"completed_on": "昨天"}, "completed_on", None),
    ({"report": "   "}, "report", None),
    ({"report": "随访 13800138000"}, "report", "患者信息"),
    ({"techniques": [{"name": ""}]}, "techniques", "第 1 项"),
    ({"techniques": [{"name": "术" * 101}]}, "techniques", "第 1 项"),
    (
        {"techniques": [{"name": "甲"}, {"name": "乙", "technique_category": "magic"}]},
        "techniques",
        "第 2 项",
    ),
    ({"techniques": [{"name": "甲"}, {"name": "甲"}]}, "techniques", "技术名称重复"),
    ({"techniques": [{"name": "单孔腹腔镜胆囊切除术"}]}, "techniques", "本机构已登记"),
    ({"techniques": "胆道镜"}, "techniques", None),
    ({"techniques": ["胆道镜"]}, "techniques", "第 1 项"),
]


@pytest.mark.parametrize(("change", "field", "message"), HOSTILE_COMPLETIONS)
def test_a_hostile_completion_is_refused_and_the_secondment_stays_active(
    world, records, change, field, message
):
    from tests.training.helpers import technique

    technique(world)  # 单孔腹腔镜胆囊切除术, already on A's register
    payload = {"completed_on": TODAY.isoformat(), "report": "完成进修"}
    before = _counts()
    response = signed_in(world.hospital_a).post(
        f"{API}/secondments/{records['a_sec'].pk}/complete/", {**payload, **change}, format="json"
    )
    assert_refused(response, field, message)
    assert _counts() == before
    assert Secondment.objects.get(pk=records["a_sec"].pk).status == "active"


@pytest.mark.parametrize(
    ("payload", "field"), [({"on": "明天"}, "on"), ({"on": 1}, "on"), ({"on": []}, "on")]
)
def test_a_hostile_withdrawal_is_refused(world, records, payload, field):
    response = signed_in(world.hospital_a).post(
        f"{API}/secondments/{records['a_sec'].pk}/withdraw/", payload, format="json"
    )
    assert_refused(response, field)
    assert Secondment.objects.get(pk=records["a_sec"].pk).status == "active"


def test_a_withdrawal_dated_before_the_start_ends_on_the_first_day(world, records):
    response = signed_in(world.hospital_a).post(
        f"{API}/secondments/{records['a_sec'].pk}/withdraw/", {"on": "1999-01-01"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["end_on"] == START.isoformat()


def test_a_second_withdrawal_is_refused(world, records):
    api = signed_in(world.hospital_a)
    url = f"{API}/secondments/{records['a_sec'].pk}/withdraw/"
    assert api.post(url, {}, format="json").status_code == 200
    assert_refused(api.post(url, {}, format="json"), "on", "该进修已结束")


@pytest.mark.parametrize(
    ("persona", "payload", "field", "message"),
    [
        ("hospital_a", {"name": "甲院批次", "year": 2025}, "institution", "请选择组织机构"),
        ("commission", {"name": "  ", "year": 2025}, "name", None),
        ("commission", {"name": "批次", "year": 1800}, "year", None),
        ("commission", {"name": "批次", "year": "明年"}, "year", None),
        (
            "commission",
            {"name": "批次", "year": 2025, "institution": "partner"},
            "institution",
            None,
        ),
        ("commission", {"name": "2024 年区级进修", "year": 2025}, "non_field_errors", "同名"),
    ],
)
def test_a_hostile_batch_is_refused(world, records, persona, payload, field, message):
    before = _counts()
    response = signed_in(getattr(world, persona)).post(
        f"{API}/secondment-batches/", _resolve(world, records, payload), format="json"
    )
    assert_refused(response, field, message)
    assert _counts() == before


@pytest.mark.parametrize(
    "query", ["status=lost", "batch=abc", "institution=999999999", "batch=999999999"]
)
def test_bad_filters_are_refused_by_name(world, records, query):
    response = signed_in(world.hospital_a).get(f"{API}/secondments/?{query}")
    assert_refused(response, query.split("=")[0])


def test_another_institutions_batch_filter_is_refused(world, records):
    response = signed_in(world.hospital_b).get(f"{API}/secondments/?batch={records['a_batch'].pk}")
    assert_refused(response, "batch")


# --- query counts ----------------------------------------------------------------------------


def _queries(api, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = api.get(url)
    assert response.status_code == 200, response.content
    return len(captured)


def _more(world, records, start: int, count: int) -> None:
    """More secondments in the district's batch, each with reports, a need and a batch."""
    from tests import factories

    for index in range(start, start + count):
        person = factories.person(world.a, f"进修{index:03d}", department=world.a_surgery)
        batch = _batch(world, f"批次{index:03d}")
        made = secondment(world, person=person, batch=batch, linked_leader=world.a_surgeon)
        monthly_report_submit(secondment=made, person=person, month=START, content="学习")
        secondment_need_raise(secondment=made, content="住宿")
        month = (START.replace(day=1) + datetime.timedelta(days=31 * (index + 1))).replace(day=1)
        if month <= TODAY:
            monthly_report_submit(
                secondment=records["a_sec"], person=world.a_doctor, month=month, content="学习"
            )
        secondment_need_raise(secondment=records["a_sec"], content=f"需求{index}")


URLS = [
    "secondments/",
    "secondments/?q=进修&status=current&institution={institution}",
    "secondment-batches/",
    "secondment-batches/?year={year}",
    "secondments/{a_sec}/",
]


@pytest.mark.parametrize("persona", ["commission", "hospital_a", "linked_leader"])
@pytest.mark.parametrize("url", URLS)
def test_queries_do_not_grow_with_rows(world, records, users, persona, url):
    api = signed_in(users[persona])
    url = f"{API}/" + url.format(institution=world.a.pk, year=START.year, a_sec=records["a_sec"].pk)
    _more(world, records, 0, 2)
    few = _queries(api, url)
    _more(world, records, 2, 3)
    many = _queries(api, url)
    assert few == many
    assert many <= 16, many


def test_the_rows_counted_are_the_ones_added(world, records, users):
    _more(world, records, 0, 3)
    commission = signed_in(users["commission"])
    assert len(results(commission.get(f"{API}/secondments/"))) == 3 + 3
    assert len(results(commission.get(f"{API}/secondment-batches/"))) == 2 + 3
    leader = signed_in(users["linked_leader"])
    assert len(results(leader.get(f"{API}/secondments/"))) == 1 + 3
    detail = commission.get(f"{API}/secondments/{records['a_sec'].pk}/").json()
    assert len(detail["needs"]) == 1 + 3 and len(detail["reports"]) >= 2
