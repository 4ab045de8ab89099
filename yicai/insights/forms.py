"""The WISN studies' filter form (the list page and the API) and edit forms: a study, an
activity, an allowance; the annual report's period."""

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yicai.access.forms import DateInput, bootstrap
from yicai.access.models import RequestUser
from yicai.insights import queries
from yicai.insights.models import WisnAllowance
from yicai.org.forms import ScopedFilterForm, institution_filter
from yicai.org.models import Institution
from yicai.org.queries import DEPARTMENT_OUT_OF_SCOPE
from yicai.people.forms import CodeChoiceField
from yicai.web.forms import DepartmentChoiceField, field_of, prompt_and_preselect


def _number(
    label: Any, places: int, digits: int, *, required: bool = True, **kwargs: Any
) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        max_digits=digits,
        decimal_places=places,
        required=required,
        min_value=Decimal(0),
        **kwargs,
    )


def _days(label: Any) -> forms.DecimalField:
    return _number(label, 1, 5, initial=Decimal(0))


class StudyFilterForm(ScopedFilterForm):
    q = forms.CharField(label=_("科室 / 说明"), required=False)
    institution = institution_filter(_("机构"))
    staff_category = CodeChoiceField(label=_("人员类别"), queryset=None, required=False)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100, required=False)

    def prepare(self) -> None:
        super().prepare()
        categories = field_of(self, "staff_category", forms.ModelChoiceField)
        categories.queryset = queries.staff_categories()

    def institutions(self) -> "QuerySet[Institution]":
        return queries.study_institutions(self.user)


class StudyForm(forms.Form):
    department = DepartmentChoiceField(
        label=_("科室"),
        queryset=None,
        error_messages={"invalid_choice": DEPARTMENT_OUT_OF_SCOPE},
    )
    staff_category = CodeChoiceField(
        label=_("人员类别"),
        queryset=None,
        help_text=_("从事专业类别：执业医师、注册护士、检验技师等。"),
    )
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    days_a_week = _number(
        _("每周工作天数"),
        1,
        3,
        initial=Decimal(5),
        help_text=_("一名全职人员每周从事本类工作的天数，可为 4.5 等。"),
    )
    hours_a_day = _number(_("每日工作小时数"), 2, 4, initial=Decimal(8))
    public_holidays = _days(_("法定节假日（天）"))
    annual_leave = _days(_("年休假（天）"))
    sick_leave = _days(_("病假（天）"))
    other_leave = _days(_("其他假（天）"))
    training_days = _days(_("培训及其他缺勤（天）"))
    current_staff = _number(
        _("现有人数"), 2, 7, help_text=_("本科室本类在岗人员，按全职折算（兼职可填 0.5）。")
    )
    note = forms.CharField(label=_("说明"), widget=forms.Textarea(), required=False)

    def __init__(self, user: RequestUser, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        departments = field_of(self, "department", forms.ModelChoiceField)
        departments.queryset = queries.plannable_departments(user).select_related("institution")
        categories = field_of(self, "staff_category", forms.ModelChoiceField)
        categories.queryset = queries.staff_categories()
        self.fields["note"].widget.attrs.update(rows="3")
        bootstrap(self)
        prompt_and_preselect(self, "department")


class ActivityForm(forms.Form):
    name = forms.CharField(
        label=_("卫生服务活动"), max_length=100, help_text=_("如：门诊诊疗、住院患者查房、手术。")
    )
    minutes_per_unit = _number(
        _("每单位耗时（分钟）"), 2, 8, help_text=_("活动标准：训练有素的人员完成一次所需时间。")
    )
    annual_workload = _number(_("年工作量"), 2, 12, help_text=_("全年完成的次数（人次、例数）。"))
    volume_measure = forms.CharField(
        label=_("工作量指标"),
        max_length=100,
        required=False,
        help_text=_("工作量所取自的学科统计指标名称（可不填）。"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class AllowanceForm(forms.Form):
    kind = forms.ChoiceField(label=_("补贴类型"), choices=WisnAllowance.Kind.choices)
    name = forms.CharField(label=_("活动名称"), max_length=100)
    percent = _number(
        _("占工作时间（%）"),
        2,
        5,
        required=False,
        help_text=_("类别补贴：按百分比填写，或改填每人每年小时数。"),
    )
    hours_per_year = _number(_("每人每年小时数"), 2, 8, required=False)
    staff = _number(
        _("承担人数"), 2, 6, required=False, help_text=_("个人补贴：承担此项活动的人数。")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class ReportForm(forms.Form):
    """The annual report's period: a year (this year by default), or two days."""

    year = forms.IntegerField(label=_("年度"), min_value=1949, max_value=2100, required=False)
    since = forms.DateField(label=_("起始日"), required=False, widget=DateInput())
    until = forms.DateField(label=_("截止日"), required=False, widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if bool(since) != bool(until):
            self.add_error("since" if since is None else "until", _("起始日和截止日须同时填写。"))
            return data
        if since and until:
            if until < since:
                self.add_error("until", _("截止日不能早于起始日。"))
            return data
        year = data.get("year") or timezone.localdate().year
        return {**data, "since": datetime.date(year, 1, 1), "until": datetime.date(year, 12, 31)}
