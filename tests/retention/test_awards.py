"""A Baoshan-like policy with dated amounts, paid through award runs and checked to the fen:
a promotion reward whose amount changes on a day, studio subsidies by tier for three years, a
settlement allowance in three tranches with a pro-rata clawback; a second run that pays
nothing twice, someone who leaves early, a reversal."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests import factories
from tests.retention.helpers import (
    ISSUED,
    draft_policy,
    promotion_rule,
    second_approver,
    talent_fund,
)
from yicai.codes.queries import code_for
from yicai.org.services import designation_save
from yicai.people.services import title_add
from yicai.recruitment import services as recruitment
from yicai.retention.models import AwardClawback, AwardLine, AwardRun, Entry, Rule
from yicai.retention.queries.funds import balance
from yicai.retention.services import awards, funds, policies
from yicai.training.models import ExpertStudio
from yicai.training.services.studios import studio_create, studio_funding_record

D = datetime.date


def _year(year: int) -> tuple[datetime.date, datetime.date]:
    return D(year, 1, 1), D(year, 12, 31)


def _baoshan(world):
    fund = talent_fund(world)
    policy = draft_policy(world, fund)
    # 正高 50,000 from 2021; 60,000 from 2023: a promotion is paid at its own day's value.
    promotion_rule(
        policy, "senior", (ISSUED, "50000"), (D(2023, 1, 1), "60000"), name="晋升正高奖励"
    )
    promotion_rule(policy, "associate_senior", (ISSUED, "20000"), name="晋升副高奖励")
    for tier, label, amount in (
        ("national", "国家级", "200000"),
        ("provincial", "省级", "100000"),
        ("district", "区级", "80000"),
    ):
        policies.rule_add(
            policy=policy,
            by=None,
            name=f"{label}工作室经费",
            fact=Rule.Fact.STUDIO,
            tier=tier,
            schedule=Rule.Schedule.YEARLY,
            years=3,
            paid_as="subsidy",
            amounts=[(ISSUED, amount)],
        )
    policies.rule_add(
        policy=policy,
        by=None,
        name="A类人才安家补贴",
        fact=Rule.Fact.INTRODUCTION,
        tier="A类",
        schedule=Rule.Schedule.TRANCHES,
        paid_as="allowance",
        commitment_months=60,
        clawback=Rule.Clawback.PRO_RATA,
        amounts=[(ISSUED, "100000")],
        tranches=[("40", 0), ("30", 12), ("30", 24)],
    )
    return fund, policies.policy_publish(policy=policy, by=world.commission, on=ISSUED)


def _facts(world):
    title_add(person=world.a_doctor, title=code_for("title", "231"), obtained_on=D(2022, 6, 15))
    title_add(person=world.b_doctor, title=code_for("title", "231"), obtained_on=D(2023, 3, 1))
    title_add(person=world.a_surgeon, title=code_for("title", "232"), obtained_on=D(2022, 9, 1))
    studio_create(
        name="孙名医工作室",
        lead=world.partner_expert,
        tier="national",
        institution=world.a,
        founded_on=D(2021, 5, 1),
    )
    studio_create(
        name="周外科工作室",
        lead=world.a_surgeon,
        tier="district",
        institution=world.a,
        founded_on=D(2022, 3, 1),
    )
    newcomer = factories.person(world.a, "钱引进", title="232")
    return recruitment.introduction_create(
        by=None,
        person=newcomer,
        institution=world.a,
        introduced_on=D(2021, 7, 1),
        mode="full_time",
        category="high_level",
        tier="A类",
        service_years=5,
    )


def _paid(run: AwardRun) -> list[tuple[str, str, int, datetime.date, Decimal]]:
    return [
        (line.person.name, line.rule.name, line.tranche, line.due_on, line.amount)
        for line in run.lines.order_by("due_on", "id").select_related("person", "rule")
    ]


def _approved(world, policy, year, clerk, **approval):
    run = awards.award_run_prepare(
        policy=policy, by=clerk, period_start=_year(year)[0], period_end=_year(year)[1]
    )
    return run, awards.award_run_approve(run=run, by=world.commission, **approval)


def test_every_award_and_balance_to_the_fen(world):
    fund, policy = _baoshan(world)
    introduction = _facts(world)
    clerk = second_approver(world)

    first, _run = _approved(world, policy, 2021, clerk, on=D(2022, 1, 15))
    assert _paid(first) == [
        ("孙名医", "国家级工作室经费", 1, D(2021, 5, 1), Decimal("200000.00")),
        ("钱引进", "A类人才安家补贴", 1, D(2021, 7, 1), Decimal("40000.00")),
    ]
    assert balance(fund) == Decimal("760000.00")
    # The same period again: nothing new, nobody paid twice.
    with pytest.raises(ValidationError) as again:
        awards.award_run_prepare(
            policy=policy, by=clerk, period_start=D(2021, 1, 1), period_end=D(2021, 12, 31)
        )
    assert "不会重复" in str(again.value)

    second, _run = _approved(world, policy, 2022, clerk, on=D(2023, 1, 15))
    assert _paid(second) == [
        ("周外科", "区级工作室经费", 1, D(2022, 3, 1), Decimal("80000.00")),
        ("孙名医", "国家级工作室经费", 2, D(2022, 5, 1), Decimal("200000.00")),
        # Paid at the value in force on 15 June 2022, though run when 60,000 is in force.
        ("李心怡", "晋升正高奖励", 1, D(2022, 6, 15), Decimal("50000.00")),
        ("钱引进", "A类人才安家补贴", 2, D(2022, 7, 1), Decimal("30000.00")),
        ("周外科", "晋升副高奖励", 1, D(2022, 9, 1), Decimal("20000.00")),
    ]
    assert balance(fund) == Decimal("380000.00")
    assert balance(fund, as_of=D(2022, 12, 31)) == Decimal("760000.00")

    # The newcomer leaves after 18 of 60 months: the third tranche never falls due, and 42/60
    # of the 70,000 paid is owed back.
    recruitment.introduction_leave(introduction=introduction, left_on=D(2023, 1, 1))
    (clawback,) = awards.award_leave(
        person=introduction.person, by=world.commission, left_on=D(2023, 1, 1)
    )
    assert (clawback.paid, clawback.months_served, clawback.amount) == (
        Decimal("70000.00"),
        18,
        Decimal("49000.00"),
    )

    third, _run = _approved(world, policy, 2023, clerk, on=D(2024, 1, 10))
    assert _paid(third) == [
        ("陈全科", "晋升正高奖励", 1, D(2023, 3, 1), Decimal("60000.00")),
        ("周外科", "区级工作室经费", 2, D(2023, 3, 1), Decimal("80000.00")),
        ("孙名医", "国家级工作室经费", 3, D(2023, 5, 1), Decimal("200000.00")),
    ]
    assert balance(fund) == Decimal("40000.00")

    awards.award_clawback_decide(
        clawback=clawback, by=world.commission, approve=True, on=D(2024, 2, 1)
    )
    assert balance(fund) == Decimal("89000.00")

    # The associate-senior reward was a mistake: reversed, and never proposed again.
    paid = Entry.objects.get(award__person=world.a_surgeon, award__rule__name="晋升副高奖励")
    funds.entry_reverse(entry=paid, by=world.commission, reason="职称认定撤销", on=D(2024, 3, 1))
    assert balance(fund) == Decimal("109000.00")
    assert AwardLine.objects.get(pk=paid.award_id).status == AwardLine.Status.REVERSED
    with pytest.raises(ValidationError, match="已冲正"):
        funds.entry_reverse(entry=paid, by=world.commission, reason="再来一次")
    with pytest.raises(ValidationError, match="不会重复"):
        awards.award_run_prepare(
            policy=policy, by=clerk, period_start=D(2021, 1, 1), period_end=D(2023, 12, 31)
        )
    # Every yuan accounted: one payment entry per approved line, none twice.
    assert Entry.objects.filter(award__isnull=False, reverses__isnull=True).count() == 10
    assert AwardClawback.objects.get().entry.amount == Decimal("49000.00")


def test_tranches_add_up_to_the_amount_exactly(world):
    fund = talent_fund(world)
    policy = draft_policy(world, fund)
    rule = policies.rule_add(
        policy=policy,
        by=None,
        name="补贴",
        fact=Rule.Fact.INTRODUCTION,
        schedule=Rule.Schedule.TRANCHES,
        amounts=[(ISSUED, "100000.01")],
        tranches=[("33.33", 0), ("33.33", 12), ("33.34", 24)],
    )
    dues = awards.schedule(rule, D(2021, 7, 1))
    amounts = [awards._priced(rule, dues, due)[0] for due in dues]
    assert amounts == [Decimal("33330.00"), Decimal("33330.00"), Decimal("33340.01")]
    assert sum(amounts) == Decimal("100000.01")


def test_maker_checker_and_one_approval(world):
    _fund, policy = _baoshan(world)
    _facts(world)
    clerk = second_approver(world)
    run = awards.award_run_prepare(
        policy=policy, by=clerk, period_start=D(2021, 1, 1), period_end=D(2021, 12, 31)
    )
    with pytest.raises(ValidationError, match="经办人"):
        awards.award_run_approve(run=run, by=clerk)
    with pytest.raises(ValidationError, match="审批人"):
        awards.award_run_approve(run=run, by=world.hospital_a)
    line = run.lines.get(rule__fact=Rule.Fact.INTRODUCTION)
    with pytest.raises(ValidationError, match="理由"):
        awards.line_exclude(line=line, by=clerk, reason=" ")
    awards.line_exclude(line=line, by=clerk, reason="材料不全，待补")
    awards.award_run_approve(run=run, by=world.commission)
    with pytest.raises(ValidationError, match="已审批"):
        awards.award_run_approve(run=run, by=world.commission)
    with pytest.raises(ValidationError, match="已审批"):
        awards.line_include(line=line, by=clerk)
    assert list(Entry.objects.filter(award__run=run).values_list("amount", flat=True)) == [
        Decimal("200000.00")
    ]


def test_a_published_policy_keeps_its_past(world):
    _fund, policy = _baoshan(world)
    rule = policy.rules.get(name="晋升正高奖励")
    with pytest.raises(ValidationError, match="只能从今天以后"):
        policies.amount_set(
            rule=rule, by=world.commission, valid_from=D(2022, 1, 1), amount="55000"
        )
    with pytest.raises(ValidationError, match="已发布"):
        policies.amount_remove(value=rule.amounts.first(), by=world.commission)
    with pytest.raises(ValidationError, match="已发布"):
        policies.rule_update(rule=rule, by=world.commission, name="改名")
    later = datetime.date.today() + datetime.timedelta(days=30)
    policies.amount_set(rule=rule, by=world.commission, valid_from=later, amount="70000")
    assert [str(v.amount) for v in rule.amounts.all()] == ["50000.00", "60000.00", "70000.00"]
    # A new version is a draft copy, to change and publish in its place.
    copy = policies.policy_copy(policy=policy, by=world.commission)
    assert (copy.version, copy.status, copy.previous_id) == (2, "draft", policy.pk)
    assert copy.rules.count() == policy.rules.count() == 6
    copied = copy.rules.get(name="A类人才安家补贴")
    assert [(t.share, t.months_after) for t in copied.tranches.all()] == [
        (Decimal("40.00"), 0),
        (Decimal("30.00"), 12),
        (Decimal("30.00"), 24),
    ]
    with pytest.raises(ValidationError, match="新版本"):
        policies.policy_copy(policy=policy, by=world.commission)


def test_a_draft_is_published_only_when_complete(world):
    policy = draft_policy(world, talent_fund(world))
    with pytest.raises(ValidationError, match="还没有条款"):
        policies.policy_publish(policy=policy, by=world.commission)
    policies.rule_add(policy=policy, by=None, name="补贴", fact=Rule.Fact.TAG)
    with pytest.raises(ValidationError, match="还没有金额标准"):
        policies.policy_publish(policy=policy, by=world.commission)
    with pytest.raises(ValidationError) as bad:
        policies.rule_add(
            policy=policy,
            by=None,
            name="分期",
            fact=Rule.Fact.TAG,
            schedule=Rule.Schedule.TRANCHES,
            tranches=[("50", 0), ("40", 12)],
        )
    assert bad.value.message_dict == {"tranches": ["各期比例之和须为 100%。"]}
    with pytest.raises(ValidationError) as yearly:
        policies.rule_add(
            policy=policy, by=None, name="按年", fact=Rule.Fact.TAG, schedule="yearly"
        )
    assert yearly.value.message_dict == {"years": ["按年发放须填写发放年数。"]}


def test_introduction_tranches_and_studio_years_have_one_path(world):
    """A tranche of an introduction's entitlement is paid through a run at its agreement's
    amount and is then paid in 引 too; a studio's year paid through a run is that year's money
    on its page, and a year recorded there by hand is not proposed."""
    fund = talent_fund(world)
    policy = draft_policy(world, fund)
    policies.rule_add(
        policy=policy, by=None, name="引进待遇", fact=Rule.Fact.ENTITLEMENT, paid_as="allowance"
    )
    policies.rule_add(
        policy=policy,
        by=None,
        name="区级工作室经费",
        fact=Rule.Fact.STUDIO,
        tier="district",
        schedule=Rule.Schedule.YEARLY,
        years=3,
        paid_as="subsidy",
        amounts=[(ISSUED, "80000")],
    )
    policy = policies.policy_publish(policy=policy, by=world.commission, on=ISSUED)
    introduction = _facts(world)
    entitlement = recruitment.entitlement_add(
        introduction=introduction,
        kind="settlement",
        amount=Decimal("150000.50"),
        tranches=[
            (Decimal("100000.50"), D(2021, 8, 1), "到岗"),
            (Decimal("50000"), D(2022, 8, 1), "首年考核合格"),
        ],
    )
    studio = ExpertStudio.objects.get(name="周外科工作室")
    studio_funding_record(studio=studio, year=2022, amount=Decimal("80000"), note="手工登记")
    clerk = second_approver(world)

    run, _run = _approved(world, policy, 2022, clerk, on=D(2023, 1, 10))
    assert _paid(run) == [("钱引进", "引进待遇", 1, D(2022, 8, 1), Decimal("50000.00"))]
    second = entitlement.tranches.get(number=2)
    assert (second.paid_on, second.voucher) == (D(2023, 1, 10), f"奖励核发第{run.pk}批")
    # Paid already: no run proposes it again, nor the studio's year recorded by hand.
    with pytest.raises(ValidationError, match="不会重复"):
        awards.award_run_prepare(
            policy=policy, by=clerk, period_start=D(2022, 1, 1), period_end=D(2022, 12, 31)
        )
    later, _run = _approved(world, policy, 2023, clerk, on=D(2024, 1, 10))
    assert _paid(later) == [("周外科", "区级工作室经费", 2, D(2023, 3, 1), Decimal("80000.00"))]
    assert list(studio.fundings.order_by("year").values_list("year", "amount", "note")) == [
        (2022, Decimal("80000.00"), "手工登记"),
        (2023, Decimal("80000.00"), f"奖励核发第{later.pk}批"),
    ]
    assert balance(fund) == Decimal("1000000.00") - Decimal("130000.00")


def test_a_designated_disciplines_lead_is_paid_yearly_while_it_lasts(world):
    fund = talent_fund(world)
    policy = draft_policy(world, fund)
    policies.rule_add(
        policy=policy,
        by=None,
        name="区级重点专科建设经费",
        fact=Rule.Fact.DISCIPLINE,
        tier="district",
        schedule=Rule.Schedule.YEARLY,
        years=3,
        paid_as="subsidy",
        amounts=[(ISSUED, "100000")],
    )
    policy = policies.policy_publish(policy=policy, by=world.commission, on=ISSUED)
    designation_save(
        department=world.a_cardiology,
        name="心血管内科",
        kind="key_specialty",
        level="district",
        year_from=2022,
        year_to=2023,
        lead=world.a_surgeon,
    )
    clerk = second_approver(world)
    run = awards.award_run_prepare(
        policy=policy, by=clerk, period_start=D(2021, 1, 1), period_end=D(2025, 12, 31)
    )
    # Designated for 2022 and 2023: two years of the three, the third after it ended.
    assert _paid(run) == [
        ("周外科", "区级重点专科建设经费", 1, D(2022, 1, 1), Decimal("100000.00")),
        ("周外科", "区级重点专科建设经费", 2, D(2023, 1, 1), Decimal("100000.00")),
    ]
    assert run.lines.first().fact_url == f"/org/{world.a.pk}/"
