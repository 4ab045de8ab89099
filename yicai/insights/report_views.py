"""The annual report's files, made in the background (yicai.insights.report_jobs): asked for
with the report page's buttons, followed with a progress bar (in place on the report page
with htmx, on the job's own page without JavaScript, which a plain link refreshes),
downloaded, or tried again after a failure."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from yicai.access.scope import require
from yicai.insights import report_jobs
from yicai.insights.forms import ReportJobForm
from yicai.insights.models import ReportJob
from yicai.insights.queries import EXPORT
from yicai.web.views import refusal

TEMPLATE = "insights/report_job.html"


def _htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))  # django-htmx's middleware sets it


def _status(request: HttpRequest, job: ReportJob, refused: list[str] | None = None) -> HttpResponse:
    """The job's page, or for htmx its status fragment (the polling bar, the link, the
    error and its retry button)."""
    context = {"job": job, "refused": refused or []}
    return render(request, f"{TEMPLATE}#status" if _htmx(request) else TEMPLATE, context)


@login_required
@require_POST
def report_job_create(request: HttpRequest) -> HttpResponseBase:
    """The report page's 生成 PDF / 生成 Excel: the job, then its bar (htmx) or its page."""
    require(request.user, EXPORT)
    form = ReportJobForm(request.POST)
    refused: list[str] = []
    if form.is_valid():
        values = form.cleaned_data
        try:
            job = report_jobs.report_job_create(
                by=request.user,
                format=values["format"],
                since=values["since"],
                until=values["until"],
            )
        except ValidationError as error:
            refused = error.messages
        else:
            if _htmx(request):
                return _status(request, job)
            return redirect("insights:report_job", job.pk)
    else:
        refused = [
            f"{form.fields[name].label}：{message}" if name in form.fields else str(message)
            for name, errors in form.errors.items()
            for message in errors
        ]
    template = f"{TEMPLATE}#refused" if _htmx(request) else TEMPLATE
    return render(request, template, {"job": None, "refused": refused}, status=400)


@login_required
def report_job(request: HttpRequest, pk: int) -> HttpResponseBase:
    require(request.user, EXPORT)
    return _status(request, report_jobs.report_job_for(request.user, pk))


@login_required
def report_job_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    require(request.user, EXPORT)
    return report_jobs.report_job_file(report_jobs.report_job_for(request.user, pk))


@login_required
@require_POST
def report_job_retry(request: HttpRequest, pk: int) -> HttpResponseBase:
    require(request.user, EXPORT)
    job = report_jobs.report_job_for(request.user, pk)
    try:
        report_jobs.report_job_retry(job=job, by=request.user)
    except ValidationError as error:
        if _htmx(request):
            return _status(request, job, error.messages)
        messages.error(request, refusal(error))
    if _htmx(request):
        return _status(request, job)
    return redirect("insights:report_job", job.pk)
