"""Hospitality pages (保姆式服务): the lodges with their rooms' nights, bookings and receptions,
and charging a stay's or a reception's cost to a fund."""

import datetime
from collections.abc import Iterator
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from yicai.access.scope import has_perm, require
from yicai.params import filter_status
from yicai.retention.forms.hospitality import (
    BookingFilterForm,
    BookingForm,
    CancelForm,
    ChargeForm,
    LodgeFilterForm,
    LodgeForm,
    NightsFromForm,
    ReceptionFilterForm,
    ReceptionForm,
    RoomForm,
)
from yicai.retention.models import Booking, Lodge, Reception
from yicai.retention.queries import hospitality as queries
from yicai.retention.queries.regions import region_of
from yicai.retention.services import hospitality as services
from yicai.web.listing import Export, ListPermissions, list_page
from yicai.web.views import acted, form_page

HOSPITALITY = ListPermissions(
    view="retention.view", export="retention.export", edit="retention.edit"
)
EDIT, LEDGER = "retention.edit", "retention.ledger"
NIGHTS = 14


LODGE_HEADERS = [
    gettext_lazy("名称"),
    gettext_lazy("管理机构"),
    gettext_lazy("地址"),
    gettext_lazy("房间数"),
    gettext_lazy("说明"),
]


def lodge_rows(lodges: "QuerySet[Lodge]") -> Iterator[list[object]]:
    for lodge in lodges.iterator(chunk_size=2000):
        keeper = lodge.institution.name if lodge.institution else _("卫健委")
        yield [lodge.name, keeper, lodge.address, lodge.room_count, lodge.note]  # type: ignore[attr-defined]


@login_required
def lodge_list(request: HttpRequest) -> HttpResponseBase:
    def extra(_listing: Any, _filters: Any) -> dict[str, Any]:
        return {"can_edit": has_perm(request.user, EDIT)}

    return list_page(
        request,
        HOSPITALITY,
        "retention/lodge_list.html",
        LodgeFilterForm(request.GET or None),
        queries.lodge_list,
        Export(_("专家公寓"), LODGE_HEADERS, lodge_rows, _("导出专家公寓")),
        extra,
    )


@login_required
def lodge_create(request: HttpRequest) -> HttpResponseBase:
    require(request.user, EDIT)
    form = LodgeForm(request.user, request.POST or None)

    def save(values: dict[str, Any]) -> Any:
        region = region_of(request.user, EDIT)
        if region is None:
            raise ValidationError({"name": _("您的账号不属于任何辖区，不能登记专家公寓。")})
        return services.lodge_create(by=request.user, region=region, **values)

    return form_page(
        request,
        form,
        "retention/lodge_form.html",
        save=save,
        message=lambda saved: _("已登记专家公寓：%s") % saved,
        then=lambda saved: redirect("retention:lodge", saved.pk),
    )


@login_required
def lodge_detail(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A lodge's rooms and who holds each, night by night, for two weeks from a day."""
    require(request.user, "retention.view")
    lodge = queries.lodge_for(request.user, pk)
    chosen = NightsFromForm(request.GET or None)
    status = filter_status(chosen)
    start = (chosen.cleaned_data.get("start") if chosen.is_valid() else None) or (
        timezone.localdate()
    )
    may_edit = queries.lodges_for(request.user, EDIT).filter(pk=lodge.pk).exists()
    room_form = RoomForm(request.POST or None)
    if request.method == "POST":
        require(request.user, EDIT)
        queries.lodge_for(request.user, pk, EDIT)
        return form_page(
            request,
            room_form,
            lambda: _lodge_page(request, lodge, start, may_edit, room_form, 400),
            save=lambda values: services.room_add(lodge=lodge, by=request.user, **values),
            message=lambda saved: _("已增加房间：%s") % saved.number,
            then=lambda _saved: redirect("retention:lodge", lodge.pk),
        )
    return _lodge_page(request, lodge, start, may_edit, room_form, status)


def _lodge_page(request, lodge, start, may_edit, room_form, status) -> HttpResponseBase:
    grid = queries.occupancy(lodge, start, NIGHTS)
    days = [start + datetime.timedelta(days=n) for n in range(NIGHTS)]
    context = {
        "lodge": lodge,
        "grid": grid,
        "days": days,
        "start": start,
        "previous": start - datetime.timedelta(days=NIGHTS),
        "next": start + datetime.timedelta(days=NIGHTS),
        "may_edit": may_edit,
        "room_form": room_form,
        "filter_form": NightsFromForm(initial={"start": start}),
    }
    return render(request, "retention/lodge_detail.html", context, status=status)


BOOKING_HEADERS = [
    gettext_lazy("专家"),
    gettext_lazy("专家公寓"),
    gettext_lazy("房间"),
    gettext_lazy("入住日期"),
    gettext_lazy("离开日期"),
    gettext_lazy("晚数"),
    gettext_lazy("专家活动"),
    gettext_lazy("状态"),
    gettext_lazy("费用（元）"),
    gettext_lazy("说明"),
]


def booking_rows(bookings: "QuerySet[Booking]") -> Iterator[list[object]]:
    for booking in bookings.iterator(chunk_size=2000):
        yield [
            booking.guest.name,
            booking.room.lodge.name,
            booking.room.number,
            booking.arrives_on,
            booking.leaves_on,
            (booking.leaves_on - booking.arrives_on).days,
            str(booking.visit) if booking.visit else "",
            booking.get_status_display(),
            booking.entry.amount if booking.entry else "",
            booking.cancel_reason or booking.note,
        ]


@login_required
def booking_list(request: HttpRequest) -> HttpResponseBase:
    def extra(_listing: Any, _filters: Any) -> dict[str, Any]:
        return {
            "can_edit": has_perm(request.user, EDIT),
            "can_charge": has_perm(request.user, LEDGER),
        }

    export = Export(_("专家入住"), BOOKING_HEADERS, booking_rows, _("导出入住记录"))
    return list_page(
        request,
        HOSPITALITY,
        "retention/booking_list.html",
        BookingFilterForm(request.user, request.GET or None),
        queries.booking_list,
        export,
        extra,
    )


@login_required
def booking_create(request: HttpRequest) -> HttpResponseBase:
    require(request.user, EDIT)
    form = BookingForm(request.user, request.POST or None)
    return form_page(
        request,
        form,
        "retention/booking_form.html",
        save=lambda values: services.booking_create(by=request.user, **values),
        message=lambda saved: _("已预订：%s") % saved,
        then=lambda saved: redirect("retention:lodge", saved.room.lodge_id),
    )


@login_required
@require_POST
def booking_cancel(request: HttpRequest, pk: int) -> HttpResponseBase:
    require(request.user, EDIT)
    booking = queries.booking_for(request.user, pk, EDIT)
    form = CancelForm(request.POST)
    reason = form.cleaned_data["cancel_reason"] if form.is_valid() else ""
    acted(
        request,
        lambda: services.booking_cancel(booking=booking, by=request.user, reason=reason),
        _("已取消预订。"),
    )
    return redirect("retention:bookings")


def _charge(request: HttpRequest, record: Booking | Reception, back: str) -> HttpResponseBase:
    form = ChargeForm(request.user, request.POST or None)
    return form_page(
        request,
        form,
        "retention/charge_form.html",
        {"record": record, "back": back},
        save=lambda values: services.hospitality_charge(record=record, by=request.user, **values),
        message=lambda entry: (
            _("已入账：%(summary)s %(amount)s 元")
            % {"summary": entry.summary, "amount": entry.amount}
        ),
        then=lambda _entry: redirect(back),
    )


@login_required
def booking_charge(request: HttpRequest, pk: int) -> HttpResponseBase:
    require(request.user, LEDGER)
    return _charge(request, queries.booking_for(request.user, pk, LEDGER), "retention:bookings")


RECEPTION_HEADERS = [
    gettext_lazy("类型"),
    gettext_lazy("专家"),
    gettext_lazy("时间"),
    gettext_lazy("地点"),
    gettext_lazy("接待机构"),
    gettext_lazy("负责人及电话"),
    gettext_lazy("费用（元）"),
]


def reception_rows(receptions: "QuerySet[Reception]") -> Iterator[list[object]]:
    for reception in receptions.iterator(chunk_size=2000):
        yield [
            reception.get_kind_display(),
            reception.guest.name,
            reception.at,
            reception.place,
            reception.institution.name,
            reception.staff,
            reception.entry.amount if reception.entry else "",
        ]


@login_required
def reception_list(request: HttpRequest) -> HttpResponseBase:
    def extra(_listing: Any, _filters: Any) -> dict[str, Any]:
        return {
            "can_edit": has_perm(request.user, EDIT),
            "can_charge": has_perm(request.user, LEDGER),
        }

    export = Export(_("接送与接待"), RECEPTION_HEADERS, reception_rows, _("导出接送与接待"))
    return list_page(
        request,
        HOSPITALITY,
        "retention/reception_list.html",
        ReceptionFilterForm(request.GET or None),
        queries.reception_list,
        export,
        extra,
    )


@login_required
def reception_create(request: HttpRequest) -> HttpResponseBase:
    require(request.user, EDIT)
    form = ReceptionForm(request.user, request.POST or None)
    return form_page(
        request,
        form,
        "retention/reception_form.html",
        save=lambda values: services.reception_create(by=request.user, **values),
        message=lambda saved: _("已登记：%s") % saved,
        then=lambda _saved: redirect("retention:receptions"),
    )


@login_required
def reception_charge(request: HttpRequest, pk: int) -> HttpResponseBase:
    require(request.user, LEDGER)
    record = queries.reception_for(request.user, pk, LEDGER)
    return _charge(request, record, "retention:receptions")
