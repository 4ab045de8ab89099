"""The one place that decides which rows a user may see.

A user's role assignments each carry a data scope. `scoped(user, queryset)` turns them into one
filter: the union of the scopes, or nothing for a user without roles. Each model says how to
reach its institution, department and person through `register_model` (most through `hosted`,
`of_person` or `in_region`), and what a person oversees without owning it (a mentor's
apprentices' records); later apps may add scope kinds through `register_scope`. What each role
may do is every app's own declaration (`yicai.registry`), collected here.

Nothing else filters by institution by hand: views, exports, the API and reports call this.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from yicai.access.models import RequestUser, Role, RoleAssignment, Scope, User
from yicai.registry import declared

_M = TypeVar("_M", bound=Model)

# 三员分立: system, security and audit administration are never held by one account.
SEPARATED_ROLES = {Role.COMMISSION_ADMIN, Role.SECURITY_ADMIN, Role.AUDITOR}
OVERSIGHT_ROLES = {Role.SECURITY_ADMIN, Role.AUDITOR}


@cache
def permissions() -> dict[str, frozenset[str]]:
    """What each role may do, beyond which rows it sees: every app's `PERMISSIONS`
    declaration (yicai.registry), collected once."""
    collected: dict[str, frozenset[str]] = {}
    for declaration in declared("PERMISSIONS"):
        for role, granted in declaration.items():
            collected[role] = collected.get(role, frozenset()) | granted
    return collected


def role_may(role: str, permission: str) -> bool:
    return permission in permissions().get(role, frozenset())


@cache
def overseeing() -> frozenset[str]:
    """What a person oversees without owning it they read and confirm, never change: a
    mentor who administers another hospital does not edit the mentorship they teach in there.
    Every app's `OVERSEEING` declaration, collected once."""
    return frozenset().union(*declared("OVERSEEING"))


def __getattr__(name: str) -> object:
    # The collected tables under their old names, for the tests that read or patch them
    # (a patch of PERMISSIONS[role] changes what has_perm answers: it is the same dict).
    if name == "PERMISSIONS":
        return permissions()
    if name == "OVERSEEING":
        return overseeing()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass(frozen=True)
class Paths:
    """How a model reaches the things scopes are about; None where it cannot."""

    institution: str | None = None
    department: str | None = None
    person: str | None = None
    region: str | None = None
    # True when a path crosses a to-many relation, so a row can match more than once.
    distinct: bool = False
    # The rows a person oversees without owning them (a mentor's apprentices' records, a
    # linked leader's trainee's reports), as a filter for that person's id: added to any role
    # of theirs that carries the permission asked for, when it is one of `overseeing()`.
    overseen: Callable[[int], Q] | None = None


def hosted(
    overseen: Callable[[int], Q] | None = None,
    *,
    department: str | None = "department",
    person: str | None = None,
    distinct: bool = False,
) -> Paths:
    """A record an institution keeps (a mentorship, a studio, a visit, a department ...)."""
    return Paths(
        institution="institution",
        department=department,
        person=person,
        region="institution__commission_region",
        distinct=distinct,
        overseen=overseen,
    )


def of_person(to: str = "", overseen: Callable[[int], Q] | None = None) -> Paths:
    """A record about a person (`to`: the path to the row that names them)."""
    return Paths(
        institution=f"{to}person__institution",
        department=f"{to}person__department",
        person=f"{to}person",
        region=f"{to}person__institution__commission_region",
        overseen=overseen,
    )


def in_region(to_region: str) -> Paths:
    """A record of a commission's region as a whole (a programme): seen by the region's
    institutions, their departments and people."""
    here = f"{to_region}__commission_institutions"
    return Paths(
        institution=here,
        department=f"{here}__departments",
        person=f"{here}__people",
        region=to_region,
        distinct=True,
    )


_MODELS: dict[type[Model], Paths] = {}
# scope kind -> function(assignment, paths) -> Q
_SCOPES: dict[str, Callable[[RoleAssignment, Paths], Q]] = {}


def register_model(model: type[Model], paths: Paths) -> None:
    _MODELS[model] = paths


def register_scope(kind: str, build: Callable[[RoleAssignment, Paths], Q]) -> None:
    _SCOPES[kind] = build


def paths_for(model: type[Model]) -> Paths:
    try:
        return _MODELS[model]
    except KeyError:
        raise LookupError(f"{model.__name__} is not registered with the scope module") from None


NOTHING = Q(pk__in=[])


def _tree_ids(node: Model) -> list[int]:
    """A region's or a department's id and its descendants' (each names its `parent`)."""
    ids, frontier = [node.pk], [node.pk]
    while frontier:
        children = type(node)._default_manager.filter(parent_id__in=frontier)
        frontier = list(children.values_list("pk", flat=True))
        ids.extend(frontier)
    return ids


def _all(assignment: RoleAssignment, paths: Paths) -> Q:
    if assignment.region is None:
        return Q()  # the whole installation
    if paths.region is None:
        return NOTHING
    # The region's tree is read once per assignment (assignments are cached per request).
    cached: Any = assignment  # kept on the instance, not a field
    if not hasattr(cached, "_region_ids"):
        cached._region_ids = _tree_ids(assignment.region)
    return Q(**{f"{paths.region}__in": cached._region_ids})


def _institutions(assignment: RoleAssignment, paths: Paths) -> Q:
    if paths.institution is None:
        return NOTHING
    ids = [institution.pk for institution in assignment.institutions.all()]
    return Q(**{f"{paths.institution}__in": ids})


def _own_institution(assignment: RoleAssignment, paths: Paths) -> Q:
    if paths.institution is None or assignment.institution_id is None:
        return NOTHING
    return Q(**{paths.institution: assignment.institution_id})


def _own_department(assignment: RoleAssignment, paths: Paths) -> Q:
    if paths.department is None or assignment.department is None:
        return NOTHING
    return Q(**{f"{paths.department}__in": _tree_ids(assignment.department)})


def _self(assignment: RoleAssignment, paths: Paths) -> Q:
    person_id = assignment.user.person_id
    if person_id is None or paths.person is None:
        return NOTHING
    return Q(**{paths.person: person_id})


register_scope(Scope.ALL, _all)
register_scope(Scope.INSTITUTIONS, _institutions)
register_scope(Scope.OWN_INSTITUTION, _own_institution)
register_scope(Scope.OWN_DEPARTMENT, _own_department)
register_scope(Scope.SELF, _self)
register_scope(Scope.NONE, lambda assignment, paths: NOTHING)


def assignments(user: RequestUser) -> list[RoleAssignment]:
    """The user's assignments, fetched once per request object (none for anyone else)."""
    if not isinstance(user, User) or not user.is_active:
        return []
    held: Any = user  # the cache is kept on the user object, not a field
    cached: list[RoleAssignment] | None = getattr(held, "_yicai_assignments", None)
    if cached is None:
        cached = list(
            RoleAssignment.objects.filter(user=user)
            .select_related("user", "region", "institution", "department")
            .prefetch_related("institutions")
        )
        held._yicai_assignments = cached
    return cached


def roles(user: RequestUser) -> set[str]:
    return {assignment.role for assignment in assignments(user)}


def commission_regions(user: RequestUser, permission: str) -> list[int]:
    """The regions whose commission the user works for with `permission`: the regions of
    their roles tied to a region (an all-scope role) that carry it."""
    return [
        a.region_id
        for a in assignments(user)
        if a.region_id is not None and role_may(a.role, permission)
    ]


def has_perm(user: RequestUser, permission: str) -> bool:
    return any(role_may(a.role, permission) for a in assignments(user))


def require(user: RequestUser, permission: str) -> None:
    if not has_perm(user, permission):
        raise PermissionDenied


def filter_for(user: RequestUser, model: type[Model], permission: str) -> Q:
    """The Q of rows of `model` the user may reach with `permission`: a union over the roles
    that carry that permission. No role, no rows."""
    paths = paths_for(model)
    result = None
    for assignment in assignments(user):
        if not role_may(assignment.role, permission):
            continue
        q = _SCOPES[assignment.scope](assignment, paths)
        result = q if result is None else result | q
    if result is None:
        return NOTHING
    # What a person oversees (their apprentices' cases, their trainees' reports) they reach
    # with any role that carries the permission: a department head who is also the linked
    # leader of a trainee in another department sees that trainee's reports.
    person_id = user.person_id if isinstance(user, User) else None
    if paths.overseen is not None and person_id is not None and permission in overseeing():
        result |= paths.overseen(person_id)
    return result


def scoped(
    user: RequestUser, queryset: QuerySet[_M], permission: str | None = None
) -> QuerySet[_M]:
    """Restrict a queryset to what the user may see (or do, with `permission`)."""
    model = queryset.model
    permission = permission or f"{_domain(model)}.view"
    q = filter_for(user, model, permission)
    if q == NOTHING:
        return queryset.none()
    filtered = queryset.filter(q)
    return filtered.distinct() if paths_for(model).distinct else filtered


def administered(
    user: RequestUser, queryset: QuerySet[_M], permission: str = "users.manage"
) -> QuerySet[_M]:
    """The rows an administrator who holds no business data may name in their work (the
    people a security administrator binds accounts to): the installation, or the regions of
    their assignments carrying the permission. Only what identifies a row is shown from
    them, never its contents."""
    paths = paths_for(queryset.model)
    result = None
    for assignment in assignments(user):
        if role_may(assignment.role, permission):
            q = _all(assignment, paths)
            result = q if result is None else result | q
    if result is None:
        return queryset.none()
    filtered = queryset.filter(result)
    return filtered.distinct() if paths.distinct else filtered


def get_for(
    user: RequestUser, queryset: QuerySet[_M], pk: object, permission: str | None = None
) -> _M:
    """Load one object the user may see; 404 when it exists outside their scope too, so
    another institution's ids are not confirmed."""
    try:
        return scoped(user, queryset, permission).get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404 from None


def _domain(model: type[Model]) -> str:
    return {"people": "person", "org": "org"}.get(model._meta.app_label, model._meta.app_label)


def primary_institution_id(user: RequestUser) -> int | None:
    """The institution an actor works for, for the audit log."""
    for assignment in assignments(user):
        if assignment.institution_id:
            return assignment.institution_id
        if assignment.department is not None:
            return assignment.department.institution_id
    if not isinstance(user, User) or user.person is None:
        return None
    return user.person.institution_id
