"""流失风险: the people one keeps who may be about to leave, with the reasons in words."""

from collections.abc import Iterator
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from yicai.access.forms import DateInput
from yicai.org.forms import ScopedFilterForm, institution_filter
from yicai.retention import risk
from yicai.retention.queries.risks import RISK, AtRisk, risk_list
from yicai.web.forms import field_of
from yicai.web.listing import Export, ListPermissions, list_page

RISKS = ListPermissions(view=RISK, export="retention.export")


class RiskFilterForm(ScopedFilterForm):
    institution_permission = RISK

    institution = institution_filter(_("所在机构"))
    reason = forms.ChoiceField(label=_("风险类别"), required=False)
    as_of = forms.DateField(label=_("截至日期"), required=False, widget=DateInput())

    def prepare(self) -> None:
        super().prepare()
        field_of(self, "reason", forms.ChoiceField).choices = [
            ("", _("全部")),
            *risk.kind_choices(),
        ]


HEADERS = [_("姓名"), _("所在机构"), _("所在科室"), _("风险原因")]


def _rows(rows: list[AtRisk]) -> Iterator[list[Any]]:
    for row in rows:
        person = row.person
        yield [
            person.name,
            person.institution.name if person.institution else "",
            person.department.name if person.department else "",
            "；".join(reason.text for reason in row.reasons),
        ]


@login_required
def risk_list_page(request: HttpRequest) -> HttpResponseBase:
    export = Export(gettext_now("流失风险"), HEADERS, _rows, gettext_now("导出流失风险名单"))
    form = RiskFilterForm(request.user, request.GET or None)
    return list_page(request, RISKS, "retention/risk_list.html", form, risk_list, export)
