"""A district's talent fund and a Baoshan-like incentive policy, made through the services,
for the retention tests."""

import datetime
from decimal import Decimal

from tests import factories
from yicai.access.models import Role, Scope
from yicai.retention.models import Entry, Fund, Policy, Rule
from yicai.retention.services import funds, policies

ISSUED = datetime.date(2021, 1, 1)


def region_of(world):
    return world.a.commission_region


def second_approver(world):
    """Another commission officer: the one who prepares what `world.commission` approves."""
    return factories.user(
        "commission_clerk",
        roles=[(Role.COMMISSION_ADMIN, {"scope": Scope.ALL, "region": region_of(world)})],
    )


def talent_fund(
    world, *, appropriated: str = "1000000.00", name: str = "区人才发展专项资金"
) -> Fund:
    fund = funds.fund_create(by=None, region=region_of(world), name=name, kind=Fund.Kind.TALENT)
    if appropriated:
        funds.entry_record(
            fund=fund,
            by=None,
            on=datetime.date(2021, 1, 10),
            direction=Entry.Direction.INCOME,
            kind=Entry.Kind.APPROPRIATION,
            amount=appropriated,
            summary="2021年区财政拨款",
        )
    return fund


def draft_policy(world, fund: Fund, **fields) -> Policy:
    values = {
        "title": "宝山区卫生健康人才激励办法",
        "issuer": "区卫健委",
        "document_number": "宝卫发〔2021〕1号",
        "effective_from": ISSUED,
        "fund": fund,
        **fields,
    }
    return policies.policy_create(by=None, region=region_of(world), **values)


def promotion_rule(policy: Policy, grade: str, *amounts: tuple[datetime.date, str], name=None):
    return policies.rule_add(
        policy=policy,
        by=None,
        name=name or f"晋升{grade}奖励",
        fact=Rule.Fact.TITLE,
        title_grade=grade,
        amounts=[(day, Decimal(amount)) for day, amount in amounts],
    )
