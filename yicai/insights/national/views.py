"""The table's page (卫生人力基本信息调查表): the check of a day's table (how many people lack each
required column, and who, each with a link to their record), its list exported, and the
table itself exported in the national columns and codes."""

from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yicai import exports
from yicai.access import audit
from yicai.access.models import AuditEntry
from yicai.access.scope import has_perm, require
from yicai.insights.national import queries, table
from yicai.insights.national.forms import NationalTableForm
from yicai.pagination import page_context
from yicai.params import filter_status
from yicai.web.listing import Export, ListPermissions, exported, results_template

TEMPLATE = "insights/national_check.html"
NATIONAL = ListPermissions(view=queries.PERMISSION, export=queries.PERMISSION)
CHECK_HEADERS = [
    gettext_lazy("姓名"),
    gettext_lazy("机构"),
    gettext_lazy("科室"),
    gettext_lazy("从事专业类别"),
    gettext_lazy("缺少的必填项"),
    gettext_lazy("缺项数"),
]


def filters(form: NationalTableForm) -> dict[str, Any]:
    """The form's filters; today's whole table when it is not filled in (or is wrong, which
    the page answers with a 400 and no export)."""
    if form.is_bound and form.is_valid():
        return form.values()
    return {"as_of": timezone.localdate(), "institution": None, "column": ""}


def check_rows(rows: Iterable[table.Row]) -> Iterator[list[object]]:
    for row in rows:
        category = row.person.personnel_category
        yield [
            row.person.name,
            row.held.post.institution.name,
            row.held.post.department.name if row.held.post.department else "",
            category.name if category is not None else "",
            "、".join(column.heading for column in row.missing),
            len(row.missing),
        ]


def _query(chosen: dict[str, Any], column: str = "") -> str:
    """The page's query string for the day and institution chosen, and `column`."""
    institution = chosen["institution"]
    values = {
        "as_of": chosen["as_of"].isoformat(),
        "institution": institution.pk if institution is not None else "",
        "column": column,
    }
    return urlencode({name: value for name, value in values.items() if value != ""})


@login_required
def check(request: HttpRequest) -> HttpResponseBase:
    """Who of the day's table lacks a required column, with the count of each; the list
    exported as the page shows it."""
    user = request.user
    require(user, queries.PERMISSION)
    form = NationalTableForm(user, request.GET or None)
    status = filter_status(form)
    chosen = filters(form)

    def lacking(permission: str | None) -> list[table.Row]:
        return queries.check(user, **chosen, permission=permission or queries.PERMISSION).lacking

    if status == 200:
        export = Export(
            _("卫生人力基本信息调查表缺项"),
            CHECK_HEADERS,
            check_rows,
            _("导出卫生人力基本信息调查表缺项"),
        )
        response = exported(request, NATIONAL, export, lacking, form)
        if response is not None:
            return response
    result = queries.check(user, **chosen)
    context = {
        "form": form,
        "check": result,
        "figures": [
            (column, count, _query(chosen, column=column.key)) for column, count in result.figures()
        ],
        "chosen_column": chosen["column"],
        "unrecorded": table.UNRECORDED_REQUIRED,
        "can_export": status == 200,
        **page_context(request, result.lacking),
    }
    return render(request, results_template(request, TEMPLATE), context, status=status)


@login_required
def table_export(request: HttpRequest) -> HttpResponseBase:
    """The day's table in the national columns and codes (Excel, or CSV with ?export=csv),
    identity and phone numbers in full where the user may read them (as revealing them on
    the person's page, audited), masked elsewhere."""
    user = request.user
    require(user, queries.PERMISSION)
    form = NationalTableForm(user, request.GET or None)
    if filter_status(form) != 200:
        return check(request)  # the page, its 400 and the form's error
    chosen = filters(form)
    rows = queries.rows(
        user, as_of=chosen["as_of"], institution=chosen["institution"], full_numbers=True
    )
    response = exports.list_export(
        request,
        exports.requested_format(request) or "xlsx",
        table.file_name(chosen["as_of"]),
        table.HEADINGS,
        (row.values for row in rows),
        summary=_("导出卫生人力基本信息调查表"),
        filters=form if form.is_bound else None,
    )
    if has_perm(user, queries.REVEAL):
        audit.record(
            AuditEntry.Event.REVEAL,
            summary=_("导出卫生人力基本信息调查表，含完整身份证件号码（%(day)s）")
            % {"day": chosen["as_of"].isoformat()},
        )
    return response
