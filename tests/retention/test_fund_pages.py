"""The funds' pages: the list with each fund's balances for a year, a fund's ledger where money
is recorded in and out (an overdraw refused in words on the form, let through by an approver
who says why, audited), a reversal, the finance office's export with running balances, the
department head's 403, and query counts that do not grow with the rows."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest

from tests.conftest import login
from tests.retention.helpers import region_of, talent_fund
from yicai.access.models import AuditEntry
from yicai.retention.models import Entry, Fund
from yicai.retention.services import funds

pytestmark = pytest.mark.django_db
FUNDS = "/retention/funds/"
D = datetime.date


def _fund_url(fund: Fund) -> str:
    return f"{FUNDS}{fund.pk}/"


def _a_fund(world) -> Fund:
    return funds.fund_create(
        by=None, region=region_of(world), institution=world.a, name="甲院人才经费", kind="budget"
    )


def _record(fund, on, direction, kind, amount, summary, **more):
    return funds.entry_record(
        fund=fund,
        by=None,
        on=on,
        direction=direction,
        kind=kind,
        amount=amount,
        summary=summary,
        **more,
    )


def test_income_and_an_expense_recorded_on_the_fund_page(client, world):
    fund = talent_fund(world, appropriated="")
    login(client, world.commission)
    income = {
        "on": "2022-01-05",
        "direction": "income",
        "kind": "donation",
        "amount": "200000.00",
        "summary": "师带徒公益捐赠",
        "donor": "某基金会",
        "voucher": "记-001",
    }
    response = client.post(f"{_fund_url(fund)}entries/", income)
    assert response.status_code == 302, response.content.decode()
    expense = {
        "on": "2022-03-01",
        "direction": "expense",
        "kind": "hospitality",
        "amount": "1234.56",
        "summary": "专家接待",
    }
    assert client.post(f"{_fund_url(fund)}entries/", expense).status_code == 302
    assert [(e.direction, e.amount) for e in fund.entries.order_by("on")] == [
        ("income", Decimal("200000.00")),
        ("expense", Decimal("1234.56")),
    ]
    page = client.get(_fund_url(fund)).content.decode()
    assert "198765.44" in page  # the balance, and the running balance after the expense
    assert "某基金会" in page and "记-001" in page


def test_an_overdraw_is_refused_in_words_and_only_an_approver_lets_it_through(client, world):
    fund = _a_fund(world)
    _record(fund, D(2022, 1, 5), "income", "appropriation", "1000", "院拨经费")
    overdraw = {
        "on": "2022-02-01",
        "direction": "expense",
        "kind": "allowance",
        "amount": "1500",
        "summary": "津贴",
        "override_reason": "先行垫付",
    }
    login(client, world.hospital_a)
    page = client.get(_fund_url(fund)).content.decode()
    assert 'name="override_reason"' not in page  # not an approver: no such field
    refused = client.post(f"{_fund_url(fund)}entries/", overdraw)
    assert refused.status_code == 400
    text = refused.content.decode()
    assert "甲院人才经费余额不足" in text and "须由有审批权限的人员填写理由批准" in text
    assert fund.entries.count() == 1
    login(client, world.commission)
    without_reason = {**overdraw, "override_reason": ""}
    assert client.post(f"{_fund_url(fund)}entries/", without_reason).status_code == 400
    assert 'name="override_reason"' in client.get(_fund_url(fund)).content.decode()
    response = client.post(f"{_fund_url(fund)}entries/", overdraw)
    assert response.status_code == 302
    entry = fund.entries.get(direction="expense")
    assert (entry.override_reason, entry.overridden_by) == ("先行垫付", world.commission)
    audit = AuditEntry.objects.filter(object_repr__contains="批准超支").latest("pk")
    assert audit.additional_data["reason"] == "先行垫付"


def test_a_reversal_is_recorded_and_marked_on_both_entries(client, world):
    fund = talent_fund(world)
    wrong = _record(fund, D(2022, 4, 1), "expense", "subsidy", "5000", "误记补助")
    login(client, world.commission)
    assert client.post(f"/retention/entries/{wrong.pk}/reverse/", {}).status_code == 400
    response = client.post(
        f"/retention/entries/{wrong.pk}/reverse/", {"reason": "重复登记", "on": "2022-04-02"}
    )
    assert response.status_code == 302
    reversal = Entry.objects.get(reverses=wrong)
    assert (reversal.direction, reversal.amount) == ("income", Decimal("5000.00"))
    page = client.get(_fund_url(fund)).content.decode()
    assert "已于 2022-04-02 冲正" in page and "冲正 2022-04-01 的记录" in page


def test_the_list_shows_each_funds_balances_for_a_year(client, world):
    fund = talent_fund(world)  # 1,000,000 in 2021
    _record(fund, D(2022, 2, 1), "expense", "award", "300000", "2022年奖励")
    _record(fund, D(2022, 5, 1), "income", "appropriation", "50000", "追加拨款")
    theirs = _a_fund(world)
    login(client, world.commission)
    page = client.get(FUNDS, {"year": "2022"}).content.decode()
    for figure in ("1000000.00", "50000.00", "300000.00", "750000.00"):
        assert figure in page
    assert "甲院人才经费" in page
    export = client.get(FUNDS, {"year": "2022", "export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("资金", "类型", "管理机构", "上年结转", "本期收入", "本期支出", "余额")
    assert rows[1][0] == "区人才发展专项资金"
    assert [Decimal(str(v)) for v in rows[1][3:]] == [
        Decimal(1000000),
        Decimal(50000),
        Decimal(300000),
        Decimal(750000),
    ]
    # A's administrator keeps A's fund only: the commission's is not found.
    login(client, world.hospital_a)
    page = client.get(FUNDS).content.decode()
    assert "甲院人才经费" in page and "区人才发展专项资金" not in page
    assert client.get(_fund_url(fund)).status_code == 404
    assert client.get(_fund_url(theirs)).status_code == 200
    assert client.get(FUNDS, {"as_of": "not a day"}).status_code == 400


def test_the_finance_export_holds_every_entry_with_its_running_balance(client, world):
    fund = talent_fund(world, appropriated="10000")  # 2021-01-10
    _record(fund, D(2022, 1, 3), "expense", "award", "2500.50", "奖励", voucher="付-1")
    _record(fund, D(2022, 2, 3), "income", "donation", "100", "捐赠", donor="某企业")
    wrong = _record(fund, D(2022, 3, 3), "expense", "other", "99.99", "误记")
    funds.entry_reverse(entry=wrong, by=None, reason="误记", on=D(2022, 3, 4))
    login(client, world.commission)
    response = client.get(_fund_url(fund), {"export": "xlsx"})
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0] == (
        "资金",
        "入账日期",
        "收支",
        "类别",
        "摘要",
        "捐赠方",
        "凭证号",
        "收入",
        "支出",
        "余额",
        "冲正说明",
    )
    balances = [Decimal(str(row[9])) for row in rows[1:]]
    assert balances == [
        Decimal("10000"),
        Decimal("7499.50"),
        Decimal("7599.50"),
        Decimal("7499.51"),
        Decimal("7599.50"),
    ]
    assert rows[2][6] == "付-1" and rows[3][5] == "某企业"
    assert rows[4][10] == "已于 2022-03-04 冲正" and rows[5][10] == "冲正 2022-03-03 的记录"
    assert AuditEntry.objects.filter(
        event=AuditEntry.Event.EXPORT, object_repr__contains="导出台账明细"
    ).exists()
    # From a later day on, the first balance still counts what came before.
    later = client.get(_fund_url(fund), {"since": "2022-02-01", "export": "xlsx"})
    rows = list(
        openpyxl.load_workbook(io.BytesIO(b"".join(later.streaming_content))).active.iter_rows(
            values_only=True
        )
    )
    assert Decimal(str(rows[1][9])) == Decimal("7599.50")


def test_a_department_head_gets_403_on_every_money_page(client, world):
    fund = talent_fund(world)
    login(client, world.dept_head)
    for url in (
        FUNDS,
        f"{FUNDS}new/",
        _fund_url(fund),
        "/retention/entries/",
        "/retention/policies/",
        "/retention/runs/",
        "/retention/clawbacks/",
    ):
        assert client.get(url).status_code == 403, url


def test_an_institution_opens_a_fund_of_its_own(client, world):
    login(client, world.hospital_a)
    response = client.post(f"{FUNDS}new/", {"name": "甲院师带徒基金", "kind": "welfare"})
    assert response.status_code == 302, response.content.decode()
    fund = Fund.objects.get(name="甲院师带徒基金")
    assert (fund.institution, fund.region) == (world.a, world.a.commission_region)
    login(client, world.commission)
    assert client.post(f"{FUNDS}new/", {"name": "区公益基金", "kind": "welfare"}).status_code == 302
    assert Fund.objects.get(name="区公益基金").institution is None


def _entries(fund: Fund, n: int) -> None:
    for day in range(1, n + 1):
        _record(fund, D(2022, 1, day), "income", "appropriation", "10", f"拨款{day}")


def _funds(world, n: int, first: int = 0) -> None:
    for index in range(first, first + n):
        fund = funds.fund_create(
            by=None, region=region_of(world), name=f"资金{index:02d}", kind="other"
        )
        _record(fund, D(2022, 1, 1), "income", "appropriation", "10", "拨款")


def _queries(client, django_assert_max_num_queries, url, limit):
    with django_assert_max_num_queries(limit) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_lists_cost_the_same_queries_for_2_or_20_rows(
    client, world, django_assert_max_num_queries
):
    few, many = talent_fund(world, appropriated=""), talent_fund(world, appropriated="", name="多")
    _entries(few, 2)
    _entries(many, 20)
    login(client, world.commission)
    ledger = [
        _queries(client, django_assert_max_num_queries, _fund_url(fund), 40) for fund in (few, many)
    ]
    assert ledger[0] == ledger[1]
    _funds(world, 2)
    two = _queries(client, django_assert_max_num_queries, FUNDS, 40)
    _funds(world, 18, first=2)
    assert _queries(client, django_assert_max_num_queries, FUNDS, 40) == two
