"""Builders shared by the workforce-planning tests: staff with a birth date, a sex and a
personnel category, made through the people services."""

import datetime

from yicai.codes.queries import code_for
from yicai.people import services as people_services


def staff(
    institution,
    name: str,
    birth: datetime.date,
    *,
    sex: str = "1",
    category: str | None = None,
    department=None,
    kind: str = "staff",
):
    """A person on file: `sex` a GB/T 2261.1 code (1 男, 2 女, 9 未说明), `category` a
    personnel category code (11 执业医师, 21 注册护士, 90 工勤技能人员 ...)."""
    return people_services.person_create(
        name=name,
        sex=code_for("sex", sex),
        birth_date=birth,
        institution=institution,
        department=department,
        category=kind,
        personnel_category=code_for("personnel_category", category) if category else None,
    )
