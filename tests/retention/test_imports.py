"""留's sheets through the exchange engine: a fund's past income and expenses (donations with
their donors), a policy's dated amounts, and awards paid before the system. Each row through
the page's service; a bad row named by row and column, in Chinese; nothing written before the
commit; the same sheet again adds nothing."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.exchange.importing import commit, problems, xlsx
from tests.retention.helpers import ISSUED, draft_policy, promotion_rule, talent_fund
from yicai.codes.queries import code_for
from yicai.exchange import services as exchange
from yicai.exchange.models import ImportJob
from yicai.people.services import title_add
from yicai.retention.models import AwardLine, Entry, Fund
from yicai.retention.queries.funds import balance
from yicai.retention.services import awards, policies

D = datetime.date


def preview(user, entity, upload) -> ImportJob:
    job = exchange.import_job_create(user=user, entity=entity, upload=upload)
    exchange.import_job_analyse(job=job)
    job.refresh_from_db()
    return job


ENTRY_HEADERS = ["资金名称", "入账日期", "收支", "类别", "金额（元）", "摘要", "捐赠方", "凭证号"]


def test_past_income_and_expenses_with_donors(world):
    fund = talent_fund(world, appropriated="", name="名医师带徒公益基金")
    rows = [
        {
            "资金名称": fund.name,
            "入账日期": D(2021, 3, 18),
            "收支": "收入",
            "类别": "社会捐赠",
            "金额（元）": "800,000.00",
            "摘要": "区慈善基金会捐赠",
            "捐赠方": "区慈善基金会",
        },
        {
            "资金名称": fund.name,
            "入账日期": D(2021, 12, 20),
            "收支": "支出",
            "类别": "经费补助",
            "金额（元）": 360000,
            "摘要": "2021年度师带徒结对补助",
            "凭证号": "FL2021-12",
        },
    ]
    job = preview(world.commission, "retention_entries", xlsx(rows, headers=ENTRY_HEADERS))
    assert job.status == ImportJob.Status.READY, job.message
    assert (job.new, job.invalid) == (2, 0)
    assert not Entry.objects.filter(fund=fund).exists()  # the preview writes nothing
    commit(job)
    assert balance(fund) == Decimal("440000.00")
    assert Entry.objects.get(fund=fund, kind="donation").donor == "区慈善基金会"
    again = preview(world.commission, "retention_entries", xlsx(rows, headers=ENTRY_HEADERS))
    assert (again.new, again.unchanged) == (0, 2)


def test_a_bad_ledger_row_is_named_and_nothing_half_written(world):
    fund = talent_fund(world, appropriated="", name="名医师带徒公益基金")
    rows = [
        # A donation without its donor, an amount of a tenth of a fen, an expense the fund
        # cannot bear, a fund that is not there.
        {
            "资金名称": fund.name,
            "入账日期": D(2021, 3, 18),
            "收支": "收入",
            "类别": "社会捐赠",
            "金额（元）": "1000",
            "摘要": "无名捐赠",
        },
        {
            "资金名称": fund.name,
            "入账日期": D(2021, 3, 19),
            "收支": "收入",
            "类别": "财政拨款",
            "金额（元）": "1000.001",
            "摘要": "拨款",
        },
        {
            "资金名称": fund.name,
            "入账日期": D(2021, 3, 20),
            "收支": "支出",
            "类别": "经费补助",
            "金额（元）": "5000",
            "摘要": "补助",
        },
        {
            "资金名称": "没有的基金",
            "入账日期": D(2021, 3, 21),
            "收支": "收入",
            "类别": "财政拨款",
            "金额（元）": "5000",
            "摘要": "拨款",
        },
    ]
    job = preview(world.commission, "retention_entries", xlsx(rows, headers=ENTRY_HEADERS))
    assert (job.new, job.invalid) == (0, 4)
    found = problems(job)
    assert (2, "捐赠方", "社会捐赠须填写捐赠方。") in found
    assert (3, "金额（元）", "金额最多保留两位小数（到分）。") in found
    assert any(row == 4 and "余额不足" in message for row, _column, message in found)
    assert (5, "资金名称", "没有名为“没有的基金”的资金，或无权登记。") in found
    assert not Entry.objects.filter(fund__name="名医师带徒公益基金").exists()
    # Hospital A keeps no ledger of the commission's fund.
    other = preview(world.hospital_a, "retention_entries", xlsx(rows[:1], headers=ENTRY_HEADERS))
    assert problems(other)[0][1:] == (
        "资金名称",
        "没有名为“名医师带徒公益基金”的资金，或无权登记。",
    )
    assert Fund.objects.count() == 1


def test_dated_amounts_and_awards_of_past_years(world):
    fund = talent_fund(world)
    policy = draft_policy(world, fund)
    rule = promotion_rule(policy, "senior", name="晋升正高级职称奖励")
    amounts = [
        {
            "激励政策": policy.title,
            "条款名称": rule.name,
            "起始日期": ISSUED,
            "金额（元）": "50000",
        },
        {
            "激励政策": policy.title,
            "条款名称": rule.name,
            "起始日期": D(2023, 1, 1),
            "金额（元）": "60000",
        },
    ]
    job = preview(world.commission, "retention_amounts", xlsx(amounts, headers=list(amounts[0])))
    assert (job.new, job.invalid) == (2, 0), job.problems
    commit(job)
    assert [(v.valid_from, v.amount) for v in rule.amounts.all()] == [
        (ISSUED, Decimal("50000.00")),
        (D(2023, 1, 1), Decimal("60000.00")),
    ]
    policies.policy_publish(policy=policy, by=world.commission, on=ISSUED)
    title_add(person=world.a_doctor, title=code_for("title", "231"), obtained_on=D(2022, 6, 15))
    paid = [
        {
            "激励政策": policy.title,
            "条款名称": rule.name,
            "姓名": "李心怡",
            "事项日期": D(2022, 6, 15),
            "金额（元）": "50000",
            "发放日期": D(2022, 12, 28),
        },
        # Nobody of that name was promoted that day: the row says what to record first.
        {
            "激励政策": policy.title,
            "条款名称": rule.name,
            "姓名": "周外科",
            "事项日期": D(2022, 7, 1),
            "金额（元）": "50000",
            "发放日期": D(2022, 12, 28),
        },
    ]
    headers = list(paid[0])
    job = preview(world.commission, "retention_past_awards", xlsx(paid, headers=headers))
    assert (job.new, job.invalid) == (1, 1)
    assert problems(job) == [
        (
            3,
            "事项日期",
            "未找到周外科在2022-07-01符合“晋升正高级职称奖励”的记录（如职称、引进、工作室），请先登记。",
        )
    ]
    commit(job, skip_invalid=True)
    line = AwardLine.objects.get()
    assert (line.person, line.amount, line.status, line.run.imported) == (
        world.a_doctor,
        Decimal("50000.00"),
        "approved",
        True,
    )
    assert balance(fund) == Decimal("950000.00")
    # A run of 2022 finds it paid: nothing new.
    with pytest.raises(ValidationError, match="不会重复"):
        awards.award_run_prepare(
            policy=policy,
            by=world.commission,
            period_start=D(2022, 1, 1),
            period_end=D(2022, 12, 31),
        )
