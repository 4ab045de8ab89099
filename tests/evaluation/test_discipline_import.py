"""A sheet of the disciplines' yearly figures through the exchange engine, in a real .xlsx: the
measures as hospitals write them, years and numbers as people type them, each row through the
service (a bad one named by row and column, in the form's words), nothing written before the
commit, and a sheet imported again changing only the figures whose value changed."""

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from tests.exchange.importing import commit, problems, xlsx
from yicai.evaluation.models import DisciplineFigure
from yicai.evaluation.queries import disciplines as queries
from yicai.exchange import services as exchange
from yicai.exchange.models import ImportJob

pytestmark = pytest.mark.django_db
HEADERS = ["机构", "科室", "年度", "指标", "数值", "备注"]
GOOD = [
    ["", "心血管内科", 2019, "介入手术量", 300, "病案首页统计"],
    ["", "心血管内科 ", "2020年", "介入", "420例", None],
    ["甲区中心医院", "心血管内科", 2021.0, "介入手术例数", "610", None],
    ["", "心血管内科", "2022年度", "介入治疗例数", " 880 ", None],
    ["", "心血管内科", 2023, "介入手术", "1,200", None],
    ["", "普外科", 2023, "Ⅳ级手术", "８５", None],
    ["", "普外科", 2023, "三级手术台次", 1500, None],
    ["", "普外科", 2023, "开放床位", "60 张", "年末实开"],
]


def preview(user, rows, headers=HEADERS) -> ImportJob:
    upload = xlsx(rows, headers=headers, name="学科数据.xlsx")
    job = exchange.import_job_create(user=user, entity="evaluation_figures", upload=upload)
    exchange.import_job_analyse(job=job)
    job.refresh_from_db()
    return job


def test_a_messy_but_honest_sheet_is_read_as_meant(world):
    job = preview(world.hospital_a, GOOD)
    assert job.status == ImportJob.Status.READY, job.message
    assert (job.new, job.updated, job.invalid) == (8, 0, 0)
    assert not DisciplineFigure.objects.exists()  # the preview writes nothing
    done = commit(job)
    assert (done.created, done.changed) == (8, 0)
    saved = DisciplineFigure.objects.order_by("department__name", "measure", "year")
    assert [(f.department.name, f.year, f.measure, f.value, f.note) for f in saved] == [
        ("心血管内科", 2019, "interventions", 300, "病案首页统计"),
        ("心血管内科", 2020, "interventions", 420, ""),
        ("心血管内科", 2021, "interventions", 610, ""),
        ("心血管内科", 2022, "interventions", 880, ""),
        ("心血管内科", 2023, "interventions", 1200, ""),
        ("普外科", 2023, "open_beds", 60, "年末实开"),
        ("普外科", 2023, "operations_grade_3", 1500, ""),
        ("普外科", 2023, "operations_grade_4", 85, ""),
    ]
    [series] = queries.department_series(world.hospital_a, world.a_cardiology, 2019, 2023)
    assert (str(series.multiple), str(series.average_growth)) == ("4.00", "41.42")


def test_a_sheet_imported_again_changes_only_what_changed(world):
    commit(preview(world.hospital_a, GOOD))
    changed = [*GOOD[:4], ["", "心血管内科", 2023, "介入手术", 1250, "HIS 更正"], *GOOD[5:]]
    again = preview(world.hospital_a, changed)
    assert (again.new, again.updated, again.unchanged, again.invalid) == (0, 1, 7, 0)
    done = commit(again)
    assert (done.created, done.changed) == (0, 1)
    figure = DisciplineFigure.objects.get(year=2023, measure="interventions")
    assert (figure.value, figure.note) == (1250, "HIS 更正")
    assert DisciplineFigure.objects.count() == 8


def test_hostile_and_wrong_rows_are_named_by_row_and_column(world):
    rows = [
        GOOD[0],  # row 2
        ["", "骨科", 2023, "介入", 5, None],  # 3: no such department at A
        ["", "心血管内科", 2023, "门诊人次", 100, None],  # 4: not a measure we keep
        ["", "心血管内科", 2099, "出院人次", 100, None],  # 5: a future year
        ["", "心血管内科", 2021, "出院人次", "-5", None],  # 6
        ["", "心血管内科", 2021, "出院人次", "约300", None],  # 7
        ["", "心血管内科", 2021, "出院人次", 12.5, None],  # 8
        ["乙社区卫生服务中心", "全科", 2021, "出院人次", 10, None],  # 9: B's
        ["", "心血管内科", "二〇二一", "出院人次", 10, None],  # 10
        ["", "心血管内科", 2019, "介入", 310, None],  # 11: row 2 again, another value
        ["", "心血管内科", 2021, "出院人次", 10, "长" * 201],  # 12
        ["", "", 2021, "", None, None],  # 13: nothing said
        ["", "心血管内科", 1900, "出院人次", 1e12, None],  # 14
        ["", "<script>alert(1)</script>", 2021, "出院人次", 1, None],  # 15
    ]
    job = preview(world.hospital_a, rows)
    this_year = timezone.localdate().year
    found = {(row, column): reason for row, column, reason in problems(job)}
    assert found == {
        (3, "科室"): "甲区中心医院没有名为“骨科”的科室，或不在您的管辖范围内。",
        (4, "指标"): (
            "“门诊人次”不是可登记的指标，请填写：介入手术例数、一级手术台次、二级手术台次、"
            "三级手术台次、四级手术台次、门急诊人次、出院人次、实际开放床位数。"
        ),
        (5, "年度"): f"年度不能晚于今年（{this_year} 年）：只能登记已经发生的年度。",
        (6, "数值"): "数值不能为负数。",
        (7, "数值"): "数值须为整数，如 1200。",
        (8, "数值"): "数值须为整数，如 1200。",
        (9, "机构"): "所选机构不存在或不在您的管辖范围内。",
        (10, "年度"): "请填写四位数的年度，如 2021。",
        (11, "指标"): "与第 2 行是同一科室、同一年度的同一指标，请只保留一行。",
        (12, "备注"): "不能超过 200 个字。",
        (13, "科室"): "必填。",
        (13, "指标"): "必填。",
        (13, "数值"): "必填。",
        (14, "年度"): "年度不能早于 1949 年。",
        (14, "数值"): "数值不能超过 99999999。",
        (
            15,
            "科室",
        ): "甲区中心医院没有名为“<script>alert(1)</script>”的科室，或不在您的管辖范围内。",
    }
    assert (job.new, job.invalid) == (1, 13)
    assert not DisciplineFigure.objects.exists()


def test_a_department_head_may_not_import(world):
    with pytest.raises(PermissionDenied):
        preview(world.dept_head, GOOD)
    assert not DisciplineFigure.objects.exists()
