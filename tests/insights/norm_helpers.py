"""Builders shared by the norm-gap and priorities tests: the bed norms (national, and the
district's own from 2025), the departments' open beds as discipline figures, and the staff
the norms count (hand-counted in each test's docstring)."""

import datetime
from decimal import Decimal

from tests.insights.planning_helpers import staff
from yicai.evaluation.services.disciplines import figure_set
from yicai.insights import services

D = datetime.date


def norm(key: str, value: str, day: datetime.date, region=None):
    return services.parameter_create(
        by=None,
        key=key,
        value=Decimal(value),
        valid_from=day,
        region=region,
        source="测试用配置标准",
    )


def beds(department, year: int, value: int):
    return figure_set(
        by=None, department=department, year=year, measure="open_beds", value=value
    ).figure


def bed_norms(world):
    """床医比 0.30 nationally from 2020, 0.35 in the district from 2025; 床护比 0.40."""
    district = world.a.commission_region
    norm("doctors_per_bed", "0.30", D(2020, 1, 1))
    norm("doctors_per_bed", "0.35", D(2025, 1, 1), region=district)
    norm("nurses_per_bed", "0.40", D(2020, 1, 1))


def ward_staff(world):
    """Cardiology: 甲一 (执业医师, a man born 1965-03-10: at the statutory age since
    2025-04-10), 甲二 (执业助理医师, 1990), 护一 to 护三 (注册护士, 1992), and an external
    expert (执业医师, not staff). Surgery: 乙一 (执业医师, 1980). B's general practice: no
    doctor or nurse. The world's own people have no personnel category."""
    a, cardiology, surgery = world.a, world.a_cardiology, world.a_surgery
    made = {
        "甲一": staff(a, "甲一", D(1965, 3, 10), category="11", department=cardiology),
        "甲二": staff(a, "甲二", D(1990, 1, 1), category="12", department=cardiology),
        "乙一": staff(a, "乙一", D(1980, 1, 1), category="11", department=surgery),
    }
    for n in "一二三":
        made[f"护{n}"] = staff(
            a, f"护{n}", D(1992, 1, 1), sex="2", category="21", department=cardiology
        )
    staff(a, "外聘", D(1960, 1, 1), category="11", department=cardiology, kind="external_expert")
    return made
