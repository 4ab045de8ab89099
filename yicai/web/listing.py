"""The list page every app shares: scope check, filters, sort, pagination, export, empty state.

An app declares once what its lists ask of a user, and each list view declares its form, its
scoped query, its export and its template:

    TRAINING = ListPermissions(view="training.view", export="training.export", edit="training.edit")

    @login_required
    def visit_list(request):
        export = Export(_("专家活动"), VISIT_HEADERS, visit_rows, _("导出专家活动"))
        form = VisitFilterForm(request.GET or None)
        return list_page(
            request, TRAINING, "training/visit_list.html", form, queries.visit_list, export
        )

`query(user, **filters)` gives the page's rows, and `query(user, **filters, permission=...)`
the export's, scoped by the export permission (a query that reads them elsewhere wraps this
call). An invalid filter answers 400 with the page and its error, never an unfiltered export;
an export is audited with the page's filters (`yicai.exports.list_export`).
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render

from yicai import exports
from yicai.access.models import RequestUser
from yicai.access.scope import has_perm, require
from yicai.pagination import page_context
from yicai.params import filter_status

# A page of rows and its links, as `yicai.pagination` builds it ("page_obj", "export_query"...).
Listing = dict[str, Any]
# The rows of one page of a list, in the context the template reads.
Paginate = Callable[[HttpRequest, Any], Listing]
# What a page adds to its context from the page shown and the filters it applied.
Extra = Callable[[Listing, Mapping[str, Any]], Mapping[str, Any]]


@dataclass(frozen=True)
class ListPermissions:
    """What an app's lists ask of a user: `view` to see one (None where the view checks for
    itself), `export` to download it (None: whoever sees it), `edit` for its edit buttons."""

    view: str | None
    export: str | None = None
    edit: str | None = None


@dataclass(frozen=True)
class Export:
    """A list's download: its name (file and sheet), column headers, the rows of a queryset
    (a generator, masked as the page shows them) and the audit entry's summary."""

    name: str
    headers: Sequence[object]
    rows: Callable[[Any], Iterable[Sequence[object]]]
    summary: str


def may(
    user: RequestUser,
    permission: str,
    rows_for: Callable[[RequestUser, str], QuerySet[Any]],
    pk: object,
) -> bool:
    """The user holds the permission and reaches this row with it (whether a page offers its
    edit buttons): `rows_for(user, permission)` is the row's scoped query."""
    return has_perm(user, permission) and rows_for(user, permission).filter(pk=pk).exists()


def editable_ids(
    user: RequestUser,
    permission: str | None,
    rows_for: Callable[[RequestUser, str], QuerySet[Any]],
    listing: Listing,
) -> set[int]:
    """Of a list page's rows, those the user may edit: one query whatever the page holds."""
    if permission is None or not has_perm(user, permission):
        return set()
    shown = [row.pk for row in listing["page_obj"]]
    return set(rows_for(user, permission).filter(pk__in=shown).values_list("pk", flat=True))


def results_template(request: HttpRequest, template: str, fragment: str = "results") -> str:
    """The page's results fragment (a `{% partialdef %}`) for the filter's own htmx
    requests, which target it by its id, else the whole page."""
    htmx = getattr(request, "htmx", None)
    return f"{template}#{fragment}" if htmx and htmx.target == fragment else template


def exported(
    request: HttpRequest,
    permissions: ListPermissions,
    export: Export,
    rows: Callable[[str | None], Any],
    form: forms.Form | None = None,
) -> HttpResponseBase | None:
    """The download a GET with ?export= asks for (None for the page itself): the export
    permission checked, `rows(permission)` sent, the export audited with the form's filters."""
    if request.method not in ("GET", "HEAD"):
        return None
    fmt = exports.requested_format(request)
    if fmt is None:
        return None
    if permissions.export is not None:
        require(request.user, permissions.export)
    return exports.list_export(
        request,
        fmt,
        export.name,
        export.headers,
        export.rows(rows(permissions.export)),
        summary=export.summary,
        filters=form,
    )


def list_page(
    request: HttpRequest,
    permissions: ListPermissions,
    template: str,
    form: forms.Form | None,
    query: Callable[..., Any],
    export: Export | None = None,
    extra: Extra | None = None,
    *,
    filters: Mapping[str, Any] | None = None,
    paginate: Paginate = page_context,
    form_name: str = "form",
    fragment: str | None = "results",
) -> HttpResponseBase:
    """A filtered, paginated, exportable list.

    `filters` (by default the form's cleaned data, none when it is invalid) go to `query`;
    `paginate` turns its rows into the page (`keyset_context` for lists that may be long);
    `extra(listing, filters)` adds what the template needs beyond the rows. The filter form
    is in the context as `form_name`; `can_export` says whether to show the export buttons.
    A page without a results fragment for htmx to swap passes `fragment=None`."""
    user = request.user
    if permissions.view is not None:
        require(user, permissions.view)
    status = filter_status(form) if form is not None else 200
    if filters is None:
        filters = form.cleaned_data if form is not None and form.is_valid() else {}
    chosen = filters  # no longer Optional, for the closure below

    def rows(permission: str | None) -> Any:
        return query(user, **chosen, **({"permission": permission} if permission else {}))

    if status == 200 and export is not None:
        response = exported(request, permissions, export, rows, form)
        if response is not None:
            return response
    listing = paginate(request, query(user, **filters))
    context = {
        **({form_name: form} if form is not None else {}),
        **listing,
        "can_export": export is not None
        and (permissions.export is None or has_perm(user, permissions.export)),
        **(extra(listing, filters) if extra else {}),
    }
    if fragment is not None:
        template = results_template(request, template, fragment)
    return render(request, template, context, status=status)
