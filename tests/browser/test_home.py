"""End to end in Chromium: every role opens the home page, sees what waits for them in 我的待办,
and follows an item to the page where it is done; the statistics' charts open the list behind
a bar and stay legible on a 390 px phone."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import PHONE, SHOTS, log_in
from tests.insights import waiting
from yicai.training.models import CaseLog, MonthlyReport

pytestmark = pytest.mark.browser


def todo_item(page: Page, key: str):
    return page.locator(f'#todo [data-todo="{key}"]')


def no_overflow(page: Page, what: str) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"{what} is {overflow}px wider than the screen"


def test_a_trainee_on_a_phone_finds_their_cases_awaiting_verification(
    live_world, live_server, new_page
):
    world = live_world
    work = waiting.build(world)
    page = new_page(viewport=PHONE)
    log_in(page, live_server, world.trainee)

    expect(page.get_by_role("heading", name="我的待办")).to_be_visible()
    cases = todo_item(page, "training.own_cases")
    expect(cases).to_contain_text("我登记的病例待审核")
    expect(cases).to_contain_text("3")
    expect(todo_item(page, "training.monthly_report")).to_contain_text("待提交")
    expect(todo_item(page, "training.credits")).to_contain_text("已得 5 / 要求 25 学分")
    expect(todo_item(page, "training.next_goal")).to_contain_text("发表 SCI 论文 1 篇")
    expect(page.locator("#fig-total")).to_have_count(0)  # no district statistics for them
    no_overflow(page, "the home page")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / "home_trainee_phone.png", full_page=True)

    cases.click()
    expect(page).to_have_url(re.compile(r"/training/cases/\?verified=no"))
    rows = page.locator("#cases tbody tr")
    expect(rows).to_have_count(3)
    for case in work.cases:
        expect(page.locator(f"#case-{case.pk}")).to_contain_text("待审核")


def test_a_mentor_verifies_a_case_from_the_home_page(live_world, live_server, page):
    world = live_world
    work = waiting.build(world)
    log_in(page, live_server, world.mentor)

    to_verify = todo_item(page, "training.cases_to_verify")
    expect(to_verify).to_contain_text("3")
    expect(todo_item(page, "training.planned_visits")).to_contain_text("2")
    expect(todo_item(page, "training.apprentices")).to_contain_text("1 名徒弟")

    to_verify.click()
    first = work.cases[0]
    page.locator(f"#case-{first.pk}").get_by_role("button", name="审核通过").click()
    expect(page.get_by_role("alert")).to_contain_text("已审核")
    expect(page.locator(f"#case-{first.pk}")).to_have_count(0)  # no longer awaiting
    assert CaseLog.objects.get(pk=first.pk).verified

    page.goto("/")
    expect(todo_item(page, "training.cases_to_verify")).to_contain_text("2")


def test_a_linked_leader_comments_a_report_from_the_home_page(live_world, live_server, page):
    world = live_world
    work = waiting.build(world)
    log_in(page, live_server, work.leader)

    reports = todo_item(page, "training.reports_to_comment")
    expect(reports).to_contain_text(f"{world.a_doctor.name}的进修月报待批注")
    expect(reports).to_contain_text("2")
    reports.click()
    expect(page).to_have_url(re.compile(rf"/training/secondments/{work.secondment.pk}/#reports$"))
    first = work.reports[0]
    page.locator(f"#comment-{first.pk}").fill("进展良好，继续跟进超声造影")
    page.locator(f"#report-{first.pk}").get_by_role("button", name="批注", exact=True).click()
    expect(page.locator(f"#report-{first.pk} .comment")).to_contain_text("进展良好")
    assert MonthlyReport.objects.get(pk=first.pk).commented_by_id == world.a_surgeon.pk

    page.goto("/")
    expect(todo_item(page, "training.reports_to_comment")).to_contain_text("1")


def test_a_hospital_on_a_phone_opens_its_incomplete_records_and_reads_the_charts(
    live_world, live_server, new_page
):
    world = live_world
    waiting.build(world)
    page = new_page(viewport=PHONE)
    log_in(page, live_server, world.hospital_a)

    for key in ("exchange.import_to_confirm", "people.licence_expiring"):
        expect(todo_item(page, key)).to_be_visible()
    expect(todo_item(page, "training.round_to_nominate")).to_contain_text("本单位已提名 1 人")
    # The charts drew, lying horizontally on a phone, with labels cut rather than overlapping.
    for chart in ("institutions", "ages"):
        expect(page.locator(f"#chart-{chart} canvas")).to_have_count(1)
        axis = page.evaluate(
            "id => { const o = echarts.getInstanceByDom(document.getElementById(id)).getOption();"
            " return [o.yAxis[0].type, o.yAxis[0].axisLabel.overflow]; }",
            f"chart-{chart}",
        )
        assert axis == ["category", "truncate"], (chart, axis)
        box = page.locator(f"#chart-{chart} canvas").bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (chart, box)
        expect(page.locator(f"#table-{chart}")).to_be_hidden()  # folded under its chart
    no_overflow(page, "the home page")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / "home_hospital_phone.png", full_page=True)

    incomplete = todo_item(page, "people.incomplete")
    expect(incomplete).to_contain_text("2")
    incomplete.click()
    expect(page).to_have_url(re.compile(r"/people/\?incomplete=on$"))
    expect(page.locator("#result-count")).to_contain_text("共 2 人")
    for person in (world.a_doctor, world.a_ward_nurse):
        expect(page.locator("#results")).to_contain_text(person.name)


def test_the_commission_opens_a_round_to_approve_and_a_bar_of_a_chart(
    live_world, live_server, page
):
    world = live_world
    work = waiting.build(world)
    log_in(page, live_server, world.commission)

    approve = todo_item(page, "training.round_to_approve")
    expect(approve).to_contain_text("1 份提名待决定是否入选")
    expect(todo_item(page, "training.round_to_review")).to_be_visible()
    expect(todo_item(page, "training.cohort_to_complete")).to_contain_text("1")

    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / "home_commission.png", full_page=True)
    # A bar of the institutions chart opens that institution's people.
    page.locator("#chart-institutions").scroll_into_view_if_needed()
    point = page.evaluate(
        "() => { const el = document.getElementById('chart-institutions');"
        " const chart = echarts.getInstanceByDom(el);"
        " const first = chart.getOption().series[0].data[0];"
        " return chart.convertToPixel({seriesIndex: 0}, [first / 2, 0]); }"
    )
    box = page.locator("#chart-institutions").bounding_box()
    first = page.locator("#table-institutions tbody tr").first.locator("a")
    href, count = first.first.get_attribute("href"), first.last.text_content()
    page.mouse.click(box["x"] + point[0], box["y"] + point[1])
    expect(page).to_have_url(re.compile(re.escape(href) + "$"))
    expect(page.locator("#result-count")).to_contain_text(f"共 {count} 人")

    page.goto("/")
    todo_item(page, "training.round_to_approve").click()
    expect(page).to_have_url(re.compile(rf"/training/rounds/{work.reviewing_round.pk}/$"))
    expect(page.locator("main")).to_contain_text(world.b_doctor.name)
