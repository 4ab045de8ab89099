"""Excel exports: streamed row by row (XlsxWriter's constant-memory mode), formula-safe.

Views do not call this directly: `yicai.exports.export_response` chooses between
this and CSV. `safe_cell` is shared by both formats.
"""

import datetime
import tempfile
from collections.abc import Iterable, Sequence
from typing import IO
from urllib.parse import quote

import xlsxwriter
from django.http import FileResponse
from django.utils import timezone
from django.utils.functional import Promise

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# A cell starting with one of these is run as a formula by Excel, LibreOffice or WPS
# (tab and carriage return because some of them strip leading whitespace first).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """Text that a spreadsheet would run as a formula is prefixed with an apostrophe.

    Only text is touched: a number (a negative count) stays a number."""
    if isinstance(value, Promise):  # a lazy translation
        value = str(value)
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return "" if value is None else value


def local_datetime(value: datetime.datetime) -> datetime.datetime:
    """An aware datetime as the wall-clock time on screen (Asia/Shanghai), without tzinfo."""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(tzinfo=None)


def write_xlsx(
    handle: IO[bytes], sheet_name: str, headers: Sequence[str], rows: Iterable[Sequence[object]]
) -> int:
    workbook = xlsxwriter.Workbook(
        handle,
        {
            "constant_memory": True,
            "in_memory": False,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        },
    )
    sheet = workbook.add_worksheet(str(sheet_name)[:31])
    bold = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    datetime_format = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    headers = [str(safe_cell(header)) for header in headers]
    sheet.write_row(0, 0, headers, bold)
    sheet.freeze_panes(1, 0)
    # Widths must be set before any row is written in constant-memory mode.
    for column, header in enumerate(headers):
        sheet.set_column(column, column, max(10, len(header) * 2 + 2))
    count = 0
    for count, row in enumerate(rows, start=1):
        for column, value in enumerate(row):
            if isinstance(value, datetime.datetime):
                sheet.write_datetime(count, column, local_datetime(value), datetime_format)
            elif isinstance(value, datetime.date):
                sheet.write_datetime(count, column, value, date_format)
            elif isinstance(value, str | Promise):
                sheet.write_string(count, column, safe_cell(value))
            else:
                sheet.write(count, column, safe_cell(value))
    workbook.close()
    return count


def xlsx_response(
    filename: str, sheet_name: str, headers: Sequence[str], rows: Iterable[Sequence[object]]
) -> FileResponse:
    """The workbook is written to a temporary file (bounded memory whatever the row count),
    then sent from it in chunks."""
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    write_xlsx(handle, sheet_name, headers, rows)
    handle.seek(0)
    response = FileResponse(handle, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = attachment(filename)
    return response


def attachment(filename: str) -> str:
    """A Content-Disposition for a Chinese file name (RFC 6266 / 5987), with a plain ASCII
    name for clients that do not read filename*."""
    filename = filename.replace("/", "-").replace("\\", "-")
    extension = filename.rsplit(".", 1)[1] if "." in filename else "bin"
    return (
        f'attachment; filename="export.{quote(extension, safe="")}"; '
        f"filename*=UTF-8''{quote(filename, safe='')}"
    )
