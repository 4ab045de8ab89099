"""Case logs (log one on a phone, verify, send a one-time link), the technique registry with
its filled gaps, and the link page an external mentor opens without an account."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yicai.access.scope import has_perm, require
from yicai.training import queries, services
from yicai.training.exports.mentoring import (
    CASE_HEADERS,
    TECHNIQUE_HEADERS,
    case_rows,
    technique_rows,
)
from yicai.training.forms.mentoring import (
    CaseFilterForm,
    CaseLogForm,
    ConfirmForm,
    TechniqueFilterForm,
)
from yicai.training.views.listing import Export, list_page
from yicai.validation import apply_errors


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

    export = Export(_("病例手术记录"), CASE_HEADERS, case_rows, _("导出病例/手术记录"))
    form = CaseFilterForm(request.GET or None)
    return list_page(request, form, queries.case_list, export, "training/case_list.html", extra)


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
    export = Export(_("新技术新项目"), TECHNIQUE_HEADERS, technique_rows, _("导出新技术新项目"))
    return list_page(
        request,
        TechniqueFilterForm(request.user, request.GET or None),
        queries.technique_list,
        export,
        "training/technique_list.html",
        lambda listing, _filters: {"firsts": queries.first_in_region(listing["page_obj"])},
    )
