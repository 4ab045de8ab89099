"""Continuing education and training quota forms. Every choice of a person, institution or
department comes from the user's scope, so another institution's ids are refused as
invalid choices before a service is called."""

from __future__ import annotations

from typing import TypedDict

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from yicai.access.forms import DateInput, StyledForm, bootstrap, preselect_only_choice
from yicai.org.forms import ScopedFilterForm, institution_filter
from yicai.org.models import Institution
from yicai.org.queries import departments_for, institutions_for
from yicai.picker import PeoplePickerField, PersonPickerField
from yicai.training.models import CreditClass, EducationEvent, Enrolment, TrainingKind
from yicai.training.queries.education import this_year
from yicai.web.forms import field_of

ALL = [("", _("全部"))]


class _Credit(TypedDict):
    max_digits: int
    decimal_places: int
    min_value: int


CREDIT: _Credit = {"max_digits": 4, "decimal_places": 1, "min_value": 0}


def _year_field(label, required=False, initial=None):
    return forms.IntegerField(
        label=label,
        required=required,
        initial=initial,
        min_value=2000,
        max_value=2100,
        widget=forms.NumberInput(attrs={"step": 1}),
    )


class DepartmentField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.institution.short_name} · {obj.name}"


class EventFilterForm(ScopedFilterForm):
    institution_permission = "training.view"
    q = forms.CharField(label=_("主题 / 主讲人"), required=False)
    kind = forms.ChoiceField(
        label=_("形式"), required=False, choices=ALL + EducationEvent.Kind.choices
    )
    institution = institution_filter(_("主办机构"))
    credit_class = forms.ChoiceField(
        label=_("学分类别"), required=False, choices=ALL + CreditClass.choices
    )
    since = forms.DateField(label=_("起始日期"), required=False, widget=DateInput())
    until = forms.DateField(label=_("截止日期"), required=False, widget=DateInput())


class EventForm(forms.Form):
    kind = forms.ChoiceField(label=_("形式"), choices=EducationEvent.Kind.choices)
    title = forms.CharField(
        label=_("主题"),
        max_length=200,
        help_text=_("疑难病例讨论只写病种与要点，不要填写患者姓名、身份证号等信息。"),
    )
    institution: forms.ModelChoiceField[Institution] = forms.ModelChoiceField(
        label=_("主办机构"), queryset=None
    )
    department = DepartmentField(label=_("主办科室"), queryset=None, required=False)
    held_on = forms.DateField(
        label=_("日期"), widget=DateInput(), help_text=_("可登记今后的活动，举行后再登记参加人员。")
    )
    speaker = PersonPickerField("training.speakers", label=_("主讲人"), required=False)
    speaker_name = forms.CharField(
        label=_("院外主讲人"),
        max_length=50,
        required=False,
        help_text=_("主讲人不在人才档案中时填写。"),
    )
    hours = forms.DecimalField(label=_("学时"), max_digits=4, decimal_places=1, min_value=0)
    credit_class = forms.ChoiceField(label=_("学分类别"), choices=CreditClass.choices)
    credits = forms.DecimalField(label=_("每人学分"), **CREDIT)
    note = forms.CharField(label=_("说明"), max_length=300, required=False)

    def __init__(self, user, *args, event: EducationEvent | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        field_of(self, "institution", forms.ModelChoiceField).queryset = institutions_for(
            user, "training.edit"
        )
        field_of(self, "department", forms.ModelChoiceField).queryset = departments_for(
            user, "training.edit"
        ).order_by("institution__name", "name")
        field_of(self, "speaker", PersonPickerField).bind(
            user, keep=[event.speaker_id if event else None]
        )
        if event is None:
            preselect_only_choice(self)
        self.fields["title"].widget.attrs["cols"] = "8"
        self.fields["note"].widget.attrs["cols"] = "12"
        bootstrap(self)


class AttendanceForm(forms.Form):
    people = PeoplePickerField(
        "training.learners",
        label=_("参加人员"),
        help_text=_("输入姓名或拼音逐个添加，或粘贴签到表的姓名列。"),
    )
    credits = forms.DecimalField(
        label=_("授予学分"), required=False, help_text=_("留空即按活动学分。"), **CREDIT
    )

    def __init__(self, user, *args, event: EducationEvent, **kwargs):
        super().__init__(*args, **kwargs)
        field_of(self, "people", PeoplePickerField).bind(user, {"event": event.pk})
        self.fields["people"].widget.attrs["cols"] = "8"
        bootstrap(self)


class CreditFilterForm(ScopedFilterForm):
    institution_permission = "training.view"
    year = _year_field(_("年度"), initial=this_year)
    q = forms.CharField(label=_("姓名"), required=False)
    institution = institution_filter(_("机构"))
    standing = forms.ChoiceField(
        label=_("达标情况"),
        required=False,
        choices=[*ALL, ("below", _("未达到要求")), ("met", _("已达到要求"))],
    )


class RequirementForm(StyledForm):
    year = _year_field(_("起始年度"), required=True, initial=this_year)
    total = forms.DecimalField(label=_("年度总学分"), **CREDIT)
    class_i = forms.DecimalField(label=_("其中Ⅰ类学分不少于"), **CREDIT)
    class_ii = forms.DecimalField(label=_("其中Ⅱ类学分不少于"), **CREDIT)


class ExternalCreditForm(forms.Form):
    person = PersonPickerField("training.learners", label=_("人员"))
    earned_on = forms.DateField(label=_("取得日期"), widget=DateInput())
    title = forms.CharField(label=_("项目名称"), max_length=200)
    provider = forms.CharField(label=_("举办单位"), max_length=100)
    credit_class = forms.ChoiceField(label=_("学分类别"), choices=CreditClass.choices)
    credits = forms.DecimalField(label=_("学分"), **CREDIT)

    def __init__(self, user, *args, own=False, **kwargs):
        """`own`: the user reports their own credits (no choice of person)."""
        super().__init__(*args, **kwargs)
        if own:
            del self.fields["person"]
        else:
            field_of(self, "person", PersonPickerField).bind(user)
        bootstrap(self)


class QuotaFilterForm(ScopedFilterForm):
    institution_permission = "training.view"
    year = _year_field(_("年度"), initial=this_year)
    institution = institution_filter(_("机构"))
    kind = forms.ChoiceField(
        label=_("培训类别"), required=False, choices=ALL + TrainingKind.choices
    )
    unmet = forms.ChoiceField(
        label=_("完成情况"),
        required=False,
        choices=[*ALL, ("yes", _("未完成")), ("no", _("已完成"))],
    )

    def institutions(self) -> QuerySet[Institution]:
        return super().institutions().filter(relation=Institution.Relation.MANAGED)


class QuotaForm(forms.Form):
    institution: forms.ModelChoiceField[Institution] = forms.ModelChoiceField(
        label=_("机构"), queryset=None
    )
    year = _year_field(_("年度"), required=True, initial=this_year)
    kind = forms.ChoiceField(label=_("培训类别"), choices=TrainingKind.choices)
    number = forms.IntegerField(label=_("指标（人次）"), min_value=0, max_value=10000)

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field_of(self, "institution", forms.ModelChoiceField).queryset = institutions_for(
            user, "training.configure"
        ).filter(relation=Institution.Relation.MANAGED)
        bootstrap(self)


class EnrolmentFilterForm(ScopedFilterForm):
    institution_permission = "training.view"
    q = forms.CharField(label=_("姓名 / 项目 / 单位"), required=False)
    kind = forms.ChoiceField(label=_("类别"), required=False, choices=ALL + Enrolment.Kind.choices)
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=ALL + Enrolment.Status.choices
    )
    year = _year_field(_("开始年度"))
    institution = institution_filter(_("机构"))

    def institutions(self) -> QuerySet[Institution]:
        return super().institutions().filter(relation=Institution.Relation.MANAGED)


class EnrolmentForm(forms.Form):
    person = PersonPickerField("training.learners", label=_("人员"))
    kind = forms.ChoiceField(label=_("类别"), choices=Enrolment.Kind.choices)
    provider = forms.CharField(label=_("培训/就读单位"), max_length=100)
    programme = forms.CharField(label=_("项目/专业"), max_length=100)
    start_on = forms.DateField(label=_("开始日期"), widget=DateInput())
    end_on = forms.DateField(label=_("结束日期"), widget=DateInput(), required=False)
    status = forms.ChoiceField(label=_("状态"), choices=Enrolment.Status.choices)

    def __init__(self, user, *args, editing=False, **kwargs):
        """`editing`: the person of an existing enrolment stays."""
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["person"]
        else:
            field_of(self, "person", PersonPickerField).bind(user)
        bootstrap(self)
