"""Visit forms."""

from django import forms
from django.utils.translation import gettext_lazy as _

from yicai.access.forms import DateInput, bootstrap
from yicai.training.models import Visit


class VisitFilterForm(forms.Form):
    is_filter = True
    q = forms.CharField(label=_("专家 / 机构"), required=False)
    kind = forms.ChoiceField(
        label=_("形式"), required=False, choices=[("", _("全部")), *Visit.Kind.choices]
    )
    since = forms.DateField(label=_("起始日期"), required=False, widget=DateInput())
    until = forms.DateField(label=_("截止日期"), required=False, widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)
