"""Partner agreements (合作协议): the list with its export, and the form to record or change one."""

from collections.abc import Iterator, Mapping
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yicai.access.scope import has_perm, require
from yicai.recruitment import queries, services
from yicai.recruitment.forms import AgreementFilterForm, AgreementForm
from yicai.recruitment.models import PartnerAgreement
from yicai.web.forms import initial_from
from yicai.web.listing import Export, Listing, ListPermissions, editable_ids, list_page
from yicai.web.views import form_page

RECRUITMENT = ListPermissions(
    view="recruitment.view", export="recruitment.export", edit="recruitment.edit"
)

AGREEMENT_HEADERS = [
    gettext_lazy("签约机构"),
    gettext_lazy("对口科室"),
    gettext_lazy("合作方"),
    gettext_lazy("协议类型"),
    gettext_lazy("协议名称"),
    gettext_lazy("签订日期"),
    gettext_lazy("起始日期"),
    gettext_lazy("截止日期"),
    gettext_lazy("说明"),
]


def agreement_rows(agreements: "QuerySet[PartnerAgreement]") -> Iterator[list[object]]:
    for agreement in agreements.iterator(chunk_size=2000):
        yield [
            agreement.institution.name,
            agreement.department.name if agreement.department else "",
            agreement.partner_label,
            agreement.get_kind_display(),
            agreement.title,
            agreement.signed_on,
            agreement.starts_on,
            agreement.ends_on or "",
            agreement.note,
        ]


@login_required
def agreement_list(request: HttpRequest) -> HttpResponseBase:
    def extra(listing: Listing, _filters: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "can_edit": has_perm(request.user, "recruitment.edit"),
            "editable": editable_ids(
                request.user, "recruitment.edit", queries.agreements_for, listing
            ),
        }

    export = Export(_("合作协议"), AGREEMENT_HEADERS, agreement_rows, _("导出合作协议"))
    form = AgreementFilterForm(request.user, request.GET or None)
    return list_page(
        request,
        RECRUITMENT,
        "recruitment/agreement_list.html",
        form,
        queries.agreement_list,
        export,
        extra,
    )


@login_required
def agreement_edit(request: HttpRequest, pk: int | None = None) -> HttpResponseBase:
    require(request.user, "recruitment.edit")
    agreement = queries.agreement_for(request.user, pk, "recruitment.edit") if pk else None
    initial = initial_from(agreement, services.AGREEMENT_FIELDS) if agreement else None
    form = AgreementForm(request.user, request.POST or None, initial=initial)

    def save(values: dict[str, Any]) -> PartnerAgreement:
        if agreement is None:
            return services.agreement_create(by=request.user, **values)
        return services.agreement_update(agreement=agreement, by=request.user, **values)

    return form_page(
        request,
        form,
        "recruitment/agreement_form.html",
        {"agreement": agreement},
        save=save,
        message=lambda saved: _("已保存合作协议：%s") % saved.title,
        then=lambda _saved: redirect("recruitment:agreements"),
        reread=agreement,
    )
