"""Cultivation pages: case logs (log one on a phone, verify, send a one-time link), the
technique registry with its filled gaps, and the link page an external mentor opens without
an account."""

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


@login_required
def case_list(request):
    require(request.user, "training.view")
    form = CaseFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    if fmt := exports.requested_format(request):
        require(request.user, "training.export")
        cases = queries.case_list(request.user, **filters, permission="training.export")
        return exports.list_export(
            request,
            fmt,
            _("病例手术记录"),
            CASE_HEADERS,
            case_rows(cases),
            summary=_("导出病例/手术记录"),
        )
    listing = page_context(request, queries.case_list(request.user, **filters))
    shown = [case.pk for case in listing["page_obj"]]
    context = {
        "form": form,
        **listing,
        "can_log": request.user.person_id is not None and has_perm(request.user, "training.log"),
        "can_export": has_perm(request.user, "training.export"),
        # Of this page's rows, those the user may verify (a mentor: their apprentices').
        "verifiable": set(
            queries.case_logs_for(request.user, "training.verify")
            .filter(pk__in=shown)
            .values_list("pk", flat=True)
        ),
    }
    return render(request, _results(request, "training/case_list.html"), context)


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
    require(request.user, "training.view")
    form = TechniqueFilterForm(request.user, request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    if fmt := exports.requested_format(request):
        require(request.user, "training.export")
        techniques = queries.technique_list(request.user, **filters, permission="training.export")
        firsts = queries.first_in_region(techniques)
        return exports.list_export(
            request,
            fmt,
            _("新技术新项目"),
            TECHNIQUE_HEADERS,
            technique_rows(techniques, firsts),
            summary=_("导出新技术新项目"),
        )
    techniques = queries.technique_list(request.user, **filters)
    listing = page_context(request, techniques)
    context = {
        "form": form,
        **listing,
        "firsts": queries.first_in_region(listing["page_obj"]),
        "can_export": has_perm(request.user, "training.export"),
    }
    return render(request, _results(request, "training/technique_list.html"), context)


@login_required
def studio_list(request):
    require(request.user, "training.view")
    form = StudioFilterForm(request.user, request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    if fmt := exports.requested_format(request):
        require(request.user, "training.export")
        studios = queries.studio_list(request.user, **filters, permission="training.export")
        return exports.list_export(
            request,
            fmt,
            _("名医工作室"),
            STUDIO_HEADERS,
            studio_rows(studios),
            summary=_("导出名医工作室"),
        )
    figures = queries.studio_figures(request.user, timezone.localdate().year)
    context = {
        "form": form,
        **page_context(request, queries.studio_list(request.user, **filters)),
        "figures": figures,
        "tier_counts": [(label, figures["by_tier"][tier]) for tier, label in StudioTier.choices],
        "money": {
            "due": f"{figures['subsidy_due']:,.0f}",
            "recorded": f"{figures['funding_recorded']:,.0f}",
        },
        "can_export": has_perm(request.user, "training.export"),
    }
    return render(request, _results(request, "training/studio_list.html"), context)


@login_required
def visit_list(request):
    require(request.user, "training.view")
    form = VisitFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    if fmt := exports.requested_format(request):
        require(request.user, "training.export")
        visits = queries.visit_list(request.user, **filters, permission="training.export")
        return exports.list_export(
            request,
            fmt,
            _("专家活动"),
            VISIT_HEADERS,
            visit_rows(visits),
            summary=_("导出专家活动"),
        )
    context = {
        "form": form,
        **page_context(request, queries.visit_list(request.user, **filters)),
        "counts": queries.visit_counts(request.user, since=filters.get("since")),
        "today": timezone.localdate(),
        "can_export": has_perm(request.user, "training.export"),
    }
    return render(request, _results(request, "training/visit_list.html"), context)
