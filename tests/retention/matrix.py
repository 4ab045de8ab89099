"""retention's part of the scope matrix (collected by `tests.builders.app_matrices`): the
commission's talent fund with its appropriation, hospital A's own fund, a published policy
rewarding promotions to 正高 paid from the commission's fund, and a run of 2022 prepared (not
approved) with one line: A's surgeon, promoted that year (not A's cardiologist, whose one
title the scope matrix's records read). Money is the commission's and an
institution's administrators' only: a department head gets 403 on every money page.

The cases live beside it: the pages' in `matrix_pages.py`, the API's in `matrix_api.py`."""

import datetime

from tests.retention import (
    matrix_api,
    matrix_care,
    matrix_competitions,
    matrix_hospitality,
    matrix_pages,
    matrix_promotions,
    matrix_risks,
)
from yicai.codes.queries import code_for
from yicai.people.services import title_add
from yicai.retention.models import Entry, Fund, Rule
from yicai.retention.services import awards, funds, policies

D = datetime.date


def build(records, world) -> None:
    region = world.a.commission_region
    records.fund = funds.fund_create(
        by=None, region=region, name="区人才发展专项资金", kind=Fund.Kind.TALENT
    )
    records.entry = funds.entry_record(
        fund=records.fund,
        by=None,
        on=D(2022, 1, 5),
        direction=Entry.Direction.INCOME,
        kind=Entry.Kind.APPROPRIATION,
        amount="500000",
        summary="2022年区财政拨款",
    )
    records.a_fund = funds.fund_create(
        by=None, region=region, institution=world.a, name="甲院人才经费", kind=Fund.Kind.BUDGET
    )
    records.policy = policies.policy_create(
        by=None,
        region=region,
        title="卫生健康人才激励办法",
        issuer="区卫健委",
        effective_from=D(2021, 1, 1),
        fund=records.fund,
    )
    records.rule = policies.rule_add(
        policy=records.policy,
        by=None,
        name="晋升正高奖励",
        fact=Rule.Fact.TITLE,
        title_grade="senior",
        amounts=[(D(2021, 1, 1), "50000")],
    )
    policies.policy_publish(policy=records.policy, by=None, on=D(2021, 1, 1))
    title_add(person=world.a_surgeon, title=code_for("title", "231"), obtained_on=D(2022, 6, 15))
    records.run = awards.award_run_prepare(
        policy=records.policy, by=None, period_start=D(2022, 1, 1), period_end=D(2022, 12, 31)
    )
    records.line = records.run.lines.get()
    matrix_hospitality.build(records, world)
    matrix_competitions.build(records, world)
    matrix_pages.build(records, world)
    matrix_promotions.build(records, world)
    matrix_care.build(records, world)


CASES = {
    **matrix_pages.CASES,
    **matrix_hospitality.CASES,
    **matrix_competitions.CASES,
    **matrix_promotions.CASES,
    **matrix_risks.CASES,
    **matrix_care.CASES,
    **matrix_api.CASES,
}
PAGE_KWARGS = {
    **matrix_pages.PAGE_KWARGS,
    **matrix_hospitality.PAGE_KWARGS,
    **matrix_competitions.PAGE_KWARGS,
    **matrix_promotions.PAGE_KWARGS,
    **matrix_risks.PAGE_KWARGS,
    **matrix_care.PAGE_KWARGS,
}
KWARGS = {
    **matrix_api.KWARGS,
    **matrix_promotions.KWARGS,
    **matrix_risks.KWARGS,
    **matrix_care.KWARGS,
}
