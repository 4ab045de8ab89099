"""End to end in Chromium: a form with several mistakes lists them all above it, each
linking to its field, and keeps each under its field."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import SHOTS, log_in
from yicai.training.models import EducationEvent

pytestmark = pytest.mark.browser


def test_every_mistake_of_a_form_is_listed_at_once(live_world, live_server, page):
    log_in(page, live_server, live_world.hospital_a)
    page.goto("/training/education/new/")
    form = page.locator("form[method=post]").last
    form.get_by_label("主题").fill("病例讨论 患者 310113198506011234")
    form.get_by_label("日期").fill(timezone.localdate().isoformat())
    form.get_by_label("学时").fill("0.2")
    form.get_by_label("每人学分").fill("1")
    form.get_by_role("button", name="保存").click()

    summary = page.locator(".form-errors")
    expect(summary).to_be_visible()
    expect(summary.locator("li")).to_have_count(3)
    for label in ("主题", "学时", "主讲人"):
        expect(summary.get_by_role("link", name=label, exact=True)).to_be_visible()
    expect(page.locator(".invalid-feedback")).to_have_count(3)  # and under each field
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / "form-errors.png", full_page=True)
    summary.get_by_role("link", name="学时", exact=True).click()
    expect(page).to_have_url(re.compile(r"#id_hours$"))
    assert not EducationEvent.objects.exists()
