"""What real sheets contain, made regular: invisible characters, full-width forms, dates in
every format people type, numbers Excel stored as floats."""

import datetime
import re
import unicodedata

from django.utils.translation import gettext as _

# Zero-width and other invisible characters that paste in from web pages and WeChat.
_INVISIBLE_CHARS = (
    "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u00ad\u180e\u202a\u202b\u202c\u202d\u202e"
)
_INVISIBLE = dict.fromkeys(map(ord, _INVISIBLE_CHARS))
_SPACES = re.compile(r"[\s\u00a0\u3000]+")
EXCEL_EPOCH = datetime.date(1899, 12, 30)  # serial 1 is 1900-01-01 (Excel's leap-year bug)
_LAST_SERIAL = 2958465  # 9999-12-31


class CellError(ValueError):
    """A cell that cannot be read; the message is Chinese and says why."""


# Anything text() would change: spaces of any kind, invisible characters.
_NEEDS_WORK = re.compile(f"[\\s\u00a0\u3000{_INVISIBLE_CHARS}]")


def text(value) -> str:
    """A cell as trimmed text: invisible characters removed, runs of spaces made one."""
    if value is None:
        return ""
    if value.__class__ is str and _NEEDS_WORK.search(value) is None:
        return value  # the common case, at C speed
    if isinstance(value, float):
        value = _number_text(value)
    elif isinstance(value, datetime.datetime) and value.time() == datetime.time():
        value = value.date().isoformat()
    elif not isinstance(value, str):
        value = str(value)
    if not value.isascii():
        value = value.translate(_INVISIBLE)
    return _SPACES.sub(" ", value).strip()


def compact(value) -> str:
    """For identifiers and codes: NFKC (full-width digits and letters to ASCII), no spaces."""
    if value.__class__ is str and value.isascii() and value.isalnum():
        return value
    value = text(value)
    if not value.isascii():
        value = unicodedata.normalize("NFKC", value)
    return _SPACES.sub("", value)


def _number_text(value: float) -> str:
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def number_was_rounded(value) -> bool:
    """Excel keeps 15 significant digits: an 18-digit number typed into a number cell has
    lost its last digits, and shows as 1.10105E+17."""
    if isinstance(value, float):
        return abs(value) >= 1e15
    return (
        isinstance(value, str) and "+" in value and _ROUNDED.fullmatch(compact(value)) is not None
    )


_ROUNDED = re.compile(r"\d(\.\d+)?[eE]\+\d+")


_DATE_PATTERNS = [
    re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})"),
    re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日?"),
    re.compile(r"(\d{4})(\d{2})(\d{2})"),
    re.compile(r"(\d{4})[-/.](\d{1,2})"),  # a month: the first of it
    re.compile(r"(\d{4})年(\d{1,2})月?"),
]


def date(value) -> datetime.date | None:
    """A date from a date cell, an Excel serial, or text such as 2023-08-30, 2023/8/30,
    2023.08, 2023年8月30日 or 20230830 (a month alone means its first day)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _serial(value)
    raw = compact(value)
    if not raw:
        return None
    raw = raw.split("T")[0].split(" ")[0]
    if re.fullmatch(r"\d{5}(\.\d+)?", raw):  # a serial that arrived as text (CSV)
        return _serial(float(raw))
    for pattern in _DATE_PATTERNS:
        match = pattern.fullmatch(raw)
        if match:
            year, month, *day = (int(part) for part in match.groups())
            try:
                return datetime.date(year, month, day[0] if day else 1)
            except ValueError:
                break
    raise CellError(_("“%s”不是有效日期，请写成 2023-08-30 这样的格式。") % value)


def _serial(value: float) -> datetime.date:
    if not 1 <= value <= _LAST_SERIAL:
        raise CellError(_("“%s”不是有效日期。") % value)
    return EXCEL_EPOCH + datetime.timedelta(days=int(value))


def header_key(value) -> str:
    """A header reduced to what identifies it: no spaces, marks of required columns or
    explanations in brackets, full-width forms folded."""
    value = unicodedata.normalize("NFKC", text(value)).lower()
    value = re.sub(r"\(.*?\)|\[.*?\]|【.*?】|\*|＊|:|：|必填", "", value)
    return _SPACES.sub("", value)


def code_key(value) -> str:
    """How a code or a code's name is compared: NFKC, no spaces, lower case."""
    return compact(value).lower()
