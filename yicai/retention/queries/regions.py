"""Where a new record of 留 belongs: the region of the commission the user works for, or of
their institution's commission (one rule for funds, policies, rounds, lodges, competitions,
on the pages and over the API)."""

from yicai.access.models import RequestUser
from yicai.access.scope import assignments, commission_regions, role_may
from yicai.org.models import Region


def commission_region(user: RequestUser, permission: str) -> Region | None:
    """The region of the commission the user works for with `permission`, or None."""
    ids = commission_regions(user, permission)
    return Region.objects.filter(pk=ids[0]).first() if ids else None


def region_of(user: RequestUser, permission: str) -> Region | None:
    """Their commission's region, or else the commission region of the institution they work
    for with `permission` (a hospital's lodge, a hospital's competition)."""
    found = commission_region(user, permission)
    if found is not None:
        return found
    for assignment in assignments(user):
        if assignment.institution is not None and role_may(assignment.role, permission):
            return assignment.institution.commission_region
    return None
