"""The list pages' shared shape: scope check, filters, export, pagination."""

from collections.abc import Callable
from dataclasses import dataclass

from django.shortcuts import render

from yicai import exports
from yicai.access.scope import has_perm, require
from yicai.pagination import page_context
from yicai.params import filter_status


def may(user, permission: str, rows_for, pk) -> bool:
    """The user holds the permission and reaches this row with it (whether a page offers its
    edit buttons): `rows_for(user, permission)` is the row's scoped query."""
    return has_perm(user, permission) and rows_for(user, permission).filter(pk=pk).exists()


def editable_ids(user, rows_for, listing) -> set[int]:
    """Of a list page's rows, those the user may edit: one query whatever the page holds."""
    if not has_perm(user, "training.edit"):
        return set()
    shown = [row.pk for row in listing["page_obj"]]
    return set(rows_for(user, "training.edit").filter(pk__in=shown).values_list("pk", flat=True))


def results_template(request, template: str) -> str:
    return f"{template}#results" if request.htmx and request.htmx.target == "results" else template


@dataclass(frozen=True)
class Export:
    name: str
    headers: list
    rows: Callable  # queryset -> rows
    summary: str


def list_page(request, form, query, export: Export, template: str, extra=None):
    """A filtered, paginated, exportable list: the filter form's values go to `query` (a
    scoped query of queries.py); ?export= sends the same rows as a spreadsheet, audited. An
    invalid filter answers 400 with the page and its error, never an unfiltered export."""
    require(request.user, "training.view")
    status = filter_status(form)
    filters = form.cleaned_data if form.is_valid() else {}
    if status == 200 and (fmt := exports.requested_format(request)):
        require(request.user, "training.export")
        rows = export.rows(query(request.user, **filters, permission="training.export"))
        return exports.list_export(
            request, fmt, export.name, export.headers, rows, summary=export.summary, filters=form
        )
    listing = page_context(request, query(request.user, **filters))
    context = {
        "form": form,
        **listing,
        "can_export": has_perm(request.user, "training.export"),
        **(extra(listing, filters) if extra else {}),
    }
    return render(request, results_template(request, template), context, status=status)
