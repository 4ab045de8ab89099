"""Records that fall due around June 2023, made through the services, for the tests of
`yicai remind` and of the attrition-risk flag (helpers shared by several test files)."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

from tests import factories
from yicai.people.services import licence_add
from yicai.recruitment import services as recruitment
from yicai.recruitment.models import DirectedKind
from yicai.training.services.secondments import monthly_report_submit, secondment_create

D = datetime.date
TODAY = D(2023, 6, 10)


def introduced_surgeon(world):
    """周外科, introduced at A on 2021-07-01 for five years: a settlement allowance of two
    tranches, the first paid, the second due 2023-07-01."""
    introduction = recruitment.introduction_create(
        by=None,
        person=world.a_surgeon,
        institution=world.a,
        department=world.a_surgery,
        introduced_on=D(2021, 7, 1),
        mode="full_time",
        category="high_level",
        service_years=5,
    )
    entitlement = recruitment.entitlement_add(
        introduction=introduction,
        kind="settlement",
        amount=Decimal(200000),
        tranches=[(Decimal(100000), D(2021, 7, 15), ""), (Decimal(100000), D(2023, 7, 1), "")],
    )
    first, second = entitlement.tranches.order_by("number")
    recruitment.tranche_pay(tranche=first, by=None, paid_on=D(2021, 7, 20))
    return SimpleNamespace(introduction=introduction, tranche=second)


def introduced_doctor(world):
    """李心怡, introduced at A on 2018-09-01 for five years: the last day is 2023-08-31."""
    return recruitment.introduction_create(
        by=None,
        person=world.a_doctor,
        institution=world.a,
        department=world.a_cardiology,
        introduced_on=D(2018, 9, 1),
        mode="full_time",
        category="shortage",
        service_years=5,
    )


def directed_in_service(world):
    """An order-directed graduate at B since 2017-08-01, owing six years: to 2023-07-31."""
    contract = recruitment.directed_contract_create(
        by=None,
        kind=DirectedKind.objects.get(code="order_directed"),
        name="定向医学生",
        id_number=factories.id_number(D(1994, 3, 3)),
        school="安徽医科大学",
        major="临床医学",
        enrolled_year=2012,
        sponsor=world.b,
        fees_covered=Decimal(60000),
    )
    recruitment.directed_graduate(contract=contract, on=D(2017, 6, 30))
    return recruitment.directed_start(contract=contract, on=D(2017, 8, 1), service_place=world.b)


def licence_expiring(world, expires_on=None):
    expires_on = expires_on or D(2023, 7, 15)
    return licence_add(
        person=world.a_doctor, number="110310113000001", category="1", expires_on=expires_on
    )


def secondment_of_doctor(world, *, may_report: bool = False):
    """李心怡 at the partner hospital from 2023-03-01: April's report in; May's too when asked."""
    secondment = secondment_create(
        person=world.a_doctor,
        host=world.partner,
        host_department="心内科",
        start_on=D(2023, 3, 1),
    )
    months = [D(2023, 3, 1), D(2023, 4, 1)] + ([D(2023, 5, 1)] if may_report else [])
    for month in months:
        monthly_report_submit(
            secondment=secondment, month=month, content="学习心导管技术", person=world.a_doctor
        )
    return secondment
