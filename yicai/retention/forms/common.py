"""What the retention forms share: money's help text, a period's order, a filter's choices."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from yicai.access.forms import StyledForm
from yicai.access.models import RequestUser

MONEY_HELP = _("元，最多两位小数。")


def period_in_order(form: forms.Form, data: dict[str, Any], first: str, last: str) -> None:
    if data.get(first) and data.get(last) and data[last] < data[first]:
        form.add_error(last, _("截止日期不能早于起始日期。"))


def all_choices(choices: Any) -> list[tuple[str, Any]]:
    return [("", _("全部")), *choices]


class OfUser(StyledForm):
    """A form whose choices depend on who fills it in (`self.user`, for `prepare`)."""

    def __init__(self, user: RequestUser, *args: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)
