"""A sheet of introductions through the exchange engine: each row through the service, the
person found on file (namesakes told apart by identity number), a bad row named by row and
column in the service's words, nothing written before the commit, a second import adds
nothing."""

import datetime

import pytest

from tests.exchange.importing import commit, xlsx
from yicai.exchange import services as exchange
from yicai.exchange.models import ImportJob
from yicai.recruitment import queries
from yicai.recruitment.models import Introduction

pytestmark = pytest.mark.django_db
HEADERS = ["姓名", "引进日期", "引进方式", "人才类别", "科室", "职称级别", "原单位", "服务年限"]
ROWS = [
    {
        "姓名": "李心怡",
        "引进日期": datetime.date(2021, 9, 1),
        "引进方式": "全职引进",
        "人才类别": "学科带头人",
        "科室": "心血管内科",
        "职称级别": "正高级",
        "原单位": "外省某三甲医院",
        "服务年限": 5,
    },
    {
        "姓名": "周外科",
        "引进日期": datetime.date(2022, 3, 15),
        "引进方式": "人才回引",
        "人才类别": "紧缺专业人才",
    },
]


def preview(user, rows) -> ImportJob:
    upload = xlsx(rows, headers=HEADERS, name="人才引进.xlsx")
    job = exchange.import_job_create(user=user, entity="recruitment_introductions", upload=upload)
    exchange.import_job_analyse(job=job)
    job.refresh_from_db()
    return job


def test_a_sheet_of_introductions_is_imported_once(world):
    job = preview(world.hospital_a, ROWS)
    assert job.status == ImportJob.Status.READY, (job.message, job.problems)
    assert (job.new, job.invalid) == (2, 0)
    assert not Introduction.objects.exists()  # the preview writes nothing
    commit(job)
    made = {item.person: item for item in Introduction.objects.all()}
    leader = made[world.a_doctor]
    assert (leader.department, leader.title_grade, leader.service_years, leader.category) == (
        world.a_cardiology,
        "senior",
        5,
        "discipline_leader",
    )
    # A grade left out is the one on file: the surgeon is 副主任医师.
    assert made[world.a_surgeon].title_grade == "associate_senior"
    figures = queries.introduction_figures(world.commission)
    assert (figures.total, figures.senior, figures.discipline_leaders) == (2, 2, 1)
    again = preview(world.hospital_a, ROWS)
    assert (again.new, again.unchanged) == (0, 2)


def test_a_bad_row_is_named_by_row_and_column(world):
    rows = [
        {**ROWS[0], "姓名": "陈全科"},  # hospital B's doctor
        {**ROWS[1], "引进方式": "挖角", "服务年限": 40},
        {**ROWS[1], "科室": "全科"},
        {**ROWS[1], "引进日期": datetime.date(2999, 1, 1)},
    ]
    job = preview(world.hospital_a, rows)
    problems = {(row, column): reason for row, column, _value, reason, _level in job.problems}
    assert problems[(2, "姓名")] == "所选人员不存在或不在您的管辖范围内。"
    assert problems[(3, "引进方式")].startswith("“挖角”不在")
    assert problems[(3, "服务年限")] == "服务期须为 0–30 的整数。"
    assert problems[(4, "科室")] == "所选科室不存在或不在您的管辖范围内。"
    assert problems[(5, "引进日期")] == "日期不能晚于今天。"
    assert (job.new, job.invalid) == (0, 4)
    assert not Introduction.objects.exists()
