"""Sheets of applicants (报名人员) and of their exam scores (考试成绩) through the exchange
engine, from real .xlsx files: colloquial codes (本科, 学士学位), blank optional cells left to
an officer, identity numbers as people type them and as Excel mangles them, a plan or post not
found named by its column, another institution's plan no different from none, nothing written
before the commit, a second import adds nothing; scores found by exam number or identity
number, narrowed by plan when an exam number repeats, blanks keeping what is on file, bad
scores and applicants not taking scores refused by row and column in the service's words."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from tests import factories
from tests.exchange.importing import commit, xlsx
from tests.recruitment.helpers import plan, published_plan
from yicai.codes.queries import code_for
from yicai.exchange import engine, report
from yicai.exchange import services as exchange
from yicai.exchange.models import ImportJob
from yicai.recruitment import services
from yicai.recruitment.models import Application

pytestmark = pytest.mark.django_db

D = datetime.date
S = Application.Status
PUBLISHED = D(2022, 4, 1)
TITLE = "2022年度卫生专业技术人员招聘计划"
BORN = D(1994, 6, 1)
APPLICANT_HEADERS = [
    "年度",
    "招聘计划",
    "岗位名称",
    "姓名",
    "身份证号码",
    "手机号码",
    "准考证号",
    "学历",
    "学位",
    "毕业院校",
    "所学专业",
    "职称",
    "报名日期",
]
SCORE_HEADERS = ["招聘计划", "姓名", "准考证号", "身份证号码", "笔试成绩", "面试成绩"]


def _post(world, institution=None, title=TITLE):
    """A published post of 2022 for 临床医学, asking for 大学本科毕业 and a bachelor's degree."""
    made = published_plan(
        world,
        institution,
        on=PUBLISHED,
        title=title,
        min_education=code_for("education", "21"),
        min_degree=code_for("degree", "4"),
    )
    return made.posts.get()


def _row(name, id_number, **cells):
    return {
        "年度": 2022,
        "招聘计划": TITLE,
        "岗位名称": "岗位0",
        "姓名": name,
        "身份证号码": id_number,
        **cells,
    }


def _ending_in_x(birth):
    """A valid identity number whose check digit is X."""
    while not (number := factories.id_number(birth)).endswith("X"):
        pass
    return number


def _full_width(number):
    """As pasted from a Chinese form: full-width digits and a lowercase x."""
    return "".join(chr(ord(ch) + 0xFEE0) if ch.isdigit() else ch.lower() for ch in number)


def _preview(user, entity, rows, headers) -> ImportJob:
    upload = xlsx(rows, headers=headers, name=f"{entity}.xlsx")
    job = exchange.import_job_create(user=user, entity=entity, upload=upload)
    exchange.import_job_analyse(job=job)
    job.refresh_from_db()
    return job


def applicants(user, rows):
    return _preview(user, "recruitment_applications", rows, APPLICANT_HEADERS)


def scores(user, rows, headers=SCORE_HEADERS):
    return _preview(user, "recruitment_scores", rows, headers)


def problems(job):
    return {(row, column): reason for row, column, _value, reason, _level in job.problems}


def _applied(post, name, *, exam_number="", **details):
    values = {
        "education": code_for("education", "21"),
        "degree": code_for("degree", "410"),
        "major": "临床医学",
        "applied_on": D(2022, 4, 10),
        **details,
    }
    return services.application_create(
        by=None,
        post=post,
        name=name,
        id_number=factories.id_number(BORN),
        exam_number=exam_number,
        **values,
    )


# --- applicants ---------------------------------------------------------------------------


def test_a_sheet_of_applicants_is_reviewed_and_imported_once(world):
    post = _post(world)
    x_number = _ending_in_x(BORN)
    rows = [
        _row(
            "王小明",
            factories.id_number(BORN),
            手机号码=13800138000,  # stored as a number: read as its digits
            准考证号="２０２２０１０１",
            学历="本科",
            学位="学士学位",
            毕业院校="复旦大学",
            所学专业="临床医学",
            报名日期=D(2022, 4, 10),
        ),
        _row(
            "李心",
            _full_width(x_number),
            学历="硕士研究生",
            学位="医学硕士",
            所学专业="临床医学（全科方向）",
            职称="医师",
            报名日期="2022年4月12日",
        ),
        # Only what is required: the review leaves the rest to an officer.
        _row("赵空白", factories.id_number(BORN)),
        # A level's group is read as that level completed.
        _row(
            "周组别",
            factories.id_number(BORN),
            学历="大学本科教育",
            学位="学士",
            所学专业="临床医学",
        ),
    ]
    job = applicants(world.hospital_a, rows)
    assert job.status == ImportJob.Status.READY, (job.message, job.problems)
    assert (job.new, job.invalid) == (4, 0)
    assert not Application.objects.exists()  # the preview writes nothing
    commit(job)
    made = {application.name: application for application in Application.objects.all()}
    first = made["王小明"]
    assert (first.post, first.status, first.exam_number, first.phone) == (
        post,
        S.ELIGIBLE,
        "20220101",
        "13800138000",
    )
    assert (first.education.code, first.degree.code, first.applied_on) == (
        "21",
        "4",
        D(2022, 4, 10),
    )
    second = made["李心"]
    assert second.id_number == x_number  # normalised: ASCII digits, an upper-case X
    assert (second.education.code, second.degree.code, second.title.code) == ("14", "310", "234")
    assert second.status == S.ELIGIBLE and second.birth_date == BORN
    blank = made["赵空白"]
    assert blank.status == S.APPLIED
    assert blank.eligibility_findings.splitlines() == [
        "未填写学历，无法核对最低学历（大学本科毕业）。",
        "未填写学位，无法核对最低学位（学士）。",
        "未填写所学专业，请人工核对是否符合岗位专业（临床医学）。",
    ]
    assert blank.applied_on == datetime.date.today()
    grouped = made["周组别"]
    assert (grouped.education.code, grouped.status) == ("21", S.ELIGIBLE)

    again = applicants(world.hospital_a, rows)
    assert (again.new, again.unchanged, again.invalid) == (0, 4, 0)


def test_a_bad_applicant_row_is_named_by_row_and_column(world):
    _post(world)
    _post(world, world.b, title="乙中心招聘计划")
    plan(world, year=2022, title="草稿计划")
    rows = [
        _row("沈数字", 3.10113199406010e17),  # Excel made the number a number
        _row("韩岗位", factories.id_number(BORN), 岗位名称="麻醉医师"),
        _row("钱乙方", factories.id_number(BORN), 招聘计划="乙中心招聘计划"),
        _row("孙没有", factories.id_number(BORN), 招聘计划="没有这个计划"),
        _row("吴学历", factories.id_number(BORN), 学历="博士后", 职称="卫生技术人员（医师）"),
        _row("郑早报", factories.id_number(BORN), 报名日期=D(2022, 3, 31)),
        _row("冯校验", "310113199406010010"),
        _row("陈年度", factories.id_number(BORN), 年度=1999),
        _row("褚草稿", factories.id_number(BORN), 招聘计划="草稿计划"),
    ]
    job = applicants(world.hospital_a, rows)
    found = problems(job)
    assert found == {
        (2, "身份证号码"): "身份证号码被 Excel 存成了数字，末几位已丢失。",
        (3, "岗位名称"): f"岗位名称“麻醉医师”不在招聘计划“{TITLE}”中。",
        # Another institution's plan reads as one that does not exist.
        (4, "招聘计划"): "招聘计划“乙中心招聘计划”（2022 年度）不存在或不在您的管辖范围内。",
        (5, "招聘计划"): "招聘计划“没有这个计划”（2022 年度）不存在或不在您的管辖范围内。",
        (6, "学历"): "学历“博士后”不在代码表中。",
        (6, "职称"): "职称“卫生技术人员（医师）”不在代码表中。",
        (7, "报名日期"): "报名日期不能早于计划发布日期（2022-04-01）。",
        (8, "身份证号码"): "身份证号码无效：请核对位数、出生日期和末位校验码。",
        (9, "年度"): "年度须为 2000–2100 的年份。",
        (10, "岗位名称"): "计划状态为“草稿”：只有已发布的计划接受报名。",
    }
    assert (job.new, job.invalid) == (0, 9)
    assert not Application.objects.exists()


def test_another_institution_named_is_out_of_reach(world):
    _post(world, world.b, title="乙中心招聘计划")
    row = _row("钱乙方", factories.id_number(BORN), 招聘计划="乙中心招聘计划")
    upload = xlsx(
        [{**row, "招聘单位": "乙社区卫生服务中心"}], headers=["招聘单位", *APPLICANT_HEADERS]
    )
    job = exchange.import_job_create(
        user=world.hospital_a, entity="recruitment_applications", upload=upload
    )
    exchange.import_job_analyse(job=job)
    job.refresh_from_db()
    assert problems(job) == {(2, "招聘单位"): "所选机构不存在或不在您的管辖范围内。"}
    # The commission, who keeps hers, enters it.
    job = exchange.import_job_create(
        user=world.commission,
        entity="recruitment_applications",
        upload=xlsx(
            [{**row, "招聘单位": "乙社区卫生服务中心"}], headers=["招聘单位", *APPLICANT_HEADERS]
        ),
    )
    exchange.import_job_analyse(job=job)
    job.refresh_from_db()
    assert (job.new, job.invalid) == (1, 0), job.problems


def test_an_applicant_on_file_for_the_post_is_unchanged(world):
    post = _post(world)
    first = _applied(post, "王一")
    job = applicants(world.hospital_a, [_row("王一", first.id_number, 岗位名称="岗位0")])
    assert (job.new, job.unchanged) == (0, 1)  # the same post: on file already


# --- scores -------------------------------------------------------------------------------


def test_scores_are_found_by_exam_number_or_identity_number_and_imported_once(world):
    post = _post(world)
    by_exam = _applied(post, "甲考生", exam_number="2022001")
    by_number = _applied(post, "乙考生")
    rows = [
        {"准考证号": "2022001", "姓名": "甲考生", "笔试成绩": 85.5, "面试成绩": "90"},
        # No exam number on file: found by the identity number, the sheet's exam number kept.
        {"准考证号": "2022002", "身份证号码": by_number.id_number, "笔试成绩": 78},
    ]
    job = scores(world.hospital_a, rows)
    assert job.status == ImportJob.Status.READY, (job.message, job.problems)
    assert (job.new, job.updated, job.invalid) == (0, 2, 0)
    assert not Application.objects.filter(written_score__isnull=False).exists()
    done = commit(job)
    assert (done.created, done.changed) == (0, 2)
    by_exam.refresh_from_db()
    by_number.refresh_from_db()
    assert (by_exam.written_score, by_exam.interview_score) == (Decimal("85.50"), Decimal("90"))
    assert (by_number.exam_number, by_number.written_score, by_number.interview_score) == (
        "2022002",
        Decimal("78"),
        None,
    )
    again = scores(world.hospital_a, rows)
    assert (again.updated, again.unchanged, again.invalid) == (0, 2, 0)
    # A blank score keeps the one on file; the interview comes later.
    later = scores(world.hospital_a, [{"准考证号": "2022002", "面试成绩": 88}])
    assert later.updated == 1
    commit(later)
    by_number.refresh_from_db()
    assert (by_number.written_score, by_number.interview_score) == (Decimal("78"), Decimal("88"))


def test_an_exam_number_repeated_across_plans_is_told_apart_by_the_plan(world):
    first = _applied(_post(world), "甲考生", exam_number="001")
    other = _applied(_post(world, title="2022年度第二批招聘计划"), "乙考生", exam_number="001")
    row = {"准考证号": "001", "笔试成绩": 80}
    assert problems(scores(world.hospital_a, [row])) == {
        (2, "准考证号"): "找到多条报名记录，请填写招聘单位、年度、招聘计划和岗位名称以区分。"
    }
    job = scores(world.hospital_a, [{**row, "招聘计划": "2022年度第二批招聘计划"}])
    assert (job.updated, job.invalid) == (1, 0)
    commit(job)
    first.refresh_from_db()
    other.refresh_from_db()
    assert (first.written_score, other.written_score) == (None, Decimal("80"))


def test_a_bad_score_row_is_named_by_row_and_column(world):
    post = _post(world)
    eligible = _applied(post, "甲考生", exam_number="2022001")
    _applied(post, "丙考生", exam_number="2022003")
    ineligible = _applied(post, "丁专科", education=code_for("education", "31"), degree=None)
    assert ineligible.status == S.INELIGIBLE
    other = _applied(_post(world, world.b, title="乙中心招聘计划"), "乙方考生", exam_number="B01")
    rows = [
        {"准考证号": "2022001", "笔试成绩": 101, "面试成绩": "八十"},
        {"准考证号": "2022003", "笔试成绩": "缺考"},
        {"准考证号": "2022003", "笔试成绩": 80.555},
        {"身份证号码": ineligible.id_number, "笔试成绩": 60},
        {"姓名": "无号码", "笔试成绩": 60},
        {"准考证号": "9999", "笔试成绩": 60},
        {"准考证号": "B01", "笔试成绩": 60},  # hospital B's applicant: not found, not leaked
        {"身份证号码": other.id_number, "笔试成绩": 60},
        {"准考证号": "2022001", "姓名": "甲考声", "笔试成绩": 60},
        {"准考证号": "2022009", "身份证号码": eligible.id_number, "笔试成绩": 60},
        {"准考证号": "2022003", "笔试成绩": 70},
        {"准考证号": "2022003", "笔试成绩": 71},
    ]
    job = scores(world.hospital_a, rows)
    assert problems(job) == {
        (2, "笔试成绩"): "成绩须在 0–100 之间。",
        (2, "面试成绩"): "成绩须为 0–100 的数字，最多两位小数。",
        (3, "笔试成绩"): "“缺考”不是成绩：缺考的考生请另行登记为未通过（缺考），此格留空。",
        (4, "笔试成绩"): "成绩最多保留两位小数。",
        (5, ""): "只能为资格审查通过、尚未确定体检人选的考生登记成绩（该考生资格审查未通过）。",
        (6, "准考证号"): "请填写准考证号或身份证号码。",
        (7, "准考证号"): "未找到准考证号为“9999”的报名记录，或不在您的管辖范围内。",
        (8, "准考证号"): "未找到准考证号为“B01”的报名记录，或不在您的管辖范围内。",
        (9, "身份证号码"): "未找到该身份证号码的报名记录，或不在您的管辖范围内。",
        (10, "姓名"): "姓名与报名记录中的“甲考生”不一致，请核对。",
        (11, "准考证号"): "该考生登记的准考证号为“2022001”，与本行不一致。",
        (13, "准考证号"): "与第 12 行的准考证号相同。",
    }
    assert (job.updated, job.invalid) == (1, 11)
    assert not Application.objects.filter(written_score__isnull=False).exists()
    # The identity number is masked where the report repeats it.
    shown = {value for row, _column, value, _reason, _level in job.problems if row == 9}
    assert other.id_number not in shown and any(
        value.endswith(other.id_number[-4:]) for value in shown
    )


# --- both ---------------------------------------------------------------------------------


@pytest.mark.parametrize("entity", ["recruitment_applications", "recruitment_scores"])
def test_the_template_holds_every_column_and_imports_as_empty(world, entity):
    handle = io.BytesIO()
    report.write_template(handle, engine.entity_for(entity))
    sheet = openpyxl.load_workbook(io.BytesIO(handle.getvalue())).worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    assert headers == [str(column.header) for column in engine.entity_for(entity).columns]
    job = exchange.import_job_create(
        user=world.hospital_a,
        entity=entity,
        upload=SimpleUploadedFile("模板.xlsx", handle.getvalue()),
    )
    exchange.import_job_analyse(job=job)
    job.refresh_from_db()
    assert (job.status, job.total) == (ImportJob.Status.READY, 0), job.problems


def test_the_command_line_imports_both_without_a_user(world, tmp_path):
    _post(world)
    number = factories.id_number(BORN)
    row = _row("王命令", number, 学历="本科", 学位="学士", 所学专业="临床医学")
    path = tmp_path / "报名人员.xlsx"
    path.write_bytes(
        xlsx([{**row, "招聘单位": "甲区中心医院"}], headers=["招聘单位", *APPLICANT_HEADERS]).read()
    )
    out = io.StringIO()
    call_command("import", "recruitment_applications", str(path), "--commit", stdout=out)
    assert "new 1" in out.getvalue()
    path = tmp_path / "考试成绩.xlsx"
    path.write_bytes(
        xlsx(
            [{"身份证号码": number, "准考证号": "A1", "笔试成绩": 66}], headers=SCORE_HEADERS
        ).read()
    )
    call_command("import", "recruitment_scores", str(path), "--commit", stdout=io.StringIO())
    applicant = Application.objects.get()
    assert (applicant.status, applicant.exam_number, applicant.written_score) == (
        S.ELIGIBLE,
        "A1",
        Decimal("66"),
    )
