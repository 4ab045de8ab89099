"""The form recording a mentor's evaluation of an apprentice."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from yicai.access.forms import bootstrap
from yicai.training.models import Apprenticeship, MentorEvaluation
from yicai.web.forms import field_of


class EvaluationForm(forms.Form):
    apprenticeship: forms.ModelChoiceField[Apprenticeship] = forms.ModelChoiceField(
        label=gettext_lazy("徒弟"), queryset=None
    )
    period = forms.CharField(label=gettext_lazy("评价期间"), max_length=30)
    rating = forms.ChoiceField(
        label=gettext_lazy("评价等级"), choices=MentorEvaluation.Rating.choices
    )
    comments = forms.CharField(label=gettext_lazy("评语"), widget=forms.Textarea(), required=False)

    def __init__(self, mentorship, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field_of(
            self, "apprenticeship", forms.ModelChoiceField
        ).queryset = mentorship.apprenticeships.select_related("apprentice")
        self.fields["apprenticeship"].label_from_instance = lambda link: link.apprentice.name
        self.fields["comments"].widget.attrs.update(rows="2", cols="12")
        bootstrap(self)
