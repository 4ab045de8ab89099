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
from yicai.retention.models import (
    AwardLine,
    AwardRun,
    Booking,
    Competition,
    Entry,
    Fund,
    Policy,
    PromotionRound,
)
from yicai.retention.queries.funds import balance, lowest_balance_from
from yicai.retention.queries.promotions import round_figures

TODAY = datetime.date(2026, 6, 17)


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    with rolled_back_at_module_end(django_db_blocker):
        load_district(people=1500, today=TODAY)
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
    assert Policy.objects.get().rules.count() == 6
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
    stays = sum(e.amount for e in welfare.entries.filter(kind="hospitality", booking__isnull=False))
    assert stays > 0
    assert balance(welfare) == Decimal("698500.00") - stays
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


def test_last_years_senior_title_round_reads_as_sixians(demo):
    held = PromotionRound.objects.get()
    figures = round_figures(held.applications.all())
    assert figures.sentence == "68人申报，52人通过：正高级10人，副高级42人"
    # Each pass is on file as the new title, obtained the day the results were recorded.
    passed = held.applications.filter(result="passed").select_related("title_record")
    assert all(a.title_record.obtained_on == datetime.date(2025, 9, 30) for a in passed)


def test_a_finished_competition_an_open_one_and_the_first_place_rewarded(demo):
    surgery = Competition.objects.get(status="finished")
    ranks = list(surgery.entrants.order_by("rank").values_list("rank", "honour"))
    assert ranks[:3] == [(1, "一等奖"), (2, "二等奖"), (3, "二等奖")]
    assert Competition.objects.filter(status="open", teams=True).exists()
    winner = surgery.entrants.get(rank=1).person
    pending = AwardRun.objects.get(status="proposed")
    assert pending.lines.filter(rule__fact="competition", person=winner).count() == 1


def test_the_lodge_holds_each_visiting_expert_once_a_night(demo):
    bookings = list(Booking.objects.filter(status="booked"))
    assert bookings and all(b.visit.expert_id == b.guest_id for b in bookings)
    for booking in bookings:
        assert (
            not Booking.objects.filter(
                room=booking.room,
                status="booked",
                arrives_on__lt=booking.leaves_on,
                leaves_on__gt=booking.arrives_on,
            )
            .exclude(pk=booking.pk)
            .exists()
        )
    charged = Entry.objects.filter(kind="hospitality", booking__isnull=False)
    assert charged.count() == Booking.objects.filter(entry__isnull=False).count() > 0
