"""Recruitment on a person's timeline: a directed student's graduation (毕业), start of service
(到岗履约) and its end, a breach (违约) or the years owed served (履约期满); an introduction's
leaving (离开), before the commitment's end or after it; never an entitlement's payment. Each
read in the same number of queries however many records there are."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from yicai.people.timeline import Event, events_for
from yicai.recruitment import services
from yicai.recruitment.models import DirectedContract, DirectedKind, Entitlement, Introduction

pytestmark = pytest.mark.django_db

D = datetime.date
RECRUITMENT = ("毕业", "到岗履约", "违约", "履约期满", "人才引进", "离开")


def _recruitment(person) -> list[Event]:
    return [event for event in events_for(person) if event.kind in RECRUITMENT]


def _queries(person) -> int:
    with CaptureQueriesContext(connection) as captured:
        events_for(person)
    return len(captured)


def _contract(world, id_number, *, kind="order_directed", year=2010, **terms) -> DirectedContract:
    return services.directed_contract_create(
        by=None,
        kind=DirectedKind.objects.get(code=kind),
        name="定向甲",
        id_number=id_number,
        school="安徽医科大学",
        major="临床医学",
        enrolled_year=year,
        sponsor=world.a,
        fees_covered=Decimal("60000"),
        **terms,
    )


def _serving(contract, world, *, graduated, started) -> DirectedContract:
    services.directed_graduate(contract=contract, on=graduated)
    services.directed_assign(contract=contract, service_place=world.b)
    return services.directed_start(contract=contract, on=started, department=world.b_medicine)


def test_a_directed_students_graduation_start_and_fulfilment(world):
    contract = _contract(world, factories.id_number(D(1992, 3, 1)))
    # Still at school: nobody's timeline holds it (the student is not on file yet).
    assert contract.person is None
    graduated = services.directed_graduate(contract=contract, on=D(2015, 6, 30))
    person = graduated.person
    assert _recruitment(person) == [
        Event(
            D(2015, 6, 30),
            "毕业",
            "安徽医科大学 临床医学毕业",
            "农村订单定向医学生 · 委托培养单位：甲区中心医院",
            section="recruitment",
        )
    ]
    services.directed_assign(contract=graduated, service_place=world.b)
    # Assigned, not yet there: nothing more.
    assert len(_recruitment(person)) == 1
    serving = services.directed_start(
        contract=graduated, on=D(2015, 8, 1), department=world.b_medicine
    )
    started = Event(
        D(2015, 8, 1),
        "到岗履约",
        "到乙社区卫生服务中心履约服务",
        "农村订单定向医学生 · 服务 6 年",
        section="recruitment",
    )
    assert _recruitment(person)[0] == started
    services.directed_fulfil(contract=serving, on=D(2021, 8, 2))
    assert _recruitment(person)[:2] == [
        # The last day owed, whenever the fulfilment was recorded.
        Event(
            D(2021, 7, 31),
            "履约期满",
            "在乙社区卫生服务中心服务满 6 年",
            "农村订单定向医学生",
            section="recruitment",
        ),
        started,
    ]
    # The start made them staff there: the appointment is on the timeline as always.
    assert any(event.kind == "任职" and event.date == D(2015, 8, 1) for event in events_for(person))


def test_a_breach_and_a_second_contract_add_no_query(world):
    id_number = factories.id_number(D(1995, 9, 1))
    contract = _contract(world, id_number, kind="rural_doctor", year=2015)
    breached = _serving(contract, world, graduated=D(2018, 6, 30), started=D(2018, 8, 1))
    person = breached.person
    once = _queries(person)
    left = services.directed_leave(contract=breached, on=D(2020, 3, 15), reason="考研离岗")
    assert left.status == DirectedContract.Status.BREACHED
    assert _recruitment(person)[0] == Event(
        D(2020, 3, 15),
        "违约",
        "未满服务年限离开乙社区卫生服务中心",
        "乡村医生定向委托培养 · 考研离岗",
        section="recruitment",
    )
    # The same person's second contract, of the other kind, fulfilled by leaving on its last
    # day: one more set of events, no more queries.
    second = _contract(world, id_number, year=2020, service_years=1)
    second = _serving(second, world, graduated=D(2021, 6, 30), started=D(2021, 8, 1))
    services.directed_leave(contract=second, on=D(2022, 7, 31))
    kinds = [(event.date, event.kind) for event in _recruitment(person)]
    assert kinds == [
        (D(2022, 7, 31), "履约期满"),
        (D(2021, 8, 1), "到岗履约"),
        (D(2021, 6, 30), "毕业"),
        (D(2020, 3, 15), "违约"),
        (D(2018, 8, 1), "到岗履约"),
        (D(2018, 6, 30), "毕业"),
    ]
    assert _queries(person) == once
    # Someone else's timeline holds none of it.
    assert _recruitment(world.b_doctor) == []


def _introduced(world, person, on, *, years=5) -> Introduction:
    return services.introduction_create(
        by=None,
        person=person,
        institution=world.a,
        introduced_on=on,
        mode=Introduction.Mode.FULL_TIME,
        category=Introduction.Category.HIGH_LEVEL,
        previous_employer="外省某三甲医院",
        service_years=years,
    )


def test_an_introductions_leaving_and_no_payment_on_the_timeline(world):
    introduction = _introduced(world, world.a_doctor, D(2021, 7, 1))
    settlement = services.entitlement_add(
        introduction=introduction,
        kind=Entitlement.Kind.SETTLEMENT,
        amount=Decimal("200000"),
        tranches=[
            (Decimal("100000"), D(2021, 7, 15), ""),
            (Decimal("100000"), D(2022, 7, 1), "首年考核合格后"),
        ],
    )
    services.tranche_pay(tranche=settlement.tranches.first(), by=None, paid_on=D(2021, 7, 20))
    once = _queries(world.a_doctor)
    # Not left: the introduction only, and no payment.
    assert [event.kind for event in _recruitment(world.a_doctor)] == ["人才引进"]
    assert not any(event.date == D(2021, 7, 20) for event in events_for(world.a_doctor))
    services.introduction_leave(
        introduction=introduction, left_on=D(2023, 3, 31), reason="调往外省工作"
    )
    assert _recruitment(world.a_doctor) == [
        Event(
            D(2023, 3, 31),
            "离开",
            "离开甲区中心医院",
            "调往外省工作 · 服务期未满（至 2026-06-30）",
            section="recruitment",
        ),
        Event(
            D(2021, 7, 1),
            "人才引进",
            "全职引进至甲区中心医院",
            "高层次人才 · 外省某三甲医院",
            section="recruitment",
        ),
    ]
    # A second introduction, left after its commitment (of one year), adds no query.
    again = _introduced(world, world.a_doctor, D(2023, 9, 1), years=1)
    services.introduction_leave(introduction=again, left_on=D(2024, 9, 1))
    left = [event for event in _recruitment(world.a_doctor) if event.kind == "离开"]
    assert [(event.date, event.detail) for event in left] == [
        (D(2024, 9, 1), ""),
        (D(2023, 3, 31), "调往外省工作 · 服务期未满（至 2026-06-30）"),
    ]
    assert _queries(world.a_doctor) == once
