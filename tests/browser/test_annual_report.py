"""The commission opens the annual report from the menu, makes it for a year and asks for its
PDF: the bar shows while the job waits in the queue, the worker makes it (the test runs the
real database queue once it has seen the bar), and the page, updating itself, offers the
download, which says what the page says."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.browser.queue import TaskQueue
from tests.pdf import page_text
from yicai.evaluation.services.disciplines import figure_set
from yicai.insights.models import ReportJob

pytestmark = pytest.mark.browser
JOB_URL = re.compile(r"/reports/annual/jobs/\d+/$")


def test_the_commission_makes_the_years_report_and_downloads_its_pdf(
    live_world, live_server, new_page, settings, tmp_path
):
    world = live_world
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    for year, value in ((2019, 300), (2023, 1200)):
        figure_set(
            by=None, department=world.a_cardiology, year=year, measure="interventions", value=value
        )
    page = new_page()
    log_in(page, live_server, world.commission)
    queue = TaskQueue(page, JOB_URL)
    page.get_by_role("button", name="用 · 考核评价").click()
    page.get_by_role("link", name="人才工作年度报告").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("人才工作年度报告")
    page.get_by_label("年度").fill("2023")
    page.get_by_role("button", name="生成", exact=True).click()
    report = page.locator("#report")
    expect(report).to_contain_text("2023年度人才工作报告")
    said = "介入手术例数由2019年的300增至2023年的1200，为4.00倍。"
    expect(report).to_contain_text(said)

    # The PDF is asked for: it waits in the queue, with its bar, polled in place.
    page.get_by_role("button", name="生成 PDF").click()
    status = page.locator("#report-job-status")
    expect(page.locator("#report-job-state")).to_have_text("排队中")
    expect(page.locator("#report-job-label")).to_contain_text("排队等待处理")
    expect(page.get_by_role("progressbar", name="进度")).to_have_attribute("aria-valuenow", "0")
    expect(status).to_have_attribute("hx-trigger", "every 1s")
    job = ReportJob.objects.get()
    assert (job.status, job.format, job.requested_by) == ("queued", "pdf", world.commission)

    [made] = queue.run()
    assert made.task_path == "yicai.insights.tasks.build_annual_report"

    # The bar has run to its end and gone; the page offers the file.
    expect(page.locator("#report-job-state")).to_have_text("已完成")
    expect(page.get_by_role("progressbar")).to_have_count(0)
    expect(status).not_to_have_attribute("hx-trigger", re.compile("."))
    job.refresh_from_db()
    assert [s["progress"] for s in job.sections] == [15, 30, 45, 60, 75, 90]
    assert job.progress == 100

    with page.expect_download() as downloading:
        page.get_by_role("link", name="下载 PDF").click()
    download = downloading.value
    assert download.suggested_filename.endswith("2023年度人才工作报告.pdf")
    saved = tmp_path / "report.pdf"
    download.save_as(saved)
    text = page_text(saved.read_bytes()).replace("\n", "")
    assert said in text and "目录" in text
