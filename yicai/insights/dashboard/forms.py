import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yicai.access.forms import DateInput
from yicai.org.forms import ScopedFilterForm, institution_filter
from yicai.org.models import Department
from yicai.org.queries import departments_for
from yicai.people.forms import DepartmentChoiceField
from yicai.web.forms import field_of


class DashboardForm(ScopedFilterForm):
    """Where and when: an institution or a department the user sees (none: all of them), the
    day staff are counted on (today by default) and the period flows are counted over (from
    1 January of its last day's year to that day, the as-of day, by default)."""

    institution_permission = "insights.view"
    institution = institution_filter(_("机构"))
    department = DepartmentChoiceField(label=_("科室"), queryset=None, required=False)
    as_of = forms.DateField(label=_("现状截至"), required=False, widget=DateInput())
    since = forms.DateField(label=_("起始日"), required=False, widget=DateInput())
    until = forms.DateField(label=_("截止日"), required=False, widget=DateInput())

    def prepare(self) -> None:
        super().prepare()
        departments: Any = departments_for(self.user)
        field_of(self, "department", forms.ModelChoiceField).queryset = departments

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        today = timezone.localdate()
        as_of = data.get("as_of") or today
        if as_of > today:
            self.add_error("as_of", _("现状截至日期不能晚于今天。"))
        until = data.get("until") or min(as_of, today)
        since = data.get("since") or datetime.date(until.year, 1, 1)
        if until < since:
            self.add_error("until", _("截止日不能早于起始日。"))
        department: Department | None = data.get("department")
        institution = data.get("institution")
        if (
            department is not None
            and institution is not None
            and department.institution_id != institution.pk
        ):
            self.add_error("department", _("所选科室不属于所选机构。"))
        return {**data, "as_of": as_of, "since": since, "until": until}
