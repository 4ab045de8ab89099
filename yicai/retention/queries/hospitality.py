"""Scoped reads of lodges, rooms, bookings and receptions; a lodge's occupancy over days; an
expert's upcoming stay for the page of their visit's link."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, QuerySet

from yicai.access.models import RequestUser
from yicai.access.scope import get_for, scoped
from yicai.lookups import containing, narrowed
from yicai.retention.models import Booking, Lodge, Reception, Room
from yicai.training.models import Visit

VIEW = "retention.view"


def lodges_for(user: RequestUser, permission: str = VIEW) -> "QuerySet[Lodge]":
    return scoped(user, Lodge.objects.select_related("institution"), permission)


def lodge_list(
    user: RequestUser, *, q: str = "", permission: str | None = None
) -> "QuerySet[Lodge]":
    """Lodges by name or address, each with its number of rooms."""
    return (
        narrowed(lodges_for(user, permission or VIEW), containing(q, "name", "address"))
        .annotate(room_count=Count("rooms"))
        .order_by("name", "id")
    )


def lodge_for(user: RequestUser, pk: object, permission: str = VIEW) -> Lodge:
    return get_for(user, lodges_for(user, permission), pk, permission)


def rooms_for(user: RequestUser, permission: str = VIEW) -> "QuerySet[Room]":
    return scoped(user, Room.objects.select_related("lodge"), permission)


def bookings_for(user: RequestUser, permission: str = VIEW) -> "QuerySet[Booking]":
    return scoped(
        user, Booking.objects.select_related("room__lodge", "guest", "visit", "entry"), permission
    )


def booking_for(user: RequestUser, pk: object, permission: str = VIEW) -> Booking:
    return get_for(user, bookings_for(user, permission), pk, permission)


def booking_list(
    user: RequestUser,
    *,
    q: str = "",
    lodge: Lodge | None = None,
    status: str = "",
    since: datetime.date | None = None,
    until: datetime.date | None = None,
    permission: str | None = None,
) -> "QuerySet[Booking]":
    """Bookings by the guest's name, lodge and status; `since`/`until`: stays that meet that
    range (arriving before its end, leaving after its start)."""
    found = narrowed(
        bookings_for(user, permission or VIEW),
        containing(q, "guest__name"),
        room__lodge=lodge,
        status=status,
    )
    if since is not None:
        found = found.filter(leaves_on__gt=since)
    if until is not None:
        found = found.filter(arrives_on__lte=until)
    return found.order_by("arrives_on", "room__number", "id")


def receptions_for(user: RequestUser, permission: str = VIEW) -> "QuerySet[Reception]":
    return scoped(
        user, Reception.objects.select_related("guest", "visit", "institution", "entry"), permission
    )


def reception_list(
    user: RequestUser, *, q: str = "", kind: str = "", permission: str | None = None
) -> "QuerySet[Reception]":
    """Receptions by the expert's name and kind, the latest first."""
    return narrowed(
        receptions_for(user, permission or VIEW), containing(q, "guest__name"), kind=kind
    ).order_by("-at", "id")


def reception_for(user: RequestUser, pk: object, permission: str = VIEW) -> Reception:
    return get_for(user, receptions_for(user, permission), pk, permission)


@dataclass(frozen=True)
class Night:
    day: datetime.date
    booking: Booking | None


def occupancy(lodge: Lodge, first: datetime.date, days: int) -> list[tuple[Room, list[Night]]]:
    """Each room of the lodge and who holds it each night from `first` for `days` nights, in
    two queries."""
    last = first + datetime.timedelta(days=days)
    rooms = list(lodge.rooms.order_by("number"))
    held: dict[int, list[Booking]] = {room.pk: [] for room in rooms}
    for booking in Booking.objects.filter(
        room__lodge=lodge,
        status=Booking.Status.BOOKED,
        arrives_on__lt=last,
        leaves_on__gt=first,
    ).select_related("guest"):
        held[booking.room_id].append(booking)
    grid = []
    for room in rooms:
        nights = []
        for offset in range(days):
            day = first + datetime.timedelta(days=offset)
            taker = next((b for b in held[room.pk] if b.arrives_on <= day < b.leaves_on), None)
            nights.append(Night(day, taker))
        grid.append((room, nights))
    return grid


def stay_of(visit: Visit) -> tuple[list[Booking], list[Reception]]:
    """What is arranged for the expert of a visit: their bookings and receptions linked to it,
    cancelled ones left out (for the page their visit's one-time link opens)."""
    bookings = list(
        Booking.objects.filter(visit=visit, status=Booking.Status.BOOKED)
        .select_related("room__lodge")
        .order_by("arrives_on")
    )
    receptions = list(Reception.objects.filter(visit=visit).order_by("at"))
    return bookings, receptions
