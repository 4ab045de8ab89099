"""The filter forms (the list, a discipline's page and the API) and the edit form of the
disciplines' yearly figures."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from yicai.access.forms import FilterForm, bootstrap
from yicai.access.models import RequestUser
from yicai.evaluation.models import FIRST_YEAR, Measure
from yicai.evaluation.queries import disciplines as queries
from yicai.evaluation.services.disciplines import NOTE_LIMIT
from yicai.org.forms import ScopedFilterForm, institution_filter
from yicai.org.models import Institution
from yicai.org.queries import DEPARTMENT_OUT_OF_SCOPE
from yicai.web.forms import DepartmentChoiceField, field_of, prompt_and_preselect


def _year(label: Any) -> forms.IntegerField:
    return forms.IntegerField(label=label, required=False, min_value=FIRST_YEAR, max_value=2100)


class _YearsForm(forms.Form):
    """A range of years, from `year_from` to `year_to` (both inclusive, either open)."""

    year_from = _year(_("起始年度"))
    year_to = _year(_("截止年度"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("year_from"), data.get("year_to")
        if first and last and last < first:
            self.add_error("year_to", _("截止年度不能早于起始年度。"))
        return data


class FigureFilterForm(_YearsForm, ScopedFilterForm):
    institution = institution_filter(_("机构"))
    department = DepartmentChoiceField(
        label=_("科室"),
        queryset=None,
        required=False,
        error_messages={"invalid_choice": DEPARTMENT_OUT_OF_SCOPE},
    )
    measure = forms.ChoiceField(
        label=_("指标"), required=False, choices=[("", _("全部")), *Measure.choices]
    )
    field_order = ("institution", "department", "measure", "year_from", "year_to")

    def institutions(self) -> QuerySet[Institution]:
        return queries.visible_institutions(self.user)

    def prepare(self) -> None:
        super().prepare()
        field_of(self, "department", forms.ModelChoiceField).queryset = queries.visible_departments(
            self.user
        )


class SeriesForm(_YearsForm, FilterForm):
    """A discipline's years: those it has figures for, by default; at most MAX_YEARS."""

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        first, last = data.get("year_from"), data.get("year_to")
        if first and last and last - first >= queries.MAX_YEARS:
            self.add_error("year_to", _("一次最多查看 %d 个年度。") % queries.MAX_YEARS)
        return data


class FigureForm(forms.Form):
    department = DepartmentChoiceField(
        label=_("科室"),
        queryset=None,
        error_messages={"invalid_choice": DEPARTMENT_OUT_OF_SCOPE},
    )
    year = forms.IntegerField(label=_("年度"))
    measure = forms.ChoiceField(label=_("指标"), choices=Measure.choices)
    value = forms.IntegerField(label=_("数值"), help_text=_("全年合计；床位数为年末实际开放数。"))
    # Its length is the service's to check, in the words the API and the import use.
    note = forms.CharField(
        label=_("备注"),
        required=False,
        help_text=_("数据来源，如病案首页统计、HIS 报表。"),
        widget=forms.TextInput(attrs={"maxlength": NOTE_LIMIT}),
    )

    def __init__(self, user: RequestUser, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(
            self, "department", forms.ModelChoiceField
        ).queryset = queries.editable_departments(user)
        bootstrap(self)
        prompt_and_preselect(self, "department")
