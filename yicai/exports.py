"""Every list's export, as Excel (.xlsx) or CSV, from one function.

A list view passes the rows of the same scoped query its page shows (an iterator over
`.iterator(chunk_size=...)` with select_related, so memory and the query count do not grow
with the rows) and `list_export` checks nothing itself: the view has already called
`require(user, "<app>.export")`. It writes the audit entry and picks the format:

    if fmt := exports.requested_format(request):
        require(request.user, "person.export")
        people = queries.search_people(request.user, criteria, "person.export")
        return exports.list_export(
            request, fmt, _("人才档案"), PERSON_HEADERS, person_rows(people),
            summary=_("导出人才档案"),
        )

CSV is streamed as it is produced (UTF-8 with a byte-order mark, so Excel on Chinese Windows
opens it as UTF-8); Excel is written to a temporary file in constant-memory mode, then sent.
Both neutralise text that a spreadsheet would run as a formula (`xlsx.safe_cell`).
"""

import csv
import datetime
import io
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.http import HttpRequest, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils import translation
from django.utils.translation import gettext

from yicai.access import audit
from yicai.xlsx import attachment, local_datetime, safe_cell, xlsx_response

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

FORMATS = ("xlsx", "csv")
FORMAT_LABELS = {"xlsx": "Excel", "csv": "CSV"}
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
BOM = "\ufeff"
# Rows are sent in pieces of about this many characters.
_CHUNK = 64 * 1024


def requested_format(request: HttpRequest) -> str | None:
    """The export format asked for with ?export=xlsx|csv, or None for the page itself."""
    value = request.GET.get("export", "")
    return value if value in FORMATS else None


def csv_value(value: object) -> str:
    """One CSV field: dates as YYYY-MM-DD, times as local YYYY-MM-DD HH:MM:SS, formulas
    neutralised with a leading apostrophe, nothing as an empty field."""
    if isinstance(value, datetime.datetime):
        return local_datetime(value).strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, datetime.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(safe_cell(value))


def iter_csv(headers: Sequence[object], rows: Iterable[Sequence[object]]) -> Iterator[bytes]:
    """The CSV document in UTF-8 pieces, the first beginning with a byte-order mark."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)  # excel dialect: CRLF line ends, quotes where needed
    buffer.write(BOM)
    writer.writerow([csv_value(header) for header in headers])
    for row in rows:
        writer.writerow([csv_value(value) for value in row])
        if buffer.tell() >= _CHUNK:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def csv_response(
    filename: str, headers: Sequence[object], rows: Iterable[Sequence[object]]
) -> StreamingHttpResponse:
    language = translation.get_language()

    def content() -> Iterator[bytes]:
        # Rows are read while the response is sent, after the view (and the language
        # middleware) returned: labels are translated in the request's language.
        with translation.override(language):
            yield from iter_csv(headers, rows)

    response = StreamingHttpResponse(content(), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = attachment(filename)
    return response


def export_response(
    request_format: str,
    filename: str,
    sheet: "StrOrPromise",
    headers: Sequence[object],
    rows: Iterable[Sequence[object]],
) -> HttpResponseBase:
    """The rows as a download in the requested format; `filename` without its extension."""
    labels = [str(header) for header in headers]
    if request_format == "csv":
        return csv_response(f"{filename}.csv", labels, rows)
    if request_format == "xlsx":
        return xlsx_response(f"{filename}.xlsx", str(sheet), labels, rows)
    raise ValueError(f"unknown export format {request_format!r}")


def list_export(
    request: HttpRequest,
    request_format: str,
    name: "StrOrPromise",
    headers: Sequence[object],
    rows: Iterable[Sequence[object]],
    *,
    summary: "StrOrPromise",
    filters: forms.Form | None = None,
) -> HttpResponseBase:
    """A list page's export: audited with the filters it used (in words when the page passes
    its filter form), then sent in the format asked for. The caller has checked the export
    permission and scoped the rows."""
    audit.record_export(
        f"{summary}（{FORMAT_LABELS[request_format]}）",
        request.GET.dict(),
        in_words=filters_in_words(filters) if filters is not None else "",
    )
    return export_response(request_format, str(name), str(name), headers, rows)


def filters_in_words(form: forms.Form) -> str:
    """A filter form's chosen values as a reader says them: "机构=甲区中心医院；职称级别=副高级；
    关键词=王" (names, not ids or codes), or "全部" when nothing narrows the list."""
    values = form.cleaned_data if form.is_valid() else {}
    words = []
    for name, field in form.fields.items():
        value = values.get(name)
        if value is None or value is False or (hasattr(value, "__len__") and not len(value)):
            continue
        # A list's text box ("姓名 / 拼音首字母 / 身份证后四位") is labelled by how to search.
        label = gettext("关键词") if name == "q" else str(field.label)
        words.append(f"{label}={_value_in_words(field, value)}")
    return "；".join(words) or gettext("全部")


def _value_in_words(field: forms.Field, value: Any) -> str:
    if isinstance(field, forms.ModelMultipleChoiceField):
        return "、".join(str(field.label_from_instance(item)) for item in value)
    if isinstance(field, forms.ModelChoiceField):
        return str(field.label_from_instance(value))
    if isinstance(field, forms.ChoiceField):
        labels = {str(key): label for key, label in _flat_choices(field.choices)}
        chosen = value if isinstance(value, list | tuple) else [value]
        return "、".join(str(labels.get(str(item), item)) for item in chosen)
    if value is True:
        return gettext("是")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


# `choices` as Django normalises them (pairs and option groups); the stubs type what may be
# assigned to it, a callable too.
def _flat_choices(choices: Any) -> Iterator[tuple[object, Any]]:
    for key, label in choices:
        if isinstance(label, list | tuple):  # an option group
            yield from label
        else:
            yield key, label
