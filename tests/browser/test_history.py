"""End to end in Chromium: a hospital administrator enters a 2023 case from the paper case
book on the apprentice's behalf, with the book's reference and a scan; the case list marks it
as entered by them and verified on paper; the overview over 2023 counts it, and its card opens
the list with that one case."""

import datetime

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import SHOTS, log_in, pick
from yicai.training.models import CaseLog, Technique
from yicai.training.services.mentoring import mentorship_create, technique_register

pytestmark = pytest.mark.browser


def test_a_past_case_is_entered_from_the_paper_book_and_counted_in_its_year(
    live_world, live_server, page, tmp_path
):
    world = live_world
    mentorship_create(
        mentor=world.partner_expert,
        apprentices=[world.a_doctor],
        institution=world.a,
        start_on=datetime.date(2022, 9, 1),
    )
    technique_register(
        institution=world.a,
        name="腹腔镜胆囊切除术",
        category=Technique.Category.SURGERY,
        origin=Technique.Origin.MENTORSHIP,
    )
    scan = tmp_path / "病例本第3页.pdf"
    scan.write_bytes(b"%PDF-1.4\n% the case book, page 3\n")

    log_in(page, live_server, world.hospital_a)
    page.goto("/training/cases/")
    page.get_by_role("link", name="代录以往病例").click()
    form = page.locator("#case-backfill-form")
    pick(page, form, "apprentice", "lixinyi", "李心怡")
    form.locator("[name=technique]").select_option(label="腹腔镜胆囊切除术（甲区中心医院）")
    form.locator("[name=performed_on]").fill("2023-05-10")
    form.locator("[name=role]").select_option(label="独立完成")
    pick(page, form, "supervisor", "sunmingyi", "孙名医")
    form.locator("[name=paper_reference]").fill("病例本第3册第3页")
    form.locator("[name=paper_scan]").set_input_files(str(scan))
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / "case_backfill.png", full_page=True)
    page.get_by_role("button", name="保存并继续代录").click()
    expect(page.locator(".alert-success, .alert-info").first).to_contain_text("已记为纸质审核")

    case = CaseLog.objects.get()
    assert (case.entered_by, case.verified_on_paper) == (world.hospital_a, True)
    page.goto("/training/cases/")
    row = page.locator(f"#case-{case.pk}")
    expect(row).to_contain_text("hospital_a 代录")
    expect(row).to_contain_text("纸质审核")
    expect(row.get_by_role("link", name="扫描件")).to_be_visible()

    page.goto("/training/")
    page.get_by_label("统计起始日期").fill("2023-01-01")
    page.get_by_label("统计截止日期").fill("2023-12-31")
    page.get_by_label("现状截至").fill("2023-12-31")
    page.get_by_role("button", name="统计").click()
    page.screenshot(path=SHOTS / "overview_as_of.png", full_page=True)
    card = page.locator('[data-figure="independent"]')
    expect(card.locator(".fs-3")).to_have_text("1")
    expect(page.locator("#overview-dates")).to_contain_text("2023-01-01 至 2023-12-31")
    card.click()
    expect(page.locator("#result-count")).to_contain_text("共 1 条")
    expect(page.locator("#cases")).to_contain_text("2023-05-10")
