"""Business actions on institutions, departments and discipline designations."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from yicai import versions
from yicai.access.models import RequestUser
from yicai.org.models import Department, DisciplineDesignation, Institution
from yicai.org.queries import institutions_for
from yicai.validation import full_clean_or_raise

INSTITUTION_FIELDS = (
    "name",
    "short_name",
    "code",
    "kind",
    "grade",
    "relation",
    "region",
    "commission_region",
    "affiliation",
    "aliases",
    "active",
)
DEPARTMENT_FIELDS = ("name", "parent", "clinical")
DESIGNATION_FIELDS = ("department", "name", "kind", "level", "year_from", "year_to", "lead")


def _assign(obj: models.Model, fields: dict[str, Any], allowed: tuple[str, ...], noun: str) -> None:
    """A save's fields onto the record; a field the action does not write is a caller's
    mistake, refused loudly rather than dropped."""
    for name, value in fields.items():
        if name not in allowed:
            raise TypeError(f"{name} is not {noun} field")
        setattr(obj, name, value)


def _clean_and_save(obj: models.Model) -> None:
    full_clean_or_raise(obj)
    obj.save()


@transaction.atomic
def institution_save(
    *,
    institution: Institution | None = None,
    version: int | None = None,
    by: RequestUser | None = None,
    **fields: Any,
) -> Institution:
    """`version`: the version the user loaded; a save from an older one raises
    versions.VersionConflict (None: no check). `by`: the user saving it, who may not move an
    institution out of their own reach (to another commission's region); the form and the API
    both pass it."""
    institution = institution or Institution()
    if institution.pk:
        versions.expect(institution, version)
    _assign(institution, fields, INSTITUTION_FIELDS, "an institution")
    institution.name = (institution.name or "").strip()
    _clean_and_save(institution)
    if by is not None and not institutions_for(by, "org.edit").filter(pk=institution.pk).exists():
        raise ValidationError({"commission_region": _("该机构将超出您的管辖范围。")})
    return institution


@transaction.atomic
def department_save(
    *,
    institution: Institution,
    department: Department | None = None,
    version: int | None = None,
    **fields: Any,
) -> Department:
    department = department or Department(institution=institution)
    if department.pk:
        versions.expect(department, version)
    _assign(department, fields, DEPARTMENT_FIELDS, "a department")
    parent = department.parent
    if parent is not None:
        if parent.institution_id != institution.pk:
            raise ValidationError({"parent": _("上级科室须属于同一机构。")})
        node: Department | None = parent
        while node is not None:  # a department cannot sit under itself
            if department.pk and node.pk == department.pk:
                raise ValidationError({"parent": _("上级科室不能是本科室或其下级科室。")})
            node = node.parent
    _clean_and_save(department)
    return department


@transaction.atomic
def designation_save(
    *, designation: DisciplineDesignation | None = None, **fields: Any
) -> DisciplineDesignation:
    designation = designation or DisciplineDesignation()
    _assign(designation, fields, DESIGNATION_FIELDS, "a designation")
    _clean_and_save(designation)
    return designation
