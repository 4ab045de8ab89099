import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _


def not_in_future(value: datetime.date) -> None:
    if value and value > timezone.localdate():
        raise ValidationError(_("日期不能晚于今天。"), code="future_date")


def not_before_1900(value: datetime.date) -> None:
    if value and value.year < 1900:
        raise ValidationError(_("日期不能早于 1900 年。"), code="too_old")
