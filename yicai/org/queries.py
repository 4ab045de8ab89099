"""Reads of institutions and departments, always scoped."""

from django.db.models import Count, Q, QuerySet

from yicai.access.scope import get_for, scoped
from yicai.org.models import Department, DisciplineDesignation, Institution


def institutions_for(user, permission: str = "org.view") -> QuerySet[Institution]:
    return scoped(
        user, Institution.objects.select_related("region", "commission_region"), permission
    )


def institution_list(user, *, relation: str = "", kind: str = "", q: str = ""):
    institutions = institutions_for(user)
    if relation:
        institutions = institutions.filter(relation=relation)
    if kind:
        institutions = institutions.filter(kind=kind)
    if q:
        institutions = institutions.filter(Q(name__icontains=q) | Q(short_name__icontains=q))
    # One query whatever the number of rows; staff counted only as far as the user may see.
    return (
        Institution.objects.filter(pk__in=institutions.values("pk"))
        .select_related("region")
        .annotate(
            staff_count=Count("people", filter=_visible_people(user), distinct=True),
            department_count=Count("departments", distinct=True),
        )
        .order_by("relation", "-grade", "name")
    )


def institution_for(user, pk, permission: str = "org.view") -> Institution:
    return get_for(
        user, Institution.objects.select_related("region", "commission_region"), pk, permission
    )


def departments_for(user, permission: str = "org.view") -> QuerySet[Department]:
    return scoped(user, Department.objects.select_related("institution", "parent"), permission)


def departments_of(user, institution: Institution):
    return (
        departments_for(user)
        .filter(institution=institution)
        .annotate(staff_count=Count("people", filter=_visible_people(user), distinct=True))
        .order_by("name")
    )


def designations_of(user, institution: Institution) -> QuerySet[DisciplineDesignation]:
    return scoped(
        user, DisciplineDesignation.objects.select_related("department", "lead"), "org.view"
    ).filter(department__institution=institution)


def _visible_people(user) -> Q:
    from yicai.people.queries import people_for

    return Q(people__in=people_for(user).values("pk"))


def people_of(user, institution_id: int | None) -> QuerySet:
    """The people of an institution that the user may see (a discipline's lead is one)."""
    from yicai.people.queries import people_for

    return people_for(user).filter(institution_id=institution_id).order_by("name_initials")


def department_for(user, institution: Institution, pk, permission: str = "org.view"):
    return get_for(user, Department.objects.filter(institution=institution), pk, permission)


def designation_for(user, institution: Institution, pk, permission: str = "org.view"):
    designations = DisciplineDesignation.objects.filter(department__institution=institution)
    return get_for(user, designations, pk, permission)
