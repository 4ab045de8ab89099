"""Skill competitions (技术比武 / 技能竞赛): the list, a competition's page with its standings
and, while it is open, its organiser's forms (rounds, entrants, judges' scores, finishing)."""

from collections.abc import Iterator
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yicai.access.scope import has_perm, require
from yicai.retention.forms.competitions import (
    CompetitionFilterForm,
    CompetitionForm,
    EntrantForm,
    FinishForm,
    RoundForm,
    ScoreForm,
)
from yicai.retention.models import Competition
from yicai.retention.queries import competitions as queries
from yicai.retention.queries.regions import region_of
from yicai.retention.services import competitions as services
from yicai.web.listing import Export, ListPermissions, list_page
from yicai.web.views import form_page

COMPETITIONS = ListPermissions(
    view="retention.view", export="retention.export", edit="retention.edit"
)
EDIT = "retention.edit"
HEADERS = [
    gettext_lazy("竞赛名称"),
    gettext_lazy("专业"),
    gettext_lazy("级别"),
    gettext_lazy("举办日期"),
    gettext_lazy("主办"),
    gettext_lazy("参赛数"),
    gettext_lazy("状态"),
]


def competition_rows(rows: "QuerySet[Competition]") -> Iterator[list[object]]:
    for competition in rows.iterator(chunk_size=2000):
        yield [
            competition.name,
            competition.specialty,
            competition.get_level_display(),
            competition.held_on,
            competition.institution.name if competition.institution else _("卫健委"),
            competition.entrant_count,  # type: ignore[attr-defined]
            competition.get_status_display(),
        ]


@login_required
def competition_list(request: HttpRequest) -> HttpResponseBase:
    def extra(_listing: Any, _filters: Any) -> dict[str, Any]:
        return {"can_edit": has_perm(request.user, EDIT)}

    return list_page(
        request,
        COMPETITIONS,
        "retention/competition_list.html",
        CompetitionFilterForm(request.GET or None),
        queries.competition_list,
        Export(_("技能竞赛"), HEADERS, competition_rows, _("导出技能竞赛")),
        extra,
    )


@login_required
def competition_create(request: HttpRequest) -> HttpResponseBase:
    require(request.user, EDIT)
    form = CompetitionForm(request.user, request.POST or None)

    def save(values: dict[str, Any]) -> Competition:
        region = region_of(request.user, EDIT)
        if region is None:
            raise ValidationError({"name": _("您的账号不属于任何辖区，不能登记竞赛。")})
        return services.competition_create(by=request.user, region=region, **values)

    return form_page(
        request,
        form,
        "retention/competition_form.html",
        save=save,
        message=lambda saved: _("已登记竞赛：%s") % saved,
        then=lambda saved: redirect("retention:competition", saved.pk),
    )


def _page(request: HttpRequest, competition: Competition, status: int = 200, **forms: Any):
    organiser = (
        competition.status == Competition.Status.OPEN
        and queries.organised_by(request.user).filter(pk=competition.pk).exists()
    )
    context: dict[str, Any] = {
        "competition": competition,
        "rounds": queries.rounds_of(competition),
        "standings": queries.standings(competition),
        "organiser": organiser,
    }
    if organiser:  # the forms (and their pickers) are the organiser's only
        context |= {
            "round_form": forms.get("round_form") or RoundForm(),
            "entrant_form": forms.get("entrant_form") or EntrantForm(request.user),
            "score_form": forms.get("score_form") or ScoreForm(competition),
            "finish_form": forms.get("finish_form") or FinishForm(),
        }
    return render(request, "retention/competition_detail.html", context, status=status)


@login_required
def competition_detail(request: HttpRequest, pk: int) -> HttpResponseBase:
    require(request.user, "retention.view")
    return _page(request, queries.competition_for(request.user, pk))


def _organised(request: HttpRequest, pk: int) -> Competition:
    require(request.user, EDIT)
    queries.competition_for(request.user, pk)  # 404 outside the scope
    found = queries.organised_by(request.user).filter(pk=pk).first()
    if found is None:
        raise PermissionDenied
    return found


def _step(request: HttpRequest, pk: int, name: str, form_of, act, said) -> HttpResponseBase:
    competition = _organised(request, pk)
    form = form_of(competition, request.POST)
    return form_page(
        request,
        form,
        lambda: _page(request, competition, 400, **{name: form}),
        save=lambda values: act(competition, values),
        message=said,
        then=lambda _saved: redirect("retention:competition", competition.pk),
    )


@login_required
def round_add(request: HttpRequest, pk: int) -> HttpResponseBase:
    return _step(
        request,
        pk,
        "round_form",
        lambda _c, data: RoundForm(data),
        lambda c, values: services.round_add(competition=c, by=request.user, **values),
        lambda saved: _("已增加环节：%s") % saved,
    )


@login_required
def entrant_add(request: HttpRequest, pk: int) -> HttpResponseBase:
    return _step(
        request,
        pk,
        "entrant_form",
        lambda _c, data: EntrantForm(request.user, data),
        lambda c, values: services.entrant_add(competition=c, by=request.user, **values),
        lambda saved: _("已报名：%s") % saved,
    )


@login_required
def score_record(request: HttpRequest, pk: int) -> HttpResponseBase:
    return _step(
        request,
        pk,
        "score_form",
        lambda c, data: ScoreForm(c, data),
        lambda _c, values: services.score_record(by=request.user, **values),
        lambda saved: (
            _("已记分：%(entrant)s %(round)s %(score)s")
            % {"entrant": saved.entrant, "round": saved.round, "score": saved.score}
        ),
    )


@login_required
def competition_finish(request: HttpRequest, pk: int) -> HttpResponseBase:
    return _step(
        request,
        pk,
        "finish_form",
        lambda _c, data: FinishForm(data),
        lambda c, values: services.competition_finish(competition=c, by=request.user, **values),
        lambda saved: _("竞赛已结束，名次和奖项已确定：%s") % saved,
    )
