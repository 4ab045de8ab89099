"""留 in the demo district, made through the retention services, as Baoshan's: the district's
talent fund with its yearly appropriations, and the public-welfare fund for 师带徒 with its
donors (about 2,000,000 yuan, as Changtai's) and what it paid; the district's incentive policy
of 2021 (《卫生健康人才激励办法》): rewards for promotions to 正高 and 副高 whose amounts rose
last year, and studio subsidies by tier (200,000 / 100,000 / 80,000 a year for three years);
each past year's award run prepared by the talent officer and approved by the commission's
approver (one line reversed: a title recorded in error), last year's run waiting for approval.
Deterministic; loaded once."""

import datetime
from decimal import Decimal

from django.db import transaction

from yicai.access.models import User
from yicai.demo import region as blueprint
from yicai.org.models import Region
from yicai.retention.models import Entry, Fund, Policy, Rule
from yicai.retention.queries.awards import run_total
from yicai.retention.queries.funds import lowest_balance_from
from yicai.retention.services import awards, funds, policies

TALENT_FUND = "区卫生健康人才发展专项资金"
WELFARE_FUND = "名医师带徒公益基金"
ISSUED = datetime.date(2021, 1, 1)
YEARLY = Decimal("800000.00")
DONATIONS = (
    (datetime.date(2021, 3, 18), "区慈善基金会", "800000.00"),
    (datetime.date(2021, 9, 6), "某医药集团有限公司", "700000.00"),
    (datetime.date(2022, 5, 20), "区医学会", "300000.00"),
    (datetime.date(2023, 4, 12), "某医疗器械有限公司", "200000.00"),
)
WELFARE_SPENT = (
    (datetime.date(2021, 12, 20), Entry.Kind.SUBSIDY, "2021年度师带徒结对补助", "360000.00"),
    (datetime.date(2022, 12, 20), Entry.Kind.SUBSIDY, "2022年度师带徒结对补助", "420000.00"),
    (
        datetime.date(2023, 6, 8),
        Entry.Kind.HOSPITALITY,
        "上海专家驻点接待（专家公寓、接送）",
        "86500.00",
    ),
    (datetime.date(2023, 12, 20), Entry.Kind.SUBSIDY, "2023年度师带徒结对补助", "435000.00"),
)


def is_loaded() -> bool:
    return Fund.objects.filter(name=TALENT_FUND).exists()


def load_retention(*, today: datetime.date) -> int:
    """The funds, the policy and its runs; how many ledger entries were made (none when they
    were there already)."""
    if is_loaded() or today.year < 2023:
        return 0
    region = Region.objects.filter(code=blueprint.COMMISSION_REGION).first()
    officer = User.objects.filter(username="commission").first()
    approver = User.objects.filter(username="finance").first()
    if region is None or officer is None or approver is None:
        return 0
    with transaction.atomic():
        talent = _talent_fund(region, today)
        _welfare_fund(region, today)
        policy = _policy(region, talent, today)
        _runs(policy, talent, officer, approver, today)
    return Entry.objects.count()


def _talent_fund(region: Region, today: datetime.date) -> Fund:
    fund = funds.fund_create(by=None, region=region, name=TALENT_FUND, kind=Fund.Kind.TALENT)
    for year in range(ISSUED.year, today.year + 1):
        day = datetime.date(year, 1, 15)
        if day <= today:
            _income(fund, day, Entry.Kind.APPROPRIATION, f"{year}年度区财政人才专项拨款", YEARLY)
    return fund


def _welfare_fund(region: Region, today: datetime.date) -> Fund:
    fund = funds.fund_create(
        by=None,
        region=region,
        name=WELFARE_FUND,
        kind=Fund.Kind.WELFARE,
        note="社会捐赠设立，用于名医师带徒结对补助和专家接待",
    )
    for day, donor, amount in DONATIONS:
        _income(fund, day, Entry.Kind.DONATION, f"{donor}捐赠", Decimal(amount), donor=donor)
    for day, kind, summary, amount in WELFARE_SPENT:
        funds.entry_record(
            fund=fund,
            by=None,
            on=day,
            direction=Entry.Direction.EXPENSE,
            kind=kind,
            amount=amount,
            summary=summary,
            voucher=f"FL{day:%Y%m%d}",
        )
    return fund


def _income(fund: Fund, day: datetime.date, kind: str, summary: str, amount: Decimal, **more):
    funds.entry_record(
        fund=fund,
        by=None,
        on=day,
        direction=Entry.Direction.INCOME,
        kind=kind,
        amount=amount,
        summary=summary,
        voucher=f"CZ{day:%Y%m%d}",
        **more,
    )


def _policy(region: Region, fund: Fund, today: datetime.date) -> Policy:
    policy = policies.policy_create(
        by=None,
        region=region,
        title="卫生健康人才激励办法",
        issuer="区卫生健康委员会",
        document_number="卫发〔2021〕3号",
        effective_from=ISSUED,
        fund=fund,
        note="晋升奖励自上年起提高；名医工作室按级别连续三年给予经费补助。",
    )
    raised = datetime.date(today.year - 1, 1, 1)
    for name, grade, before, after in (
        ("晋升正高级职称奖励", "senior", "50000", "60000"),
        ("晋升副高级职称奖励", "associate_senior", "20000", "25000"),
    ):
        policies.rule_add(
            policy=policy,
            by=None,
            name=name,
            fact=Rule.Fact.TITLE,
            title_grade=grade,
            amounts=[(ISSUED, before), (raised, after)],
        )
    for tier, label, amount in (
        ("national", "国家级", "200000"),
        ("provincial", "省级", "100000"),
        ("district", "区级", "80000"),
    ):
        policies.rule_add(
            policy=policy,
            by=None,
            name=f"{label}名医工作室经费补助",
            fact=Rule.Fact.STUDIO,
            tier=tier,
            schedule=Rule.Schedule.YEARLY,
            years=3,
            paid_as="subsidy",
            amounts=[(ISSUED, amount)],
        )
    return policies.policy_publish(policy=policy, by=None, on=ISSUED)


def _runs(policy: Policy, fund: Fund, officer: User, approver: User, today: datetime.date) -> None:
    """A run a year: approved the next January, but last year's, waiting for the approver."""
    for year in range(ISSUED.year, today.year):
        start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        if not awards.proposals(policy, start, end):
            continue
        run = awards.award_run_prepare(
            policy=policy, by=officer, period_start=start, period_end=end
        )
        if year == today.year - 1:
            break  # last year's waits for the approver
        approved_on = min(datetime.date(year + 1, 1, 20), today)
        short = run_total(run) - lowest_balance_from(fund, approved_on)
        if short > 0:
            _income(fund, approved_on, Entry.Kind.APPROPRIATION, f"{year}年度追加拨款", short)
        awards.award_run_approve(run=run, by=approver, on=approved_on)
        if year == ISSUED.year + 1:
            paid = Entry.objects.filter(award__run=run).order_by("id").first()
            if paid is not None:
                funds.entry_reverse(
                    entry=paid,
                    by=officer,
                    reason="职称取得时间登记有误，不属本年度",
                    on=approved_on + datetime.timedelta(days=30),
                )
