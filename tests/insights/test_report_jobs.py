"""The annual report's files made in the background: asked for on the page or over the API,
queued, made section by section with the bar's progress, kept under a random name, downloaded
(audited with the period) by the user who asked only; a failure keeps its error and is tried
again; old jobs are purged with their files. The task runs as the worker would (the immediate
backend, at commit)."""

import datetime
import io
import os
import re
import time

import openpyxl
import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from tests.builders import once_per_module
from tests.conftest import login
from tests.insights.annual_scenarios import (
    BAOSHAN_INTRODUCTIONS,
    CHANGTAI_SUBSIDY,
    INTERVENTIONS,
    SIXIAN_ROUND,
    record_sources,
)
from tests.pdf import page_text
from yicai.access.models import AuditEntry, RoleAssignment
from yicai.insights import annual
from yicai.insights.annual import annual_report
from yicai.insights.models import ReportJob

pytestmark = pytest.mark.django_db
D = datetime.date
JOBS = "/reports/annual/jobs/"
API = "/api/v1/insights/report/jobs/"
SECTIONS = ["一、人才队伍", "二、引才", "三、育才", "四、留才", "五、学科建设", "六、考核"]
HTMX = {"HTTP_HX_REQUEST": "true"}

_built, records = once_per_module(record_sources)


def _url(job: ReportJob, then: str = "") -> str:
    return f"{JOBS}{job.pk}/{then}"


def _ask(client, **values) -> ReportJob:
    response = client.post(JOBS, values)
    assert response.status_code == 302, response.content.decode()[:500]
    job = ReportJob.objects.latest("pk")
    assert response["Location"] == _url(job)
    return job


def test_the_pdf_is_made_in_the_background_and_says_what_the_page_says(
    client, records, django_capture_on_commit_callbacks
):
    world = records
    login(client, world.commission)
    with django_capture_on_commit_callbacks() as queued:
        job = _ask(client, since="2021-01-01", until="2023-12-31", format="pdf")
    # Queued: the page shows the bar, polls itself, and without JavaScript a link refreshes it.
    assert (job.status, job.progress, job.requested_by, job.format) == (
        "queued",
        0,
        world.commission,
        "pdf",
    )
    assert (job.region, job.institution) == (world.a.commission_region, None)
    waiting = client.get(_url(job)).content.decode()
    assert "排队等待处理" in waiting and 'aria-valuenow="0"' in waiting
    assert f'hx-get="{_url(job)}" hx-trigger="every 1s"' in waiting
    assert f'<a href="{_url(job)}" id="report-job-refresh">刷新进度</a>' in waiting
    polled = client.get(_url(job), **HTMX).content.decode()
    assert polled.lstrip().startswith('<div id="report-job-status"') and "<html" not in polled
    assert client.get(_url(job, "file/")).status_code == 404  # nothing to download yet

    for callback in queued:  # the commit hands the task to the worker, which runs it
        callback()
    job.refresh_from_db()
    assert (job.status, job.progress, job.stage, job.error) == ("done", 100, "已完成", "")
    # The bar moved section by section, 90 % for the six, the drawing of the file the rest.
    assert [(s["title"], s["progress"]) for s in job.sections] == list(
        zip(SECTIONS, [15, 30, 45, 60, 75, 90], strict=True)
    )
    assert job.finished_at is not None and job.attempt == 1
    # Kept under MEDIA_ROOT, under a random name.
    assert re.fullmatch(r"reports/[0-9a-f]{32}\.pdf", job.file.name)
    assert (settings.MEDIA_ROOT / job.file.name).stat().st_size == job.size > 0

    done = client.get(_url(job)).content.decode()
    assert "hx-trigger" not in done and "progressbar" not in done
    assert f'href="{_url(job, "file/")}" id="report-job-download"' in done
    download = client.get(_url(job, "file/"))
    assert download["Content-Type"] == "application/pdf"
    assert "attachment" in download["Content-Disposition"]
    pdf = b"".join(download.streaming_content)
    shown = page_text(pdf)
    flat = shown.replace("\n", "")
    # Every sentence of the page's report, and its contents.
    made = annual_report(world.commission, D(2021, 1, 1), D(2023, 12, 31))
    assert job.title == made.title
    assert made.title.endswith("人才工作报告（2021-01-01至2023-12-31）")
    for line in made.text.splitlines():
        assert line in flat, line
    for said in (BAOSHAN_INTRODUCTIONS, SIXIAN_ROUND, CHANGTAI_SUBSIDY, INTERVENTIONS):
        assert said in flat
    assert "目录" in shown and shown.count("五、学科建设") >= 2  # heading and contents

    # The download is audited as the export it is, with the period.
    [entry] = AuditEntry.objects.filter(event=AuditEntry.Event.EXPORT)
    assert entry.actor == world.commission
    assert entry.object_repr == f"{made.title}（PDF）"
    assert entry.additional_data["filters"] == {
        "since": "2021-01-01",
        "until": "2023-12-31",
        "format": "pdf",
        "job": str(job.pk),
    }
    # The report page lists it among the user's recent files.
    page = client.get("/reports/annual/", {"year": 2023}).content.decode()
    assert f'<a href="{_url(job)}">{made.title}（PDF）</a>' in page


def test_the_progress_callback_leaves_the_report_as_it_was(records):
    world = records
    told = []
    with_progress = annual_report(
        world.commission,
        D(2023, 1, 1),
        D(2023, 12, 31),
        lambda section, done, total: told.append((section.title, done, total)),
    )
    assert with_progress == annual_report(world.commission, D(2023, 1, 1), D(2023, 12, 31))
    assert told == [(title, n, 6) for n, title in enumerate(SECTIONS, start=1)]


def test_the_workbook_of_a_year_from_htmx_and_the_same_file_asked_twice(
    client, records, django_capture_on_commit_callbacks
):
    world = records
    login(client, world.hospital_a)
    with django_capture_on_commit_callbacks() as queued:
        first = client.post(
            JOBS, {"since": "2023-01-01", "until": "2023-12-31", "format": "xlsx"}, **HTMX
        )
        again = client.post(
            JOBS, {"since": "2023-01-01", "until": "2023-12-31", "format": "xlsx"}, **HTMX
        )
    # htmx gets the bar in place, polling; a second click while it is made is the same job.
    [job] = ReportJob.objects.all()
    for answer in (first, again):
        assert answer.status_code == 200
        assert f'hx-get="{_url(job)}" hx-trigger="every 1s"' in answer.content.decode()
    assert len(queued) == 1
    assert (job.institution, job.region) == (world.a, None)
    queued[0]()
    job.refresh_from_db()
    assert job.status == "done" and job.file.name.endswith(".xlsx")
    workbook = b"".join(client.get(_url(job, "file/")).streaming_content)
    first_sheet = openpyxl.load_workbook(io.BytesIO(workbook)).worksheets[0]
    assert first_sheet["A1"].value == job.title == f"{world.a.name}2023年度人才工作报告"
    text = "\n".join(row[0] or "" for row in first_sheet.iter_rows(values_only=True))
    assert INTERVENTIONS in text and CHANGTAI_SUBSIDY in text  # all of A's
    exported = AuditEntry.objects.get(event=AuditEntry.Event.EXPORT)
    assert exported.additional_data["filters"]["format"] == "xlsx"


@pytest.fixture
def a_file(records, django_capture_on_commit_callbacks):
    """Hospital A's workbook of 2023, made."""
    from yicai.insights.report_jobs import report_job_create

    with django_capture_on_commit_callbacks(execute=True):
        job = report_job_create(
            by=records.hospital_a, format="xlsx", since=D(2023, 1, 1), until=D(2023, 12, 31)
        )
    job.refresh_from_db()
    assert job.status == "done"
    return job


@pytest.mark.parametrize(
    ("persona", "status"),
    [("hospital_b", 404), ("commission", 404), ("dept_head", 403), ("trainee", 403)],
)
def test_only_the_user_who_asked_reads_the_job_and_its_file(
    client, as_api, records, a_file, persona, status
):
    """Another institution's user, and the commission over it, get 404 (the job is whoever
    asked for it); roles that export no reports 403."""
    user = getattr(records, persona)
    login(client, user)
    assert client.get(_url(a_file)).status_code == status
    assert client.get(_url(a_file, "file/")).status_code == status
    assert client.post(_url(a_file, "retry/")).status_code == status
    api = as_api(user)
    assert api.get(f"{API}{a_file.pk}/").status_code == status
    assert api.get(f"{API}{a_file.pk}/file/").status_code == status
    if status == 404:
        assert a_file.title not in client.get("/reports/annual/").content.decode()
        assert api.get(API).json()["results"] == []
    assert not AuditEntry.objects.filter(event=AuditEntry.Event.EXPORT).exists()
    login(client, records.hospital_a)
    assert client.get(_url(a_file, "file/")).status_code == 200


def test_a_failed_build_keeps_its_error_and_is_tried_again(
    client, records, monkeypatch, django_capture_on_commit_callbacks
):
    world = records
    login(client, world.hospital_a)

    def broken(*args):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(annual, "_retain", broken)
    with django_capture_on_commit_callbacks(execute=True):
        job = _ask(client, year="2023", format="pdf")
    job.refresh_from_db()
    assert (job.status, job.progress, job.file.name) == ("failed", 45, "")
    assert job.error == "生成报告时出错（已完成 3 个部分），请重试；仍不成功请联系系统管理员。"
    assert [s["title"] for s in job.sections] == SECTIONS[:3]
    page = client.get(_url(job)).content.decode()
    assert job.error in page and "hx-trigger" not in page
    assert f'action="{_url(job, "retry/")}"' in page and "重试" in page
    assert client.get(_url(job, "file/")).status_code == 404

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(_url(job, "retry/"), **HTMX)
    assert again.status_code == 200 and 'id="report-job-status"' in again.content.decode()
    job.refresh_from_db()
    assert (job.status, job.progress, job.error, job.attempt) == ("done", 100, "", 2)
    # A file made is not made again.
    refused = client.post(_url(job, "retry/"))
    assert refused.status_code == 302
    assert "该报告正在生成或已经生成，无需重试。" in client.get(_url(job)).content.decode()


def test_a_user_who_lost_the_permission_meanwhile_gets_no_file(
    client, records, django_capture_on_commit_callbacks
):
    world = records
    login(client, world.hospital_a)
    with django_capture_on_commit_callbacks() as queued:
        job = _ask(client, year="2023", format="xlsx")
    RoleAssignment.objects.filter(user=world.hospital_a).delete()
    queued[0]()
    job.refresh_from_db()
    assert (job.status, job.error, job.file.name) == (
        "failed",
        "申请人已没有导出统计报告的权限，报告未生成。",
        "",
    )


def test_a_stalled_job_is_offered_again_and_wrong_requests_are_refused(
    client, records, django_capture_on_commit_callbacks
):
    world = records
    login(client, world.hospital_b)
    with django_capture_on_commit_callbacks() as queued:
        job = _ask(client, year="2022", format="pdf")
    assert len(queued) == 1  # its worker never comes
    ReportJob.objects.filter(pk=job.pk).update(
        updated_at=timezone.now() - datetime.timedelta(minutes=16)
    )
    page = client.get(_url(job)).content.decode()
    assert "该任务长时间没有进展" in page and "hx-trigger" not in page and "重试" in page
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(_url(job, "retry/")).status_code == 302
    job.refresh_from_db()
    assert (job.status, job.attempt) == ("done", 2)

    # A wrong period or format, by field, on the page and for htmx; three files at a time.
    wrong = client.post(JOBS, {"since": "2023-12-31", "until": "2023-01-01", "format": "doc"})
    assert wrong.status_code == 400
    said = wrong.content.decode()
    assert "截止日：截止日不能早于起始日。" in said and "文件格式：" in said
    fragment = client.post(JOBS, {"since": "2023-01-01", "format": "pdf"}, **HTMX)
    assert fragment.status_code == 400
    assert "截止日：起始日和截止日须同时填写。" in fragment.content.decode()
    with django_capture_on_commit_callbacks():  # none of them runs
        for year in (2019, 2020, 2021):
            _ask(client, year=str(year), format="pdf")
        busy = client.post(JOBS, {"year": "2018", "format": "pdf"})
    assert busy.status_code == 400
    assert "您已有 3 份报告正在生成，请等其完成后再申请。" in busy.content.decode()
    assert ReportJob.objects.filter(requested_by=world.hospital_b).count() == 4


def test_the_api_asks_follows_and_downloads_with_the_same_rules(
    as_api, records, django_capture_on_commit_callbacks
):
    world = records
    api = as_api(world.commission)
    with django_capture_on_commit_callbacks() as queued:
        asked = api.post(API, {"format": "xlsx", "year": 2023}, format="json")
    assert asked.status_code == 202
    job = asked.json()
    assert (job["report_job_status"], job["progress"], job["file"]) == ("queued", 0, None)
    assert (job["since"], job["until"], job["format"]) == ("2023-01-01", "2023-12-31", "xlsx")
    queued[0]()
    followed = api.get(f"{API}{job['id']}/").json()
    assert (followed["report_job_status"], followed["report_job_status_display"]) == (
        "done",
        "已完成",
    )
    assert followed["progress"] == 100 and followed["stage"] == "已完成"
    assert [s["progress"] for s in followed["sections"]] == [15, 30, 45, 60, 75, 90]
    assert followed["file"] == f"{API}{job['id']}/file/"
    workbook = api.get(followed["file"])
    assert workbook.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(workbook.streaming_content)))
    assert book.worksheets[0]["A1"].value == followed["title"]
    assert AuditEntry.objects.get(event=AuditEntry.Event.EXPORT).additional_data["filters"] == {
        "since": "2023-01-01",
        "until": "2023-12-31",
        "format": "xlsx",
        "job": str(job["id"]),
    }
    assert [row["id"] for row in api.get(API).json()["results"]] == [job["id"]]
    # The page's rules and words: the period read by its form, a made file not made again.
    refused = api.post(API, {"format": "xlsx", "since": "2023-01-01"}, format="json")
    assert refused.status_code == 400
    assert refused.json() == {"until": ["起始日和截止日须同时填写。"]}
    assert api.post(API, {"format": "doc"}, format="json").status_code == 400
    again = api.post(f"{API}{job['id']}/retry/", {}, format="json")
    assert again.status_code == 400
    assert again.json() == {"non_field_errors": ["该报告正在生成或已经生成，无需重试。"]}


def test_polling_the_bar_takes_the_same_few_queries(
    client, records, a_file, django_assert_max_num_queries
):
    login(client, records.hospital_a)
    client.get(_url(a_file), **HTMX)
    with django_assert_max_num_queries(8):
        assert client.get(_url(a_file), **HTMX).status_code == 200


def test_old_jobs_and_stray_files_are_purged(records, a_file):
    folder = settings.MEDIA_ROOT / "reports"
    old_file = settings.MEDIA_ROOT / a_file.file.name
    stray = folder / "0123456789abcdef0123456789abcdef.pdf"
    stray.write_bytes(b"%PDF-")
    week_ago = time.time() - 8 * 86400
    os.utime(stray, (week_ago, week_ago))
    ReportJob.objects.filter(pk=a_file.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=8)
    )
    out = io.StringIO()
    call_command("reports", "purge", "--older-than", "7", stdout=out)
    assert out.getvalue().strip() == "1 report jobs deleted, with their files"
    assert not ReportJob.objects.exists()
    assert not old_file.exists() and not stray.exists()
