"""The filters of the gaps against the norms and of the priorities (the pages and the API)."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from yicai.access.forms import DateInput
from yicai.insights import priorities, queries
from yicai.insights.forms import RegionField
from yicai.org.forms import ScopedFilterForm, institution_filter
from yicai.org.models import Institution, Region
from yicai.web.forms import field_of


def _as_of() -> forms.DateField:
    return forms.DateField(
        label=_("现状截至"), required=False, widget=DateInput(), help_text=_("留空即今天。")
    )


def _checked(form: forms.Form) -> None:
    day = form.cleaned_data.get("as_of")
    if day is not None and not 1949 <= day.year <= 2100:
        form.add_error("as_of", _("请填写 1949 至 2100 年之间的日期。"))


class NormGapsForm(ScopedFilterForm):
    as_of = _as_of()
    year = forms.IntegerField(
        label=_("床位年度"),
        min_value=1949,
        max_value=2100,
        required=False,
        help_text=_("取该年度（未登记则此前最近一年）的实际开放床位数；留空即现状截至日所在年度。"),
    )
    institution = institution_filter(_("机构"))
    region: "forms.ModelChoiceField[Region]" = RegionField(
        label=_("地区"), queryset=None, required=False
    )

    def prepare(self) -> None:
        super().prepare()
        field_of(self, "region", forms.ModelChoiceField).queryset = queries.density_regions(
            self.user
        )

    def institutions(self) -> "QuerySet[Institution]":
        return queries.study_institutions(self.user)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _checked(self)
        return data


class PrioritiesForm(ScopedFilterForm):
    as_of = _as_of()
    days = forms.IntegerField(
        label=_("到期天数"),
        min_value=1,
        max_value=priorities.MAX_DAYS,
        required=False,
        help_text=_("列出自现状截至日起这么多天内到期的服务与培养；留空即 180 天。"),
    )
    institution = institution_filter(_("机构"))
    section = forms.ChoiceField(
        label=_("导出部分"),
        required=False,
        choices=[("", _("全部")), *priorities.TITLES.items()],
        widget=forms.HiddenInput(),
    )

    def institutions(self) -> "QuerySet[Institution]":
        return queries.study_institutions(self.user)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _checked(self)
        return data
