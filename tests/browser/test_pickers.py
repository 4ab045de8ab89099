"""End to end in Chromium: the person pickers search on the server as the user types.

A trainee on a phone finds their mentor already chosen on the case form, types a colleague's
pinyin instead, picks her and saves; an education office pastes three names from a sign-in
sheet into an event's attendance, is told which name it could not place, and saves."""

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import PHONE, SHOTS, log_in
from yicai.training.models import CaseLog, CreditClass, EducationEvent, Technique
from yicai.training.services.education import event_create
from yicai.training.services.mentoring import mentorship_create, technique_register

pytestmark = pytest.mark.browser


def test_a_trainee_picks_a_supervisor_by_pinyin_on_a_phone(live_world, live_server, new_page):
    world = live_world
    mentorship_create(
        mentor=world.partner_expert,
        apprentices=[world.a_doctor],
        institution=world.a,
        start_on=datetime.date(2024, 9, 1),
    )
    technique_register(
        institution=world.a,
        name="冠脉介入术",
        category=Technique.Category.SURGERY,
        origin=Technique.Origin.MENTORSHIP,
    )
    colleague = factories.person(world.a, "安雅琴", department=world.a_cardiology, male=False)
    factories.person(world.a, "安雅琴", department=world.a_surgery, male=False)  # not hers

    phone = new_page(viewport=PHONE)
    log_in(phone, live_server, world.trainee)
    phone.goto("/training/cases/new/")
    chosen = phone.locator("#id_supervisor + .ts-wrapper .item")
    expect(chosen).to_contain_text("孙名医")  # her own mentor, to begin with
    phone.get_by_label("技术").select_option(label="冠脉介入术")
    phone.get_by_label("日期").fill("2025-07-28")
    phone.get_by_label("参与程度").select_option(label="在指导下完成")
    chosen.click()  # the box: typing there searches afresh
    phone.get_by_role("combobox", name="指导/审核人").press_sequentially("anyaqin", delay=30)
    option = phone.locator(".ts-dropdown .option", has_text="安雅琴")
    expect(option).to_have_count(1)  # her department's only: the surgeon is not offered
    expect(option).to_contain_text("心血管内科")
    SHOTS.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=SHOTS / "picker_supervisor_phone.png", full_page=True)
    option.click()
    expect(chosen).to_contain_text("安雅琴")
    overflow = phone.evaluate("document.body.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"the case form is {overflow}px wider than the phone"
    phone.get_by_role("button", name="保存").click()
    expect(phone.locator("#cases")).to_contain_text("待审核")
    assert CaseLog.objects.get().supervisor == colleague


def test_an_education_office_pastes_names_from_a_sign_in_sheet(live_world, live_server, new_page):
    world = live_world
    event = event_create(
        kind=EducationEvent.Kind.LECTURE,
        title="心电图判读",
        institution=world.a,
        held_on=datetime.date(2025, 3, 1),
        hours=Decimal(2),
        credit_class=CreditClass.CLASS_II,
        credits=Decimal(1),
        speaker=world.a_surgeon,
    )
    page = new_page()
    log_in(page, live_server, world.hospital_a)
    page.goto(f"/training/education/{event.pk}/")
    picker = page.get_by_role("combobox", name="参加人员")
    picker.click()
    sheet = "李心怡\n周外科\r\n赵护士\n王不在"
    picker.evaluate(
        """(input, text) => {
            const data = new DataTransfer();
            data.setData("text/plain", text);
            const paste = {clipboardData: data, bubbles: true, cancelable: true};
            input.dispatchEvent(new ClipboardEvent("paste", paste));
        }""",
        sheet,
    )
    items = page.locator("#id_people + .ts-wrapper .item")
    expect(items).to_have_count(3)
    report = page.locator("#attendance-form [data-picker-report]")
    expect(report).to_contain_text("已添加 3 人")
    expect(report).to_contain_text("王不在")
    page.screenshot(path=SHOTS / "picker_attendance_paste.png", full_page=True)
    page.get_by_role("button", name="登记参加人员").click()
    expect(page.locator("#attendance")).to_contain_text("赵护士")
    attended = set(event.attendances.values_list("person__name", flat=True))
    assert attended == {"李心怡", "周外科", "赵护士"}
