"""Open an uploaded sheet safely and hand back its cells as rows.

Refuses, before parsing, what could hurt: files over the size limit, files that are not what
their extension says, zip bombs, and sheets over the row limit. Formulas are never evaluated:
calamine returns the value the spreadsheet program cached, or nothing.
"""

import codecs
import csv
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

import python_calamine
from django.conf import settings
from django.utils.translation import gettext as _

EXTENSIONS = (".xlsx", ".xls", ".csv")
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
# An xlsx is a zip of XML; real rosters expand 5–20 times. More than this is a bomb.
MAX_EXPANSION = 100
MAX_ZIP_ENTRIES = 2000


class FileRefused(Exception):
    """The file cannot be read; the message says why, in Chinese."""


@dataclass
class Table:
    rows: list[list]  # every row of the first sheet, top to bottom, blank ones included
    first_row: int  # the spreadsheet's number of rows[0] (1-based)
    merged: list[tuple[int, int, int, int]]  # (first row, first col, last row, last col), 0-based
    encoding: str = ""


def check_file(path: Path, name: str) -> str:
    """The kind of file ("xlsx", "xls" or "csv"), or FileRefused."""
    extension = Path(name).suffix.lower()
    if extension not in EXTENSIONS:
        raise FileRefused(_("只能导入 .xlsx、.xls 或 .csv 文件。"))
    size = path.stat().st_size
    if size == 0:
        raise FileRefused(_("文件是空的。"))
    if size > settings.IMPORT_MAX_BYTES:
        raise FileRefused(
            _("文件太大（%(size)s MB），上限为 %(limit)s MB。")
            % {"size": round(size / 2**20, 1), "limit": settings.IMPORT_MAX_BYTES // 2**20}
        )
    with path.open("rb") as handle:
        head = handle.read(8)
    kind = extension[1:]
    if kind == "xlsx":
        if not head.startswith(_ZIP):
            raise FileRefused(_("文件扩展名是 .xlsx，但内容不是 Excel 工作簿。"))
        _check_zip(path, size)
    elif kind == "xls" and head != _OLE2:
        raise FileRefused(_("文件扩展名是 .xls，但内容不是 Excel 97-2003 工作簿。"))
    elif kind == "csv" and (head.startswith((_ZIP, _OLE2)) or b"\x00" in _sample(path)):
        raise FileRefused(_("文件扩展名是 .csv，但内容不是文本，可能是改了扩展名的其他文件。"))
    return kind


def _sample(path: Path) -> bytes:
    with path.open("rb") as handle:
        return handle.read(65536)


def _check_zip(path: Path, size: int) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
            names = {entry.filename for entry in entries}
    except zipfile.BadZipFile as error:
        raise FileRefused(_("Excel 文件已损坏，无法打开。")) from error
    if "xl/workbook.xml" not in names:
        raise FileRefused(_("文件扩展名是 .xlsx，但内容不是 Excel 工作簿。"))
    if any(name.startswith("xl/vbaProject") for name in names):
        raise FileRefused(_("文件含有宏，请另存为普通的 .xlsx 工作簿后再导入。"))
    expanded = sum(entry.file_size for entry in entries)
    if len(entries) > MAX_ZIP_ENTRIES or expanded > max(size, 2**20) * MAX_EXPANSION:
        raise FileRefused(_("文件解压后异常巨大（疑似压缩炸弹），已拒绝。"))


def read_table(path: Path, kind: str) -> Table:
    if kind == "csv":
        return _read_csv(path)
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        sheet = workbook.get_sheet_by_index(0)
        _check_rows(sheet.total_height)
        rows = sheet.to_python(skip_empty_area=False)
        merged = [
            (start[0], start[1], end[0], end[1]) for start, end in (sheet.merged_cell_ranges or [])
        ]
    except python_calamine.CalamineError as error:
        raise FileRefused(_("无法读取 Excel 文件：%s") % error) from error
    return Table(rows=rows, first_row=1, merged=merged)


def _check_rows(count: int) -> None:
    """Before the rows are parsed: refuse a sheet far beyond the limit, whatever its layout
    (titles, notes and blank lines cannot account for so many). The limit itself is on data
    rows, counted exactly once the header is found (`check_data_rows`)."""
    if count > settings.IMPORT_MAX_ROWS + max(1000, settings.IMPORT_MAX_ROWS // 10):
        raise FileRefused(too_many_rows(count))


def check_data_rows(count: int) -> None:
    if count > settings.IMPORT_MAX_ROWS:
        raise FileRefused(too_many_rows(count))


def too_many_rows(count: int) -> str:
    return _("文件有 %(count)s 行数据，超过了每次最多 %(limit)s 行的上限，请分批导入。") % {
        "count": f"{count:,}",
        "limit": f"{settings.IMPORT_MAX_ROWS:,}",
    }


def _read_csv(path: Path) -> Table:
    raw = path.read_bytes()
    text, encoding = decode(raw)
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    rows = list(csv.reader(io.StringIO(text), dialect))
    _check_rows(len(rows))
    return Table(rows=rows, first_row=1, merged=[], encoding=encoding)


def decode(raw: bytes) -> tuple[str, str]:
    """UTF-8 (with or without BOM) when it decodes cleanly, else GB18030 (a superset of GBK,
    which is what Excel and WPS on Chinese Windows save)."""
    # After a UTF-8 byte-order mark, only UTF-8 will do.
    candidates = ("utf-8-sig",) if raw.startswith(codecs.BOM_UTF8) else ("utf-8", "gb18030")
    for encoding in candidates:
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise FileRefused(_("无法识别文件编码，请在 Excel 中另存为“CSV UTF-8”格式后再导入。"))
