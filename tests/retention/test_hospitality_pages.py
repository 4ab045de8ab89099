"""The hospitality pages: a lodge registered with its rooms, a room booked through the form
(a clash shown on the form, in Chinese), the fortnight's nights, a booking cancelled and a
stay's cost charged to a fund; the lists cost the same queries for many rows."""

import datetime
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import login
from tests.retention.helpers import region_of, talent_fund
from yicai.retention.models import Booking, Entry, Lodge
from yicai.retention.services import hospitality
from yicai.retention.services.funds import entry_record

D = datetime.date


def _lodge(world, institution=None):
    return hospitality.lodge_create(
        by=None,
        region=region_of(world),
        institution=institution or world.a,
        name="甲院专家公寓",
        rooms=["201", "202"],
    )


def test_a_lodge_is_registered_with_its_rooms(client, world):
    login(client, world.hospital_a)
    answer = client.post(
        "/retention/lodges/new/",
        {"name": "甲院专家公寓", "institution": world.a.pk, "rooms": "201，202 203"},
    )
    lodge = Lodge.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/retention/lodges/{lodge.pk}/"
    assert list(lodge.rooms.values_list("number", flat=True)) == ["201", "202", "203"]
    page = client.get("/retention/lodges/").content.decode()
    assert "甲院专家公寓" in page
    # Hospital B sees no lodge of A's, nor opens it.
    login(client, world.hospital_b)
    assert "甲院专家公寓" not in client.get("/retention/lodges/").content.decode()
    assert client.get(f"/retention/lodges/{lodge.pk}/").status_code == 404


def test_a_clash_is_shown_on_the_form_and_the_nights_on_the_lodges_page(client, world):
    lodge = _lodge(world)
    room = lodge.rooms.get(number="201")
    login(client, world.hospital_a)
    form = {
        "room": room.pk,
        "guest": world.partner_expert.pk,
        "arrives_on": "2024-05-06",
        "leaves_on": "2024-05-09",
    }
    assert client.post("/retention/bookings/new/", form).status_code == 302
    clash = client.post(
        "/retention/bookings/new/", {**form, "arrives_on": "2024-05-08", "leaves_on": "2024-05-10"}
    )
    assert clash.status_code == 200
    assert "甲院专家公寓 201在 2024-05-06 至 2024-05-09 已有预订（孙名医），不能重复预订。" in (
        clash.content.decode()
    )
    assert Booking.objects.count() == 1
    page = client.get(f"/retention/lodges/{lodge.pk}/", {"start": "2024-05-05"}).content.decode()
    assert page.count('<td class="table-primary"') == 3  # the 6th, 7th and 8th
    assert client.get(f"/retention/lodges/{lodge.pk}/", {"start": "5月"}).status_code == 400


def test_a_booking_is_cancelled_with_a_reason_and_a_stay_charged_to_a_fund(client, world):
    lodge = _lodge(world)
    fund = talent_fund(world, appropriated="", name="甲院人才经费")
    fund.institution = world.a
    fund.save()
    entry_record(
        fund=fund,
        by=None,
        on=D(2024, 1, 5),
        direction="income",
        kind="appropriation",
        amount="5000",
        summary="年度预算",
    )
    booking = hospitality.booking_create(
        by=None,
        room=lodge.rooms.first(),
        guest=world.partner_expert,
        arrives_on=D(2024, 5, 6),
        leaves_on=D(2024, 5, 9),
    )
    login(client, world.hospital_a)
    charge = f"/retention/bookings/{booking.pk}/charge/"
    answer = client.post(charge, {"fund": fund.pk, "amount": "660.50", "on": "2024-05-09"})
    assert answer.status_code == 302
    assert Entry.objects.get(kind="hospitality").amount == Decimal("660.50")
    again = client.post(charge, {"fund": fund.pk, "amount": "1", "on": "2024-05-09"})
    assert "该项费用已入账。" in again.content.decode()
    other = hospitality.booking_create(
        by=None,
        room=lodge.rooms.last(),
        guest=world.partner_expert,
        arrives_on=D(2024, 5, 6),
        leaves_on=D(2024, 5, 9),
    )
    cancel = f"/retention/bookings/{other.pk}/cancel/"
    client.post(cancel, {"cancel_reason": ""})
    assert Booking.objects.get(pk=other.pk).status == "booked"
    client.post(cancel, {"cancel_reason": "专家行程改期"})
    assert Booking.objects.get(pk=other.pk).cancel_reason == "专家行程改期"
    # A department head sees the bookings but charges nothing.
    login(client, world.dept_head)
    assert client.get("/retention/bookings/").status_code == 200
    assert client.get(charge).status_code == 403


def test_the_lists_cost_the_same_queries_for_many_rows(
    client, world, django_assert_max_num_queries
):
    lodge = _lodge(world)
    login(client, world.commission)
    few = {}
    hospitality.booking_create(
        by=None,
        room=lodge.rooms.first(),
        guest=world.partner_expert,
        arrives_on=D(2024, 1, 1),
        leaves_on=D(2024, 1, 2),
    )
    for url in ("/retention/bookings/", f"/retention/lodges/{lodge.pk}/?start=2024-01-01"):
        with CaptureQueriesContext(connection) as done:
            assert client.get(url).status_code == 200
        few[url] = len(done)
    for day in range(2, 28):
        hospitality.booking_create(
            by=None,
            room=lodge.rooms.all()[day % 2],
            guest=world.a_surgeon if day % 3 else world.partner_expert,
            arrives_on=D(2024, 1, day),
            leaves_on=D(2024, 1, day + 1),
        )
    for url, count in few.items():
        with django_assert_max_num_queries(count):
            assert client.get(url).status_code == 200
