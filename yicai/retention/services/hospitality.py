"""Hospitality for visiting experts: lodges and rooms, bookings that never overlap in a room,
pick-ups and receptions, and their costs charged to a fund."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from yicai.access.models import RequestUser, account_of
from yicai.org.models import Institution, Region
from yicai.people.models import Person
from yicai.retention.models import Booking, Entry, Fund, Lodge, Reception, Room
from yicai.retention.services.funds import entry_record
from yicai.training.models import Visit
from yicai.validation import full_clean_or_raise


@transaction.atomic
def lodge_create(
    *,
    by: RequestUser | None,
    region: Region,
    name: str,
    institution: Institution | None = None,
    address: str = "",
    note: str = "",
    rooms: list[str] = (),  # type: ignore[assignment]
) -> Lodge:
    if institution is not None and institution.commission_region_id != region.pk:
        raise ValidationError({"institution": _("该机构不属于本辖区。")})
    lodge = Lodge(
        region=region, institution=institution, name=name.strip(), address=address, note=note
    )
    full_clean_or_raise(lodge)
    lodge.save()
    for number in rooms:
        room_add(lodge=lodge, by=by, number=number)
    return lodge


@transaction.atomic
def room_add(*, lodge: Lodge, by: RequestUser | None, number: str, kind: str = "") -> Room:
    room = Room(lodge=lodge, number=str(number).strip(), kind=kind.strip())
    full_clean_or_raise(room)
    room.save()
    return room


def _visit_matches(visit: Visit | None, guest: Person, errors: dict[str, str]) -> None:
    if visit is not None and visit.expert_id != guest.pk:
        errors["visit"] = _("所选专家活动不是该专家的。")


@transaction.atomic
def booking_create(
    *,
    by: RequestUser | None,
    room: Room,
    guest: Person,
    arrives_on: datetime.date,
    leaves_on: datetime.date,
    visit: Visit | None = None,
    note: str = "",
) -> Booking:
    """A room for an expert from the day they arrive to the day they leave; refused when the
    room is held for anyone on any night between (two bookings at once wait for each other)."""
    errors: dict[str, str] = {}
    if leaves_on <= arrives_on:
        errors["leaves_on"] = _("离开日期须晚于入住日期。")
    _visit_matches(visit, guest, errors)
    room = Room.objects.select_for_update().select_related("lodge").get(pk=room.pk)
    if not room.active:
        errors["room"] = _("该房间暂停预订。")
    if errors:
        raise ValidationError(errors)
    clash = (
        room.bookings.filter(
            status=Booking.Status.BOOKED, arrives_on__lt=leaves_on, leaves_on__gt=arrives_on
        )
        .select_related("guest")
        .first()
    )
    if clash is not None:
        raise ValidationError(
            {
                "room": _("%(room)s在 %(first)s 至 %(last)s 已有预订（%(guest)s），不能重复预订。")
                % {
                    "room": room,
                    "first": clash.arrives_on,
                    "last": clash.leaves_on,
                    "guest": clash.guest.name,
                }
            }
        )
    booking = Booking(
        room=room,
        guest=guest,
        visit=visit,
        arrives_on=arrives_on,
        leaves_on=leaves_on,
        note=note.strip(),
        booked_by=account_of(by),
    )
    full_clean_or_raise(booking)
    booking.save()
    return booking


@transaction.atomic
def booking_cancel(*, booking: Booking, by: RequestUser | None, reason: str) -> Booking:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"cancel_reason": _("取消须说明原因。")})
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if booking.status == Booking.Status.CANCELLED:
        raise ValidationError({"status": _("该预订已取消。")})
    if booking.entry_id is not None:
        raise ValidationError({"status": _("该预订的费用已入账，请先冲正。")})
    booking.status, booking.cancel_reason = Booking.Status.CANCELLED, reason
    booking.save(update_fields=["status", "cancel_reason"])
    return booking


@transaction.atomic
def reception_create(*, by: RequestUser | None, **fields: Any) -> Reception:
    errors: dict[str, str] = {}
    _visit_matches(fields.get("visit"), fields["guest"], errors)
    if errors:
        raise ValidationError(errors)
    reception = Reception(**fields)
    full_clean_or_raise(reception)
    reception.save()
    return reception


@transaction.atomic
def hospitality_charge(
    *,
    record: Booking | Reception,
    by: RequestUser | None,
    fund: Fund,
    amount: object,
    on: datetime.date,
    voucher: str = "",
    override_reason: str = "",
) -> Entry:
    """A stay's or a reception's cost, an expense of the fund (refused, as any expense, when
    it would overdraw it); once."""
    record = type(record).objects.select_for_update().get(pk=record.pk)
    if record.entry_id is not None:
        raise ValidationError({"amount": _("该项费用已入账。")})
    if isinstance(record, Booking) and record.status == Booking.Status.CANCELLED:
        raise ValidationError({"status": _("该预订已取消。")})
    summary = (
        _("专家公寓：%(guest)s %(first)s至%(last)s（%(room)s）")
        % {
            "guest": record.guest.name,
            "first": record.arrives_on,
            "last": record.leaves_on,
            "room": record.room,
        }
        if isinstance(record, Booking)
        else _("%(kind)s：%(guest)s %(at)s")
        % {
            "kind": record.get_kind_display(),
            "guest": record.guest.name,
            "at": f"{record.at:%Y-%m-%d}",
        }
    )
    entry = entry_record(
        fund=fund,
        by=by,
        on=on,
        direction=Entry.Direction.EXPENSE,
        kind=Entry.Kind.HOSPITALITY,
        amount=amount,
        summary=summary[:200],
        voucher=voucher,
        override_reason=override_reason,
    )
    record.entry = entry
    record.save(update_fields=["entry"])
    return entry
