"""Builders shared by the WISN tests: a study of hospital A's cardiology through the services,
and the published example it reproduces (see test_wisn.py for the source)."""

from decimal import Decimal

from yicai.codes.queries import code_for
from yicai.insights import services

D = Decimal


def category(code: str = "11"):
    """A personnel category (从事专业类别): 11 执业医师, 21 注册护士."""
    return code_for("personnel_category", code)


def study(world, *, department=None, code: str = "11", year: int = 2023, **fields):
    values = {"current_staff": D(3), "public_holidays": D(10), "annual_leave": D(20), **fields}
    return services.study_create(
        by=None,
        department=department or world.a_cardiology,
        staff_category=category(code),
        year=year,
        **values,
    )


def hiv_clinic(world, **fields):
    """The HIV clinic of Burmen, Owuor & Mitei (2017), Table 3, as far as it could be read:
    clinicians at 4.5 consultation days a week and 8 hours a day; 10 public holidays, 30 days
    of annual leave, 15 of sick leave; consultations of 15 minutes, 10 a year for each of
    10,000 patients; 10 days (80 hours) a year of training for every clinician; 12 clinicians
    (the abstract's n = 12)."""
    clinic = services.study_create(
        by=None,
        department=world.a_cardiology,
        staff_category=category("11"),
        year=2011,
        days_a_week=D("4.5"),
        hours_a_day=D(8),
        public_holidays=D(10),
        annual_leave=D(30),
        sick_leave=D(15),
        current_staff=D(12),
        **fields,
    )
    services.activity_add(
        study=clinic, name="HIV 门诊咨询", minutes_per_unit=D(15), annual_workload=D(100000)
    )
    services.allowance_add(study=clinic, kind="category", name="培训", hours_per_year=D(80))
    return clinic
