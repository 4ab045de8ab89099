"""Reads shared by the import pages."""

from django.db.models import QuerySet
from django.http import Http404

from yicai.access.models import RequestUser, User
from yicai.access.scope import scoped
from yicai.exchange.models import ImportJob


def jobs_for(user: RequestUser) -> QuerySet[ImportJob]:
    """Imports of the institutions the user keeps records for, and the user's own."""
    jobs = ImportJob.objects.select_related("user")
    own = jobs.filter(user=user) if isinstance(user, User) else jobs.none()
    return scoped(user, jobs, "person.edit") | own


def job_for(user: RequestUser, token: str) -> ImportJob:
    job = jobs_for(user).filter(token=token).first()
    if job is None:
        raise Http404
    return job


def jobs_awaiting_confirmation(user: RequestUser) -> QuerySet[ImportJob]:
    """The user's own imports, checked and waiting for them to confirm (or cancel), newest
    first. Whoever uploads a file confirms it; a colleague's upload is theirs to confirm."""
    if not isinstance(user, User):
        return ImportJob.objects.none()
    return (
        jobs_for(user)
        .filter(user=user, status=ImportJob.Status.READY)
        .order_by("-created_at", "-id")
    )
