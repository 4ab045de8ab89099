"""Visit and consultation forms, their lists' filters and the calendar's."""

from __future__ import annotations

import datetime

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from yicai.access.forms import DateInput, FilterForm, bootstrap
from yicai.org.forms import ScopedFilterForm, institution_filter
from yicai.org.models import Institution
from yicai.picker import PersonPickerField
from yicai.training.forms.common import MentorshipChoiceField
from yicai.training.forms.mentoring import editable_departments, editable_institutions
from yicai.training.models import Consultation, ExpertStudio, Visit
from yicai.training.queries.mentoring import mentorships_for
from yicai.training.queries.studios import studios_for
from yicai.web.forms import DepartmentChoiceField, field_of, prompt_and_preselect


class VisitFilterForm(FilterForm):
    q = forms.CharField(label=_("专家 / 机构"), required=False)
    kind = forms.ChoiceField(
        label=_("形式"), required=False, choices=[("", _("全部")), *Visit.Kind.choices]
    )
    since = forms.DateField(label=_("起始日期"), required=False, widget=DateInput())
    until = forms.DateField(label=_("截止日期"), required=False, widget=DateInput())


class VisitForm(forms.Form):
    """An expert's day at an institution, held or planned."""

    expert = PersonPickerField("training.experts", label=_("专家"))
    kind = forms.ChoiceField(label=_("形式"), choices=Visit.Kind.choices)
    held_on = forms.DateField(
        label=_("日期"), widget=DateInput(), help_text=_("填写将来的日期即为计划，当天起计入统计。")
    )
    institution: forms.ModelChoiceField[Institution] = forms.ModelChoiceField(
        label=_("机构"), queryset=None
    )
    department = DepartmentChoiceField(label=_("科室"), queryset=None, required=False)
    studio: forms.ModelChoiceField[ExpertStudio] = forms.ModelChoiceField(
        label=_("名医工作室"), queryset=None, required=False
    )
    mentorship = MentorshipChoiceField(label=_("师带徒关系"), queryset=None, required=False)
    patients = forms.IntegerField(label=_("诊疗人次"), min_value=0, initial=0)
    attendees = forms.IntegerField(label=_("参加人数"), min_value=0, initial=0)
    operations = forms.IntegerField(label=_("手术台次"), min_value=0, initial=0)
    note = forms.CharField(
        label=_("说明"),
        max_length=300,
        required=False,
        help_text=_("不要填写患者姓名、身份证号、手机号等信息。"),
    )

    def __init__(self, user, *args, visit: Visit | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        field_of(self, "expert", PersonPickerField).bind(
            user, keep=[visit.expert_id if visit else None]
        )
        field_of(self, "institution", forms.ModelChoiceField).queryset = editable_institutions(user)
        field_of(self, "department", forms.ModelChoiceField).queryset = editable_departments(user)
        field_of(self, "studio", forms.ModelChoiceField).queryset = studios_for(
            user, "training.edit"
        ).order_by("name")
        field_of(self, "mentorship", forms.ModelChoiceField).queryset = (
            mentorships_for(user, "training.edit").prefetch_related(None).order_by("-start_on")
        )
        self.fields["note"].widget.attrs["cols"] = "12"
        bootstrap(self)
        prompt_and_preselect(self)


class ConsultationFilterForm(ScopedFilterForm):
    institution_permission = "training.view"
    q = forms.CharField(label=_("专家 / 申请医生"), required=False)
    institution = institution_filter(_("申请机构"))
    since = forms.DateField(label=_("起始日期"), required=False, widget=DateInput())
    until = forms.DateField(label=_("截止日期"), required=False, widget=DateInput())


class ConsultationForm(forms.Form):
    """A remote consultation: the case without the patient, the advice, what came of it."""

    expert = PersonPickerField("training.experts", label=_("会诊专家"))
    requester = PersonPickerField("training.staff", label=_("申请医生"))
    institution: forms.ModelChoiceField[Institution] = forms.ModelChoiceField(
        label=_("申请机构"), queryset=None
    )
    held_on = forms.DateField(label=_("会诊日期"), widget=DateInput())
    summary = forms.CharField(
        label=_("病情摘要"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("只写病情，不要填写患者姓名、身份证号、手机号等信息。"),
    )
    advice = forms.CharField(
        label=_("会诊意见"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    outcome = forms.CharField(label=_("转归"), required=False, max_length=200)

    def __init__(self, user, *args, consultation: Consultation | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        field_of(self, "expert", PersonPickerField).bind(
            user, keep=[consultation.expert_id if consultation else None]
        )
        field_of(self, "requester", PersonPickerField).bind(
            user, keep=[consultation.requester_id if consultation else None]
        )
        field_of(self, "institution", forms.ModelChoiceField).queryset = editable_institutions(user)
        for name in ("summary", "advice", "outcome"):
            self.fields[name].widget.attrs["cols"] = "12"
        bootstrap(self)
        prompt_and_preselect(self)


class CalendarForm(forms.Form):
    is_filter = True
    month = forms.CharField(
        label=_("月份"),
        required=False,
        validators=[RegexValidator(r"^\d{4}-(0[1-9]|1[0-2])$", _("月份格式为 YYYY-MM。"))],
    )
    institution: forms.ModelChoiceField[Institution] = forms.ModelChoiceField(
        label=_("机构"), queryset=None, required=False
    )
    expert = PersonPickerField("training.visiting_experts", label=_("专家"), required=False)

    def __init__(self, user, *args, institutions, **kwargs):
        super().__init__(*args, **kwargs)
        field_of(self, "institution", forms.ModelChoiceField).queryset = institutions
        field_of(self, "expert", PersonPickerField).bind(user)
        bootstrap(self)

    def clean_month(self):
        month = self.cleaned_data["month"]
        # The calendar's range: a month beyond it is a wrong filter (400), not this month.
        if month and not 1900 <= int(month[:4]) <= 2999:
            raise forms.ValidationError(_("月份须在 1900 至 2999 年之间。"))
        return month

    def first_day(self, today: datetime.date) -> datetime.date:
        """The month shown: ?month=YYYY-MM within 1900–2999, else this month."""
        self.is_valid()  # each valid field counts, whatever the others hold
        month = getattr(self, "cleaned_data", {}).get("month")
        if month:
            year, number = (int(part) for part in month.split("-"))
            if 1900 <= year <= 2999:
                return datetime.date(year, number, 1)
        return today.replace(day=1)
