"""The filter forms (pages and API) and edit forms of title-promotion rounds and their
applications."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from yicai.access.forms import DateInput, StyledForm, bootstrap
from yicai.access.models import RequestUser
from yicai.codes.models import Code
from yicai.codes.queries import codes_of
from yicai.org.forms import ScopedFilterForm, institution_filter
from yicai.people.forms import CodeChoiceField
from yicai.picker import PersonPickerField
from yicai.retention.models import APPLIED_GRADES, PromotionApplication, PromotionRound
from yicai.web.forms import field_of

PROMOTABLE = "retention.promotable"


def title_series() -> QuerySet[Code]:
    """The title series (卫生技术人员（医师）...): the title table's codes with no parent."""
    return Code.objects.filter(table__key="title", parent__isnull=True, active=True).order_by(
        "sort", "code"
    )


def _day(label: Any, *, required: bool = False, help_text: Any = "") -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DateInput(), help_text=help_text)


class RoundFilterForm(ScopedFilterForm):
    q = forms.CharField(label=_("名称"), required=False)
    year = forms.IntegerField(label=_("年度"), required=False, min_value=1990, max_value=2999)
    series = CodeChoiceField(label=_("系列"), queryset=Code.objects.none(), required=False)
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部")), *PromotionRound.Status.choices]
    )

    def prepare(self) -> None:
        super().prepare()
        field_of(self, "series", forms.ModelChoiceField).queryset = title_series()


class RoundForm(StyledForm):
    year = forms.IntegerField(label=_("年度"), min_value=1990, max_value=2999)
    series = CodeChoiceField(label=_("职称系列"), queryset=Code.objects.none())
    name = forms.CharField(label=_("名称"), max_length=100)
    opens_on = _day(_("申报开始"), required=True)
    closes_on = _day(_("申报截止"), required=True)
    note = forms.CharField(label=_("说明"), widget=forms.Textarea(), required=False)

    def prepare(self) -> None:
        field_of(self, "series", forms.ModelChoiceField).queryset = title_series()


class RequirementForm(StyledForm):
    grade = forms.ChoiceField(label=_("申报级别"), choices=APPLIED_GRADES)
    min_years = forms.IntegerField(
        label=_("现级别最低年限"), min_value=0, max_value=40, required=False
    )
    min_education = CodeChoiceField(
        label=_("最低学历"), queryset=Code.objects.none(), required=False
    )
    min_credits = forms.DecimalField(
        label=_("当年最低继续教育学分"),
        min_value=0,
        max_digits=6,
        decimal_places=1,
        required=False,
    )
    licence_required = forms.BooleanField(label=_("须持有效执业证书"), required=False)

    def prepare(self) -> None:
        field_of(self, "min_education", forms.ModelChoiceField).queryset = codes_of("education")


class ApplicationFilterForm(ScopedFilterForm):
    institution_permission = "retention.view"
    q = forms.CharField(label=_("姓名 / 单位"), required=False)
    institution = institution_filter(_("申报单位"))
    grade = forms.ChoiceField(
        label=_("申报级别"), required=False, choices=[("", _("全部")), *APPLIED_GRADES]
    )
    eligibility = forms.ChoiceField(
        label=_("资格"),
        required=False,
        choices=[("", _("全部")), *PromotionApplication.Eligibility.choices],
    )
    result = forms.ChoiceField(
        label=_("评审结果"),
        required=False,
        choices=[("", _("全部")), *PromotionApplication.Result.choices],
    )


class ApplicationForm(forms.Form):
    person = PersonPickerField(PROMOTABLE, label=_("申报人"), help_text=_("本单位在编人员。"))
    grade = forms.ChoiceField(label=_("申报级别"), choices=APPLIED_GRADES)
    applied_on = _day(_("申报日期"), help_text=_("不填为今天。"))

    def __init__(self, user: RequestUser, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "person", PersonPickerField).bind(user)
        bootstrap(self)


_RESULTS = [
    (value, label)
    for value, label in PromotionApplication.Result.choices
    if value != PromotionApplication.Result.PENDING
]


class ResultForm(StyledForm):
    result = forms.ChoiceField(label=_("评审结果"), choices=_RESULTS)
    on = _day(_("结果日期"), help_text=_("不填为今天。"))


class ResultsForm(ResultForm):
    """One result for the applications ticked in a round's table."""

    applications = forms.TypedMultipleChoiceField(
        label=_("申报"),
        coerce=int,
        error_messages={"required": _("请选择要登记结果的申报。")},
    )

    def __init__(self, *args: Any, ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "applications", forms.TypedMultipleChoiceField).choices = [
            (pk, pk) for pk in ids
        ]
