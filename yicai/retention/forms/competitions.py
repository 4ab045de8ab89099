"""The filter and edit forms of skill competitions."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from yicai.access.forms import DateInput, FilterForm, StyledForm
from yicai.org.models import Institution
from yicai.org.queries import institutions_for
from yicai.picker import PeoplePickerField, PersonPickerField
from yicai.retention.forms.common import OfUser
from yicai.retention.models import Competition, CompetitionRound, Entrant
from yicai.web.forms import field_of

EDIT = "retention.edit"


class CompetitionFilterForm(FilterForm):
    q = forms.CharField(label=_("竞赛名称 / 专业"), required=False)
    level = forms.ChoiceField(
        label=_("级别"), required=False, choices=[("", _("全部")), *Competition.Level.choices]
    )
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部")), *Competition.Status.choices]
    )
    since = forms.DateField(label=_("起始日期"), required=False, widget=DateInput())
    until = forms.DateField(label=_("截止日期"), required=False, widget=DateInput())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            self.add_error("until", _("截止日期不能早于起始日期。"))
        return data


def _institutions(form: OfUser) -> None:
    field_of(form, "institution", forms.ModelChoiceField).queryset = institutions_for(
        form.user, EDIT
    ).filter(relation="managed")


class CompetitionForm(OfUser):
    name = forms.CharField(label=_("竞赛名称"), max_length=200)
    specialty = forms.CharField(label=_("专业"), max_length=60)
    level = forms.ChoiceField(label=_("级别"), choices=Competition.Level.choices)
    held_on = forms.DateField(label=_("举办日期"), widget=DateInput())
    institution: forms.ModelChoiceField[Institution] = forms.ModelChoiceField(
        label=_("主办机构"),
        queryset=Institution.objects.none(),
        required=False,
        help_text=_("卫健委主办的留空。"),
    )
    teams = forms.BooleanField(label=_("团体赛"), required=False)
    trim_extremes = forms.BooleanField(
        label=_("去掉最高分和最低分"), required=False, help_text=_("评委不少于 5 人时适用。")
    )
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def prepare(self) -> None:
        _institutions(self)


class RoundForm(StyledForm):
    name = forms.CharField(label=_("环节"), max_length=60)
    weight = forms.DecimalField(
        label=_("权重（%）"), max_digits=5, decimal_places=2, min_value=Decimal("0.01")
    )
    full_marks = forms.DecimalField(
        label=_("满分"), max_digits=6, decimal_places=2, min_value=Decimal(1), initial=100
    )


class EntrantForm(OfUser):
    person = PersonPickerField("retention.entrants", label=_("参赛人员"), required=False)
    team_name = forms.CharField(label=_("队名"), max_length=100, required=False)
    members = PeoplePickerField("retention.entrants", label=_("队员"), required=False)
    institution: forms.ModelChoiceField[Institution] = forms.ModelChoiceField(
        label=_("代表机构"),
        queryset=Institution.objects.none(),
        required=False,
        help_text=_("个人赛不填为其所在机构。"),
    )

    def prepare(self) -> None:
        field_of(self, "person", PersonPickerField).bind(self.user)
        field_of(self, "members", PeoplePickerField).bind(self.user)
        _institutions(self)


class ScoreForm(StyledForm):
    round: forms.ModelChoiceField[CompetitionRound] = forms.ModelChoiceField(
        label=_("环节"), queryset=CompetitionRound.objects.none()
    )
    entrant: forms.ModelChoiceField[Entrant] = forms.ModelChoiceField(
        label=_("参赛者"), queryset=Entrant.objects.none()
    )
    judge = forms.CharField(label=_("评委"), max_length=50)
    score = forms.CharField(label=_("分数"), max_length=10)

    def __init__(self, competition: Competition, *args: Any, **kwargs: Any) -> None:
        self.competition = competition
        super().__init__(*args, **kwargs)

    def prepare(self) -> None:
        field_of(self, "round", forms.ModelChoiceField).queryset = self.competition.rounds.all()
        field_of(
            self, "entrant", forms.ModelChoiceField
        ).queryset = self.competition.entrants.select_related("person")


class FinishForm(StyledForm):
    honours = forms.CharField(
        label=_("奖项及名额"),
        initial="一等奖:1 二等奖:2 三等奖:3",
        help_text=_("按名次依次授予，如“一等奖:1 二等奖:2 三等奖:3”；并列的同享。"),
    )

    def clean_honours(self) -> list[tuple[str, int]]:
        text = (self.cleaned_data.get("honours") or "").replace("：", ":").replace("，", " ")
        found = []
        for part in text.replace(",", " ").split():
            label, _sep, count = part.partition(":")
            if not label or not count.isdigit() or int(count) < 1:
                raise forms.ValidationError(_("请写成“一等奖:1 二等奖:2”的形式。"))
            found.append((label, int(count)))
        if not found:
            raise forms.ValidationError(_("请填写奖项及名额。"))
        return found
