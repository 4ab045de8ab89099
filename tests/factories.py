"""Test data made through the real services, so every rule applies."""

import datetime
import itertools

from stdnum.cn import ric

from yicai.access import services as access_services
from yicai.codes.queries import code_for
from yicai.org.models import Department, Institution, Region
from yicai.people import services as people_services

PASSWORD = "Yicai-Test-2026!"
_serial = itertools.count(1)


# Shanghai's districts: after the 500 numbers of a birth day and sex, the next area code.
_AREAS = ["310113", "310104", "310110", "310112", "310115", "310114", "310116", "310117"]


def id_number(birth: datetime.date, *, male: bool = True, area: str | None = None) -> str:
    """A valid resident identity number, unique per call (of the next 4,000: a test may build
    a district of people born the same day beside people built for its whole module)."""
    serial = next(_serial)
    order = serial % 500 * 2 + (1 if male else 0)
    area = area or _AREAS[serial // 500 % len(_AREAS)]
    body = f"{area}{birth:%Y%m%d}{order:03d}"
    return body + ric.calc_check_digit(body + "0")


def region(code: str = "310113") -> Region:
    return Region.objects.get(code=code)


def institution(
    name: str,
    *,
    relation: str = "managed",
    kind: str = "general",
    commission: str = "310113",
    located: str | None = None,
) -> Institution:
    return Institution.objects.create(
        name=name,
        short_name=name[:6],
        kind=kind,
        grade="2",
        relation=relation,
        region=region(located or commission),
        commission_region=region(commission),
    )


def department(institution: Institution, name: str, parent: Department | None = None):
    return Department.objects.create(institution=institution, name=name, parent=parent)


def person(
    institution: Institution,
    name: str = "王小明",
    *,
    department=None,
    birth: datetime.date = datetime.date(1985, 6, 1),
    male: bool = True,
    title: str | None = None,
    in_charge: tuple = (),
    **extra,
):
    """A person with a post in `department` (in charge of the departments `in_charge`, as a
    hospital leader or head is) and a title."""
    created = people_services.person_create(
        name=name,
        sex=code_for("sex", "1" if male else "2"),
        birth_date=birth,
        id_number=id_number(birth, male=male),
        institution=institution,
        department=department,
        category=extra.pop("category", "staff"),
        **extra,
    )
    if department is not None:
        people_services.appointment_add(
            person=created,
            institution=institution,
            department=department,
            start_on=datetime.date(2015, 7, 1),
            position="医师",
            departments_in_charge=in_charge,
        )
    if title:
        people_services.title_add(
            person=created, title=code_for("title", title), obtained_on=datetime.date(2018, 1, 1)
        )
    return created


def user(username: str, *, person=None, roles=()):
    created = access_services.user_create(
        username=username,
        password=PASSWORD,
        full_name=username,
        person=person,
        must_change_password=False,
    )
    for role, options in roles:
        access_services.role_assign(user=created, role=role, **options)
    return created
