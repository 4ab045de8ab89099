"""End to end in Chromium: a trainee logs an independent case on a phone; the institution
sends the external mentor a one-time link; the mentor, without an account, confirms it; the
technique then shows as a filled gap; the used link is refused."""

import datetime

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, SHOTS, log_in
from yicai.training.models import CaseLog, Technique
from yicai.training.services.mentoring import mentorship_create, technique_register

pytestmark = pytest.mark.browser


def test_a_case_logged_on_a_phone_is_confirmed_by_link_and_fills_a_gap(
    live_world, live_server, new_page
):
    world = live_world
    mentorship_create(
        mentor=world.partner_expert,
        apprentices=[world.a_doctor],
        institution=world.a,
        start_on=datetime.date(2024, 9, 1),
    )
    technique_register(
        institution=world.a,
        name="单孔腹腔镜胆囊切除术",
        category=Technique.Category.SURGERY,
        origin=Technique.Origin.MENTORSHIP,
    )

    phone = new_page(viewport=PHONE)
    log_in(phone, live_server, world.trainee)
    phone.goto("/training/cases/")
    phone.get_by_role("link", name="登记病例").click()
    phone.get_by_label("技术").select_option(label="单孔腹腔镜胆囊切除术")
    phone.get_by_label("日期").fill("2025-07-28")
    phone.get_by_label("参与程度").select_option(label="独立完成")
    expect(phone.locator("#id_supervisor + .ts-wrapper .item")).to_contain_text("孙名医")
    phone.get_by_role("button", name="保存").click()
    expect(phone.locator("#cases")).to_contain_text("待审核")
    overflow = phone.evaluate("document.body.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"the case list is {overflow}px wider than the phone"
    SHOTS.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=SHOTS / "case_logged_phone.png", full_page=True)

    admin = new_page()
    log_in(admin, live_server, world.hospital_a)
    admin.goto("/training/techniques/")
    expect(admin.locator("#techniques")).to_contain_text("尚未填补")
    admin.goto("/training/cases/")
    admin.get_by_role("button", name="生成确认链接").click()
    link = admin.locator("#confirm-url").input_value()
    assert "/training/confirm/" in link

    mentor = new_page(viewport=PHONE)  # no login: the expert has no account here
    mentor.goto(link)
    expect(mentor.locator("main")).to_contain_text("李心怡")
    mentor.get_by_label("您的姓名").fill("孙名医")
    mentor.get_by_role("button", name="确认无误").click()
    expect(mentor.locator("#done")).to_contain_text("已确认")
    assert CaseLog.objects.get().verified_by_name == "孙名医"

    admin.goto("/training/techniques/")
    expect(admin.locator("#techniques")).to_contain_text("已填补 2025-07-28")
    expect(admin.locator("#techniques")).to_contain_text("区域首例")
    admin.screenshot(path=SHOTS / "gap_filled.png", full_page=True)

    again = mentor.goto(link)
    assert again.status == 410
    expect(mentor.locator("#refused")).to_contain_text("已使用过")


def test_a_wrong_filter_sent_by_htmx_shows_its_error_in_the_results(live_world, live_server, page):
    """A filter answers 400 when a value is wrong; htmx swaps it in all the same (page.js)."""
    log_in(page, live_server, live_world.commission)
    page.goto("/training/programmes/")
    kind = page.locator("select[name=kind]")
    # A value no option offers, as an edited or stale link would send.
    kind.evaluate("select => select.add(new Option('nonsense', 'nonsense'))")
    with page.expect_response(lambda r: "kind=nonsense" in r.url) as answer:
        kind.select_option("nonsense")
    assert answer.value.status == 400
    expect(page.locator("#results .form-errors")).to_contain_text("类别：“nonsense”不在可选范围内")
