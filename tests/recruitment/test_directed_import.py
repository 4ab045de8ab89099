"""A sheet of directed students' contracts (定向培养协议) through the exchange engine, from real
.xlsx files: Sixian's 10 order-directed and 14 rural-doctor students of 2021 and 4 of 2022
imported and counted by year and kind; cells as commissions type them (年份 as 2021年 or
2021级, full-width digits, amounts as 6万 or 60,000.00元, the kind as 订单定向, blank optional
cells read as the contract's defaults); hostile rows named by row and column in the form's
words (an unknown or ambiguous kind, another institution's sponsor, an identity number Excel
rounded, one already on file under another sponsor); nothing written before the commit, and a
second import adds nothing."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from tests import factories
from tests.exchange.importing import commit, xlsx
from yicai.exchange import engine, report
from yicai.exchange import services as exchange
from yicai.exchange.models import ImportJob
from yicai.recruitment import queries, services
from yicai.recruitment.models import DirectedContract, DirectedKind

pytestmark = pytest.mark.django_db

D = datetime.date
BORN = D(2003, 5, 1)
HEADERS = [
    "类型",
    "姓名",
    "身份证号码",
    "手机号码",
    "培养院校",
    "专业",
    "入学年份",
    "预计毕业年份",
    "委托培养单位",
    "服务单位",
    "服务年限",
    "培养费用（元）",
    "违约退还",
    "违约金（元）",
    "说明",
]
ENTITY = "recruitment_directed"
KNOWN = "农村订单定向医学生、乡村医生定向委托培养"


def _full_width(text):
    return "".join(chr(ord(ch) + 0xFEE0) if ch.isdigit() else ch for ch in str(text))


def _row(name, kind="农村订单定向医学生", **cells):
    return {
        "类型": kind,
        "姓名": name,
        "身份证号码": factories.id_number(BORN),
        "培养院校": "安徽医科大学",
        "专业": "临床医学",
        "入学年份": 2021,
        **cells,
    }


def preview(user, rows, headers=HEADERS) -> ImportJob:
    upload = xlsx(rows, headers=headers, name="定向培养协议.xlsx")
    job = exchange.import_job_create(user=user, entity=ENTITY, upload=upload)
    exchange.import_job_analyse(job=job)
    job.refresh_from_db()
    return job


def problems(job):
    return {(row, column): reason for row, column, _value, reason, _level in job.problems}


def test_sixians_students_of_two_years_are_imported_once_and_counted_by_year_and_kind(world):
    # The years as the county's sheets have them: a number, 2021年, full-width, 2021级.
    written = [2021, "2021年", _full_width(2021), "2021级"]
    rows = [
        _row(f"订单{n}", "订单定向", 入学年份=written[n % 4], 身份证号码=_full_width_id())
        for n in range(10)
    ]
    rows += [
        _row(
            f"乡医{n}", "乡村医生定向委托培养", 入学年份=written[n % 4], 培养院校="皖北卫生职业学院"
        )
        for n in range(14)
    ]
    rows += [_row(f"二二级{n}", "order_directed", 入学年份="2022年") for n in range(4)]
    job = preview(world.hospital_a, rows)
    assert job.status == ImportJob.Status.READY, (job.message, job.problems)
    assert (job.new, job.invalid) == (28, 0)
    assert not DirectedContract.objects.exists()  # the preview writes nothing
    commit(job)
    figures = queries.directed_figures(world.commission)
    assert [kind.name for kind in figures.kinds] == ["农村订单定向医学生", "乡村医生定向委托培养"]
    assert figures.by_year == [
        {"year": 2021, "kinds": [10, 14], "total": 24},
        {"year": 2022, "kinds": [4, 0], "total": 4},
    ]
    assert figures.total == 28 and figures.by_status["studying"] == 28
    # Blank cells are the contract's defaults: the sponsor is the hospital's own (本院), five
    # years of study, the kind's years of service, fees repaid in full.
    first = DirectedContract.objects.get(name="订单0")
    assert (first.sponsor, first.graduation_year, first.service_years, first.repayment) == (
        world.a,
        2026,
        6,
        DirectedContract.Repayment.FULL,
    )
    assert (first.service_place, first.fees_covered, first.penalty) == (None, 0, 0)
    assert first.id_number == rows[0]["身份证号码"].translate(_ASCII)  # normalised, sealed
    again = preview(world.hospital_a, rows)
    assert (again.new, again.unchanged, again.invalid) == (0, 28, 0)


_ASCII = {0xFF10 + digit: ord("0") + digit for digit in range(10)}


def _full_width_id():
    return _full_width(factories.id_number(BORN))


def test_every_column_as_people_write_it(world):
    rows = [
        _row(
            "王订单",
            "订单定向",
            手机号码=13800138000,  # stored as a number: read as its digits
            入学年份="２０２１年",
            预计毕业年份="",
            服务单位="乙社区卫生服务中心",  # another institution of the district: any may be
            服务年限="5年",
            **{"培养费用（元）": "6万", "违约金（元）": "１００００", "违约退还": "按比例"},
            说明="2021 级订单定向",
        ),
        _row(
            "李乡医",
            "乡村医生",
            入学年份=D(2022, 9, 1),  # a date cell: its year
            预计毕业年份="2025",
            **{"培养费用（元）": "24,000.50元", "违约退还": "全额退还培养费用"},
        ),
    ]
    job = preview(world.hospital_a, rows)
    assert job.status == ImportJob.Status.READY, (job.message, job.problems)
    commit(job)
    made = {contract.name: contract for contract in DirectedContract.objects.all()}
    order = made["王订单"]
    assert (order.kind.code, order.phone_last4, order.enrolled_year, order.graduation_year) == (
        "order_directed",
        "8000",
        2021,
        2026,
    )
    assert (order.service_place, order.service_years, order.fees_covered, order.penalty) == (
        world.b,
        5,
        Decimal("60000.00"),
        Decimal("10000.00"),
    )
    assert (order.repayment, order.note) == (DirectedContract.Repayment.PRO_RATA, "2021 级订单定向")
    assert order.birth_date == BORN and order.sex is not None  # read from the number
    rural = made["李乡医"]
    assert (rural.kind.code, rural.enrolled_year, rural.graduation_year) == (
        "rural_doctor",
        2022,
        2025,
    )
    assert (rural.fees_covered, rural.repayment) == (
        Decimal("24000.50"),
        DirectedContract.Repayment.FULL,
    )


def test_a_bad_row_is_named_by_row_and_column_in_the_forms_words(world):
    # The same student's order-directed contract, entered by hospital B for itself.
    on_file = factories.id_number(BORN)
    services.directed_contract_create(
        by=None,
        kind=DirectedKind.objects.get(code="order_directed"),
        name="乙方生",
        id_number=on_file,
        school="安徽医科大学",
        major="临床医学",
        enrolled_year=2021,
        sponsor=world.b,
    )
    twice = factories.id_number(BORN)
    rows = [
        _row("未知类型", "委培生"),
        _row("不明类型", "定向"),
        _row("越权", 委托培养单位="乙社区卫生服务中心"),
        _row("数字", 身份证号码=3.10113199406010e17),  # Excel made the number a number
        _row("校验", 身份证号码="310113199406010010"),
        _row("倒序", 入学年份=2022, 预计毕业年份=2020),
        _row("年份", 入学年份="去年"),
        _row("无处", 服务单位="火星卫生院"),
        _row("减半", 违约退还="减半", **{"培养费用（元）": "-5"}),
        _row("重复", 身份证号码=on_file),
        _row("本表一", 身份证号码=twice),
        _row("本表二", 身份证号码=twice),
        _row("", 身份证号码="", 培养院校="", 服务年限=40),
    ]
    job = preview(world.hospital_a, rows)
    assert problems(job) == {
        (2, "类型"): f"“委培生”不在：{KNOWN}",
        (3, "类型"): f"类型“定向”不明确，请填写全称：{KNOWN}",
        # Another institution's sponsor reads as one that does not exist.
        (4, "委托培养单位"): "所选机构不存在或不在您的管辖范围内。",
        (5, "身份证号码"): "身份证号码被 Excel 存成了数字，末几位已丢失。",
        (6, "身份证号码"): "身份证号码无效：请核对位数、出生日期和末位校验码。",
        (7, "预计毕业年份"): "预计毕业年份不能早于入学年份。",
        (8, "入学年份"): "入学年份须为 1990–2100 的年份。",
        (9, "服务单位"): "服务单位“火星卫生院”不是登记在册的本区医疗机构。",
        (10, "违约退还"): "“减半”不在：全额、按比例",
        (10, "培养费用（元）"): "金额须为不小于 0 的数字（元），最多两位小数。",
        # On file under another sponsor: refused as the form refuses it.
        (11, "身份证号码"): "该学生已有同类定向培养协议。",
        (14, "姓名"): "必填。",
        (14, "身份证号码"): "必填。",
        (14, "培养院校"): "必填。",
        (14, "服务年限"): "服务年限须为 1–30 的整数。",
    }
    # A student listed twice is one contract: the second row adds nothing.
    assert (job.new, job.unchanged, job.invalid) == (1, 1, 11)
    assert DirectedContract.objects.count() == 1  # hospital B's


def test_the_commission_names_the_sponsor_and_hospital_b_keeps_to_its_own(world):
    rows = [_row("乙方生", 委托培养单位="乙社区卫生服务中心")]
    assert problems(preview(world.hospital_b, rows)) == {}
    commission = preview(world.commission, rows + [_row("无单位")])
    # The commission keeps several institutions: a row must name its sponsor.
    assert problems(commission) == {(3, "委托培养单位"): "请填写机构。"}
    commit(commission, skip_invalid=True)
    assert DirectedContract.objects.get().sponsor == world.b


def test_the_template_holds_every_column_and_imports_as_empty(world):
    handle = io.BytesIO()
    report.write_template(handle, engine.entity_for(ENTITY))
    book = openpyxl.load_workbook(io.BytesIO(handle.getvalue()))
    headers = [cell.value for cell in book.worksheets[0][1]]
    assert headers == [str(column.header) for column in engine.entity_for(ENTITY).columns]
    job = exchange.import_job_create(
        user=world.hospital_a,
        entity=ENTITY,
        upload=SimpleUploadedFile("模板.xlsx", handle.getvalue()),
    )
    exchange.import_job_analyse(job=job)
    job.refresh_from_db()
    assert (job.status, job.total) == (ImportJob.Status.READY, 0), job.problems


def test_the_command_line_imports_without_a_user(world, tmp_path):
    path = tmp_path / "定向培养协议.xlsx"
    path.write_bytes(xlsx([_row("命令行", 委托培养单位="甲区中心医院")], headers=HEADERS).read())
    out = io.StringIO()
    call_command("import", ENTITY, str(path), "--commit", stdout=out)
    assert "new 1" in out.getvalue()
    assert DirectedContract.objects.get().sponsor == world.a
