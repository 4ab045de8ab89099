"""End to end in Chromium, as hospital A's HR office works a published plan through to a hire:
it registers an applicant on the post's page and reads the review's result; imports the exam
scores from an .xlsx through the import pages; reads the ranking (a tie sharing its rank);
sends the best to the medical check by rank; records the medical and background results;
publishes the public notice (公示) from the plan's page and downloads its sheet (identity
numbers masked); records an objection and settles it; and, the notice being over (its dates
are in the past), hires the candidate, who is then on file with the post's appointment and
the hire on their timeline."""

import datetime
import re

import openpyxl
import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests import factories
from tests.browser.conftest import confirm, log_in
from tests.recruitment.helpers import published_plan
from yicai.codes.queries import code_for
from yicai.recruitment import services
from yicai.recruitment.models import Application

pytestmark = pytest.mark.browser

PLAN = "心血管专业人员招聘计划"
POST = "岗位0"
SHEET = "考试成绩.xlsx"
JOB_URL = re.compile(r"/exchange/imports/[0-9a-f-]{36}/$")


def _day(days_ago: int) -> str:
    return (timezone.localdate() - datetime.timedelta(days=days_ago)).isoformat()


def _scores_sheet(path, rows) -> None:
    """The exam organiser's sheet: one applicant a row, found by identity number."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "考试成绩"
    sheet.append(["招聘计划", "岗位名称", "姓名", "身份证号码", "准考证号", "笔试成绩", "面试成绩"])
    for row in rows:
        sheet.append([PLAN, POST, *row])
    workbook.save(path)


def _step(page: Page, form_id: str, button: str, **choices: str) -> None:
    """Fill an application page's step form (radio labels and field labels to values) and
    submit it; the page comes back with the service's answer."""
    form = page.locator(f"#{form_id}")
    for label, value in choices.items():
        if value == "check":
            form.get_by_label(label, exact=True).check()
        else:  # a required field's label carries a mark after it
            form.get_by_label(label).fill(value)
    form.get_by_role("button", name=button).click()


def test_an_applicant_is_registered_scored_checked_noticed_and_hired(
    live_world, live_server, page, tmp_path
):
    world = live_world
    today = timezone.localdate()
    # Published two months ago, so that the notice can start and end in the past.
    plan = published_plan(
        world,
        on=today - datetime.timedelta(days=60),
        title=PLAN,
        department=world.a_cardiology,
        min_education=code_for("education", "21"),
        max_age=35,
    )
    post = plan.posts.get()
    born = datetime.date(today.year - 28, 5, 6)
    others = [
        services.application_create(
            by=None,
            post=post,
            name=name,
            id_number=factories.id_number(born, male=male),
            education=code_for("education", "21"),
            major="临床医学",
        )
        for name, male in (("吴并列", True), ("郑并列", False))
    ]
    assert {other.status for other in others} == {Application.Status.ELIGIBLE}
    number = factories.id_number(born, male=True)

    log_in(page, live_server, world.hospital_a)
    page.goto("/recruitment/plans/")
    page.get_by_role("link", name=PLAN).click()
    page.locator("#posts").get_by_role("link", name=POST).click()
    expect(page).to_have_url(re.compile(rf"/recruitment/posts/{post.pk}/$"))
    page.get_by_role("link", name="登记报名").click()
    page.get_by_label("姓名").fill("冯录用")
    page.get_by_label("身份证号码").fill(number)
    page.get_by_label("手机号码").fill("13912345678")
    page.get_by_label("学历").select_option(label="大学本科毕业")
    page.get_by_label("毕业院校").fill("复旦大学上海医学院")
    page.get_by_label("所学专业").fill("临床医学")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#application-status")).to_have_text("资格审查通过")
    expect(page.locator("#eligibility")).to_have_text("符合岗位条件。")

    # The scores, from the organiser's sheet: 冯录用 first, the other two tied.
    sheet = tmp_path / SHEET
    _scores_sheet(
        sheet,
        [
            ("冯录用", number, "2026001", 88, 91),
            ("吴并列", others[0].id_number, "2026002", 80, 84.5),
            ("郑并列", others[1].id_number, "2026003", 80, 84.5),
        ],
    )
    page.goto("/exchange/imports/")
    upload = page.locator("#upload-form")
    upload.get_by_label("导入内容").select_option(label="考试成绩")
    upload.get_by_label(re.compile("^文件")).set_input_files(sheet)
    upload.get_by_role("button", name="上传并检查").click()
    expect(page).to_have_url(JOB_URL)
    expect(page.locator("#job-state")).to_have_text("待确认导入")
    expect(page.locator('#preview-counts [data-count="updated"]')).to_have_text("3")
    expect(page.locator('#preview-counts [data-count="invalid"]')).to_have_text("0")
    page.get_by_role("button", name="确认导入").click()
    expect(page.locator("#job-state")).to_have_text("已导入")

    # The ranking: 89.80 first, the two at 82.70 share the second place.
    page.goto(f"/recruitment/posts/{post.pk}/")
    rows = page.locator("#ranking tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text("冯录用")
    expect(rows.nth(0)).to_contain_text("89.80")
    for line in (1, 2):
        expect(rows.nth(line).locator("td").first).to_have_text("2")
        expect(rows.nth(line)).to_contain_text("82.70")
    page.get_by_role("button", name="按排名确定体检人选").click()
    confirm(page, "确定")
    expect(page.get_by_text("已确定体检人选：冯录用")).to_be_visible()

    # The medical check, then the background check, on the applicant's page.
    page.locator("#ranking").get_by_role("link", name="冯录用").click()
    expect(page.locator("#application-status")).to_have_text("待体检")
    _step(page, "check-form", "登记结论", 合格="check")
    expect(page.locator("#application-status")).to_have_text("待考察")
    _step(page, "check-form", "登记结论", 合格="check")
    expect(page.locator("#application-status")).to_have_text("待公示")

    # The notice, from the plan's page, over a week that ended three weeks ago.
    page.get_by_label("breadcrumb").get_by_role("link", name=str(plan)).click()
    page.get_by_role("link", name="发布拟聘用人员公示").click()
    expect(page.locator("#candidates")).to_contain_text("冯录用")
    page.get_by_label("公示开始日期").fill(_day(30))
    page.get_by_label("公示截止日期").fill(_day(24))
    page.get_by_role("button", name="发布公示").click()
    expect(page.locator("#notice-lines")).to_contain_text("冯录用")
    masked = "*" * 14 + number[-4:]
    expect(page.locator("#notice-lines")).to_contain_text(masked)
    with page.expect_download() as downloading:
        page.get_by_role("link", name="Excel").click()
    downloading.value.save_as(tmp_path / "notice.xlsx")
    values = [
        value
        for row in openpyxl.load_workbook(tmp_path / "notice.xlsx").active.iter_rows(
            values_only=True
        )
        for value in row
    ]
    assert "冯录用" in values and masked in values and number not in values

    # An objection during the notice, found untrue; then the hire.
    page.locator("#notice-lines").get_by_role("link", name="冯录用").click()
    _step(
        page,
        "objection-form",
        "登记异议",
        收到日期=_day(27),
        反映内容="反映该考生报名时尚未取得执业医师资格证书。",
    )
    objections = page.locator("#objections")
    expect(objections).to_contain_text("反映该考生报名时尚未取得执业医师资格证书。")
    objections.get_by_label("反映不属实").check()
    objections.get_by_label("核查结果").fill("经核查，该考生已取得执业医师资格证书，反映不属实。")
    objections.get_by_role("button", name="处理异议").click()
    expect(objections).to_contain_text("反映不属实：经核查")
    page.locator("#hire-form").get_by_role("button", name="聘用").click()
    expect(page.locator("#application-status")).to_have_text("已聘用")
    expect(page.locator("#hired-on")).to_have_text(today.isoformat())
    # Read once the page has settled: the live server shares the test's connection.
    applicant = Application.objects.select_related("person__source").get(name="冯录用")
    assert applicant.person is not None and applicant.person.source.code == "simplified_recruitment"

    # On file: in the person list, with the post in the cardiology department.
    page.goto("/people/")
    page.get_by_role("link", name="冯录用").click()
    expect(page).to_have_url(re.compile(rf"/people/{applicant.person_id}/$"))
    person = page.locator("main")
    expect(person).to_contain_text(POST)
    expect(person).to_contain_text("心血管内科")
    # And the hire is on their timeline.
    timeline = page.locator("#timeline")
    expect(timeline.locator(".timeline-item").filter(has_text="聘用")).to_contain_text(
        "通过简易程序聘用至"
    )
