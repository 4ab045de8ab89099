"""The 八个一 enrolments sheet: each row through the enrol service (a served talent of no
institution, the serving centre's guardian doctor); a bad row named by row and column in
Chinese; the same sheet again adds nothing."""

import datetime

import pytest

from tests import factories
from tests.exchange.importing import commit, problems, xlsx
from tests.retention import care_records as records
from yicai.exchange import services as exchange
from yicai.exchange.models import ImportJob
from yicai.people.models import Person
from yicai.retention.models import Enrolment

pytestmark = pytest.mark.django_db
D = datetime.date
HEADERS = [
    "姓名",
    "性别",
    "出生日期",
    "身份证号码",
    "手机号码",
    "工作单位",
    "人才类别",
    "服务机构",
    "健康守护医生",
    "入组日期",
]


def preview(user, upload) -> ImportJob:
    job = exchange.import_job_create(user=user, entity="retention_care_enrolments", upload=upload)
    exchange.import_job_analyse(job=job)
    job.refresh_from_db()
    return job


def test_served_talents_are_enrolled_through_the_service(world):
    records.package(world)
    rows = [
        {
            "姓名": "钱科创",
            "身份证号码": factories.id_number(D(1988, 5, 20)),
            "手机号码": "13800138000",
            "工作单位": "张江某芯片公司",
            "人才类别": "高层次人才",
            "服务机构": world.b.name,
            "健康守护医生": "陈全科",
            "入组日期": D(2023, 3, 10),
        },
        {
            "姓名": "孙创业",
            "性别": "女",
            "出生日期": D(1991, 2, 3),
            "服务机构": world.b.name,
            "入组日期": D(2023, 4, 1),
        },
    ]
    job = preview(world.hospital_b, xlsx(rows, headers=HEADERS))
    assert job.status == ImportJob.Status.READY, job.message
    assert (job.new, job.invalid) == (2, 0)
    assert not Enrolment.objects.exists()
    commit(job)
    first = Enrolment.objects.get(person__name="钱科创")
    assert first.guardian == world.b_doctor
    assert first.person.category == Person.Category.SERVED_TALENT
    assert first.person.institution_id is None
    assert first.person.birth_date == D(1988, 5, 20)  # read from the identity number
    assert first.person.phone == "13800138000"
    assert Enrolment.objects.get(person__name="孙创业").person.sex.name == "女性"
    again = preview(world.hospital_b, xlsx(rows[:1], headers=HEADERS))
    assert (again.new, again.unchanged) == (0, 1)


def test_a_bad_row_is_named(world):
    records.package(world)
    rows = [
        {
            "姓名": "吴某",
            "性别": "女",
            "出生日期": D(1990, 1, 1),
            "服务机构": world.a.name,
            "入组日期": D(2023, 4, 1),
        },
        {
            "姓名": "郑某",
            "性别": "男",
            "出生日期": D(1990, 1, 1),
            "服务机构": world.b.name,
            "健康守护医生": "李心怡",
            "入组日期": D(2023, 4, 1),
        },
    ]
    job = preview(world.hospital_b, xlsx(rows, headers=HEADERS))
    assert problems(job) == [
        (2, "服务机构", "没有该服务机构，或不在您的管理范围内。"),
        (3, "健康守护医生", "服务机构没有名为“李心怡”的医生。"),
    ]
