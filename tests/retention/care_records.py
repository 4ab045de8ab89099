"""The 八个一 package of the district and served talents enrolled at B (a community health
centre) with B's doctor as guardian, made through the services, for the care tests."""

import datetime

from tests import factories
from yicai.codes.queries import code_for
from yicai.retention.models import ServiceItem
from yicai.retention.services import care

D = datetime.date
ENROLLED = D(2023, 3, 10)


def package(world):
    return care.package_defaults_create(region=world.b.commission_region)


def item(package, recurrence):
    return package.items.filter(recurrence=recurrence).order_by("order").first()


BORN = D(1988, 5, 20)


def served(world, package=None, *, name="钱科创", born=BORN, on=ENROLLED, team="一队"):
    package = package or care.package_defaults_create(region=world.b.commission_region)
    return care.enrol(
        by=None,
        package=package,
        institution=world.b,
        enrolled_on=on,
        name=name,
        sex=code_for("sex", "1"),
        birth_date=born,
        id_number=factories.id_number(born),
        phone="13800138000",
        guardian=world.b_doctor,
        employer="张江某芯片公司",
        talent_kind="高层次人才",
        team_name=team,
    )


def served_at_a(world, package, *, name="孙创新", on=ENROLLED):
    return care.enrol(
        by=None,
        package=package,
        institution=world.a,
        enrolled_on=on,
        name=name,
        sex=code_for("sex", "2"),
        birth_date=D(1990, 1, 15),
        guardian=world.a_doctor,
        team_name="甲院团队",
    )


MONTHLY = ServiceItem.Recurrence.MONTHLY
ONCE = ServiceItem.Recurrence.ONCE
HALF = ServiceItem.Recurrence.HALF_YEARLY
BIRTHDAY = ServiceItem.Recurrence.YEARLY_BIRTHDAY
