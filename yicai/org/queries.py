"""Reads of institutions and departments, always scoped."""

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypedDict

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy
from pypinyin import lazy_pinyin

from yicai.access.models import RequestUser
from yicai.access.scope import get_for, scoped
from yicai.lookups import containing, narrowed
from yicai.org.models import Department, DisciplineDesignation, Institution

# A chosen institution or department the user may not use: one message for every form, API
# field and import row that offers them.
INSTITUTION_OUT_OF_SCOPE = gettext_lazy("所选机构不存在或不在您的管辖范围内。")
DEPARTMENT_OUT_OF_SCOPE = gettext_lazy("所选科室不存在或不在您的管辖范围内。")


class Staff(TypedDict):
    """A department's own staff the user may see, as `departments_of` annotates it."""

    staff_count: int


if TYPE_CHECKING:  # WithAnnotations takes its TypedDict only for the type checker
    from django_stubs_ext import WithAnnotations

    DepartmentWithStaff = WithAnnotations[Department, Staff]


def institutions_for(user: RequestUser, permission: str = "org.view") -> QuerySet[Institution]:
    return scoped(
        user, Institution.objects.select_related("region", "commission_region"), permission
    )


def institution_list(
    user: RequestUser, *, relation: str = "", kind: str = "", q: str = ""
) -> QuerySet[Institution]:
    institutions = narrowed(
        institutions_for(user), containing(q, "name", "short_name"), relation=relation, kind=kind
    )
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


def institution_for(user: RequestUser, pk: int | str, permission: str = "org.view") -> Institution:
    return get_for(
        user, Institution.objects.select_related("region", "commission_region"), pk, permission
    )


def departments_for(user: RequestUser, permission: str = "org.view") -> QuerySet[Department]:
    return scoped(user, Department.objects.select_related("institution", "parent"), permission)


def departments_of(user: RequestUser, institution: Institution) -> QuerySet["DepartmentWithStaff"]:
    return (
        departments_for(user)
        .filter(institution=institution)
        .annotate(staff_count=Count("people", filter=_visible_people(user), distinct=True))
        .order_by("name")
    )


@dataclass
class DepartmentNode:
    """A department in its institution's tree: its depth, its own staff and, with its
    descendants, the staff of the whole branch."""

    department: Department
    depth: int
    staff_count: int
    branch_count: int = 0
    children: list["DepartmentNode"] = field(default_factory=list)


def department_tree(user: RequestUser, institution: Institution) -> list[DepartmentNode]:
    """The institution's departments in tree order (a parent, then its children, by name in
    pinyin order within a level), from one query. A parent that is missing (not visible or
    elsewhere) or a cycle makes a department a root, so the walk always ends."""
    departments = list(departments_of(user, institution).order_by())
    by_pk = {d.pk: d for d in departments}
    children: dict[int | None, list[DepartmentWithStaff]] = {}
    for department in departments:
        parent = department.parent_id if department.parent_id in by_pk else None
        children.setdefault(parent, []).append(department)
    for siblings in children.values():
        siblings.sort(key=_by_pinyin)

    ordered: list[DepartmentNode] = []
    placed: set[int] = set()

    def place(department: "DepartmentWithStaff", depth: int) -> DepartmentNode:
        placed.add(department.pk)
        node = DepartmentNode(department, depth, department.staff_count)
        ordered.append(node)
        for child in children.get(department.pk, ()):
            if child.pk not in placed:
                node.children.append(place(child, depth + 1))
        node.branch_count = node.staff_count + sum(c.branch_count for c in node.children)
        return node

    for root in children.get(None, ()):
        place(root, 0)
    # Departments only reachable through a cycle: each cycle starts at its first by name.
    for department in sorted(departments, key=_by_pinyin):
        if department.pk not in placed:
            place(department, 0)
    return ordered


def _by_pinyin(department: Department) -> tuple[str, str]:
    return "".join(lazy_pinyin(department.name)), department.name


def designations_of(user: RequestUser, institution: Institution) -> QuerySet[DisciplineDesignation]:
    return scoped(
        user, DisciplineDesignation.objects.select_related("department", "lead"), "org.view"
    ).filter(department__institution=institution)


def _visible_people(user: RequestUser) -> Q:
    """The staff a count may include: the people the user may see. People point to org, not
    org to people: the model is reached through the relation rather than imported."""
    person = Institution._meta.get_field("people").related_model
    return Q(people__in=scoped(user, person._default_manager.all(), "person.view").values("pk"))


def department_for(
    user: RequestUser, institution: Institution, pk: int | str, permission: str = "org.view"
) -> Department:
    return get_for(user, Department.objects.filter(institution=institution), pk, permission)


def designation_for(
    user: RequestUser, institution: Institution, pk: int | str, permission: str = "org.view"
) -> DisciplineDesignation:
    designations = DisciplineDesignation.objects.filter(department__institution=institution)
    return get_for(user, designations, pk, permission)
