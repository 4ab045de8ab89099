"""Funds and their ledger over the API (/api/v1/retention/funds/, /entries/): income
recorded, an expense beyond the balance refused naming `amount` in the service's words, let
through by the commission's approver with a reason and never by an institution's
administrator; a reversal, once; each fund's figures for a year and as of a day, and its
balance on any day, as strings to the fen; A's fund A's, the commission's the commission's
(404 to A), nothing to a department head (403); lists that cost the same for 2 rows or 20."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.retention.helpers import region_of
from yicai.access.models import AuditEntry
from yicai.retention.models import Entry, Fund
from yicai.retention.services import funds

pytestmark = pytest.mark.django_db
D = datetime.date
API = "/api/v1/retention"


def _income(fund_id, amount, on="2022-01-05", kind="appropriation", **more):
    return {
        "fund": fund_id,
        "on": on,
        "entry_direction": "income",
        "entry_kind": kind,
        "amount": amount,
        "summary": "区财政拨款",
        **more,
    }


def _expense(fund_id, amount, on="2022-03-01", **more):
    return {
        "fund": fund_id,
        "on": on,
        "entry_direction": "expense",
        "entry_kind": "award",
        "amount": amount,
        "summary": "人才奖励",
        **more,
    }


def test_income_an_overdraw_refused_then_let_through_by_the_approver_and_a_reversal(world, as_api):
    api = as_api(world.commission)
    made = api.post(
        f"{API}/funds/", {"name": "区人才发展专项资金", "fund_kind": "talent"}, format="json"
    )
    assert made.status_code == 201, made.content
    fund = made.json()
    assert (fund["institution"], fund["fund_kind_display"], fund["closing"]) == (
        None,
        "人才发展专项资金",
        "0.00",
    )
    income = api.post(f"{API}/entries/", _income(fund["id"], "100000"), format="json")
    assert income.status_code == 201, income.content
    assert (income.json()["amount"], income.json()["entry_kind_display"]) == (
        "100000.00",
        "财政拨款",
    )

    # 150,000 out of 100,000: refused, naming the fund's shortfall, as the service says it.
    expense = _expense(fund["id"], "150000.00")
    refused = api.post(f"{API}/entries/", expense, format="json")
    assert refused.status_code == 400
    with pytest.raises(ValidationError) as said:
        funds.entry_record(
            fund=Fund.objects.get(pk=fund["id"]),
            by=world.commission,
            on=D(2022, 3, 1),
            direction="expense",
            kind="award",
            amount="150000.00",
            summary="人才奖励",
        )
    assert refused.json() == said.value.message_dict
    (message,) = refused.json()["amount"]
    assert "区人才发展专项资金余额不足" in message
    assert "100,000.00" in message and "150,000.00" in message

    # The commission's approver lets it through, saying why: recorded and audited.
    passed = api.post(
        f"{API}/entries/", {**expense, "override_reason": "年度考核奖励先行垫付"}, format="json"
    )
    assert passed.status_code == 201, passed.content
    assert passed.json()["override_reason"] == "年度考核奖励先行垫付"
    assert AuditEntry.objects.filter(object_repr__contains="批准超支").exists()
    balance = api.get(f"{API}/funds/{fund['id']}/balance/")
    assert balance.json() == {
        "fund": {"id": fund["id"], "name": "区人才发展专项资金"},
        "as_of": None,
        "balance": "-50000.00",
    }

    # Reversed once, with a reason; the reversal is income again.
    entry = passed.json()["id"]
    without = api.post(f"{API}/entries/{entry}/reverse/", {}, format="json")
    assert without.status_code == 400
    assert without.json() == {"reason": ["冲正须说明原因。"]}
    reversal = api.post(
        f"{API}/entries/{entry}/reverse/", {"reason": "重复登记", "on": "2022-03-02"}, format="json"
    )
    assert reversal.status_code == 201, reversal.content
    assert (
        reversal.json()["reverses"],
        reversal.json()["entry_direction"],
        reversal.json()["amount"],
    ) == (entry, "income", "150000.00")
    assert api.get(f"{API}/entries/{entry}/").json()["reversed_by"] == reversal.json()["id"]
    again = api.post(f"{API}/entries/{entry}/reverse/", {"reason": "再次"}, format="json")
    assert again.status_code == 400
    assert again.json() == {"reason": ["该记录已冲正。"]}
    assert api.get(f"{API}/funds/{fund['id']}/balance/").json()["balance"] == "100000.00"


def test_an_institution_keeps_its_own_fund_and_may_not_overdraw_it(world, as_api):
    api = as_api(world.hospital_a)
    # Only the commission keeps a fund of its own.
    alone = api.post(f"{API}/funds/", {"name": "自管资金", "fund_kind": "other"}, format="json")
    assert alone.status_code == 400
    assert list(alone.json()) == ["institution"]
    made = api.post(
        f"{API}/funds/",
        {"name": "甲院人才经费", "fund_kind": "budget", "institution": world.a.pk},
        format="json",
    )
    assert made.status_code == 201, made.content
    fund = made.json()
    assert fund["institution"] == {"id": world.a.pk, "name": world.a.name}
    assert api.post(f"{API}/entries/", _income(fund["id"], "20000"), format="json").status_code == (
        201
    )
    overdraw = _expense(fund["id"], "30000", override_reason="院长同意")
    refused = api.post(f"{API}/entries/", overdraw, format="json")
    assert refused.status_code == 400
    assert refused.json() == {"override_reason": ["只有审批人可以批准超支。"]}
    assert Entry.objects.filter(fund_id=fund["id"]).count() == 1
    renamed = api.patch(f"{API}/funds/{fund['id']}/", {"note": "院内预算"}, format="json")
    assert (renamed.status_code, renamed.json()["note"]) == (200, "院内预算")


def test_a_fund_is_its_keepers_and_money_is_no_department_heads(world, as_api):
    region = region_of(world)
    commission = funds.fund_create(by=None, region=region, name="区人才发展专项资金", kind="talent")
    a_fund = funds.fund_create(
        by=None, region=region, institution=world.a, name="甲院人才经费", kind="budget"
    )
    b_fund = funds.fund_create(
        by=None, region=region, institution=world.b, name="乙院人才经费", kind="budget"
    )
    hospital_a = as_api(world.hospital_a)
    listed = hospital_a.get(f"{API}/funds/").json()["results"]
    assert [row["id"] for row in listed] == [a_fund.pk]
    assert hospital_a.get(f"{API}/funds/{commission.pk}/").status_code == 404
    assert hospital_a.get(f"{API}/funds/{commission.pk}/balance/").status_code == 404
    assert hospital_a.get(f"{API}/funds/{a_fund.pk}/").status_code == 200
    # Recording into another's fund: the fund is refused by name.
    elsewhere = hospital_a.post(f"{API}/entries/", _income(b_fund.pk, "1"), format="json")
    assert elsewhere.status_code == 400
    assert elsewhere.json() == {"fund": ["所选资金不存在或不在您的管辖范围内。"]}
    commission_ids = {
        row["id"] for row in as_api(world.commission).get(f"{API}/funds/").json()["results"]
    }
    assert commission_ids == {commission.pk, a_fund.pk, b_fund.pk}
    head = as_api(world.dept_head)
    for url in (f"{API}/funds/", f"{API}/entries/", f"{API}/funds/{a_fund.pk}/"):
        assert head.get(url).status_code == 403


def test_figures_for_a_year_and_as_of_a_day(world, as_api):
    fund = funds.fund_create(
        by=None, region=region_of(world), name="区人才发展专项资金", kind="talent"
    )
    for on, direction, kind, amount in (
        (D(2021, 1, 10), "income", "appropriation", "500000"),
        (D(2021, 6, 1), "expense", "award", "120000.50"),
        (D(2022, 1, 10), "income", "appropriation", "300000"),
        (D(2022, 5, 1), "expense", "subsidy", "80000.25"),
        (D(2022, 9, 1), "expense", "award", "50000"),
    ):
        funds.entry_record(
            fund=fund, by=None, on=on, direction=direction, kind=kind, amount=amount, summary="-"
        )
    api = as_api(world.commission)
    (row,) = api.get(f"{API}/funds/", {"year": 2022, "as_of": "2022-06-30"}).json()["results"]
    figures = {name: row[name] for name in ("income", "expense", "brought", "closing")}
    assert figures == {
        "income": "300000.00",
        "expense": "80000.25",
        "brought": "379999.50",
        "closing": "599999.25",
    }
    detail = api.get(f"{API}/funds/{fund.pk}/", {"year": 2021}).json()
    assert (detail["income"], detail["expense"], detail["closing"]) == (
        "500000.00",
        "120000.50",
        "379999.50",
    )
    on_day = api.get(f"{API}/funds/{fund.pk}/balance/", {"as_of": "2022-05-01"}).json()
    assert (on_day["as_of"], on_day["balance"]) == ("2022-05-01", "599999.25")
    assert api.get(f"{API}/funds/{fund.pk}/balance/", {"as_of": "2022-13-01"}).status_code == 400
    # The ledger by its page's filters.
    expenses = api.get(f"{API}/entries/", {"fund": fund.pk, "direction": "expense"}).json()
    assert [row["amount"] for row in expenses["results"]] == ["120000.50", "80000.25", "50000.00"]
    bad = api.get(f"{API}/entries/", {"since": "2022-06-01", "until": "2022-01-01"})
    assert bad.status_code == 400
    assert "until" in bad.json()


def test_lists_cost_the_same_for_two_rows_or_twenty(world, as_api):
    api = as_api(world.commission)
    region = region_of(world)

    def add(count):
        for _number in range(count):
            number = Fund.objects.count() + 1
            fund = funds.fund_create(
                by=None, region=region, institution=world.a, name=f"资金{number}", kind="budget"
            )
            funds.entry_record(
                fund=fund,
                by=None,
                on=D(2022, 1, 1),
                direction="income",
                kind="donation",
                donor="某基金会",
                amount="1000",
                summary="捐赠",
            )

    def cost(url):
        with CaptureQueriesContext(connection) as captured:
            answer = api.get(url, {"year": 2022} if "funds" in url else None)
        assert answer.status_code == 200
        return len(captured), len(answer.json()["results"])

    add(2)
    few = cost(f"{API}/funds/"), cost(f"{API}/entries/")
    add(18)
    many = cost(f"{API}/funds/"), cost(f"{API}/entries/")
    assert [rows for _queries, rows in few] == [2, 2]
    assert [rows for _queries, rows in many] == [20, 20]
    assert [queries for queries, _rows in few] == [queries for queries, _rows in many]
    assert max(queries for queries, _rows in many) <= 8, many
