"""What the table and its check are made for: the day, an institution, a column the check
lists the people lacking. The page and the API read the same form."""

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yicai.access.forms import DateInput
from yicai.insights.national import queries, table
from yicai.org.forms import ScopedFilterForm, institution_filter
from yicai.web.forms import field_of


class NationalTableForm(ScopedFilterForm):
    institution_permission = queries.PERMISSION

    as_of = forms.DateField(
        label=_("统计日"),
        required=False,
        widget=DateInput(),
        help_text=_("列出这一天在岗的人员及其当天的学历、职称、执业证书；留空即今天。"),
    )
    institution = institution_filter(_("机构"))
    column = forms.ChoiceField(label=_("缺少的必填项"), required=False)

    def prepare(self) -> None:
        super().prepare()
        choices = [(c.key, c.heading) for c in table.CHECKED]
        field_of(self, "column", forms.ChoiceField).choices = [("", _("全部")), *choices]

    def clean_as_of(self) -> datetime.date:
        day: datetime.date | None = self.cleaned_data.get("as_of")
        today = timezone.localdate()
        if day is None:
            return today
        if day > today:
            raise forms.ValidationError(_("统计日不能晚于今天。"))
        return day

    def values(self) -> dict[str, Any]:
        """The filters as the queries take them (the day defaulting to today); call after
        is_valid()."""
        data = self.cleaned_data
        return {
            "as_of": data.get("as_of") or timezone.localdate(),
            "institution": data.get("institution"),
            "column": data.get("column") or "",
        }
