"""Directed students' contracts through the services: the years owed by kind (6 for order-
directed students) unless the contract differs; Sixian's 10 and 14 students of 2021 and 4 of
2022 counted by year and kind; graduation puts the student on file (found by identity number),
the start at the township health centre makes them staff there with an appointment; leaving
before the last day owed is a breach whose repayment is computed to the cent (pro rata or in
full, with the penalty), leaving on the last day fulfils the contract; the breach approved
once."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests import factories
from yicai.people.models import Person
from yicai.recruitment import queries, services
from yicai.recruitment.models import Breach, DirectedContract, DirectedKind

pytestmark = pytest.mark.django_db
D = datetime.date
S = DirectedContract.Status


def _kind(code):
    return DirectedKind.objects.get(code=code)


def _contract(world, *, kind="order_directed", year=2021, name="定向生", **terms):
    return services.directed_contract_create(
        by=None,
        kind=_kind(kind),
        name=name,
        id_number=factories.id_number(D(2003, 5, 1)),
        school="安徽医科大学",
        major="临床医学",
        enrolled_year=year,
        sponsor=world.a,
        **terms,
    )


def _errors(call):
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


def test_the_years_owed_by_kind_and_sixians_students_counted_by_year(world):
    for year, kind, count in ((2021, "order_directed", 10), (2021, "rural_doctor", 14)):
        for number in range(count):
            _contract(world, kind=kind, year=year, name=f"{kind}{number}")
    for number in range(4):
        _contract(world, year=2022, name=f"二二级{number}")
    first = DirectedContract.objects.filter(kind__code="order_directed", enrolled_year=2021)[0]
    assert (first.service_years, first.graduation_year) == (6, 2026)
    figures = queries.directed_figures(world.commission)
    assert [kind.name for kind in figures.kinds] == ["农村订单定向医学生", "乡村医生定向委托培养"]
    assert figures.by_year == [
        {"year": 2021, "kinds": [10, 14], "total": 24},
        {"year": 2022, "kinds": [4, 0], "total": 4},
    ]
    assert figures.total == 28 and figures.by_status["studying"] == 28
    graduating = queries.contract_list(world.commission, graduating=2027)
    assert graduating.count() == 4
    # Hospital B sees none of A's contracts.
    assert queries.directed_figures(world.hospital_b).total == 0


def test_a_contract_is_checked_and_its_number_sealed(world):
    assert _errors(
        lambda: services.directed_contract_create(
            by=world.hospital_b,
            kind=_kind("rural_doctor"),
            name="越权",
            id_number="110101199001011234",
            school="某医专",
            major="临床医学",
            enrolled_year=2021,
            graduation_year=2020,
            sponsor=world.a,
        )
    ) == {
        "sponsor": ["所选机构不存在或不在您的管辖范围内。"],
        "id_number": ["身份证号码无效：请核对位数、出生日期和末位校验码。"],
        "__all__": ["预计毕业年份不能早于入学年份。"],
    }
    made = _contract(world, service_years=5)
    assert made.service_years == 5 and made.id_number not in made.id_number_cipher


def _in_service(world, contract):
    services.directed_graduate(contract=contract, on=D(2017, 6, 30))
    services.directed_assign(contract=contract, service_place=world.b)
    return services.directed_start(contract=contract, on=D(2017, 8, 1), department=world.b_medicine)


def test_graduation_and_the_start_put_the_student_on_file_and_on_staff(world):
    contract = _contract(world, year=2012, fees_covered=Decimal("60000"))
    graduated = services.directed_graduate(contract=contract, on=D(2017, 6, 30))
    person = graduated.person
    assert (person.category, person.source.code, person.institution) == (
        Person.Category.DIRECTED_STUDENT,
        "directed_student",
        None,
    )
    assert _errors(lambda: services.directed_start(contract=graduated)) == {
        "service_place": ["请选择服务单位。"]
    }
    services.directed_assign(contract=contract, service_place=world.b)
    serving = services.directed_start(
        contract=contract, on=D(2017, 8, 1), department=world.b_medicine
    )
    person.refresh_from_db()
    assert serving.status == S.IN_SERVICE
    assert (person.category, person.institution, person.department) == (
        Person.Category.STAFF,
        world.b,
        world.b_medicine,
    )
    assert services.service_last_day(serving) == D(2023, 7, 31)


def test_leaving_early_is_a_breach_to_the_cent_and_on_the_last_day_is_fulfilled(world):
    # Pro rata: 50,000 × (72 − 31) / 72 = 28,472.222… → 28,472.22, and the penalty.
    early = _in_service(
        world,
        _contract(
            world,
            name="早走",
            year=2012,
            fees_covered=Decimal("50000"),
            repayment="pro_rata",
            penalty=Decimal("10000"),
        ),
    )
    left = services.directed_leave(contract=early, on=D(2020, 3, 15), reason="考研离岗")
    breach = left.breach
    assert left.status == S.BREACHED
    assert (breach.months_served, breach.amount, breach.penalty) == (
        31,
        Decimal("28472.22"),
        Decimal("10000.00"),
    )
    assert breach.basis == (
        "培养费用 50,000.00 元 ×（应服务 72 个月 − 已服务 31 个月）÷ 72 个月 = 28,472.22 元，"
        "另违约金 10,000.00 元。"
    )
    # The appointment at the service place ends that day.
    assert left.person.appointments.get().end_on == D(2020, 3, 15)
    # In full: the day before the last day still owes all of it.
    full = _in_service(
        world, _contract(world, name="全额", year=2012, fees_covered=Decimal("60000"))
    )
    assert services.service_last_day(full) == D(2023, 7, 31)
    owed = services.directed_leave(contract=full, on=D(2023, 7, 30)).breach
    assert (owed.months_served, owed.amount) == (71, Decimal("60000.00"))
    # On the last day: fulfilled, nothing owed.
    served = _in_service(
        world, _contract(world, name="履约", year=2012, fees_covered=Decimal("60000"))
    )
    done = services.directed_leave(contract=served, on=D(2023, 7, 31))
    assert done.status == S.FULFILLED and not Breach.objects.filter(contract=done).exists()


def test_a_breach_is_decided_once_and_fulfilment_waits_for_the_last_day(world):
    breached = _in_service(world, _contract(world, year=2012, fees_covered=Decimal("60000")))
    breach = services.directed_leave(contract=breached, on=D(2019, 1, 1)).breach
    services.breach_decide(breach=breach, by=world.commission, approve=True, on=D(2019, 2, 1))
    assert _errors(
        lambda: services.breach_decide(breach=breach, by=world.commission, approve=False)
    ) == {"status": ["该退还已批准。"]}
    staying = _in_service(world, _contract(world, name="留任", year=2012))
    assert _errors(lambda: services.directed_fulfil(contract=staying, on=D(2023, 7, 30))) == {
        "on": ["服务期至 2023-07-31 才满。"]
    }
    assert services.directed_fulfil(contract=staying, on=D(2023, 7, 31)).status == S.FULFILLED


def test_the_same_student_twice_is_refused_by_field_and_the_phone_goes_on_file(world):
    number = factories.id_number(D(2003, 5, 1))
    terms = {
        "by": None,
        "kind": _kind("order_directed"),
        "name": "重复",
        "id_number": number,
        "school": "安徽医科大学",
        "major": "临床医学",
        "enrolled_year": 2012,
        "sponsor": world.a,
        "phone": "13900139000",
    }
    first = services.directed_contract_create(**terms)
    assert _errors(lambda: services.directed_contract_create(**terms)) == {
        "id_number": ["该学生已有同类定向培养协议。"]
    }
    graduated = services.directed_graduate(contract=first, on=D(2017, 6, 30))
    assert graduated.person.phone == "13900139000"
