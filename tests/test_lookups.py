"""The shared list filters (yicai.lookups): an empty filter narrows nothing."""

import datetime

from django.db.models import Q

from yicai.lookups import between, containing, period_meets

DAY = datetime.date(2024, 3, 1)
LATER = datetime.date(2024, 3, 31)


def test_containing_searches_any_field_and_nothing_for_no_text():
    assert containing("王", "name", "lead__name") == Q(name__icontains="王") | Q(
        lead__name__icontains="王"
    )
    assert containing("", "name") == Q()


def test_between_leaves_an_open_side_open():
    assert between("held_on", DAY, LATER) == Q(held_on__gte=DAY) & Q(held_on__lte=LATER)
    assert between("held_on", DAY, None) == Q(held_on__gte=DAY)
    assert between("held_on", None, None) == Q()


def test_period_meets_a_day_or_a_range():
    running = Q(ends_on__isnull=True) | Q(ends_on__gte=DAY)
    assert period_meets("starts_on", "ends_on", DAY, DAY) == Q(starts_on__lte=DAY) & running
    assert period_meets("starts_on", "ends_on", DAY, None) == running
    assert period_meets("starts_on", "ends_on", None, LATER) == Q(starts_on__lte=LATER)
