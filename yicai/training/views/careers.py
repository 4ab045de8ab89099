"""Career plan pages: the list of plans with their progress, one plan with its goals (progress
derived from the records), and the forms HR and mentors use."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yicai.access.scope import has_perm, require
from yicai.training.exports.careers import CAREER_HEADERS, career_rows, target_label
from yicai.training.forms.careers import (
    CareerFilterForm,
    CareerGoalForm,
    CareerPlanForm,
    DoneForm,
)
from yicai.training.queries import careers as careers_queries
from yicai.training.queries.careers import (
    career_goal_for,
    career_goals_of,
    plan_for,
    plan_may_edit,
    plan_may_mark,
    plan_progress,
    plans_for,
    progress_of,
)
from yicai.training.services import careers as careers_services
from yicai.training.services.careers import (
    PLAN_FIELDS,
    career_goal_mark_done,
    career_plan_create,
    career_plan_update,
)
from yicai.training.views import TRAINING
from yicai.web.forms import initial_from
from yicai.web.listing import Export, list_page
from yicai.web.views import acted, form_page, page_with_forms


@login_required
def career_list(request):
    def extra(listing, _filters):
        plans = list(listing["page_obj"].object_list)
        progress = plan_progress(plans)
        person_id = request.user.person_id
        return {
            "rows": [(plan, *progress[plan.pk]) for plan in plans],
            "can_edit": has_perm(request.user, "training.edit"),
            "own_plan": plans_for(request.user).filter(person_id=person_id).first()
            if person_id
            else None,
        }

    export = Export(_("职业生涯规划"), CAREER_HEADERS, career_rows, _("导出职业生涯规划"))
    form = CareerFilterForm(request.user, request.GET or None)
    return list_page(
        request,
        TRAINING,
        "training/career_list.html",
        form,
        careers_queries.career_list,
        export,
        extra,
    )


@login_required
def career_create(request):
    require(request.user, "training.edit")
    form = CareerPlanForm(request.user, request.POST or None)
    return form_page(
        request,
        form,
        "training/career_form.html",
        save=lambda values: career_plan_create(**values),
        message=lambda plan: _("已建立 %s 的职业生涯规划。") % plan.person.name,
        then=lambda plan: redirect("training:career", plan.pk),
    )


@login_required
def career_edit(request, pk):
    require(request.user, "training.edit")
    plan = plan_for(request.user, pk, "training.edit")
    initial = initial_from(plan, PLAN_FIELDS)
    form = CareerPlanForm(request.user, request.POST or None, initial=initial, plan=plan)
    return form_page(
        request,
        form,
        "training/career_form.html",
        {"plan": plan},
        save=lambda values: career_plan_update(plan=plan, **values),
        message=_("已保存。"),
        then=lambda _saved: redirect("training:career", plan.pk),
        reread=plan,
    )


def _plan_context(request, plan, **forms) -> dict:
    user = request.user
    goals = career_goals_of(plan)
    progress = progress_of(goals)
    years: dict[int, list] = {}
    for goal in goals:
        years.setdefault(goal.year, []).append((goal, progress[goal.pk], target_label(goal)))
    met = sum(1 for item in progress.values() if item.met)
    return {
        "plan": plan,
        "person": plan.person,
        "years": sorted(years.items()),
        "met": met,
        "total": len(goals),
        "can_edit": plan_may_edit(user, plan),
        "can_mark": plan_may_mark(user, plan),
        "goal_form": forms.get("goal_form")
        or CareerGoalForm(person=plan.person, initial={"year": timezone.localdate().year}),
        "done_form": forms.get("done_form") or DoneForm(initial={"done_on": timezone.localdate()}),
        "done_for": forms.get("done_for"),
    }


_plan_page = page_with_forms("training/career_detail.html", _plan_context)


@login_required
def career_detail(request, pk):
    require(request.user, "training.view")
    return _plan_page(request, plan_for(request.user, pk))


@login_required
@require_POST
def career_goal_add(request, pk):
    require(request.user, "training.edit")
    plan = plan_for(request.user, pk, "training.edit")
    form = CareerGoalForm(request.POST, person=plan.person)
    return form_page(
        request,
        form,
        lambda: _plan_page(request, plan, status=400, goal_form=form),
        save=lambda values: careers_services.career_goal_add(plan=plan, **values),
        message=_("已添加目标。"),
        then=lambda _goal: redirect("training:career", pk),
    )


@login_required
@require_POST
def career_goal_delete(request, pk):
    require(request.user, "training.edit")
    goal = career_goal_for(request.user, pk, "training.edit")
    careers_services.career_goal_delete(goal=goal)
    messages.success(request, _("已删除目标。"))
    return redirect("training:career", goal.plan_id)


def _markable_goal(request, pk):
    """A goal the user may mark: they see it, and they are the person's mentor or HR."""
    require(request.user, "training.view")
    goal = career_goal_for(request.user, pk)
    plan = plan_for(request.user, goal.plan_id)
    if not plan_may_mark(request.user, plan):
        raise PermissionDenied
    return goal, plan


@login_required
@require_POST
def career_goal_done(request, pk):
    goal, plan = _markable_goal(request, pk)
    form = DoneForm(request.POST)
    return form_page(
        request,
        form,
        lambda: _plan_page(request, plan, status=400, done_form=form, done_for=goal.pk),
        save=lambda values: career_goal_mark_done(goal=goal, by=request.user, **values),
        message=lambda _done: _("已确认完成：%s") % goal.text,
        then=lambda _goal: redirect("training:career", plan.pk),
    )


@login_required
@require_POST
def career_goal_reopen(request, pk):
    goal, plan = _markable_goal(request, pk)
    acted(request, lambda: careers_services.career_goal_reopen(goal=goal), _("已撤销完成标记。"))
    return redirect("training:career", plan.pk)
