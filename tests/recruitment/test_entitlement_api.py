"""An introduction's entitlements over the API (/api/v1/recruitment/introductions/{id}/
entitlements/ and leave/, /tranches/{id}/pay/, /clawbacks/{id}/decide/, /payments-due/):
the services the introduction's page uses, so the same refusals in the same words; amounts to
the cent as strings; the introduction's detail with its commitment and its leaving; another
institution's a 404, a department head reading its department's, deciding the commission's
alone; lists that cost the same for few or many rows."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import login
from yicai.recruitment import services
from yicai.recruitment.models import Clawback, Entitlement, Tranche

pytestmark = pytest.mark.django_db
D = datetime.date
API = "/api/v1/recruitment"


def _introduction(world, person="a_doctor", department="a_cardiology", institution="a", years=5):
    """An introduction of 2021-07-01 with a commitment of `years`."""
    return services.introduction_create(
        by=None,
        person=getattr(world, person),
        institution=getattr(world, institution),
        department=getattr(world, department) if department else None,
        introduced_on=D(2021, 7, 1),
        mode="full_time",
        category="high_level",
        service_years=years,
    )


def _tranches(*rows):
    return [
        {"amount": amount, "due_on": due, "condition": condition} for amount, due, condition in rows
    ]


SETTLEMENT = {
    "entitlement_kind": "settlement",
    "amount": "200000",
    "tranches": _tranches(("100000", "2021-07-15", ""), ("100000", "2022-07-01", "首年考核合格后")),
}
# Paid back in full when leaving early; odd cents, to the cent.
RESEARCH = {
    "entitlement_kind": "research",
    "amount": "45000.50",
    "entitlement_repayment": "full",
    "note": "科研启动经费",
    "tranches": _tranches(("30000.25", "2021-08-01", ""), ("15000.25", "2024-07-01", "中期考核后")),
}


def _page_form(values):
    """The page's form of the same entitlement (its tranches as the formset's rows)."""
    data = {
        "kind": values["entitlement_kind"],
        "amount": values["amount"],
        "repayment": values.get("entitlement_repayment", "pro_rata"),
        "tranche-TOTAL_FORMS": "4",
        "tranche-INITIAL_FORMS": "0",
        "tranche-MIN_NUM_FORMS": "0",
        "tranche-MAX_NUM_FORMS": "12",
    }
    for number, row in enumerate(values["tranches"]):
        data |= {f"tranche-{number}-{name}": value for name, value in row.items()}
    return data


def test_granted_paid_left_and_decided_to_the_cent_in_the_pages_words(world, as_api, client):
    introduction = _introduction(world)
    api = as_api(world.hospital_a)
    row = f"{API}/introductions/{introduction.pk}/"
    detail = api.get(row).json()
    assert (detail["commitment_last_day"], detail["left_on"], detail["document"]) == (
        "2026-06-30",
        None,
        None,
    )
    # A sum that does not add up: refused as on the page, nothing written.
    short = {**SETTLEMENT, "tranches": SETTLEMENT["tranches"][:1]}
    refused = api.post(row + "entitlements/", short, format="json")
    said = "各期金额之和（100,000.00 元）与待遇金额（200,000.00 元）不一致。"
    assert (refused.status_code, refused.json()) == (400, {"tranches": [said]})
    page = login(client, world.hospital_a)
    form = page.post(
        f"/recruitment/introductions/{introduction.pk}/entitlements/", _page_form(short)
    )
    assert form.status_code == 400 and said in form.content.decode()
    early = {**SETTLEMENT, "tranches": _tranches(("200000", "2021-06-30", ""))}
    assert api.post(row + "entitlements/", early, format="json").json() == {
        "tranches": ["应发日期不能早于引进日期（2021-07-01）。"]
    }
    empty = api.post(row + "entitlements/", {**SETTLEMENT, "tranches": []}, format="json")
    assert empty.json() == {"tranches": ["请至少填写一期发放安排。"]}
    assert not Entitlement.objects.exists()
    # Granted: 201 with its tranches, amounts as strings to the cent.
    granted = api.post(row + "entitlements/", SETTLEMENT, format="json")
    assert granted.status_code == 201, granted.json()
    settlement = granted.json()
    assert (
        settlement["entitlement_kind"],
        settlement["entitlement_kind_display"],
        settlement["entitlement_repayment"],
        settlement["amount"],
        settlement["paid"],
        settlement["clawback"],
    ) == ("settlement", "安家补贴", "pro_rata", "200000.00", "0.00", None)
    assert [
        (t["number"], t["amount"], t["due_on"], t["condition"]) for t in settlement["tranches"]
    ] == [
        (1, "100000.00", "2021-07-15", ""),
        (2, "100000.00", "2022-07-01", "首年考核合格后"),
    ]
    research = api.post(row + "entitlements/", RESEARCH, format="json").json()
    assert (research["amount"], research["entitlement_repayment_display"]) == (
        "45000.50",
        "全额退还",
    )
    listed = api.get(row + "entitlements/").json()
    assert [line["id"] for line in listed] == [settlement["id"], research["id"]]
    assert listed[0] == settlement
    # Due by the end of 2021: the first of each, oldest first.
    due = api.get(f"{API}/payments-due/", {"as_of": "2021-12-31"}).json()["results"]
    assert [(line["entitlement_kind"], line["number"], line["amount"]) for line in due] == [
        ("settlement", 1, "100000.00"),
        ("research", 1, "30000.25"),
    ]
    assert (due[0]["person"], due[0]["institution"], due[0]["introduction"]) == (
        {"id": world.a_doctor.pk, "name": world.a_doctor.name},
        {"id": world.a.pk, "name": world.a.name},
        introduction.pk,
    )
    # Paid once: a second payment is refused in the page's words.
    first, second = (t["id"] for t in settlement["tranches"])
    paid = api.post(
        f"{API}/tranches/{first}/pay/",
        {"paid_on": "2021-07-20", "voucher": "记-2021-07"},
        format="json",
    )
    assert paid.status_code == 200, paid.json()
    assert (paid.json()["paid_on"], paid.json()["voucher"]) == ("2021-07-20", "记-2021-07")
    again = api.post(f"{API}/tranches/{first}/pay/", {}, format="json")
    assert (again.status_code, again.json()) == (400, {"status": ["该期已于 2021-07-20 发放。"]})
    form = page.post(f"/recruitment/tranches/{first}/pay/", {})
    assert form.status_code == 400 and "该期已于 2021-07-20 发放。" in form.content.decode()
    future = api.post(f"{API}/tranches/{second}/pay/", {"paid_on": "2099-01-01"}, format="json")
    assert future.json() == {"paid_on": ["日期不能晚于今天。"]}
    api.post(f"{API}/tranches/{second}/pay/", {"paid_on": "2022-07-05"}, format="json")
    api.post(
        f"{API}/tranches/{research['tranches'][0]['id']}/pay/",
        {"paid_on": "2021-08-10"},
        format="json",
    )
    assert api.get(row + "entitlements/").json()[0]["paid"] == "200000.00"
    # Leaves after 20 full months of 60: two thirds of 200,000 back, the research paid in full.
    left = api.post(row + "leave/", {"left_on": "2023-02-28", "reason": "调往外省"}, format="json")
    assert left.status_code == 200, left.json()
    clawbacks = {line["entitlement_kind"]: line for line in left.json()}
    assert {
        kind: (c["months_served"], c["paid"], c["amount"]) for kind, c in clawbacks.items()
    } == {
        "settlement": (20, "200000.00", "133333.33"),
        "research": (20, "30000.25", "30000.25"),
    }
    assert clawbacks["settlement"]["basis"] == (
        "已发放 200,000.00 元 ×（承诺 60 个月 − 已服务 20 个月）÷ 60 个月 = 133,333.33 元"
    )
    assert clawbacks["settlement"]["clawback_status_display"] == "待审批"
    detail = api.get(row).json()
    assert (detail["left_on"], detail["left_reason"]) == ("2023-02-28", "调往外省")
    twice = api.post(row + "leave/", {"left_on": "2023-03-01"}, format="json")
    assert twice.json() == {"left_on": ["已登记于 2023-02-28 离开。"]}
    cancelled = research["tranches"][1]["id"]
    refused = api.post(f"{API}/tranches/{cancelled}/pay/", {}, format="json")
    assert refused.json() == {"status": ["该期已于 2023-02-28 取消：人员已离开"]}
    late = api.post(row + "entitlements/", SETTLEMENT, format="json")
    assert late.json() == {"introduction": ["该人员已于 2023-02-28 离开，不能再增加待遇。"]}
    assert api.get(f"{API}/payments-due/", {"as_of": "2030-01-01"}).json()["results"] == []
    shown = api.get(row + "entitlements/").json()
    assert shown[1]["tranches"][1]["cancelled_on"] == "2023-02-28"
    assert shown[0]["clawback"]["id"] == clawbacks["settlement"]["id"]
    # The commission decides: a waiver needs its reason, as on the page; then once.
    owed = clawbacks["settlement"]["id"]
    decide = f"{API}/clawbacks/{owed}/decide/"
    assert api.post(decide, {"approve": True}, format="json").status_code == 403
    commission = as_api(world.commission)
    waived = commission.post(decide, {"approve": False}, format="json")
    assert (waived.status_code, waived.json()) == (400, {"reason": ["免除退还须说明理由。"]})
    login(client, world.commission)
    form = client.post(f"/recruitment/clawbacks/{owed}/decide/", {"approve": "0", "reason": ""})
    assert form.status_code == 400 and "免除退还须说明理由。" in form.content.decode()
    before = commission.post(decide, {"approve": True, "on": "2023-01-01"}, format="json")
    assert before.json() == {"on": ["日期不能早于上一步的日期（2023-02-28）。"]}
    decided = commission.post(decide, {"approve": True, "on": "2023-03-10"}, format="json")
    assert decided.status_code == 200, decided.json()
    assert (decided.json()["clawback_status"], decided.json()["decided_on"]) == (
        "approved",
        "2023-03-10",
    )
    assert Clawback.objects.get(pk=owed).decided_by == world.commission
    once = commission.post(decide, {"approve": False, "reason": "重复"}, format="json")
    assert once.json() == {"status": ["该退还已批准。"]}


def test_another_institution_gets_404_a_department_head_reads_its_own(world, as_api):
    introduction = _introduction(world)
    surgeon = _introduction(world, "a_surgeon", "a_surgery")
    for made in (introduction, surgeon):
        services.entitlement_add(
            introduction=made,
            kind="housing",
            amount=Decimal("36000"),
            tranches=[(Decimal("36000"), D(2021, 8, 1), "")],
        )
    tranche = Tranche.objects.get(entitlement__introduction=introduction)
    row = f"{API}/introductions/{introduction.pk}/"
    hospital_b = as_api(world.hospital_b)
    assert hospital_b.get(row + "entitlements/").status_code == 404
    assert hospital_b.post(row + "entitlements/", SETTLEMENT, format="json").status_code == 404
    assert (
        hospital_b.post(row + "leave/", {"left_on": "2023-01-01"}, format="json").status_code == 404
    )
    assert (
        hospital_b.post(f"{API}/tranches/{tranche.pk}/pay/", {}, format="json").status_code == 404
    )
    assert hospital_b.get(f"{API}/payments-due/").json()["results"] == []
    # A's cardiology head reads its department's introduction, not surgery's; writes nothing.
    head = as_api(world.dept_head)
    assert len(head.get(row + "entitlements/").json()) == 1
    assert head.get(f"{API}/introductions/{surgeon.pk}/entitlements/").status_code == 404
    due = head.get(f"{API}/payments-due/").json()["results"]
    assert [line["id"] for line in due] == [tranche.pk]
    assert head.post(row + "entitlements/", SETTLEMENT, format="json").status_code == 403
    assert head.post(f"{API}/tranches/{tranche.pk}/pay/", {}, format="json").status_code == 403
    assert head.post(row + "leave/", {"left_on": "2023-01-01"}, format="json").status_code == 403
    for user in (world.trainee, world.mentor, world.auditor):
        assert as_api(user).get(f"{API}/payments-due/").status_code == 403
        assert as_api(user).get(row + "entitlements/").status_code == 403
    # Nothing was written by the refused calls.
    tranche.refresh_from_db()
    introduction.refresh_from_db()
    assert (tranche.paid_on, introduction.left_on, Entitlement.objects.count()) == (None, None, 2)
    # Deciding a clawback is the commission's: an institution, its department head, 403.
    services.tranche_pay(tranche=tranche, by=None, paid_on=D(2021, 8, 1))
    [clawback] = services.introduction_leave(introduction=introduction, left_on=D(2022, 1, 31))
    decide = f"{API}/clawbacks/{clawback.pk}/decide/"
    for user in (world.hospital_a, world.hospital_b, world.dept_head):
        assert as_api(user).post(decide, {"approve": True}, format="json").status_code == 403
    clawback.refresh_from_db()
    assert clawback.status == "proposed"


def test_the_lists_cost_the_same_for_few_or_many_rows(world, as_api):
    api = as_api(world.commission)
    introductions = [
        _introduction(world),
        _introduction(world, "a_surgeon", "a_surgery"),
        _introduction(world, "b_doctor", None, "b", years=3),
    ]

    def grant(introduction, number):
        entitlement = services.entitlement_add(
            introduction=introduction,
            kind="salary",
            amount=Decimal("1000.01") * 2,
            tranches=[
                (Decimal("1000.01"), D(2021, 8, number + 1), ""),
                (Decimal("1000.01"), D(2022, 8, number + 1), ""),
            ],
        )
        services.tranche_pay(
            tranche=entitlement.tranches.get(number=1), by=None, paid_on=D(2021, 9, 1)
        )
        return entitlement

    def count(url, params=None):
        with CaptureQueriesContext(connection) as captured:
            answer = api.get(url, params)
        assert answer.status_code == 200
        body = answer.json()
        return len(captured), len(body["results"] if isinstance(body, dict) else body)

    entitlements = f"{API}/introductions/{introductions[0].pk}/entitlements/"
    grant(introductions[0], 1)
    few = count(entitlements)
    due = count(f"{API}/payments-due/")
    assert (few[1], due[1]) == (1, 1)
    for number in range(2, 6):
        grant(introductions[0], number)
        grant(introductions[1], number)
        grant(introductions[2], number)
    services.introduction_leave(introduction=introductions[0], left_on=D(2022, 1, 31))
    assert count(entitlements) == (few[0], 5)
    # 7 full months of 60 served: 1,000.01 × 53 / 60 = 883.342… → 883.34 of each.
    shown = api.get(entitlements).json()
    assert {(line["paid"], line["clawback"]["amount"]) for line in shown} == {("1000.01", "883.34")}
    # The payments due: the second tranches of the two staying (8 of them), fallen due.
    assert count(f"{API}/payments-due/") == (due[0], 8)
    listed = api.get(f"{API}/payments-due/", {"institution": world.b.pk}).json()["results"]
    assert {line["institution"]["id"] for line in listed} == {world.b.pk}
    assert api.get(f"{API}/payments-due/", {"as_of": "2020-01-01"}).json()["results"] == []
    assert api.get(f"{API}/payments-due/", {"as_of": "2021-02-30"}).status_code == 400
    past = api.get(f"{API}/payments-due/", {"institution": "99999999999999999999"})
    assert past.status_code == 400
