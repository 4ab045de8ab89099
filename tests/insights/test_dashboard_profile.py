"""The dashboard reads everyone's grade and education on a day in one set-based pass: it must
count exactly as the people list's rule (people.queries.grade_on, education_on) does, with
several records a person, undated ones and ones obtained after the day."""

import datetime
from collections import Counter

import pytest

from tests import factories
from yicai.codes.queries import code_for
from yicai.insights.dashboard.queries import Asked, count
from yicai.people import services as people_services
from yicai.people.queries import education_on, grade_on, in_post_on, people_for

pytestmark = pytest.mark.django_db
D = datetime.date


def _rehab(world):
    """甲: 主治医师 (no date), 副主任医师 from 2022-06-01; 本科 2003, 硕士 2021-07-01.
    乙: 医师 2019-03-01; 大专 with no date. 丙: no title, no education on file."""
    rehab = factories.department(world.a, "康复科")
    first = factories.person(world.a, "甲康复", department=rehab, birth=D(1980, 5, 1))
    people_services.title_add(person=first, title=code_for("title", "233"))
    people_services.title_add(
        person=first, title=code_for("title", "232"), obtained_on=D(2022, 6, 1)
    )
    people_services.education_add(
        person=first, level=code_for("education", "21"), graduated_on=D(2003, 7, 1)
    )
    people_services.education_add(
        person=first, level=code_for("education", "14"), graduated_on=D(2021, 7, 1)
    )
    second = factories.person(world.a, "乙康复", department=rehab, birth=D(1995, 5, 1))
    people_services.title_add(
        person=second, title=code_for("title", "234"), obtained_on=D(2019, 3, 1)
    )
    people_services.education_add(person=second, level=code_for("education", "31"))
    factories.person(world.a, "丙康复", department=rehab, birth=D(1960, 5, 1), male=False)
    return rehab


def _panel(board, key):
    return {row[0].text: row[1].value for row in board.panel(key).rows if row[1].value}


LABELS = {"10": "研究生教育", "20": "大学本科教育", "30": "大学专科教育"}


@pytest.mark.parametrize(
    ("day", "grades", "first_education"),
    [
        # Before 乙's title: 甲 主治 (undated counts as held), 本科; 乙 none yet.
        (D(2018, 1, 1), {"中级": 1, "无职称": 2}, "20"),
        (D(2021, 12, 31), {"中级": 1, "初级（师级）": 1, "无职称": 1}, "10"),
        (D(2023, 1, 1), {"副高级": 1, "初级（师级）": 1, "无职称": 1}, "10"),
    ],
)
def test_grades_and_educations_on_a_day_as_the_people_list_counts_them(
    world, day, grades, first_education
):
    rehab = _rehab(world)
    board = count(world.commission, Asked(day, day, day, department=rehab))
    # 乙's 大专 has no date (held); 丙 has no education on file.
    educations = {LABELS[first_education]: 1, "大学专科教育": 1, "未登记学历": 1}
    assert _panel(board, "grades") == grades
    assert _panel(board, "educations") == educations
    # The people list's own rule, person by person, says the same.
    staff = people_for(world.commission).filter(in_post_on(day, department=rehab.pk))
    by_rule = Counter(staff.annotate(g=grade_on(day)).values_list("g", flat=True))
    assert sum(by_rule.values()) == 3 and by_rule[""] == grades["无职称"]
    tops = Counter(staff.annotate(e=education_on(day)).values_list("e", flat=True))
    assert tops == Counter({first_education: 1, "30": 1, "": 1})
