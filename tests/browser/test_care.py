"""End to end in Chromium on a phone-sized screen: a community health centre's administrator
opens the overdue 八个一 service tasks (a card a task, no wide table), completes one with a
note, the channel and a satisfaction score, and it leaves the overdue list."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.conftest import PHONE, log_in
from tests.retention import care_records as records
from yicai.retention.models import ServiceTask
from yicai.retention.services import care

pytestmark = pytest.mark.browser


def test_an_overdue_task_is_completed_on_a_phone(live_world, live_server, new_page):
    world = live_world
    today = timezone.localdate()
    enrolment = records.served(world, on=today - datetime.timedelta(days=90))
    care.tasks_generate(today)
    task = (
        enrolment.tasks.filter(item__recurrence=records.MONTHLY, deadline__lt=today)
        .order_by("due_on")
        .first()
    )

    page: Page = new_page(viewport=PHONE)
    log_in(page, live_server, world.hospital_b)
    page.goto(f"{live_server.url}/retention/care/tasks/?status=overdue")
    expect(page.locator("#tasks")).to_be_hidden()  # the table is for wide screens
    card = page.locator(f".task-card[data-task='{task.pk}']")
    expect(card).to_be_visible()
    expect(card).to_contain_text("逾期")
    card.get_by_role("link", name="完成").click()
    expect(page.locator("#task")).to_contain_text("开展每月一次问候")
    page.get_by_label("服务方式").select_option(label="电话")
    page.get_by_label("服务记录").fill("电话问候，近况良好，提醒按时体检")
    page.get_by_label("满意度").select_option(value="5")
    page.get_by_role("button", name="完成").click()
    expect(page.get_by_text("已完成：钱科创 · 开展每月一次问候")).to_be_visible()
    expect(page.locator(f".task-card[data-task='{task.pk}']")).to_have_count(0)
    expect(page.locator(".task-card").first).to_be_visible()  # the others still overdue
    done = ServiceTask.objects.get(pk=task.pk)
    assert (done.done_on, done.channel, done.satisfaction) == (today, "phone", 5)
    assert done.note == "电话问候，近况良好，提醒按时体检"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
