"""Import pages: upload, the preview with its progress bar, commit, the problem report and
the blank templates."""

import tempfile
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_POST

from yicai.access.models import RequestUser
from yicai.access.scope import has_perm
from yicai.exchange import engine, queries, report, services, tasks
from yicai.exchange.forms import UploadForm
from yicai.exchange.models import ImportJob
from yicai.validation import apply_errors
from yicai.web.listing import Export, ListPermissions, list_page
from yicai.web.views import refusal

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _importable(user: RequestUser) -> list[engine.Entity]:
    entities = [entity for entity in engine.entities() if has_perm(user, entity.permission)]
    if not entities:
        raise PermissionDenied
    return entities


# Who may see the imports is who may import something (`_importable`); they export them too.
IMPORTS = ListPermissions(view=None)


@login_required
def import_home(request):
    entities = _importable(request.user)
    form = UploadForm(
        request.POST or None,
        request.FILES or None,
        entities=entities,
        initial={"entity": request.GET.get("entity")},  # a page's link names what to import
    )
    if request.method == "POST" and form.is_valid():
        try:
            job = services.import_job_create(
                user=request.user,
                entity=form.cleaned_data["entity"],
                upload=form.cleaned_data["file"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            transaction.on_commit(lambda: tasks.analyse_import.enqueue(job.pk))
            return redirect("exchange:job", job.token)
    return list_page(
        request,
        IMPORTS,
        "exchange/import_home.html",
        None,
        queries.jobs_for,
        Export(_("导入记录"), JOB_HEADERS, _job_rows, _("导出导入记录")),
        lambda _listing, _filters: {"form": form, "entities": entities},
        fragment=None,
    )


JOB_HEADERS = [
    _lazy("文件"),
    _lazy("导入人"),
    _lazy("上传时间"),
    _lazy("状态"),
    _lazy("数据行"),
    pgettext_lazy("导入结果", "新增"),
    _lazy("更新"),
    _lazy("无变化"),
    _lazy("有错误"),
    _lazy("说明"),
]


def _job_rows(jobs):
    for job in jobs.iterator(chunk_size=2000):
        yield [
            job.original_name,
            job.user.display_name if job.user else _("命令行"),
            job.created_at,
            job.get_status_display(),
            job.total,
            job.new,
            job.updated,
            job.unchanged,
            job.invalid,
            job.message,
        ]


@login_required
def import_job(request, token):
    job = queries.job_for(request.user, token)
    context = {"job": job, "progress": _progress(job)}
    if request.htmx and request.htmx.target == "job-status":
        return render(request, "exchange/import_job.html#status", context)
    return render(request, "exchange/import_job.html", context)


def _progress(job: ImportJob) -> dict[str, object]:
    state = services.read_progress(job)
    total = max(state.get("total") or 1, 1)
    percent = min(100, int(100 * (state.get("done") or 0) / total))
    labels = {"read": _("读取文件"), "analyse": _("逐行检查"), "commit": _("写入数据库")}
    waiting = job.status == ImportJob.Status.QUEUED or (
        job.status == ImportJob.Status.COMMITTING and state.get("stage") != "commit"
    )
    if waiting:  # the worker has not picked the job (or its commit) up yet
        return {"label": _("排队等待处理"), "percent": 0}
    return {
        "label": labels.get(state.get("stage", ""), job.get_status_display()),
        "percent": percent,
    }


@login_required
@require_POST
def import_commit(request, token):
    job = queries.job_for(request.user, token)
    try:
        services.import_job_request_commit(
            job=job, user=request.user, skip_invalid=request.POST.get("skip_invalid") == "1"
        )
    except ValidationError as error:
        messages.error(request, refusal(error))
    else:
        transaction.on_commit(lambda: tasks.commit_import.enqueue(job.pk))
    return redirect("exchange:job", job.token)


@login_required
@require_POST
def import_cancel(request, token):
    job = queries.job_for(request.user, token)
    try:
        services.import_job_cancel(job=job, user=request.user)
    except ValidationError as error:
        messages.error(request, refusal(error))
    return redirect("exchange:job", job.token)


@login_required
def import_report(request, token):
    job = queries.job_for(request.user, token)
    if not job.report_path.exists():
        raise Http404
    name = _("导入问题清单-%s.xlsx") % job.original_name.rsplit(".", 1)[0]
    return _download(job.report_path.open("rb"), name)


@login_required
def import_template(request, entity):
    spec = next((item for item in _importable(request.user) if item.key == entity), None)
    if spec is None:
        raise Http404
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    report.write_template(handle, spec)
    handle.seek(0)
    return _download(handle, _("%s导入模板.xlsx") % spec.title)


def _download(handle, filename: str) -> FileResponse:
    response = FileResponse(handle, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
