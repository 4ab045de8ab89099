"""Hospitality for visiting experts: a lodge's room is never booked twice for the same night
(a stay may begin the day another ends), a cancelled booking frees it; a stay's cost is an
expense of a fund, refused when it would overdraw it, and charged once; the expert sees their
stay on the page their visit's one-time link opens, and only their own visit's."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.retention.helpers import region_of, talent_fund
from yicai.retention.models import Booking, Reception
from yicai.retention.queries.funds import balance
from yicai.retention.queries.hospitality import occupancy
from yicai.retention.services import hospitality
from yicai.training.services.activity import visit_record
from yicai.training.services.mentoring import confirmation_link_create

D = datetime.date


def _lodge(world):
    return hospitality.lodge_create(
        by=None,
        region=region_of(world),
        name="区专家公寓",
        address="友谊路1号",
        rooms=["101", "102"],
    )


def test_a_room_is_never_booked_twice_for_a_night(world):
    lodge = _lodge(world)
    room = lodge.rooms.get(number="101")
    hospitality.booking_create(
        by=None,
        room=room,
        guest=world.partner_expert,
        arrives_on=D(2024, 5, 6),
        leaves_on=D(2024, 5, 9),
    )
    with pytest.raises(ValidationError) as clash:
        hospitality.booking_create(
            by=None,
            room=room,
            guest=world.a_surgeon,
            arrives_on=D(2024, 5, 8),
            leaves_on=D(2024, 5, 10),
        )
    assert clash.value.message_dict == {
        "room": ["区专家公寓 101在 2024-05-06 至 2024-05-09 已有预订（孙名医），不能重复预订。"]
    }
    # Arriving the day the other leaves is no clash; nor is another room.
    after = hospitality.booking_create(
        by=None,
        room=room,
        guest=world.a_surgeon,
        arrives_on=D(2024, 5, 9),
        leaves_on=D(2024, 5, 10),
    )
    hospitality.booking_create(
        by=None,
        room=lodge.rooms.get(number="102"),
        guest=world.a_surgeon,
        arrives_on=D(2024, 5, 7),
        leaves_on=D(2024, 5, 8),
    )
    with pytest.raises(ValidationError, match="离开日期须晚于入住日期"):
        hospitality.booking_create(
            by=None,
            room=room,
            guest=world.b_doctor,
            arrives_on=D(2024, 6, 1),
            leaves_on=D(2024, 6, 1),
        )
    hospitality.booking_cancel(booking=after, by=None, reason="专家行程改期")
    hospitality.booking_create(
        by=None, room=room, guest=world.b_doctor, arrives_on=D(2024, 5, 9), leaves_on=D(2024, 5, 11)
    )
    grid = occupancy(lodge, D(2024, 5, 6), 5)
    assert [
        (room.number, [night.booking.guest.name if night.booking else "" for night in nights])
        for room, nights in grid
    ] == [
        ("101", ["孙名医", "孙名医", "孙名医", "陈全科", "陈全科"]),
        ("102", ["", "周外科", "", "", ""]),
    ]
    assert Booking.objects.filter(status="booked").count() == 3


def test_a_stays_cost_is_charged_to_a_fund_once_and_never_overdraws_it(world):
    fund = talent_fund(world, appropriated="1000.00", name="名医师带徒公益基金")
    lodge = _lodge(world)
    booking = hospitality.booking_create(
        by=None,
        room=lodge.rooms.first(),
        guest=world.partner_expert,
        arrives_on=D(2024, 5, 6),
        leaves_on=D(2024, 5, 9),
    )
    with pytest.raises(ValidationError, match="余额不足"):
        hospitality.hospitality_charge(
            record=booking, by=world.commission, fund=fund, amount="1200", on=D(2024, 5, 9)
        )
    entry = hospitality.hospitality_charge(
        record=booking, by=world.commission, fund=fund, amount="660.50", on=D(2024, 5, 9)
    )
    assert (entry.kind, entry.summary) == (
        "hospitality",
        "专家公寓：孙名医 2024-05-06至2024-05-09（区专家公寓 101）",
    )
    assert balance(fund) == Decimal("339.50")
    with pytest.raises(ValidationError, match="已入账"):
        hospitality.hospitality_charge(
            record=booking, by=world.commission, fund=fund, amount="1", on=D(2024, 5, 9)
        )
    with pytest.raises(ValidationError, match="请先冲正"):
        hospitality.booking_cancel(booking=booking, by=None, reason="改期")


def test_the_expert_sees_their_stay_through_their_visits_link(world, client):
    visit = visit_record(
        expert=world.partner_expert, kind="clinic", institution=world.a, held_on=D(2024, 5, 7)
    )
    other = visit_record(
        expert=world.partner_expert, kind="lecture", institution=world.a, held_on=D(2024, 6, 7)
    )
    lodge = _lodge(world)
    hospitality.booking_create(
        by=None,
        room=lodge.rooms.get(number="102"),
        guest=world.partner_expert,
        visit=visit,
        arrives_on=D(2024, 5, 6),
        leaves_on=D(2024, 5, 8),
    )
    hospitality.reception_create(
        by=None,
        guest=world.partner_expert,
        visit=visit,
        institution=world.a,
        kind=Reception.Kind.PICK_UP,
        at=timezone.make_aware(datetime.datetime(2024, 5, 6, 9, 30)),
        place="虹桥站",
        staff="王干事 13800000000",
    )
    with pytest.raises(ValidationError, match="不是该专家的"):
        hospitality.booking_create(
            by=None,
            room=lodge.rooms.get(number="101"),
            guest=world.a_surgeon,
            visit=visit,
            arrives_on=D(2024, 5, 6),
            leaves_on=D(2024, 5, 8),
        )
    token = confirmation_link_create(user=world.commission, visit=visit)
    page = client.get(f"/training/confirm/{token}/").content.decode()
    assert "您的行程安排" in page
    assert "区专家公寓 102 房间，2024-05-06 入住，2024-05-08 离开（友谊路1号）" in page
    assert "接站：2024-05-06 09:30 虹桥站，联系 王干事 13800000000" in page
    # The other visit's link shows no stay.
    token = confirmation_link_create(user=world.commission, visit=other)
    assert "您的行程安排" not in client.get(f"/training/confirm/{token}/").content.decode()
