"""retention's hospitality cases of the scope matrix: hospital A's lodge with a room booked for
the partner's expert, and a reception at A. A lodge is its keeper's: the commission sees
every lodge of its region, an institution its own; a department head sees none (no such
records are a department's). Charging a cost is a money action (retention.ledger)."""

import datetime

from django.utils import timezone

from tests.scope_tables import EDITS_INSTITUTIONS, HR, only, rows
from yicai.retention.services import hospitality

_KEEPERS = {**EDITS_INSTITUTIONS, "dept_head": set()}


def build(records, world) -> None:
    records.lodge = hospitality.lodge_create(
        by=None,
        region=world.a.commission_region,
        institution=world.a,
        name="甲院专家公寓",
        rooms=["201"],
    )
    records.booking = hospitality.booking_create(
        by=None,
        room=records.lodge.rooms.get(),
        guest=world.partner_expert,
        arrives_on=datetime.date(2024, 5, 6),
        leaves_on=datetime.date(2024, 5, 9),
    )
    records.reception = hospitality.reception_create(
        by=None,
        guest=world.partner_expert,
        institution=world.a,
        kind="pick_up",
        at=timezone.make_aware(datetime.datetime(2024, 5, 6, 9, 30)),
        place="虹桥站",
    )


CASES = {
    "retention:lodges": only(*HR, "dept_head"),
    "retention:lodge_create": only(*HR),
    "retention:lodge": rows(_KEEPERS, "a"),
    "retention:bookings": only(*HR, "dept_head"),
    "retention:booking_create": only(*HR),
    # Refused (no reason given) and sent back to the list, by whoever reaches the booking.
    "retention:booking_cancel": rows(EDITS_INSTITUTIONS, "a", status=302, method="post"),
    "retention:booking_charge": rows(EDITS_INSTITUTIONS, "a"),
    "retention:receptions": only(*HR, "dept_head"),
    "retention:reception_create": only(*HR),
    "retention:reception_charge": rows(EDITS_INSTITUTIONS, "a"),
}
PAGE_KWARGS = {
    "retention:lodge": lambda r: {"pk": r.lodge.pk},
    "retention:booking_cancel": lambda r: {"pk": r.booking.pk},
    "retention:booking_charge": lambda r: {"pk": r.booking.pk},
    "retention:reception_charge": lambda r: {"pk": r.reception.pk},
}
