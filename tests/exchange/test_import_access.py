"""Who may import, and who sees an import: the import pages through the scope module."""

import datetime
import io
import os
import time

import openpyxl
import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.conftest import login
from tests.exchange.importing import person_row, preview, xlsx
from yicai.access.models import AuditEntry
from yicai.exchange import services
from yicai.exchange.models import ImportJob
from yicai.people.models import Person

pytestmark = pytest.mark.django_db

IMPORTERS = ["commission", "hospital_a", "hospital_b"]
OTHERS = ["dept_head", "mentor", "trainee", "auditor", "security", "nobody"]


@pytest.mark.parametrize("persona", IMPORTERS + OTHERS)
def test_only_record_keepers_open_the_import_page_and_its_templates(world, client, persona):
    login(client, getattr(world, persona))
    expected = 200 if persona in IMPORTERS else 403
    assert client.get("/exchange/imports/").status_code == expected
    assert client.get("/exchange/templates/people.xlsx").status_code == expected


@pytest.fixture
def a_job(world):
    return preview(world.hospital_a, xlsx([person_row("甲院新人"), person_row("坏", 现职称="无")]))


@pytest.mark.parametrize(
    ("persona", "sees"),
    [("hospital_a", True), ("commission", True), ("hospital_b", False)]
    + [(persona, False) for persona in OTHERS],
)
def test_an_import_is_seen_only_within_its_institutions_scope(world, client, a_job, persona, sees):
    login(client, getattr(world, persona))
    page = client.get(f"/exchange/imports/{a_job.token}/")
    report = client.get(f"/exchange/imports/{a_job.token}/problems.xlsx")
    assert (page.status_code, report.status_code) == ((200, 200) if sees else (404, 404))
    listing = client.get("/exchange/imports/")
    if listing.status_code == 200:
        assert (a_job.original_name in listing.content.decode()) is sees


@pytest.mark.parametrize("persona", ["hospital_b", "dept_head", "trainee", "nobody"])
def test_nobody_outside_the_scope_can_commit_or_cancel_it(world, client, a_job, persona):
    login(client, getattr(world, persona))
    data = {"skip_invalid": "1"}
    assert client.post(f"/exchange/imports/{a_job.token}/commit/", data).status_code == 404
    assert client.post(f"/exchange/imports/{a_job.token}/cancel/").status_code == 404
    a_job.refresh_from_db()
    assert a_job.status == ImportJob.Status.READY
    assert not Person.objects.filter(name="甲院新人").exists()


def test_the_owner_commits_from_the_page_and_the_audit_log_names_the_file(
    world, client, a_job, django_capture_on_commit_callbacks
):
    login(client, world.hospital_a)
    response = client.post(f"/exchange/imports/{a_job.token}/commit/")  # errors, not skipped
    assert response.status_code == 302
    a_job.refresh_from_db()
    assert a_job.status == ImportJob.Status.READY  # refused: one row has an error
    with django_capture_on_commit_callbacks(execute=True):  # the task runs at commit
        client.post(f"/exchange/imports/{a_job.token}/commit/", {"skip_invalid": "1"})
    a_job.refresh_from_db()
    assert (a_job.status, a_job.created) == (ImportJob.Status.DONE, 1)
    page = client.get(f"/exchange/imports/{a_job.token}/").content.decode()
    assert "导入完成" in page
    assert not a_job.plan_path.exists()  # the upload and plan are gone once imported
    entries = AuditEntry.objects.filter(event=AuditEntry.Event.IMPORT, actor=world.hospital_a)
    assert entries.filter(object_repr__contains=a_job.original_name).exists()


def test_a_commit_whose_worker_died_can_be_cancelled_after_a_while(world, client, a_job):
    services.import_job_request_commit(job=a_job, user=world.hospital_a, skip_invalid=True)
    login(client, world.hospital_a)
    client.post(f"/exchange/imports/{a_job.token}/cancel/")
    a_job.refresh_from_db()
    assert a_job.status == ImportJob.Status.COMMITTING  # still working: not cancellable
    old = time.time() - 16 * 60
    os.utime(a_job.progress_path, (old, old))  # no progress for 16 minutes
    page = client.get(f"/exchange/imports/{a_job.token}/").content.decode()
    assert "可能已中断" in page
    client.post(f"/exchange/imports/{a_job.token}/cancel/")
    a_job.refresh_from_db()
    assert a_job.status == ImportJob.Status.CANCELLED


def test_unconfirmed_jobs_are_cancelled_and_their_uploads_deleted_after_a_week(world, a_job):
    upload = a_job.folder / f"upload{a_job.extension}"
    assert upload.exists()
    call_command("imports", "purge", "--older-than", "7", stdout=io.StringIO())
    a_job.refresh_from_db()
    assert a_job.status == ImportJob.Status.READY  # a fresh job stays
    ImportJob.objects.filter(pk=a_job.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=8)
    )
    out = io.StringIO()
    call_command("imports", "purge", "--older-than", "7", stdout=out)
    a_job.refresh_from_db()
    assert a_job.status == ImportJob.Status.CANCELLED
    assert not upload.exists() and not a_job.plan_path.exists()
    assert out.getvalue().startswith("1 import jobs")


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_import_list_exports_within_its_scope(world, client, a_job, fmt):
    login(client, world.hospital_b)
    other = client.get(f"/exchange/imports/?export={fmt}")
    login(client, world.hospital_a)
    own = client.get(f"/exchange/imports/?export={fmt}")
    assert (own.status_code, other.status_code) == (200, 200)
    own_bytes, other_bytes = b"".join(own.streaming_content), b"".join(other.streaming_content)
    if fmt == "csv":
        assert a_job.original_name in own_bytes.decode("utf-8-sig")
        assert a_job.original_name not in other_bytes.decode("utf-8-sig")
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(own_bytes)).active
        assert sheet.cell(2, 1).value == a_job.original_name
        assert openpyxl.load_workbook(io.BytesIO(other_bytes)).active.max_row == 1
    assert AuditEntry.objects.filter(event=AuditEntry.Event.EXPORT, actor=world.hospital_a).exists()
