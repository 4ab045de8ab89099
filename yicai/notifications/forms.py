from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from yicai.access.forms import FilterForm
from yicai.notifications import kinds
from yicai.web.forms import field_of


class NotificationFilterForm(FilterForm):
    unread = forms.TypedChoiceField(
        label=_("显示"),
        required=False,
        choices=[("", _("全部")), ("1", _("未读"))],
        coerce=lambda value: value == "1",
        empty_value=False,  # type: ignore[arg-type]  # a bool, as coerce gives
    )
    kind = forms.ChoiceField(label=_("类别"), required=False)

    def __init__(self, user: Any = None, *args: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def prepare(self) -> None:
        field_of(self, "kind", forms.ChoiceField).choices = [("", _("全部")), *kinds.choices()]
