"""Pieces the cultivation forms share."""

from django import forms
from django.utils.translation import gettext_lazy as _

from yicai.training.models import Mentorship

VERIFIED_CHOICES = [("", _("全部")), ("yes", _("已审核")), ("no", _("待审核"))]


GAP_CHOICES = [("", _("全部")), ("yes", _("已填补空白")), ("no", _("尚未填补"))]


class MentorshipChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Mentorship) -> str:
        return f"{obj.mentor.name} · {obj.institution.short_name}（{obj.start_on:%Y-%m-%d}）"
