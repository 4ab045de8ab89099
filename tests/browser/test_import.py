"""Issue 3 end to end in Chromium: the institution admin downloads the template, uploads a
roster with good and bad rows, watches the progress bar, reads the preview and the problem
report, imports the good rows, and re-imports the same sheet without changing anything.

Background tasks go through the real database queue (django_tasks_db), and the test runs the
queue itself when it has seen the bar, so the page is caught while the job waits."""

import datetime
import re

import openpyxl
import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import log_in
from tests.browser.queue import TaskQueue
from tests.exchange.importing import HEADERS, person_row, xlsx
from yicai.access.models import AuditEntry
from yicai.exchange.models import ImportJob
from yicai.people.models import Person

pytestmark = pytest.mark.browser

SHEET = "心内科花名册.xlsx"
GOOD = ["柏一", "柏二", "柏三", "柏四"]
# Spreadsheet rows of the bad lines (the header is row 1) and what the report says of them.
BAD = {3: ("身份证号码", "校验码"), 6: ("所在科室", "科室不属于所选机构")}
JOB_URL = re.compile(r"/exchange/imports/[0-9a-f-]{36}/$")


def roster() -> bytes:
    """Four good rows and two bad ones: a wrong identity check digit (row 3) and a
    department of institution B (row 6)."""
    wrong_digit = person_row("柏错号", birth=datetime.date(1988, 2, 3))
    number = wrong_digit["身份证号码"]
    wrong_digit["身份证号码"] = number[:-1] + ("1" if number[-1] != "1" else "2")
    rows = [
        person_row(GOOD[0]),
        wrong_digit,
        person_row(GOOD[1], male=False, birth=datetime.date(1992, 5, 6)),
        person_row(GOOD[2], 所在科室="心内二病区"),
        person_row("柏外院", 所在科室="全科"),
        person_row(GOOD[3], 所在科室="普外科"),
    ]
    return xlsx(rows, name=SHEET).read()


def upload(page: Page, path) -> None:
    page.goto("/exchange/imports/")
    form = page.locator("#upload-form")
    form.get_by_label(re.compile("^文件")).set_input_files(path)
    form.get_by_role("button", name="上传并检查").click()
    expect(page).to_have_url(JOB_URL)


def expect_waiting(page: Page, state: str, label: str | None = None) -> None:
    """The job page shows the progress bar and keeps polling."""
    expect(page.locator("#job-state")).to_have_text(state)
    expect(page.get_by_role("progressbar", name="进度")).to_be_visible()
    if label is not None:
        expect(page.locator("#progress-label")).to_contain_text(label)
    expect(page.locator("#job-status")).to_have_attribute("hx-trigger", "every 1s")


def counts(page: Page) -> dict[str, str]:
    cells = page.locator("#preview-counts [data-count]")
    return {cell.get_attribute("data-count"): cell.inner_text() for cell in cells.all()}


def test_roster_upload_preview_problem_report_commit_and_reimport(
    live_world, live_server, page, settings, tmp_path
):
    world = live_world
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    before = set(Person.objects.filter(institution=world.a).values_list("name", flat=True))
    log_in(page, live_server, world.hospital_a)
    queue = TaskQueue(page, JOB_URL)

    # 档案 › 数据导入, from the menu.
    page.get_by_role("button", name="档案").click()
    page.get_by_role("link", name="数据导入").click()
    expect(page).to_have_url(re.compile(r"/exchange/imports/$"))
    expect(page.get_by_role("heading", name="数据导入", level=1)).to_be_visible()

    # The blank template: a real workbook with the roster's headers.
    with page.expect_download() as downloading:
        page.get_by_role("link", name="下载“人才花名册”模板").click()
    template = downloading.value
    assert template.suggested_filename == "人才花名册导入模板.xlsx"
    template.save_as(tmp_path / "template.xlsx")
    workbook = openpyxl.load_workbook(tmp_path / "template.xlsx")
    assert workbook.sheetnames[0] == "花名册"
    header = [cell.value for cell in workbook.worksheets[0][1]]
    assert set(HEADERS) <= set(header), set(HEADERS) - set(header)

    # Upload: the job waits in the queue, with its bar, until the worker runs.
    sheet = tmp_path / SHEET
    sheet.write_bytes(roster())
    upload(page, sheet)
    expect(page.get_by_role("heading", name=SHEET)).to_be_visible()
    expect_waiting(page, "排队中", "排队等待处理")
    expect(page.locator("#preview-counts")).to_have_count(0)
    job = ImportJob.objects.get()
    assert (job.status, job.user, job.original_name) == ("queued", world.hospital_a, SHEET)

    [analysed] = queue.run()
    assert analysed.task_path == "yicai.exchange.tasks.analyse_import"

    # The page updates itself: the preview and the problems, row by row.
    expect(page.locator("#job-state")).to_have_text("待确认导入")
    expect(page.get_by_role("progressbar")).to_have_count(0)
    expect(page.locator("#job-status")).not_to_have_attribute("hx-trigger", re.compile("."))
    assert counts(page) == {
        "new": "4",
        "updated": "0",
        "unchanged": "0",
        "invalid": "2",
        "warned": "0",
    }
    problems = page.locator("#problems tbody tr")
    expect(problems).to_have_count(len(BAD))
    for line, (row, (column, reason)) in enumerate(sorted(BAD.items())):
        cells = problems.nth(line).locator("td")
        expect(cells.nth(0)).to_have_text(str(row))
        expect(cells.nth(1)).to_have_text(column)
        expect(cells.nth(3)).to_contain_text(reason)
    expect(problems.filter(has_text="全科")).to_have_count(1)

    # The problem report: the same rows and reasons, as a workbook.
    with page.expect_download() as downloading:
        page.get_by_role("link", name="下载问题清单（Excel）").click()
    report = downloading.value
    assert report.suggested_filename == "导入问题清单-心内科花名册.xlsx"
    report.save_as(tmp_path / "problems.xlsx")
    header, *lines = openpyxl.load_workbook(tmp_path / "problems.xlsx").active.values
    assert header == ("行号", "列", "单元格内容", "问题说明", "类别")
    assert [(row, column) for row, column, _value, _reason, _level in lines] == [
        (row, column) for row, (column, _reason) in sorted(BAD.items())
    ]
    for row, _column, _value, reason, level in lines:
        assert BAD[row][1] in reason, (row, reason)
        assert level == "错误（该行不导入）"
    assert Person.objects.filter(name__startswith="柏").count() == 0  # nothing written yet

    # Commit the good rows: the bar again while the commit waits, then the result.
    skip = page.get_by_label("跳过 2 行错误数据，只导入其余 4 行")
    skip.check()
    expect(skip).to_be_checked()
    page.get_by_role("button", name="确认导入").click()
    # No label or percentage asserted: until the worker starts, views._progress shows the
    # analysis's finished progress file (正在导入… 100%), not a queued commit.
    expect_waiting(page, "正在导入")
    expect(page.locator("#commit-form")).to_have_count(0)
    job.refresh_from_db()
    assert (job.status, job.mode) == ("committing", "skip")
    assert Person.objects.filter(name__startswith="柏").count() == 0

    [committed] = queue.run()
    assert committed.task_path == "yicai.exchange.tasks.commit_import"

    expect(page.locator("#job-state")).to_have_text("已导入")
    expect(page.locator("#job-done")).to_contain_text("导入完成：新增 4 人，更新 0 人。")
    expect(page.get_by_role("progressbar")).to_have_count(0)
    after = set(Person.objects.filter(institution=world.a).values_list("name", flat=True))
    assert after == before | set(GOOD)
    assert set(Person.objects.filter(name__startswith="柏").values_list("name", flat=True)) == set(
        GOOD
    )
    assert Person.objects.get(name="柏三").department == world.a_cardio_ward
    assert Person.objects.get(name="柏四").department == world.a_surgery
    imported = AuditEntry.objects.filter(event=AuditEntry.Event.IMPORT, actor=world.hospital_a)
    assert imported.filter(object_repr__contains=SHEET).count() == 1

    # The same file again: all four are unchanged, the two bad rows still bad, nothing to do.
    upload(page, sheet)
    expect_waiting(page, "排队中", "排队等待处理")
    queue.run()
    expect(page.locator("#job-state")).to_have_text("待确认导入")
    assert counts(page) == {
        "new": "0",
        "updated": "0",
        "unchanged": "4",
        "invalid": "2",
        "warned": "0",
    }
    # Two rows still have errors: the banner says so, not that all matches the file.
    expect(page.locator("#commit-form")).to_contain_text(
        "2 行有错误，未能导入；其余 4 行与档案一致"
    )
    expect(page.get_by_role("button", name="确认导入")).to_have_count(0)
    expect(page.locator("#problems tbody tr")).to_have_count(len(BAD))
    assert Person.objects.filter(name__startswith="柏").count() == len(GOOD)

    page.get_by_label("breadcrumb").get_by_role("link", name="数据导入").click()
    jobs = page.locator("tbody tr").filter(has_text=SHEET)
    expect(jobs).to_have_count(2)
    expect(jobs.filter(has_text="已导入")).to_have_count(1)
    expect(jobs.filter(has_text="待确认导入")).to_have_count(1)
