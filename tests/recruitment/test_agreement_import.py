"""A sheet of partner agreements through the exchange engine: each row through the service,
a bad row named by row and column, nothing written before the commit, and a second import of
the same sheet adds nothing."""

import datetime

import pytest

from tests.exchange.importing import commit, xlsx
from yicai.exchange import services as exchange
from yicai.exchange.models import ImportJob
from yicai.recruitment.models import PartnerAgreement

pytestmark = pytest.mark.django_db
HEADERS = ["签约机构", "合作方", "协议类型", "协议名称", "签订日期", "起始日期", "截止日期", "科室"]
ROWS = [
    {
        "合作方": "沪上合作医院",
        "协议类型": "共建",
        "协议名称": "心血管专科共建协议",
        "签订日期": datetime.date(2021, 3, 20),
        "起始日期": datetime.date(2021, 4, 1),
        "科室": "心血管内科",
    },
    {
        "合作方": "某大学附属医院",
        "协议类型": "托管",
        "协议名称": "区医院托管协议",
        "签订日期": datetime.date(2018, 12, 1),
        "起始日期": datetime.date(2019, 1, 1),
        "截止日期": datetime.date(2023, 12, 31),
    },
]


def preview(user, upload) -> ImportJob:
    job = exchange.import_job_create(user=user, entity="recruitment_agreements", upload=upload)
    exchange.import_job_analyse(job=job)
    job.refresh_from_db()
    return job


def test_a_sheet_of_agreements_is_imported_once(world):
    job = preview(world.hospital_a, xlsx(ROWS, headers=HEADERS, name="协议.xlsx"))
    assert job.status == ImportJob.Status.READY, job.message
    assert (job.new, job.invalid) == (2, 0)
    assert not PartnerAgreement.objects.exists()  # the preview writes nothing
    commit(job)
    saved = PartnerAgreement.objects.order_by("starts_on")
    assert [(a.institution, a.partner_label, a.kind, a.ends_on) for a in saved] == [
        (world.a, "某大学附属医院", "trusteeship", datetime.date(2023, 12, 31)),
        (world.a, "沪上合作医院", "co_building", None),
    ]
    assert saved[1].partner == world.partner and saved[1].department == world.a_cardiology
    again = preview(world.hospital_a, xlsx(ROWS, headers=HEADERS, name="协议.xlsx"))
    assert (again.new, again.unchanged) == (0, 2)


def test_a_bad_row_is_named_by_row_and_column(world):
    rows = [
        ROWS[0],
        {**ROWS[1], "截止日期": datetime.date(2018, 1, 1), "协议类型": "兼并"},
        {**ROWS[1], "协议名称": "越权", "签约机构": "乙社区卫生服务中心"},
    ]
    job = preview(world.hospital_a, xlsx(rows, headers=HEADERS, name="协议.xlsx"))
    problems = {(row, column): reason for row, column, _value, reason, _level in job.problems}
    assert problems[(3, "协议类型")].startswith("“兼并”不在")
    assert problems[(4, "签约机构")] == "所选机构不存在或不在您的管辖范围内。"
    assert (job.new, job.invalid) == (1, 2)
    dates = preview(
        world.hospital_a,
        xlsx([{**ROWS[1], "截止日期": datetime.date(2018, 1, 1)}], headers=HEADERS),
    )
    problems = {(row, column): reason for row, column, _value, reason, _level in dates.problems}
    assert problems == {(2, "截止日期"): "截止日期不能早于起始日期。"}
    assert not PartnerAgreement.objects.exists()
