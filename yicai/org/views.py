"""Institution pages: the list (filter, export) and one institution with its departments."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yicai import versions
from yicai.access.scope import has_perm, require
from yicai.org import queries, services
from yicai.org.forms import (
    DepartmentForm,
    DesignationForm,
    InstitutionFilterForm,
    InstitutionForm,
)
from yicai.org.models import Department, DisciplineDesignation, Institution
from yicai.web.listing import Export, ListPermissions, list_page, may
from yicai.web.views import form_page

INSTITUTION_HEADERS = [
    gettext_lazy("机构名称"),
    gettext_lazy("机构类别"),
    gettext_lazy("等级"),
    gettext_lazy("隶属关系"),
    gettext_lazy("所在地"),
    gettext_lazy("科室数"),
    gettext_lazy("人员数"),
]


def institution_rows(institutions):
    for i in institutions.iterator(chunk_size=2000):
        yield [
            i.name,
            i.get_kind_display(),
            i.get_grade_display(),
            i.get_relation_display(),
            i.region.full_name if i.region.parent_id is None else str(i.region),
            i.department_count,
            i.staff_count,
        ]


# What the institution lists ask of their user.
ORG = ListPermissions(view="org.view", export="org.export")


def _institutions(user, *, permission: str | None = None, **values):
    """The page's institutions; for an export, those of them the user may export."""
    institutions = queries.institution_list(user, **values)
    if permission is None:
        return institutions
    return institutions.filter(pk__in=queries.institutions_for(user, permission).values("pk"))


@login_required
def institution_list(request):
    form = InstitutionFilterForm(request.GET or None)
    export = Export(_("医疗机构"), INSTITUTION_HEADERS, institution_rows, _("导出医疗机构列表"))
    return list_page(
        request,
        ORG,
        "org/institution_list.html",
        form,
        _institutions,
        export,
        lambda _listing, values: {
            **values,
            "relations": Institution.Relation.choices,
            "kinds": Institution.Kind.choices,
            "can_create": has_perm(request.user, "org.create"),
        },
        filters=form.values(),
        fragment=None,
    )


@login_required
def institution_detail(request, pk):
    require(request.user, "org.view")
    institution = queries.institution_for(request.user, pk)
    return render(
        request,
        "org/institution_detail.html",
        {
            "institution": institution,
            "departments": queries.department_tree(request.user, institution),
            "designations": queries.designations_of(request.user, institution),
            "can_edit": may(request.user, "org.edit", queries.institutions_for, institution.pk),
        },
    )


@login_required
def institution_edit(request, pk=None):
    """Create (commission only) or edit an institution within the user's scope."""
    if pk is None:
        require(request.user, "org.create")
        institution = None
    else:
        require(request.user, "org.edit")
        institution = queries.institution_for(request.user, pk, "org.edit")
    form = InstitutionForm(
        request.POST or None,
        instance=institution,
        may_reassign=has_perm(request.user, "org.create"),
    )

    @transaction.atomic
    def save(values: dict[str, Any]) -> Institution:
        if institution is not None:
            institution.refresh_from_db()  # the form wrote into the instance
        return services.institution_save(
            institution=institution,
            by=request.user,
            **{name: values[name] for name in form.fields},
        )

    return form_page(
        request,
        form,
        "org/institution_form.html",
        {"institution": institution},
        save=save,
        message=lambda saved: _("已保存机构：%s") % saved.name,
        then=lambda saved: redirect("org:detail", saved.pk),
        refused=lambda error: versions.rebase_form(form, error),
    )


def _of_institution(request, institution_pk, pk, record_for):
    """The institution the user edits, and its record `pk` (None: a new one)."""
    require(request.user, "org.edit")
    institution = queries.institution_for(request.user, institution_pk, "org.edit")
    record = None if pk is None else record_for(request.user, institution, pk, "org.edit")
    return institution, record


@login_required
def department_edit(request, institution_pk, pk=None):
    institution, department = _of_institution(request, institution_pk, pk, queries.department_for)
    form = DepartmentForm(request.POST or None, instance=department, institution=institution)

    def save(values: dict[str, Any]) -> Department:
        fields = {name: values[name] for name in services.DEPARTMENT_FIELDS}
        if department is not None:
            department.refresh_from_db()  # the form wrote into the instance; services decide
            fields["version"] = values["version"]
        return services.department_save(institution=institution, department=department, **fields)

    return form_page(
        request,
        form,
        "org/department_form.html",
        {"institution": institution, "department": department},
        save=save,
        message=lambda saved: _("已保存科室：%s") % saved.name,
        then=lambda _saved: redirect("org:detail", institution.pk),
        refused=lambda error: versions.rebase_form(form, error),
    )


@login_required
def designation_edit(request, institution_pk, pk=None):
    institution, designation = _of_institution(request, institution_pk, pk, queries.designation_for)
    form = DesignationForm(
        request.user, request.POST or None, instance=designation, institution=institution
    )

    def save(values: dict[str, Any]) -> DisciplineDesignation:
        if designation is not None:
            designation.refresh_from_db()  # the form wrote into the instance
        return services.designation_save(
            designation=designation,
            **{name: values[name] for name in services.DESIGNATION_FIELDS},
        )

    return form_page(
        request,
        form,
        "org/designation_form.html",
        {"institution": institution, "designation": designation},
        save=save,
        message=_("已保存学科建设记录。"),
        then=lambda _saved: redirect("org:detail", institution.pk),
    )
