"""Flexibly introduced teams (柔性引进团队): the list, one team with its members, the form."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yicai.access.scope import has_perm, require
from yicai.training.exports.teams import TEAM_HEADERS, team_rows
from yicai.training.forms.teams import TeamFilterForm, TeamForm, TeamMemberForm
from yicai.training.queries import teams as teams_queries
from yicai.training.queries.teams import (
    team_for,
    team_member_for,
    team_members_of,
    teams_for,
    working_on,
)
from yicai.training.services import teams as teams_services
from yicai.training.services.teams import TEAM_FIELDS, team_create, team_update
from yicai.training.views import TRAINING
from yicai.web.forms import initial_from
from yicai.web.listing import Export, list_page, may
from yicai.web.views import acted, form_page


@login_required
def team_list(request):
    def extra(_listing, filters):
        seen = teams_for(request.user)
        return {
            "working": seen.filter(
                working_on(filters.get("as_of") or timezone.localdate())
            ).count(),
            "can_edit": has_perm(request.user, "training.edit"),
        }

    export = Export(_("柔性引进团队"), TEAM_HEADERS, team_rows, _("导出柔性引进团队"))
    form = TeamFilterForm(request.user, request.GET or None)
    return list_page(
        request, TRAINING, "training/team_list.html", form, teams_queries.team_list, export, extra
    )


@login_required
def team_detail(request, pk):
    require(request.user, "training.view")
    team = team_for(request.user, pk)
    can_edit = may(request.user, "training.edit", teams_for, team.pk)
    context = {
        "team": team,
        "members": team_members_of(team),
        "can_edit": can_edit,
        "member_form": TeamMemberForm(request.user) if can_edit else None,
    }
    return render(request, "training/team_detail.html", context)


@login_required
def team_edit(request, pk=None):
    require(request.user, "training.edit")
    team = team_for(request.user, pk, "training.edit") if pk else None
    initial = initial_from(team, TEAM_FIELDS) if team else None
    form = TeamForm(request.user, request.POST or None, initial=initial, team=team)
    return form_page(
        request,
        form,
        "training/team_form.html",
        {"team": team},
        save=lambda values: team_update(team=team, **values) if team else team_create(**values),
        message=lambda saved: _("已保存柔性引进团队：%s") % saved.name,
        then=lambda saved: redirect("training:team", saved.pk),
        reread=team,
    )


@login_required
@require_POST
def team_member_add(request, pk):
    require(request.user, "training.edit")
    team = team_for(request.user, pk, "training.edit")
    form = TeamMemberForm(request.user, request.POST)
    if form.is_valid():
        acted(
            request,
            lambda: teams_services.team_member_add(team=team, **form.cleaned_data),
            lambda member: _("已加入团队：%s") % member.person.name,
        )
    else:
        messages.error(request, _("请选择成员。"))
    return redirect("training:team", team.pk)


@login_required
@require_POST
def team_member_remove(request, pk, member_pk):
    require(request.user, "training.edit")
    member = team_member_for(request.user, pk, member_pk, "training.edit")
    teams_services.team_member_remove(member=member)
    messages.success(request, _("已移出团队：%s") % member.person.name)
    return redirect("training:team", pk)
