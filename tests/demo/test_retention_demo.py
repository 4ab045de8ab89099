"""`yicai demo`'s 留: the district's talent fund with its appropriations and the welfare fund
with its donors; the 2021 incentive policy with amounts raised last year; a run a year, each
prepared by the talent officer and approved by the other commission account, last year's
waiting; one payment reversed. Every balance holds, and nobody is paid twice. The demo region
is loaded once for the module (as of a fixed day)."""

import datetime
from decimal import Decimal

import pytest
from django.db.models import Count

from tests.builders import rolled_back_at_module_end
from yicai.demo import users
from yicai.demo.district import load_district
from yicai.demo.retention import DONATIONS, TALENT_FUND, WELFARE_FUND, load_retention
from yicai.demo.training import load_training
from yicai.retention.models import AwardLine, AwardRun, Entry, Fund, Policy
from yicai.retention.queries.funds import balance, lowest_balance_from

TODAY = datetime.date(2026, 6, 17)


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    with rolled_back_at_module_end(django_db_blocker):
        load_district(people=300, today=TODAY)
        users.ensure_accounts("Demo-Pass-2026!")
        load_training(today=TODAY)
        yield load_retention(today=TODAY)


@pytest.fixture
def demo(loaded, db):
    return loaded


def test_a_run_a_year_approved_by_another_account_and_last_years_waiting(demo):
    assert demo == Entry.objects.count() > 0
    runs = list(AwardRun.objects.order_by("period_start"))
    assert [run.period_start.year for run in runs] == list(range(2021, 2026))
    assert [run.status for run in runs] == ["approved"] * 4 + ["proposed"]
    for run in runs[:4]:
        assert run.prepared_by.username == "commission"
        assert run.approved_by.username == "finance"
        assert run.approved_on > run.period_end
    assert Policy.objects.get().rules.count() == 5
    # Nobody paid twice: one live payment per approved line, none for the pending run's.
    approved = AwardLine.objects.filter(status="approved").count()
    assert Entry.objects.filter(award__isnull=False, reverses__isnull=True).count() == approved + 1
    assert not Entry.objects.filter(award__run=runs[-1]).exists()
    assert AwardLine.objects.filter(status="reversed").count() == 1
    # The rise of last year: promotions of 2025 are paid at the new amounts.
    assert set(
        runs[-1].lines.filter(rule__name="晋升正高级职称奖励").values_list("amount", flat=True)
    ) <= {Decimal("60000.00")}
    assert demo_balances_hold()


def demo_balances_hold() -> bool:
    return all(
        lowest_balance_from(fund, datetime.date(2021, 1, 1)) >= 0 for fund in Fund.objects.all()
    )


def test_the_welfare_fund_its_donors_and_what_it_paid(demo):
    welfare = Fund.objects.get(name=WELFARE_FUND)
    donations = welfare.entries.filter(kind="donation")
    assert donations.count() == len(DONATIONS)
    assert sum(entry.amount for entry in donations) == Decimal("2000000.00")
    assert set(donations.values_list("donor", flat=True)) == {d[1] for d in DONATIONS}
    assert balance(welfare) == Decimal("698500.00")
    assert balance(welfare, datetime.date(2021, 12, 31)) == Decimal("1140000.00")
    talent = Fund.objects.get(name=TALENT_FUND)
    assert (
        talent.entries.filter(kind="appropriation")
        .values("on__year")
        .annotate(n=Count("id"))
        .count()
        == 6
    )  # 2021 to 2026


def test_loading_again_makes_nothing(demo):
    assert load_retention(today=TODAY) == 0
