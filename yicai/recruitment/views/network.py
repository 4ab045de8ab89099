"""The expert network: invitation events (who was invited, who came), and per expert how
they came (introduced, brought by someone, invited) and what they have done since in 育
(mentorships and studios they lead, visits they made), with whom they brought."""

from collections.abc import Iterator, Mapping
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from yicai.access.scope import has_perm, require
from yicai.people.models import Person
from yicai.recruitment import queries, services
from yicai.recruitment.forms import (
    EventFilterForm,
    EventForm,
    InviteeForm,
    NetworkFilterForm,
    ReferralForm,
)
from yicai.recruitment.models import InvitationEvent
from yicai.recruitment.views import RECRUITMENT, _with_edits
from yicai.web.forms import initial_from
from yicai.web.listing import Export, Listing, list_page, may
from yicai.web.views import acted, form_page, page_with_forms

EVENT_HEADERS = [
    gettext_lazy("邀请单位"),
    gettext_lazy("活动名称"),
    gettext_lazy("举办日期"),
    gettext_lazy("邀请人数"),
    gettext_lazy("到场人数"),
    gettext_lazy("说明"),
]


def event_rows(events: "QuerySet[InvitationEvent]") -> Iterator[list[object]]:
    for event in events.iterator(chunk_size=2000):
        yield [
            event.institution.name,
            event.title,
            event.held_on,
            event.invited,  # type: ignore[attr-defined]  # annotated by event_list
            event.came,  # type: ignore[attr-defined]
            event.note,
        ]


@login_required
def event_list(request: HttpRequest) -> HttpResponseBase:
    form = EventFilterForm(request.user, request.GET or None)
    return list_page(
        request,
        RECRUITMENT,
        "recruitment/event_list.html",
        form,
        queries.event_list,
        Export(_("专家邀请活动"), EVENT_HEADERS, event_rows, _("导出专家邀请活动")),
        _with_edits(request, queries.events_for),
    )


@login_required
def event_edit(request: HttpRequest, pk: int | None = None) -> HttpResponseBase:
    require(request.user, queries.EDIT)
    event = queries.event_for(request.user, pk, queries.EDIT) if pk else None
    initial = initial_from(event, services.EVENT_FIELDS) if event else None
    form = EventForm(request.user, request.POST or None, initial=initial)

    def save(values: dict[str, Any]) -> InvitationEvent:
        if event is None:
            return services.event_create(by=request.user, **values)
        return services.event_update(event=event, by=request.user, **values)

    return form_page(
        request,
        form,
        "recruitment/event_form.html",
        {"event": event},
        save=save,
        message=lambda saved: _("已保存邀请活动：%s") % saved.title,
        then=lambda saved: redirect("recruitment:event", saved.pk),
        reread=event,
    )


def _event_context(request: HttpRequest, event: InvitationEvent, **bound: Any) -> dict[str, Any]:
    can_edit = may(request.user, queries.EDIT, queries.events_for, event.pk)
    return {
        "event": event,
        "invitees": event.invitees.select_related("person__institution"),
        "can_edit": can_edit,
        "invitee_form": bound.get("invitee_form")
        or (InviteeForm(request.user) if can_edit else None),
    }


_event_page = page_with_forms("recruitment/event_detail.html", _event_context)


@login_required
def event_detail(request: HttpRequest, pk: int) -> HttpResponseBase:
    require(request.user, queries.VIEW)
    return _event_page(request, queries.event_for(request.user, pk))


@login_required
@require_POST
def invitee_add(request: HttpRequest, pk: int) -> HttpResponseBase:
    require(request.user, queries.EDIT)
    event = queries.event_for(request.user, pk, queries.EDIT)
    form = InviteeForm(request.user, request.POST)
    return form_page(
        request,
        form,
        lambda: _event_page(request, event, status=400, invitee_form=form),
        save=lambda values: services.invitee_add(by=request.user, event=event, **values),
        message=lambda invitee: _("已加入邀请名单：%s") % invitee.person.name,
        then=lambda _invitee: redirect("recruitment:event", event.pk),
    )


@login_required
@require_POST
def invitee_remove(request: HttpRequest, pk: int) -> HttpResponseBase:
    require(request.user, queries.EDIT)
    invitee = queries.invitee_for(request.user, pk, queries.EDIT)
    acted(
        request,
        lambda: services.invitee_remove(invitee=invitee),
        _("已移出邀请名单：%s") % invitee.person.name,
    )
    return redirect("recruitment:event", invitee.event_id)


NETWORK_HEADERS = [
    gettext_lazy("专家"),
    gettext_lazy("所在单位"),
    gettext_lazy("带教"),
    gettext_lazy("工作室"),
    gettext_lazy("下沉服务"),
]


@login_required
def network(request: HttpRequest) -> HttpResponseBase:
    """The experts in the network, each with how many mentorships and studios they lead and
    visits they made."""
    form = NetworkFilterForm(request.user, request.GET or None)

    def extra(listing: Listing, _filters: Mapping[str, Any]) -> dict[str, Any]:
        shown = list(listing["page_obj"])
        counts = queries.network_counts(request.user, shown)
        for person in shown:  # the rows the page renders
            person.done = counts.get(person.pk, {})
        return {}

    def rows(people: "QuerySet[Person]") -> Iterator[list[object]]:
        listed = list(people)
        counts = queries.network_counts(request.user, listed)
        for person in listed:
            done = counts.get(person.pk, {})
            yield [
                person.name,
                person.institution.name if person.institution else "",
                done.get("mentorships", 0),
                done.get("studios", 0),
                done.get("visits", 0),
            ]

    export = Export(_("专家网络"), NETWORK_HEADERS, rows, _("导出专家网络"))
    return list_page(
        request, RECRUITMENT, "recruitment/network.html", form, queries.network_list, export, extra
    )


def _expert_context(request: HttpRequest, person: Any, **bound: Any) -> dict[str, Any]:
    can_edit = has_perm(request.user, queries.EDIT)
    return {
        "expert": queries.expert_network(request.user, person),
        "referral_form": bound.get("referral_form")
        or (ReferralForm(request.user) if can_edit else None),
    }


_expert_page = page_with_forms("recruitment/expert.html", _expert_context)


def _expert(request: HttpRequest, pk: int) -> Any:
    """An expert of the user's network (else 404: the network is what their records show)."""
    person = queries.network_people(request.user).filter(pk=pk).first()
    if person is None:
        raise Http404
    return person


@login_required
def expert_detail(request: HttpRequest, pk: int) -> HttpResponseBase:
    require(request.user, queries.VIEW)
    return _expert_page(request, _expert(request, pk))


@login_required
@require_POST
def referral_add(request: HttpRequest, pk: int) -> HttpResponseBase:
    require(request.user, queries.EDIT)
    person = queries.experts(request.user).filter(pk=pk).first()
    if person is None:
        raise Http404
    form = ReferralForm(request.user, request.POST)
    return form_page(
        request,
        form,
        lambda: _expert_page(request, person, status=400, referral_form=form),
        save=lambda values: services.referral_create(by=request.user, referrer=person, **values),
        message=lambda referral: (
            _("已登记：%(a)s 引荐 %(b)s")
            % {"a": referral.referrer.name, "b": referral.referred.name}
        ),
        then=lambda _referral: redirect("recruitment:expert", person.pk),
    )


@login_required
@require_POST
def referral_delete(request: HttpRequest, pk: int) -> HttpResponseBase:
    require(request.user, queries.EDIT)
    referral = queries.referral_for(request.user, pk, queries.EDIT)
    acted(request, lambda: services.referral_delete(referral=referral), _("已删除引荐记录。"))
    return redirect("recruitment:expert", referral.referrer_id)
