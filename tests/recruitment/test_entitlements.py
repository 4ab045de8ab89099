"""An introduction's entitlements through the services: tranches that add up to the amount,
payments recorded once, the payments due as of a day, and leaving: unpaid tranches cancelled
and the clawback the agreement states computed to the cent, for one who leaves early, one who
leaves the day before the commitment's last day and one who leaves on it (nothing owed); a
clawback approved or waived (with a reason), once."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from yicai.people import services as people_services
from yicai.recruitment import queries, services
from yicai.recruitment.models import Clawback, Entitlement, Introduction, Tranche

pytestmark = pytest.mark.django_db
D = datetime.date
ARRIVED = D(2021, 7, 1)  # five years: the commitment's last day is 2026-06-30


def _introduction(world, person=None, *, years=5):
    return services.introduction_create(
        by=None,
        person=person or world.a_doctor,
        institution=world.a,
        introduced_on=ARRIVED,
        mode=Introduction.Mode.FULL_TIME,
        category=Introduction.Category.HIGH_LEVEL,
        service_years=years,
    )


def _granted(introduction):
    """安家补贴 200,000 in two tranches (pro rata), research start-up 50,000 in two (all back)."""
    settlement = services.entitlement_add(
        introduction=introduction,
        kind=Entitlement.Kind.SETTLEMENT,
        amount=Decimal("200000"),
        tranches=[
            (Decimal("100000"), D(2021, 7, 15), ""),
            (Decimal("100000"), D(2022, 7, 1), "首年考核合格后"),
        ],
    )
    research = services.entitlement_add(
        introduction=introduction,
        kind=Entitlement.Kind.RESEARCH,
        amount=Decimal("50000"),
        tranches=[(Decimal("30000"), D(2021, 8, 1), ""), (Decimal("20000"), D(2023, 7, 1), "")],
        repayment=Entitlement.Repayment.FULL,
    )
    return settlement, research


def _pay_all_due(world, on):
    for tranche in queries.payments_due(world.commission, as_of=on):
        services.tranche_pay(tranche=tranche, by=world.commission, paid_on=tranche.due_on)


def _errors(call):
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


def test_tranches_must_add_up_to_the_amount_and_not_fall_before_the_arrival(world):
    introduction = _introduction(world)

    def grant(tranches, amount="100000"):
        return services.entitlement_add(
            introduction=introduction,
            kind=Entitlement.Kind.HOUSING,
            amount=Decimal(amount),
            tranches=tranches,
        )

    assert _errors(lambda: grant([(Decimal("60000"), D(2021, 8, 1), "")])) == {
        "tranches": ["各期金额之和（60,000.00 元）与待遇金额（100,000.00 元）不一致。"]
    }
    assert _errors(lambda: grant([(Decimal("100000"), D(2021, 6, 30), "")])) == {
        "tranches": ["应发日期不能早于引进日期（2021-07-01）。"]
    }
    assert _errors(lambda: grant([])) == {"tranches": ["请至少填写一期发放安排。"]}
    assert not Entitlement.objects.exists()


def test_payments_due_as_of_a_day_and_each_paid_once(world):
    _settlement, research = _granted(_introduction(world))
    due = queries.payments_due(world.commission, as_of=D(2021, 12, 31))
    assert [(t.entitlement.kind, t.number) for t in due] == [("settlement", 1), ("research", 1)]
    first = due[0]
    services.tranche_pay(
        tranche=first, by=world.commission, paid_on=D(2021, 7, 20), voucher="记-07"
    )
    assert _errors(lambda: services.tranche_pay(tranche=first, by=world.commission)) == {
        "status": ["该期已于 2021-07-20 发放。"]
    }
    assert list(queries.payments_due(world.commission, as_of=D(2021, 12, 31))) == [
        research.tranches.get(number=1)
    ]
    # Hospital B sees none of A's.
    assert not queries.payments_due(world.hospital_b, as_of=D(2030, 1, 1)).exists()


def test_leaving_early_cancels_what_is_unpaid_and_proposes_the_clawback_to_the_cent(world):
    introduction = _introduction(world)
    _settlement, research = _granted(introduction)
    _pay_all_due(world, D(2022, 12, 31))  # 100,000 + 100,000 settlement; 30,000 research
    # Leaves on 2023-02-28: 20 full months served of 60.
    clawbacks = services.introduction_leave(
        introduction=introduction, left_on=D(2023, 2, 28), reason="调往外省"
    )
    owed = {c.entitlement.kind: (c.months_served, c.paid, c.amount) for c in clawbacks}
    assert owed == {
        # 200,000 × 40 / 60 = 133,333.333… → 133,333.33
        "settlement": (20, Decimal("200000.00"), Decimal("133333.33")),
        "research": (20, Decimal("30000.00"), Decimal("30000.00")),  # all back
    }
    assert clawbacks[0].basis == (
        "已发放 200,000.00 元 ×（承诺 60 个月 − 已服务 20 个月）÷ 60 个月 = 133,333.33 元"
    )
    unpaid = research.tranches.get(number=2)
    assert (unpaid.cancelled_on, unpaid.cancel_reason) == (D(2023, 2, 28), "人员已离开")
    assert not queries.payments_due(world.commission, as_of=D(2030, 1, 1)).exists()
    assert _errors(
        lambda: services.tranche_pay(tranche=unpaid, by=None, paid_on=D(2023, 3, 1))
    ) == {"status": ["该期已于 2023-02-28 取消：人员已离开"]}


def test_the_day_before_the_last_day_owes_one_month_and_the_last_day_owes_nothing(world):
    early = _introduction(world, world.a_doctor)
    served = _introduction(world, world.a_surgeon)
    for introduction in (early, served):
        services.entitlement_add(
            introduction=introduction,
            kind=Entitlement.Kind.SETTLEMENT,
            amount=Decimal("200000"),
            tranches=[(Decimal("200000"), D(2021, 7, 15), "")],
        )
    _pay_all_due(world, D(2021, 12, 31))
    assert services.commitment_last_day(early) == D(2026, 6, 30)
    [one_month] = services.introduction_leave(introduction=early, left_on=D(2026, 6, 29))
    # 59 full months to 2026-06-30: one month of 60 unserved, 200,000 / 60 = 3,333.33.
    assert (one_month.months_served, one_month.amount) == (59, Decimal("3333.33"))
    assert services.introduction_leave(introduction=served, left_on=D(2026, 6, 30)) == []


def test_months_and_commitments_at_the_ends_of_months(world):
    assert services.full_months(D(2021, 7, 1), D(2023, 3, 1)) == 20
    assert services.full_months(D(2021, 1, 31), D(2021, 2, 28)) == 0
    assert services.full_months(D(2021, 1, 31), D(2021, 3, 1)) == 1  # to 28 February
    # Arrived on 29 February 2020: one year is served on 28 February 2021.
    feb = services.full_months(D(2020, 2, 29), D(2021, 3, 1))
    assert (feb, services.full_months(D(2020, 2, 29), D(2021, 2, 28))) == (12, 11)
    assert services.add_months(D(2020, 2, 29), 12) == D(2021, 2, 28)
    assert services.clawback_amount(Decimal("100"), "pro_rata", 1, 3) == Decimal("66.67")
    assert services.clawback_amount(Decimal("100"), "none", 1, 3) == Decimal("0.00")


def test_a_clawback_is_approved_or_waived_with_a_reason_once(world):
    introduction = _introduction(world)
    _granted(introduction)
    _pay_all_due(world, D(2022, 12, 31))
    settlement, research = services.introduction_leave(
        introduction=introduction, left_on=D(2023, 2, 28)
    )
    assert _errors(
        lambda: services.clawback_decide(clawback=research, by=world.commission, approve=False)
    ) == {"reason": ["免除退还须说明理由。"]}
    services.clawback_decide(
        clawback=research,
        by=world.commission,
        approve=False,
        reason="科研成果已转化",
        on=D(2023, 3, 10),
    )
    approved = services.clawback_decide(
        clawback=settlement, by=world.commission, approve=True, on=D(2023, 3, 10)
    )
    assert approved.status == Clawback.Status.APPROVED
    assert _errors(
        lambda: services.clawback_decide(clawback=settlement, by=world.commission, approve=True)
    ) == {"status": ["该退还已批准。"]}
    assert _errors(
        lambda: services.introduction_leave(introduction=introduction, left_on=D(2023, 3, 1))
    ) == {"left_on": ["已登记于 2023-02-28 离开。"]}
    assert Tranche.objects.filter(paid_on__isnull=False).count() == 3


def test_leaving_ends_the_post_at_the_institution(world):
    introduction = _introduction(world)
    post = people_services.appointment_add(
        person=world.a_doctor, institution=world.a, start_on=ARRIVED, position="心内科主任"
    )
    services.introduction_leave(introduction=introduction, left_on=D(2023, 2, 28))
    post.refresh_from_db()
    assert post.end_on == D(2023, 2, 28)
