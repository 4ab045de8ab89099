"""Programme pages: the programmes with their quota use, one programme with its cohorts, a
cohort with its members (mentor rule, goals, reviews, certificates), a selection round with
its nominations and scores, a member, and the talent pool (英才库)."""

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from yicai.access import audit
from yicai.access.models import AuditEntry
from yicai.access.scope import has_perm, require
from yicai.training.certificates import certificate_filename, certificate_pdf
from yicai.training.declarations import BACKFILL
from yicai.training.exports.programmes import (
    MEMBER_HEADERS,
    PROGRAMME_HEADERS,
    TALENT_POOL_HEADERS,
    member_rows,
    programme_rows,
    talent_pool_rows,
)
from yicai.training.forms.programmes import (
    ApproveForm,
    CohortForm,
    CompleteForm,
    DecideForm,
    MemberFilterForm,
    MemberGoalForm,
    NominationForm,
    ProgrammeFilterForm,
    ProgrammeForm,
    ReviewForm,
    RoundForm,
    ScoreForm,
    TalentPoolFilterForm,
    WithdrawForm,
)
from yicai.training.models import CohortMember, Nomination, Programme, SelectionRound
from yicai.training.queries import programmes as programmes_queries
from yicai.training.queries.programmes import (
    cohort_for,
    cohorts_for,
    cohorts_of,
    configurable_regions,
    member_for,
    member_goal_for,
    member_goals_of,
    member_mentorships,
    member_reviews_of,
    members_for,
    members_of,
    missing_mentor_q,
    nomination_for,
    nominations_of,
    programme_figures,
    programme_for,
    programmes_for,
    round_counts,
    round_for,
    rounds_for,
    rounds_of,
    talent_pool_counts,
    with_mentors,
)
from yicai.training.services import programmes as programmes_services
from yicai.training.services.programmes import (
    PROGRAMME_FIELDS,
    annual_review_record,
    nomination_create,
    programme_create,
    programme_defaults_create,
    programme_update,
    review_score_record,
    selection_round_approve,
    selection_round_open,
    selection_round_review,
)
from yicai.training.views import TRAINING
from yicai.validation import apply_errors
from yicai.web.forms import initial_from
from yicai.web.listing import Export, list_page, may
from yicai.web.views import acted, form_page, page_with_forms
from yicai.xlsx import attachment

# Programmes -----------------------------------------------------------------------------


@login_required
def programme_list(request):
    def extra(listing, _filters):
        rows = list(listing["page_obj"].object_list)
        figures = programme_figures(rows)
        return {
            "rows": [(item, figures[item.pk]) for item in rows],
            "can_configure": has_perm(request.user, "training.configure"),
        }

    export = Export(_("培养计划"), PROGRAMME_HEADERS, programme_rows, _("导出培养计划"))
    form = ProgrammeFilterForm(request.user, request.GET or None)
    return list_page(
        request,
        TRAINING,
        "training/programme_list.html",
        form,
        programmes_queries.programme_list,
        export,
        extra,
    )


@login_required
@require_POST
def programme_defaults(request):
    require(request.user, "training.configure")
    region = configurable_regions(request.user).first()
    if region is None:
        messages.error(request, _("账号未关联卫健委辖区，不能创建培养计划。"))
        return redirect("training:programmes")
    made = programme_defaults_create(region=region)
    if made:
        messages.success(
            request, _("已创建：%s。可按本辖区实际修改。") % "、".join(p.name for p in made)
        )
    else:
        messages.info(request, _("三项培养计划均已存在。"))
    return redirect("training:programmes")


@login_required
def programme_edit(request, pk=None):
    require(request.user, "training.configure")
    programme = programme_for(request.user, pk, "training.configure") if pk else None
    initial = (
        initial_from(programme, PROGRAMME_FIELDS)
        if programme
        else {"duration_years": 3, "active": True}
    )
    form = ProgrammeForm(request.POST or None, initial=initial)

    def save(values: dict[str, Any]) -> Programme:
        if programme is not None:
            return programme_update(programme=programme, **values)
        region = configurable_regions(request.user).first()
        if region is None:
            raise ValidationError(_("账号未关联卫健委辖区，不能创建培养计划。"))
        return programme_create(region=region, **values)

    return form_page(
        request,
        form,
        "training/programme_form.html",
        {"programme": programme},
        save=save,
        message=lambda saved: _("已保存培养计划：%s") % saved.name,
        then=lambda saved: redirect("training:programme", saved.pk),
        reread=programme,
    )


@login_required
def programme_detail(request, pk):
    require(request.user, "training.view")
    programme = programme_for(request.user, pk)
    context = {
        "programme": programme,
        "cohorts": cohorts_of(programme),
        "can_configure": may(request.user, "training.configure", programmes_for, pk),
    }
    return render(request, "training/programme_detail.html", context)


@login_required
def cohort_create(request, pk):
    require(request.user, "training.configure")
    programme = programme_for(request.user, pk, "training.configure")
    today = timezone.localdate()
    form = CohortForm(
        request.POST or None,
        initial={"year": today.year, "name": _("%d 年度") % today.year, "start_on": today},
    )
    return form_page(
        request,
        form,
        "training/cohort_form.html",
        {"programme": programme},
        save=lambda values: programmes_services.cohort_create(programme=programme, **values),
        message=lambda cohort: _("已新建一期：%s") % cohort.name,
        then=lambda cohort: redirect("training:cohort", cohort.pk),
    )


# Cohorts --------------------------------------------------------------------------------


@login_required
def cohort_detail(request, pk):
    require(request.user, "training.view")
    user = request.user
    cohort = cohort_for(user, pk)
    programme = cohort.programme

    def extra(_listing, _filters):
        return {
            "cohort": cohort,
            "programme": programme,
            "places_taken": programmes_queries.places_taken(cohort),
            "missing_mentor_count": with_mentors(members_for(user))
            .filter(cohort=cohort, status=CohortMember.Status.ACTIVE)
            .filter(missing_mentor_q(programme))
            .count(),
            "rounds": rounds_of(cohort),
            "can_configure": may(user, "training.configure", cohorts_for, pk),
            "may_finish": programmes_queries.may_finish(cohort),
        }

    def members(user, **filters):
        return members_of(user, cohort, **filters)

    export = Export(_("培养对象"), MEMBER_HEADERS, member_rows, _("导出培养对象：%s") % cohort)
    form = MemberFilterForm(request.GET or None)
    return list_page(request, TRAINING, "training/cohort_detail.html", form, members, export, extra)


@login_required
@require_POST
def cohort_finish(request, pk):
    require(request.user, "training.configure")
    cohort = cohort_for(request.user, pk, "training.configure")
    acted(request, lambda: programmes_services.cohort_finish(cohort=cohort), _("本期已结束。"))
    return redirect("training:cohort", pk)


@login_required
def round_create(request, pk):
    require(request.user, "training.configure")
    cohort = cohort_for(request.user, pk, "training.configure")
    today = timezone.localdate()
    form = RoundForm(
        request.POST or None,
        initial={
            "name": _("%s 遴选") % cohort.name,
            "opens_on": today,
            "closes_on": today + datetime.timedelta(days=30),
        },
    )
    return form_page(
        request,
        form,
        "training/cohort_round_form.html",
        {"cohort": cohort},
        save=lambda values: selection_round_open(cohort=cohort, **values),
        message=lambda created: _("已发起遴选：%s") % created.name,
        then=lambda created: redirect("training:round", created.pk),
    )


# Selection rounds -----------------------------------------------------------------------


def _round_context(request, selection_round: SelectionRound, **forms) -> dict:
    user = request.user
    is_open = selection_round.status == SelectionRound.Status.OPEN
    reviewing = selection_round.status == SelectionRound.Status.REVIEWING
    can_configure = may(user, "training.configure", rounds_for, selection_round.pk)
    can_nominate = is_open and has_perm(user, "training.edit")
    return {
        "round": selection_round,
        "cohort": selection_round.cohort,
        "programme": selection_round.cohort.programme,
        "nominations": nominations_of(user, selection_round),
        "counts": round_counts(selection_round),
        "can_configure": can_configure,
        "can_nominate": can_nominate,
        "is_open": is_open,
        "reviewing": reviewing,
        "nomination_form": forms.get("nomination_form")
        or (NominationForm(user) if can_nominate else None),
        "score_form": forms.get("score_form") or ScoreForm(),
        "score_for": forms.get("score_for"),
        "approve_form": forms.get("approve_form") or ApproveForm(),
        "approve_errors": forms.get("approve_errors", []),
        "can_backfill": has_perm(user, BACKFILL),
    }


_round_page = page_with_forms("training/cohort_round.html", _round_context)


@login_required
def round_detail(request, pk):
    require(request.user, "training.view")
    return _round_page(request, round_for(request.user, pk))


@login_required
@require_POST
def round_nominate(request, pk):
    require(request.user, "training.edit")
    selection_round = round_for(request.user, pk, "training.edit")
    form = NominationForm(request.user, request.POST)
    return form_page(
        request,
        form,
        lambda: _round_page(request, selection_round, status=400, nomination_form=form),
        save=lambda values: nomination_create(selection_round=selection_round, **values),
        message=lambda nomination: _("已提名：%s") % nomination.person.name,
        then=lambda _nomination: redirect("training:round", pk),
    )


@login_required
@require_POST
def round_review(request, pk):
    require(request.user, "training.configure")
    selection_round = round_for(request.user, pk, "training.configure")
    acted(
        request,
        lambda: selection_round_review(selection_round=selection_round),
        _("提名已截止，进入评审。"),
    )
    return redirect("training:round", pk)


@login_required
@require_POST
def nomination_score(request, pk):
    require(request.user, "training.configure")
    nomination = nomination_for(request.user, pk, "training.configure")
    form = ScoreForm(request.POST)
    return form_page(
        request,
        form,
        lambda: _round_page(
            request, nomination.round, status=400, score_form=form, score_for=nomination.pk
        ),
        save=lambda values: review_score_record(nomination=nomination, **values),
        message=_("已记录 %s 的评分。") % nomination.person.name,
        then=lambda _score: redirect("training:round", nomination.round_id),
    )


@login_required
@require_POST
def nomination_decide(request, pk):
    require(request.user, "training.configure")
    nomination = nomination_for(request.user, pk, "training.configure")
    form = DecideForm(request.user, request.POST)
    if not form.is_valid():
        messages.error(
            request,
            _("请选择入选或不入选。")
            if "status" in form.errors
            else "；".join(form.errors["decided_on"]),
        )
    else:
        status = Nomination.Status(form.cleaned_data["status"])
        acted(
            request,
            lambda: programmes_services.nomination_decide(
                nomination=nomination, **form.cleaned_data
            ),
            _("%(name)s：%(label)s") % {"name": nomination.person.name, "label": status.label},
        )
    return redirect("training:round", nomination.round_id)


@login_required
@require_POST
def round_approve(request, pk):
    require(request.user, "training.configure")
    selection_round = round_for(request.user, pk, "training.configure")
    form = ApproveForm(request.POST)
    if form.is_valid():
        try:
            members = selection_round_approve(selection_round=selection_round, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
            problems = [
                message
                for field, found in error.message_dict.items()
                if field not in form.fields
                for message in found
            ]
            return _round_page(
                request,
                selection_round,
                status=400,
                approve_form=form,
                approve_errors=[line for text in problems for line in text.splitlines()],
            )
        messages.success(request, _("已批准，%d 人入选。") % len(members))
        return redirect("training:cohort", selection_round.cohort_id)
    return _round_page(request, selection_round, status=400, approve_form=form)


# Members --------------------------------------------------------------------------------


def _member_context(request, member: CohortMember, **forms) -> dict:
    user = request.user
    active = member.status == CohortMember.Status.ACTIVE
    today = timezone.localdate()
    return {
        "member": member,
        "cohort": member.cohort,
        "programme": member.cohort.programme,
        "goals": member_goals_of(member),
        "reviews": member_reviews_of(member),
        "mentorships": member_mentorships(member.person),
        "active": active,
        "can_edit": may(user, "training.edit", members_for, member.pk),
        "can_configure": may(user, "training.configure", members_for, member.pk),
        "goal_form": forms.get("goal_form") or MemberGoalForm(initial={"year": today.year}),
        "review_form": forms.get("review_form")
        or ReviewForm(initial={"year": today.year, "reviewed_on": today}),
        "complete_form": forms.get("complete_form")
        or CompleteForm(initial={"completed_on": min(today, member.cohort.end_on)}),
        "withdraw_form": forms.get("withdraw_form") or WithdrawForm(initial={"on": today}),
    }


_member_page = page_with_forms("training/cohort_member.html", _member_context)


@login_required
def member_detail(request, pk):
    require(request.user, "training.view")
    return _member_page(request, member_for(request.user, pk))


def _member_form(permission, form_class, action, form_name, done):
    """A form on a member's page, posted: `action(member=member, **values)` done and `done`
    said, or the page again with the form's errors."""

    @login_required
    @require_POST
    def view(request, pk):
        require(request.user, permission)
        member = member_for(request.user, pk, permission)
        form = form_class(request.POST)

        def refused(error: ValidationError) -> None:
            if member.status != CohortMember.Status.ACTIVE:
                # The page no longer shows the member's forms (an old tab): say it above them.
                messages.error(request, " ".join(error.messages))

        return form_page(
            request,
            form,
            lambda: _member_page(request, member, status=400, **{form_name: form}),
            save=lambda values: action(member=member, **values),
            message=done,
            then=lambda _done: redirect("training:member", pk),
            refused=refused,
        )

    return view


member_goal_add = _member_form(
    "training.edit",
    MemberGoalForm,
    programmes_services.member_goal_add,
    "goal_form",
    gettext_lazy("已添加培养目标。"),
)
member_review = _member_form(
    "training.edit",
    ReviewForm,
    annual_review_record,
    "review_form",
    gettext_lazy("已登记年度考核。"),
)
member_complete = _member_form(
    "training.configure",
    CompleteForm,
    programmes_services.member_complete,
    "complete_form",
    gettext_lazy("已结业，可下载结业证书。"),
)
member_withdraw = _member_form(
    "training.configure",
    WithdrawForm,
    programmes_services.member_withdraw,
    "withdraw_form",
    gettext_lazy("已登记退出。"),
)


@login_required
@require_POST
def member_goal_delete(request, pk):
    require(request.user, "training.edit")
    goal = member_goal_for(request.user, pk, "training.edit")
    acted(request, lambda: programmes_services.member_goal_delete(goal=goal), _("已删除培养目标。"))
    return redirect("training:member", goal.member_id)


@login_required
def member_certificate(request, pk):
    """The completion certificate as a PDF; every download is in the audit log."""
    require(request.user, "training.view")
    member = member_for(request.user, pk)
    if member.status != CohortMember.Status.COMPLETED or not member.certificate_number:
        raise PermissionDenied
    content = certificate_pdf(member)
    audit.record(
        AuditEntry.Event.EXPORT,
        obj=member,
        summary=_("下载结业证书：%(name)s（%(number)s）")
        % {"name": member.person.name, "number": member.certificate_number},
        data={"certificate_number": member.certificate_number},
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = attachment(certificate_filename(member))
    return response


# The talent pool ------------------------------------------------------------------------


@login_required
def talent_pool_list(request):
    def extra(_listing, _filters):
        return {"counts": talent_pool_counts(request.user)}

    export = Export(_("英才库"), TALENT_POOL_HEADERS, talent_pool_rows, _("导出英才库"))
    form = TalentPoolFilterForm(request.user, request.GET or None)
    return list_page(
        request,
        TRAINING,
        "training/talent_pool_list.html",
        form,
        programmes_queries.talent_pool_list,
        export,
        extra,
    )
