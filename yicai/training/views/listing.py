"""The list pages' shared shape: scope check, filters, export, pagination."""

from collections.abc import Callable
from dataclasses import dataclass

from django.shortcuts import render

from yicai.access.scope import has_perm, require
from yicai.exchange import exports
from yicai.pagination import page_context


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
    scoped query of queries.py); ?export= sends the same rows as a spreadsheet, audited."""
    require(request.user, "training.view")
    filters = form.cleaned_data if form.is_valid() else {}
    if fmt := exports.requested_format(request):
        require(request.user, "training.export")
        rows = export.rows(query(request.user, **filters, permission="training.export"))
        return exports.list_export(
            request, fmt, export.name, export.headers, rows, summary=export.summary
        )
    listing = page_context(request, query(request.user, **filters))
    context = {
        "form": form,
        **listing,
        "can_export": has_perm(request.user, "training.export"),
        **(extra(listing, filters) if extra else {}),
    }
    return render(request, results_template(request, template), context)
