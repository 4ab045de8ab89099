"""The commission opens the annual report from the menu, makes it for a year and downloads
its PDF, which says what the page says."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.pdf import page_text
from yicai.evaluation.services.disciplines import figure_set

pytestmark = pytest.mark.browser


def test_the_commission_makes_the_years_report_and_downloads_its_pdf(
    live_world, live_server, new_page, tmp_path
):
    world = live_world
    for year, value in ((2019, 300), (2023, 1200)):
        figure_set(
            by=None, department=world.a_cardiology, year=year, measure="interventions", value=value
        )
    page = new_page()
    log_in(page, live_server, world.commission)
    page.get_by_role("button", name="用 · 考核评价").click()
    page.get_by_role("link", name="人才工作年度报告").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("人才工作年度报告")
    page.get_by_label("年度").fill("2023")
    page.get_by_role("button", name="生成").click()
    report = page.locator("#report")
    expect(report).to_contain_text("2023年度人才工作报告")
    said = "介入手术例数由2019年的300增至2023年的1200，为4.00倍。"
    expect(report).to_contain_text(said)

    with page.expect_download() as downloading:
        page.get_by_role("link", name="下载 PDF").click()
    download = downloading.value
    assert download.suggested_filename.endswith("2023年度人才工作报告.pdf")
    saved = tmp_path / "report.pdf"
    download.save_as(saved)
    text = page_text(saved.read_bytes()).replace("\n", "")
    assert said in text and "目录" in text
