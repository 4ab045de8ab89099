"""The annual report made as a file in the background (docs/conventions.md: long work runs in
the background with its progress shown): the services and the queries of `ReportJob`, for the
page (`report_views`) and the API (`report_api`) alike.

A user asks for the PDF or the workbook of a period (`report_job_create`): a row says who
asked, what the report is of (their commission's region or their institution, as
`annual.report_scope` says), the period, the format and the language of the page, and the
worker is given the task (`tasks.build_annual_report`). The worker (`report_job_run`) makes
the report as the page does, through the asking user's scope, saving after each section how
far it is (the sections take 90 % of the bar, drawing the file the rest), then keeps the file
under MEDIA_ROOT under a random name (`yicai.documents.KeptUnder`). A build that fails keeps
its error, in words, and may be tried again (`report_job_retry`), as may one whose worker died
(no sign of life for 15 minutes).

Who reads a job (`report_jobs_for`): the user who asked, while they may export reports
(insights.export) of the region or institution it is of, through the scope module; anyone
else gets a 404. A colleague with the same scope makes their own file: an export is handed
to whoever asked for it, and its audit entry names them. Downloading (`report_job_file`) is
audited as the export, with the period. `yicai reports purge` deletes old jobs and files."""

import datetime
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.http import FileResponse, Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from yicai.access import audit
from yicai.access.models import RequestUser, User
from yicai.access.scope import get_for, has_perm, require, scoped
from yicai.documents import download
from yicai.insights import annual
from yicai.insights.annual_files import report_pdf, report_xlsx
from yicai.insights.models import REPORT_STALLED_AFTER_SECONDS, ReportJob
from yicai.insights.queries import EXPORT

log = logging.getLogger(__name__)
Status = ReportJob.Status

DRAWERS: dict[str, Callable[[annual.Report], bytes]] = {
    ReportJob.Format.PDF: report_pdf,
    ReportJob.Format.XLSX: report_xlsx,
}
# The share of the bar the sections take; drawing the file takes the rest.
SECTIONS_SHARE = 90
# How many files a user may have in the making at once.
MAX_ACTIVE = 3
FOLDER = "reports"  # under MEDIA_ROOT, as ReportJob.file keeps them


# --- Reads ----------------------------------------------------------------------------------


def report_jobs_for(user: RequestUser) -> QuerySet[ReportJob]:
    """The user's own report jobs, of the region or institution they may still export reports
    of, newest first."""
    if not isinstance(user, User):
        return ReportJob.objects.none()
    return scoped(user, ReportJob.objects.filter(requested_by=user), EXPORT)


def report_job_for(user: RequestUser, pk: object) -> ReportJob:
    """One of `report_jobs_for`; 404 for anyone else's, or a malformed id."""
    if not isinstance(user, User):
        raise Http404
    return get_for(user, ReportJob.objects.filter(requested_by=user), pk, EXPORT)


def recent_report_jobs(user: RequestUser, count: int = 5) -> list[ReportJob]:
    return list(report_jobs_for(user)[:count])


def _stalled_before() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(seconds=REPORT_STALLED_AFTER_SECONDS)


# --- Writes ---------------------------------------------------------------------------------


@transaction.atomic
def report_job_create(
    *, by: RequestUser, format: str, since: datetime.date, until: datetime.date
) -> ReportJob:
    """Ask for the report of `since`..`until` as a file: the job, queued for the worker once
    the transaction commits. The same file asked again while it is being made is that job."""
    require(by, EXPORT)
    if not isinstance(by, User):  # no account holds no permission: for the type checker
        raise PermissionDenied
    errors: dict[str, str] = {}
    if format not in ReportJob.Format.values:
        errors["format"] = _("请选择 PDF 或 Excel。")
    if until < since:
        errors["until"] = _("截止日不能早于起始日。")
    if errors:
        raise ValidationError(errors)
    making = ReportJob.objects.filter(
        requested_by=by, status__in=ReportJob.ACTIVE, updated_at__gte=_stalled_before()
    )
    same = making.filter(format=format, since=since, until=until).first()
    if same is not None:
        return same
    if making.count() >= MAX_ACTIVE:
        raise ValidationError(_("您已有 %d 份报告正在生成，请等其完成后再申请。") % MAX_ACTIVE)
    region, institution = annual.report_scope(by)
    job = ReportJob.objects.create(
        requested_by=by,
        region=region,
        institution=institution,
        since=since,
        until=until,
        format=format,
        language=translation.get_language() or settings.LANGUAGE_CODE,
        title=annual.report_title(annual.scope_name(by), since, until)[:300],
    )
    if not report_jobs_for(by).filter(pk=job.pk).exists():
        # Neither a commission's region nor an institution of theirs: nobody could read it.
        raise ValidationError(_("无法确定报告所属的辖区或机构，请联系系统管理员。"))
    _enqueue(job)
    return job


@transaction.atomic
def report_job_retry(*, job: ReportJob, by: RequestUser) -> None:
    """Try a failed job again, or one whose worker died: queued anew, from the start."""
    require(by, EXPORT)
    retried = (
        ReportJob.objects.filter(pk=job.pk)
        .filter(
            Q(status=Status.FAILED)
            | Q(status__in=ReportJob.ACTIVE, updated_at__lt=_stalled_before())
        )
        .update(
            status=Status.QUEUED,
            attempt=F("attempt") + 1,
            progress=0,
            stage="",
            sections=[],
            error="",
            finished_at=None,
            updated_at=timezone.now(),
        )
    )
    if not retried:
        raise ValidationError(_("该报告正在生成或已经生成，无需重试。"))
    job.refresh_from_db()
    _enqueue(job)


def _enqueue(job: ReportJob) -> None:
    from yicai.insights.tasks import build_annual_report  # the task calls this module

    pk = job.pk
    transaction.on_commit(lambda: build_annual_report.enqueue(pk))


def report_job_run(*, job: ReportJob) -> None:
    """The worker's part: make the report through the asking user's scope, saving how far it
    is after each section, then draw and keep the file. Not one transaction: each step is
    saved as it is done, so that the page shows it; a second worker given the same job, or
    an attempt superseded by a retry, changes nothing."""
    attempt = job.attempt
    if not ReportJob.objects.filter(pk=job.pk, status=Status.QUEUED, attempt=attempt).update(
        status=Status.RUNNING, updated_at=timezone.now()
    ):
        return
    job.status = Status.RUNNING
    with translation.override(job.language):
        _build(job)


def _build(job: ReportJob) -> None:
    user = job.requested_by
    if not user.is_active or not has_perm(user, EXPORT):
        _fail(job, _("申请人已没有导出统计报告的权限，报告未生成。"))
        return
    if annual.report_scope(user) != (job.region, job.institution):
        _fail(job, _("申请人的管辖范围已变更，报告未生成：请重新申请。"))
        return
    made_sections: list[dict[str, Any]] = []

    def progress(section: annual.Section, done: int, total: int) -> None:
        percent = SECTIONS_SHARE * done // total
        made_sections.append({"title": section.title, "progress": percent})
        _saved(job, progress=percent, stage=section.title, sections=made_sections)

    try:
        with audit.acting_as(user):
            made = annual.annual_report(user, job.since, job.until, progress)
            drawing = _("正在生成%s文件") % job.get_format_display()
            _saved(job, progress=SECTIONS_SHARE, stage=drawing, sections=made_sections)
            content = DRAWERS[job.format](made)
    except Exception:
        log.exception("annual report job %s failed", job.pk)
        _fail(
            job,
            _("生成报告时出错（已完成 %(done)d 个部分），请重试；仍不成功请联系系统管理员。")
            % {"done": len(made_sections)},
        )
        return
    job.file.save(f"report.{job.format}", ContentFile(content), save=False)
    finished = _saved(
        job,
        status=Status.DONE,
        progress=100,
        stage=_("已完成"),
        title=made.title[:300],
        file=job.file.name,
        size=len(content),
        finished_at=timezone.now(),
    )
    if not finished:  # retried meanwhile: this attempt's file is nobody's
        job.file.delete(save=False)


def _saved(job: ReportJob, **values: Any) -> bool:
    """Save `values` on the job, if this attempt still runs it (a retry starts another)."""
    values["updated_at"] = timezone.now()
    saved = ReportJob.objects.filter(pk=job.pk, status=Status.RUNNING, attempt=job.attempt).update(
        **values
    )
    for name, value in values.items():
        if name != "file":
            setattr(job, name, value)
    return bool(saved)


def _fail(job: ReportJob, error: str) -> None:
    _saved(job, status=Status.FAILED, error=error, finished_at=timezone.now())


def report_job_file(job: ReportJob) -> FileResponse:
    """The job's file as an attachment named after the report, audited as the export with its
    period (as the page's download was before it was made in the background); 404 while it
    is not made, or once purged."""
    if job.status != Status.DONE:
        raise Http404
    response = download(job.file, job.title)
    audit.record_export(
        f"{job.title}（{job.format.upper()}）",
        {
            "since": job.since.isoformat(),
            "until": job.until.isoformat(),
            "format": job.format,
            "job": str(job.pk),
        },
    )
    return response


def report_jobs_purge(*, older_than_days: int) -> int:
    """Delete the jobs asked for more than `older_than_days` days ago with their files, and
    any file left in the folder that long without a job (a worker stopped between saving
    the file and the row). Returns how many jobs."""
    cutoff = timezone.now() - datetime.timedelta(days=max(older_than_days, 0))
    count = 0
    for job in ReportJob.objects.filter(created_at__lt=cutoff).iterator(chunk_size=500):
        if job.file:
            job.file.delete(save=False)
        job.delete()
        count += 1
    folder = settings.MEDIA_ROOT / FOLDER
    if folder.is_dir():
        kept = {
            name.rpartition("/")[2]
            for name in ReportJob.objects.exclude(file="").values_list("file", flat=True)
        }
        for path in folder.iterdir():
            stale = path.stat().st_mtime < cutoff.timestamp()
            if path.is_file() and stale and path.name not in kept:
                path.unlink(missing_ok=True)
    return count
