"""Background work of insights: recount a large scope's home figures; make an annual report's
file (report_jobs)."""

from django_tasks import task

from yicai.access.models import User
from yicai.insights import queries, report_jobs
from yicai.insights.models import ReportJob


@task()
def recount_home_figures(user_id: int) -> None:
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is not None:
        queries.recount(user)


@task()
def build_annual_report(job_id: int) -> None:
    job = ReportJob.objects.select_related("requested_by").filter(pk=job_id).first()
    if job is not None:
        report_jobs.report_job_run(job=job)
