"""Cultivation pages: case logs (log one on a phone, verify, send a one-time link), the
technique registry with its filled gaps, and the link page an external mentor opens without
an account."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yicai.access.scope import has_perm, require
from yicai.exchange import exports
from yicai.pagination import page_context
from yicai.training import queries, services
from yicai.training.exports import (
    CASE_HEADERS,
    STUDIO_HEADERS,
    TECHNIQUE_HEADERS,
    VISIT_HEADERS,
    case_rows,
    studio_rows,
    technique_rows,
    visit_rows,
)
from yicai.training.forms import (
    CaseFilterForm,
    CaseLogForm,
    ConfirmForm,
    StudioFilterForm,
    TechniqueFilterForm,
    VisitFilterForm,
)
from yicai.training.models import StudioTier
from yicai.validation import apply_errors


def _results(request, template: str) -> str:
    return f"{template}#results" if request.htmx and request.htmx.target == "results" else template


@dataclass(frozen=True)
class _Export:
    name: str
    headers: list
    rows: Callable  # queryset -> rows
    summary: str


def _list_page(request, form, query, export: _Export, template: str, extra=None):
    """A filtered, paginated, exportable list: the filter form's values go to `query` (a
    scoped query of queries.py); ?export= sends the same rows as a spreadsheet, audited."""
    require(request.user, "training.view")
    filters = form.cleaned_data if form.is_valid() else {}
    if fmt := exports.requested_format(request):
        require(request.user, "training.export")
        rows = export.rows(query(request.user, **filters, permission="training.export"))
        return exports.list_export(
            request, fmt, export.name, export.headers, rows, summary=export.summary
        )
    listing = page_context(request, query(request.user, **filters))
    context = {
        "form": form,
        **listing,
        "can_export": has_perm(request.user, "training.export"),
        **(extra(listing, filters) if extra else {}),
    }
    return render(request, _results(request, template), context)


@login_required
def case_list(request):
    def extra(listing, _filters):
        shown = [case.pk for case in listing["page_obj"]]
        user = request.user
        return {
            "can_log": user.person_id is not None and has_perm(user, "training.log"),
            # Of this page's rows, those the user may verify (a mentor: their apprentices').
            "verifiable": set(
                queries.case_logs_for(user, "training.verify")
                .filter(pk__in=shown)
                .values_list("pk", flat=True)
            ),
        }

    export = _Export(_("病例手术记录"), CASE_HEADERS, case_rows, _("导出病例/手术记录"))
    form = CaseFilterForm(request.GET or None)
    return _list_page(request, form, queries.case_list, export, "training/case_list.html", extra)


@login_required
def case_create(request):
    require(request.user, "training.log")
    person = request.user.person
    if person is None:
        raise Http404
    form = CaseLogForm(person, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case_log = services.case_log_create(apprentice=person, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("已登记：%s，待审核。") % case_log)
            return redirect("training:cases")
    return render(request, "training/case_form.html", {"form": form})


@login_required
@require_POST
def case_verify(request, pk):
    require(request.user, "training.verify")
    case_log = queries.case_log_for(request.user, pk, "training.verify")
    try:
        if request.POST.get("undo"):
            services.case_log_unverify(case_log=case_log, user=request.user)
            messages.success(request, _("已撤销审核：%s") % case_log)
        else:
            services.case_log_verify(case_log=case_log, user=request.user)
            messages.success(request, _("已审核：%s") % case_log)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    return redirect(request.POST.get("next") or reverse("training:cases"))


@login_required
@require_POST
def case_link(request, pk):
    """A one-time link for a supervisor without an account; shown once, to be sent on."""
    require(request.user, "training.verify")
    case_log = queries.case_log_for(request.user, pk, "training.verify")
    try:
        token = services.confirmation_link_create(case_log=case_log, user=request.user)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        return redirect("training:cases")
    url = request.build_absolute_uri(reverse("training:confirm", args=[token]))
    return render(request, "training/link_created.html", {"case_log": case_log, "url": url})


def confirm(request, token):
    """The page a link opens, without login: what is to be confirmed, and a name to sign."""
    form = ConfirmForm(request.POST or None)
    try:
        link = services.confirmation_link_open(token)
    except ValidationError as error:
        return render(
            request, "training/confirm.html", {"refused": "；".join(error.messages)}, status=410
        )
    if request.method == "POST" and form.is_valid():
        try:
            case_log = services.confirmation_link_use(
                token=token,
                name=form.cleaned_data["name"],
                remote_addr=request.META.get("REMOTE_ADDR"),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return render(request, "training/confirm.html", {"done": case_log})
    return render(request, "training/confirm.html", {"form": form, "case_log": link.case_log})


@login_required
def technique_list(request):
    export = _Export(_("新技术新项目"), TECHNIQUE_HEADERS, technique_rows, _("导出新技术新项目"))
    return _list_page(
        request,
        TechniqueFilterForm(request.user, request.GET or None),
        queries.technique_list,
        export,
        "training/technique_list.html",
        lambda listing, _filters: {"firsts": queries.first_in_region(listing["page_obj"])},
    )


@login_required
def studio_list(request):
    def extra(_listing, _filters):
        figures = queries.studio_figures(request.user, timezone.localdate().year)
        return {
            "figures": figures,
            "tier_counts": [(label, figures["by_tier"][t]) for t, label in StudioTier.choices],
            "money": {
                "due": f"{figures['subsidy_due']:,.0f}",
                "recorded": f"{figures['funding_recorded']:,.0f}",
            },
        }

    export = _Export(_("名医工作室"), STUDIO_HEADERS, studio_rows, _("导出名医工作室"))
    form = StudioFilterForm(request.user, request.GET or None)
    return _list_page(
        request, form, queries.studio_list, export, "training/studio_list.html", extra
    )


@login_required
def visit_list(request):
    def extra(_listing, filters):
        return {
            "counts": queries.visit_counts(request.user, since=filters.get("since")),
            "today": timezone.localdate(),
        }

    export = _Export(_("专家活动"), VISIT_HEADERS, visit_rows, _("导出专家活动"))
    form = VisitFilterForm(request.GET or None)
    return _list_page(request, form, queries.visit_list, export, "training/visit_list.html", extra)
