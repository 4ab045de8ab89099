import datetime
import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _


def not_in_future(value: datetime.date) -> None:
    if value and value > timezone.localdate():
        raise ValidationError(_("日期不能晚于今天。"), code="future_date")


def not_before_1900(value: datetime.date) -> None:
    if value and value.year < 1900:
        raise ValidationError(_("日期不能早于 1900 年。"), code="too_old")


# A mobile number is 11 digits from 13x to 19x, +86 allowed in front; a landline has its area
# code (010 and 02x have three digits, the others four), then 7 or 8 digits, then perhaps an
# extension. Full-width characters (ＷＰＳ, a Chinese keyboard) are read as ASCII; other digits
# ("²", Arabic-Indic) are not digits here, although str.isdigit() says they are.
_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_MOBILE = re.compile(r"(?:\+?86)?(1[3-9][0-9]{9})")
_LANDLINE = re.compile(
    r"\(?(010|02[0-9]|0[3-9][0-9]{2})\)?-?([2-9][0-9]{6,7})(?:(?:-|转|ext\.?)([0-9]{1,6}))?"
)


def phone_number(raw: str) -> str:
    """A phone number as stored ("13800138000", "021-66001234", "0591-87654321-802"), or
    ValidationError with the Chinese message the form, the API and the import all give."""
    value = "".join(str(raw or "").translate(_FULL_WIDTH).split())
    if not value:
        return ""
    if mobile := _MOBILE.fullmatch(value):
        return mobile.group(1)
    if landline := _LANDLINE.fullmatch(value):
        area, number, extension = landline.groups()
        return f"{area}-{number}" + (f"-{extension}" if extension else "")
    message = _("电话号码“%s”不对：请填写 11 位手机号码，或带区号的固定电话（如 021-66001234）。")
    raise ValidationError(message % value, code="phone")
