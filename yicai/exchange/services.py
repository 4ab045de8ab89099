"""Import jobs: upload, analyse (the preview), commit, cancel.

Analysis writes nothing but the job's own row and files. The commit runs in one transaction:
all rows or none (or, when the user chose it, every valid row), so an import that fails or is
killed halfway leaves the database as it was.
"""

import datetime
import hashlib
import json
import logging
import os
import pickle
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from yicai.access import audit
from yicai.access.models import AuditEntry, RequestUser, User
from yicai.access.scope import has_perm, primary_institution_id, require, scoped
from yicai.exchange import checking, engine, reading, report
from yicai.exchange.models import ImportJob

log = logging.getLogger(__name__)
PREVIEW_PROBLEMS = 200
Status = ImportJob.Status


@dataclass
class ImportContext:
    """Who imports, and where rows without an institution go."""

    job: ImportJob
    user: User | None  # None: the command line
    institutions: QuerySet[Any]  # the institutions the user may import into (org's model)
    default_institution: int | None

    def describe(self) -> dict[str, str]:
        return job_summary(self.job)


def context_for(job: ImportJob) -> ImportContext:
    """Rows go into institutions the user may write the entity's records for; a user who
    keeps one institution's records may leave the institution column out."""
    # Through the app registry: exchange is a library the apps use, and imports none of them.
    institutions = apps.get_model("org", "Institution").objects.filter(active=True)
    if job.user is not None:
        permission = engine.entity_for(job.entity).permission
        institutions = scoped(job.user, institutions, permission)
    ids = list(institutions.values_list("pk", flat=True)[:2])
    default = job.institution_id if job.institution_id in ids else None
    if default is None and job.user is not None and len(ids) == 1:
        default = ids[0]
    return ImportContext(job, job.user, institutions, default)


def import_job_create(*, user: User | None, entity: str, upload: UploadedFile[bytes]) -> ImportJob:
    """Store an upload and queue its analysis; a file that cannot be imported is refused
    with a ValidationError on "file", and nothing is kept."""
    spec = engine.entity_for(entity)
    if user is not None:
        require(user, spec.permission)
    name = os.path.basename(upload.name or "")[:200]
    job = ImportJob(
        entity=spec.key,
        user=user,
        institution_id=primary_institution_id(user) if user is not None else None,
        original_name=name,
        extension=Path(name).suffix.lower()[:8],
        size=upload.size or 0,
    )
    job.folder.mkdir(parents=True, exist_ok=True)
    target = job.folder / f"upload{job.extension}"
    digest = hashlib.sha256()
    try:
        with target.open("wb") as handle:
            for chunk in upload.chunks():
                digest.update(chunk)
                handle.write(chunk)
        reading.check_file(target, name)
    except reading.FileRefused as error:
        shutil.rmtree(job.folder, ignore_errors=True)
        raise ValidationError({"file": str(error)}) from None
    job.file.name = str(target.relative_to(job.folder.parent.parent))
    job.sha256 = digest.hexdigest()
    job.save()
    return job


def import_job_analyse(*, job: ImportJob, keep_plan: bool = False) -> engine.Plan | None:
    """Read, check and classify every row; save the counts, the problem report and the plan.
    With keep_plan the plan is returned instead of saved (the command line commits it in the
    same process)."""
    if not _claim(job, Status.QUEUED, Status.ANALYSING):
        return None
    started = time.perf_counter()
    progress = ProgressFile(job.progress_path)
    try:
        spec = engine.entity_for(job.entity)
        path = Path(job.file.path)
        kind = reading.check_file(path, job.original_name)
        progress("read", 0, 1)
        context = context_for(job)
        with audit.acting_as(job.user), engine.collector_paused():
            prepared = spec.prepare(context)
            located, parts = checking.read_and_check(spec, path, kind, prepared)
            plan = spec.classify(located, parts, context, prepared, progress)
        plan.notes = [
            *located.skipped,
            *(
                engine.Problem(
                    located.header_row, name, "", _("不认识的列，已忽略。"), engine.WARNING
                )
                for name in located.ignored_headers
            ),
            *plan.notes,
        ]
    except reading.FileRefused as error:
        _finish(job, Status.REFUSED, str(error))
        return None
    except Exception:
        log.exception("import %s: analysis failed", job.pk)
        _finish(job, Status.FAILED, _("检查文件时出错，请联系管理员。"))
        return None
    if plan.problems or plan.notes:
        report.write_problems(job.report_path, plan)
    if not keep_plan:  # the page commits later, from another process
        with job.plan_path.open("wb") as handle:
            pickle.dump(plan, handle, protocol=pickle.HIGHEST_PROTOCOL)
    for name, value in plan.counts().items():
        setattr(job, name, value)
    job.problems = [
        [problem.row, problem.column, _shown(problem.value), problem.reason, problem.level]
        for problem in [*plan.problems, *plan.notes][:PREVIEW_PROBLEMS]
    ]
    job.seconds = time.perf_counter() - started
    job.status = Status.READY
    job.save()
    progress("ready", 1, 1)
    return plan if keep_plan else None


SHOWN_LENGTH = 40


def _shown(value: str) -> str:
    """A cell as the preview shows it: a long one cut, with its length (the report has it
    whole)."""
    value = str(value or "")
    if len(value) <= SHOWN_LENGTH:
        return value
    return _("%(start)s…（共 %(length)s 字）") % {
        "start": value[:SHOWN_LENGTH],
        "length": len(value),
    }


def import_job_request_commit(*, job: ImportJob, user: User | None, skip_invalid: bool) -> None:
    """The user confirmed the preview: mark the job for committing (the task does the work)."""
    if user is not None:
        require(user, engine.entity_for(job.entity).permission)
    if job.status != Status.READY:
        raise ValidationError(_("该导入任务当前不能提交。"))
    if job.new + job.updated == 0:
        raise ValidationError(_("没有需要导入的数据行。"))
    if job.invalid and not skip_invalid:
        raise ValidationError(
            _("有 %s 行数据有错误：请修正后重新上传，或选择“跳过错误行”。") % job.invalid
        )
    mode = ImportJob.Mode.SKIP_INVALID if skip_invalid else ImportJob.Mode.ALL_OR_NOTHING
    claimed = ImportJob.objects.filter(pk=job.pk, status=Status.READY).update(
        status=Status.COMMITTING, mode=mode
    )
    if not claimed:
        raise ValidationError(_("该导入任务已在提交中。"))
    job.refresh_from_db()


def import_job_commit(*, job: ImportJob, plan: engine.Plan | None = None) -> None:
    """Write the plan in one transaction. The job must have been marked for committing."""
    if job.status != Status.COMMITTING:
        return
    started = time.perf_counter()
    progress = ProgressFile(job.progress_path)
    try:
        if plan is None:
            with job.plan_path.open("rb") as handle:
                plan = pickle.load(handle)  # noqa: S301 - our own file, see the import note
        spec = engine.entity_for(job.entity)
        # Foreign keys are checked once for the whole batch at the end, as loaddata does,
        # instead of row by row (SQLite can switch this only outside a transaction).
        with (
            connection.constraint_checks_disabled(),
            transaction.atomic(),
            audit.acting_as(job.user),
            engine.collector_paused(),
        ):
            result = spec.commit(plan, context_for(job), progress)
            connection.check_constraints(table_names=spec.tables())
            audit.record(
                AuditEntry.Event.IMPORT,
                summary=_("导入“%(file)s”：新增 %(new)s 条，更新 %(updated)s 条")
                % {
                    "file": job.original_name,
                    "new": result["created"],
                    "updated": result["updated"],
                },
                data={
                    **job_summary(job),
                    "跳过错误行": job.invalid if job.mode == ImportJob.Mode.SKIP_INVALID else 0,
                },
            )
    except ValidationError as error:
        return _finish(
            job, Status.FAILED, _("导入未完成，数据未作任何改动：%s") % "；".join(error.messages)
        )
    except engine.StalePlan as error:
        return _finish(job, Status.FAILED, str(error))
    except Exception:
        log.exception("import %s: commit failed", job.pk)
        return _finish(job, Status.FAILED, _("导入时出错，数据未作任何改动。"))
    job.created, job.changed = result["created"], result["updated"]
    job.seconds += time.perf_counter() - started
    _finish(job, Status.DONE, "")
    _discard_upload(job)
    return None


def import_job_cancel(*, job: ImportJob, user: User | None) -> None:
    if user is not None:
        require(user, engine.entity_for(job.entity).permission)
    if job.status not in (Status.READY, Status.REFUSED, Status.FAILED) and not job.is_stalled:
        raise ValidationError(_("该导入任务当前不能取消。"))
    _finish(job, Status.CANCELLED, "")
    _discard_upload(job)


def import_jobs_purge(*, older_than_days: int) -> int:
    """Cancel jobs left waiting (previewed, refused or failed) for longer than the given
    number of days, and delete their files: the uploads hold identity numbers in clear."""
    cutoff = timezone.now() - datetime.timedelta(days=max(older_than_days, 0))
    waiting = ImportJob.objects.filter(
        status__in=(Status.READY, Status.REFUSED, Status.FAILED), created_at__lt=cutoff
    )
    count = 0
    for job in waiting:
        _finish(job, Status.CANCELLED, _("超过 %s 天未确认，已自动取消。") % older_than_days)
        _discard_upload(job)
        count += 1
    return count


def job_summary(job: ImportJob) -> dict[str, str]:
    return {"导入任务": str(job.pk), "文件": job.original_name, "SHA-256": job.sha256}


def can_import(user: RequestUser, entity: str) -> bool:
    return has_perm(user, engine.entity_for(entity).permission)


def _claim(job: ImportJob, before: str, after: str) -> bool:
    """A conditional update, so two workers never take the same job."""
    if not ImportJob.objects.filter(pk=job.pk, status=before).update(status=after):
        return False
    job.status = after
    return True


def _finish(job: ImportJob, status: str, message: str) -> None:
    job.status = status
    job.message = message
    job.finished_at = timezone.now()
    job.save()
    ProgressFile(job.progress_path)(status, 1, 1)


def _discard_upload(job: ImportJob) -> None:
    """The sheet holds identity numbers in clear; once imported or cancelled it goes."""
    for path in (job.plan_path, Path(job.file.path) if job.file else None):
        if path is not None:
            path.unlink(missing_ok=True)


class ProgressFile:
    """Progress written beside the job's files, not in the database: during the commit the
    transaction holds SQLite's write lock, and the page still wants to show the bar."""

    def __init__(self, path: Path):
        self.path = path
        self.last = 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self.last < 0.2:
            return
        self.last = now
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps({"stage": stage, "done": done, "total": total}))
        temporary.replace(self.path)


def read_progress(job: ImportJob) -> dict[str, Any]:
    try:
        state: dict[str, Any] = json.loads(job.progress_path.read_text())
        return state
    except (OSError, ValueError):
        return {"stage": job.status, "done": 0, "total": 1}
