"""Mentorships (their agreement against what was done), case logs (log one on a phone,
verify, send a one-time link), the technique registry with its filled gaps, and the link page
an external mentor opens without an account."""

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
from yicai.documents import download
from yicai.training.exports.mentoring import (
    CASE_HEADERS,
    MENTORSHIP_HEADERS,
    TECHNIQUE_HEADERS,
    case_rows,
    mentorship_rows,
    technique_rows,
)
from yicai.training.forms.evaluations import EvaluationForm
from yicai.training.forms.mentoring import (
    CaseBackfillForm,
    CaseFilterForm,
    CaseLogForm,
    ConfirmForm,
    MentorshipFilterForm,
    MentorshipForm,
    PaperVerificationForm,
    TechniqueFilterForm,
    TechniqueForm,
)
from yicai.training.models import CaseLog
from yicai.training.panels import panels_for
from yicai.training.queries import mentoring as mentoring_queries
from yicai.training.queries.activity import visits_of_mentorship
from yicai.training.queries.evaluations import evaluations_of
from yicai.training.queries.mentoring import (
    apprentice_progress,
    case_log_for,
    case_logs_for,
    first_in_region,
    mentorship_agreement,
    mentorship_for,
    mentorship_page,
    mentorships_for,
    technique_for,
    techniques_for,
)
from yicai.training.services import mentoring as mentoring_services
from yicai.training.services.mentoring import (
    MENTORSHIP_FIELDS,
    TECHNIQUE_FIELDS,
    case_log_backfill,
    case_log_create,
    case_log_unverify,
    case_log_verify,
    case_log_verify_on_paper,
    confirmation_link_open,
    confirmation_link_use,
    mentorship_create,
    mentorship_update,
    technique_register,
    technique_update,
)
from yicai.training.views import TRAINING
from yicai.training.views.links import link_page
from yicai.validation import apply_errors
from yicai.web.forms import initial_from
from yicai.web.listing import Export, editable_ids, list_page, may
from yicai.web.views import acted, form_page, refusal


@login_required
def case_list(request):
    def extra(listing, _filters):
        shown = [case.pk for case in listing["page_obj"]]
        user = request.user
        return {
            "can_log": user.person_id is not None and has_perm(user, "training.log"),
            "can_backfill": has_perm(user, "training.backfill"),
            # Of this page's rows, those the user may verify (a mentor: their apprentices'),
            # and those an administrator may record as verified on paper.
            "verifiable": _of_page(user, "training.verify", shown),
            "backfillable": _of_page(user, "training.backfill", shown),
        }

    export = Export(_("病例手术记录"), CASE_HEADERS, case_rows, _("导出病例/手术记录"))
    form = CaseFilterForm(request.GET or None)
    return list_page(
        request,
        TRAINING,
        "training/case_list.html",
        form,
        mentoring_queries.case_list,
        export,
        extra,
    )


def _of_page(user, permission: str, shown: list[int]) -> set[int]:
    if not has_perm(user, permission):
        return set()
    rows = case_logs_for(user, permission).filter(pk__in=shown)
    return set(rows.values_list("pk", flat=True))


@login_required
def case_backfill(request):
    """A past case entered on an apprentice's behalf by an administrator (from the paper
    case book), marked as entered by them; verified on paper, or left to the mentor."""
    require(request.user, "training.backfill")
    form = CaseBackfillForm(request.user, request.POST or None, request.FILES or None)

    def done(case_log: CaseLog) -> str:
        state = _("已记为纸质审核") if case_log.verified else _("待导师审核")
        return _("已代录：%(case)s，%(state)s。") % {"case": case_log, "state": state}

    return form_page(
        request,
        form,
        "training/case_backfill.html",
        save=lambda values: case_log_backfill(entered_by=request.user, **values),
        message=done,
        then=lambda _case_log: redirect(reverse("training:case_backfill")),
    )


@login_required
def case_paper(request, pk):
    """Record that a case was verified on paper (its reference and/or a scan)."""
    require(request.user, "training.backfill")
    case_log = case_log_for(request.user, pk, "training.backfill")
    form = PaperVerificationForm(request.POST or None, request.FILES or None)
    return form_page(
        request,
        form,
        "training/case_paper.html",
        {"case": case_log},
        save=lambda values: case_log_verify_on_paper(
            case_log=case_log, user=request.user, **values
        ),
        message=lambda _saved: _("已记为纸质审核：%s") % case_log,
        then=lambda _saved: redirect("training:cases"),
    )


@login_required
def case_scan(request, pk):
    """The scan of the paper a case was verified on, for those who may see the case."""
    require(request.user, "training.view")
    case_log = case_log_for(request.user, pk)
    return download(case_log.paper_scan, f"case-{case_log.pk}")


@login_required
def case_create(request):
    require(request.user, "training.log")
    person = request.user.person
    if person is None:
        raise Http404
    form = CaseLogForm(person, request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        "training/case_form.html",
        save=lambda values: case_log_create(apprentice=person, entered_by=request.user, **values),
        message=lambda case_log: _("已登记：%s，待审核。") % case_log,
        then=lambda _case_log: redirect("training:cases"),
    )


@login_required
@require_POST
def case_verify(request, pk):
    require(request.user, "training.verify")
    case_log = case_log_for(request.user, pk, "training.verify")
    try:
        if request.POST.get("undo"):
            case_log_unverify(case_log=case_log, user=request.user)
            messages.success(request, _("已撤销审核：%s") % case_log)
        else:
            case_log_verify(case_log=case_log, user=request.user)
            messages.success(request, _("已审核：%s") % case_log)
    except ValidationError as error:
        messages.error(request, refusal(error))
    return redirect(request.POST.get("next") or reverse("training:cases"))


@login_required
@require_POST
def case_link(request, pk):
    """A one-time link for a supervisor without an account; shown once, to be sent on."""
    require(request.user, "training.verify")
    case_log = case_log_for(request.user, pk, "training.verify")
    return link_page(request, case_log, reverse("training:cases"), case_log=case_log)


def confirm(request, token):
    """The page a link opens, without login: what is to be confirmed, and a name to sign."""
    form = ConfirmForm(request.POST or None)
    try:
        link = confirmation_link_open(token)
    except ValidationError as error:
        return render(request, "training/confirm.html", {"refused": refusal(error)}, status=410)
    if request.method == "POST" and form.is_valid():
        try:
            record = confirmation_link_use(
                token=token,
                name=form.cleaned_data["name"],
                remote_addr=request.META.get("REMOTE_ADDR"),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return render(request, "training/confirm.html", {"done": record})
    context = {
        "form": form,
        "kind": link.kind,
        "record": link.target,
        "panels": panels_for(link.kind, link.target),
    }
    return render(request, "training/confirm.html", context)


@login_required
def technique_list(request):
    def extra(listing, _filters):
        return {
            "firsts": first_in_region(listing["page_obj"]),
            "can_edit": has_perm(request.user, "training.edit"),
            "editable": editable_ids(request.user, TRAINING.edit, techniques_for, listing),
        }

    export = Export(_("新技术新项目"), TECHNIQUE_HEADERS, technique_rows, _("导出新技术新项目"))
    return list_page(
        request,
        TRAINING,
        "training/technique_list.html",
        TechniqueFilterForm(request.user, request.GET or None),
        mentoring_queries.technique_list,
        export,
        extra,
    )


@login_required
def technique_edit(request, pk=None):
    """Register a technique at an institution the user edits, or change one (its institution
    stays)."""
    require(request.user, "training.edit")
    technique = technique_for(request.user, pk, "training.edit") if pk else None
    form = TechniqueForm(
        request.user,
        request.POST or None,
        initial=initial_from(technique, TECHNIQUE_FIELDS) if technique else None,
        technique=technique,
    )
    return form_page(
        request,
        form,
        "training/technique_form.html",
        {
            "technique": technique,
            "can_delete": technique is not None and not technique.case_logs.exists(),
        },
        save=lambda values: (
            technique_update(technique=technique, **values)
            if technique
            else technique_register(**values)
        ),
        message=lambda saved: _("已保存新技术新项目：%s") % saved.name,
        then=lambda _saved: redirect("training:techniques"),
        reread=technique,
    )


@login_required
@require_POST
def technique_delete(request, pk):
    require(request.user, "training.edit")
    technique = technique_for(request.user, pk, "training.edit")
    deleted = acted(
        request,
        lambda: mentoring_services.technique_delete(technique=technique),
        _("已删除新技术新项目：%s") % technique.name,
    )
    if not deleted:
        return redirect("training:technique_edit", technique.pk)
    return redirect("training:techniques")


@login_required
def mentorship_list(request):
    export = Export(_("师带徒"), MENTORSHIP_HEADERS, mentorship_rows, _("导出师带徒"))
    form = MentorshipFilterForm(request.user, request.GET or None)
    return list_page(
        request,
        TRAINING,
        "training/mentorship_list.html",
        form,
        mentorship_page,
        export,
        lambda _listing, _filters: {
            "can_edit": has_perm(request.user, "training.edit"),
            "today": timezone.localdate(),
        },
    )


@login_required
def mentorship_detail(request, pk):
    """The agreement (goals, targets against what the held visits did), the apprentices with
    their cases, and the mentorship's visits."""
    require(request.user, "training.view")
    mentorship = mentorship_for(request.user, pk)
    apprentices = [link.apprentice for link in mentorship.apprenticeships.all()]
    progress = apprentice_progress(request.user, apprentices)
    context = {
        "mentorship": mentorship,
        "agreement": mentorship_agreement(mentorship),
        "apprentices": [(person, progress[person.pk]) for person in apprentices],
        "visits": visits_of_mentorship(request.user, mentorship)[:50],
        "today": timezone.localdate(),
        "can_edit": may(request.user, "training.edit", mentorships_for, pk),
        "evaluations": evaluations_of(request.user, mentorship),
    }
    if context["can_edit"]:
        context["evaluation_form"] = EvaluationForm(mentorship)
    return render(request, "training/mentorship_detail.html", context)


@login_required
def mentorship_edit(request, pk=None):
    """Create a mentorship at an institution the user edits, or change its agreement and
    apprentices."""
    require(request.user, "training.edit")
    mentorship = mentorship_for(request.user, pk, "training.edit") if pk else None
    initial = None
    if mentorship is not None:
        initial = {
            **initial_from(mentorship, MENTORSHIP_FIELDS),
            "apprentices": [link.apprentice for link in mentorship.apprenticeships.all()],
        }
    form = MentorshipForm(
        request.user, request.POST or None, initial=initial, mentorship=mentorship
    )
    return form_page(
        request,
        form,
        "training/mentorship_form.html",
        {"mentorship": mentorship},
        save=lambda values: (
            mentorship_update(mentorship=mentorship, **values)
            if mentorship
            else mentorship_create(**values)
        ),
        message=lambda saved: _("已保存师带徒关系：%s") % saved,
        then=lambda saved: redirect("training:mentorship", saved.pk),
        reread=mentorship,
    )
