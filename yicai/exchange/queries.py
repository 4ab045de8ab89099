"""Reads shared by the import pages."""

from django.db.models import QuerySet
from django.http import Http404

from yicai.access.scope import scoped
from yicai.exchange.models import ImportJob


def jobs_for(user) -> QuerySet[ImportJob]:
    """Imports of the institutions the user keeps records for, and the user's own."""
    jobs = ImportJob.objects.select_related("user")
    return scoped(user, jobs, "person.edit") | jobs.filter(user=user)


def job_for(user, token) -> ImportJob:
    job = jobs_for(user).filter(token=token).first()
    if job is None:
        raise Http404
    return job


def jobs_awaiting_confirmation(user) -> QuerySet[ImportJob]:
    """The user's own imports, checked and waiting for them to confirm (or cancel), newest
    first. Whoever uploads a file confirms it; a colleague's upload is theirs to confirm."""
    return (
        jobs_for(user)
        .filter(user=user, status=ImportJob.Status.READY)
        .order_by("-created_at", "-id")
    )
