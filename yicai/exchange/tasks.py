"""Background work for imports: fetch the job, call the service (the work is there)."""

from django_tasks import task

from yicai.exchange import services
from yicai.exchange.models import ImportJob


@task()
def analyse_import(job_id: int) -> None:
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is not None:
        services.import_job_analyse(job=job)


@task()
def commit_import(job_id: int) -> None:
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is not None:
        services.import_job_commit(job=job)
