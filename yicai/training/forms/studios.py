"""Studio forms."""

from django import forms
from django.utils.translation import gettext_lazy as _

from yicai.access.forms import bootstrap
from yicai.org.queries import institutions_for
from yicai.training.models import StudioTier


class StudioFilterForm(forms.Form):
    is_filter = True
    q = forms.CharField(label=_("工作室 / 领衔专家"), required=False)
    tier = forms.ChoiceField(
        label=_("级别"), required=False, choices=[("", _("全部")), *StudioTier.choices]
    )
    institution = forms.ModelChoiceField(label=_("依托机构"), queryset=None, required=False)

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions_for(user)
        bootstrap(self)
