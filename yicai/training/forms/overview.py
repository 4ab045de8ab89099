"""The period the overview counts over: the page's filter and the API's parameters alike."""

from django import forms
from django.utils.translation import gettext_lazy as _

from yicai.access.forms import DateInput, bootstrap


class OverviewForm(forms.Form):
    since = forms.DateField(label=_("统计起始日期"), required=False, widget=DateInput())
    until = forms.DateField(
        label=_("统计截止日期"),
        required=False,
        widget=DateInput(),
        help_text=_("留空即今天。"),
    )
    as_of = forms.DateField(
        label=_("现状截至"),
        required=False,
        widget=DateInput(),
        help_text=_("在岗、在外、带教中、待批注等现状按这一天计；留空即今天，如 2023-12-31。"),
    )
    year = forms.IntegerField(
        label=_("工作室经费年度"),
        required=False,
        min_value=2000,
        max_value=2100,
        help_text=_("留空即上一项日期所在年度。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", _("截止日期不能早于起始日期。"))
        return data
