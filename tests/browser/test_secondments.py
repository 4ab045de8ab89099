"""End to end in Chromium: a doctor on secondment submits a monthly report on a phone; the
linked leader (head of another department) finds it, comments it, and the trainee reads the
comment; a hospital of another institution cannot open it."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import PHONE, SHOTS, confirm, log_in, settled
from yicai.access.models import Role
from yicai.training.models import MonthlyReport
from yicai.training.services.secondments import secondment_create

pytestmark = pytest.mark.browser


def test_the_linked_leader_comments_a_monthly_report(live_world, live_server, new_page):
    world = live_world
    start = timezone.localdate().replace(day=1) - datetime.timedelta(days=60)
    secondment = secondment_create(
        person=world.a_doctor,
        host=world.partner,
        host_department="超声科",
        start_on=start.replace(day=1),
        linked_leader=world.a_surgeon,
        objectives="肝胆介入超声",
    )
    leader = factories.user(
        "linked_leader",
        person=world.a_surgeon,
        roles=[(Role.DEPARTMENT_HEAD, {"department": world.a_surgery})],
    )
    month = start.replace(day=1).isoformat()

    phone = new_page(viewport=PHONE)
    log_in(phone, live_server, world.trainee)
    phone.goto("/training/secondments/")
    phone.get_by_role("link", name=world.a_doctor.name).click()
    phone.get_by_label("月份").fill(month)
    phone.get_by_label("本月学习内容").fill("跟随带教老师完成超声造影 15 例")
    phone.get_by_role("button", name="提交月报").click()
    expect(phone.locator("#reports")).to_contain_text("跟随带教老师完成超声造影 15 例")
    expect(phone.locator("#reports")).to_contain_text("待挂钩领导批注")
    overflow = phone.evaluate("document.body.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"the secondment page is {overflow}px wider than the phone"

    desk = new_page()
    log_in(desk, live_server, leader)
    desk.goto("/training/secondments/")
    expect(desk.locator("#secondments")).to_contain_text(world.a_doctor.name)
    desk.get_by_role("link", name=world.a_doctor.name).click()
    report = MonthlyReport.objects.get(secondment=secondment)
    desk.get_by_label("领导批注").fill("进展良好，回院后牵头开展超声造影")
    desk.get_by_role("button", name="批注", exact=True).click()
    expect(desk.locator(f"#report-{report.pk} .comment")).to_contain_text("进展良好")
    SHOTS.mkdir(parents=True, exist_ok=True)
    desk.screenshot(path=SHOTS / "leader_comment.png", full_page=True)
    report.refresh_from_db()
    assert report.commented_by == world.a_surgeon

    phone.reload()
    expect(phone.locator(f"#report-{report.pk} .comment")).to_contain_text("进展良好")

    other = new_page()
    log_in(other, live_server, world.hospital_b)
    response = other.goto(f"/training/secondments/{secondment.pk}/")
    assert response.status == 404


def test_withdrawing_asks_first_and_cancelling_changes_nothing(live_world, live_server, page):
    world = live_world
    secondment = secondment_create(
        person=world.a_doctor,
        host=world.partner,
        host_department="超声科",
        start_on=timezone.localdate().replace(day=1) - datetime.timedelta(days=60),
        linked_leader=world.a_surgeon,
    )
    log_in(page, live_server, world.hospital_a)
    page.goto(f"/training/secondments/{secondment.pk}/")
    modal = page.locator("#confirm-modal")
    page.get_by_role("button", name="中止进修").click()
    expect(modal).to_be_visible()
    expect(modal).to_contain_text("不能恢复")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / "confirm-withdraw.png")
    modal.get_by_role("button", name="取消").click()
    expect(modal).to_be_hidden()
    settled(page)
    secondment.refresh_from_db()
    assert secondment.status == "active"

    page.get_by_role("button", name="中止进修").click()
    confirm(page, "确定中止")
    expect(page.locator("#secondment .badge")).to_have_text("已中止")
    expect(page.get_by_role("button", name="中止进修")).to_have_count(0)
    secondment.refresh_from_db()
    assert secondment.status == "withdrawn"
