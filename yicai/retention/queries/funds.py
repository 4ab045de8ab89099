"""Scoped reads of funds and their ledger: balances by fund and year as of any day, and the
ledger with running balances for the finance office."""

import datetime
from collections.abc import Iterator
from decimal import Decimal

from django.db.models import Case, DecimalField, F, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce

from yicai.access.models import RequestUser
from yicai.access.scope import get_for, scoped
from yicai.lookups import between, containing, narrowed
from yicai.retention.models import Entry, Fund

MONEY = "retention.money"
ZERO = Decimal("0.00")
_SIGNED = Case(
    When(direction=Entry.Direction.INCOME, then=F("amount")),
    default=-F("amount"),
    output_field=DecimalField(max_digits=16, decimal_places=2),
)


def _total(entries: "QuerySet[Entry]") -> Decimal:
    # Decimal in PostgreSQL; SQLite sums in binary floating point, which the field's
    # converter brings back to the fen (exact for any ledger of realistic size).
    total = entries.aggregate(total=Coalesce(Sum(_SIGNED), Value(ZERO)))["total"]
    return Decimal(total).quantize(Decimal("0.01"))


def funds_for(user: RequestUser, permission: str = MONEY) -> "QuerySet[Fund]":
    return scoped(user, Fund.objects.select_related("region", "institution"), permission)


def fund_for(user: RequestUser, pk: object, permission: str = MONEY) -> Fund:
    return get_for(user, funds_for(user, permission), pk, permission)


def entries_for(user: RequestUser, permission: str = MONEY) -> "QuerySet[Entry]":
    return scoped(user, Entry.objects.select_related("fund", "award__person"), permission)


def entry_for(user: RequestUser, pk: object, permission: str = MONEY) -> Entry:
    return get_for(user, entries_for(user, permission), pk, permission)


def balance(fund: Fund, as_of: datetime.date | None = None) -> Decimal:
    """The fund's balance at the end of `as_of` (of everything recorded, without one)."""
    entries = fund.entries.all()
    if as_of is not None:
        entries = entries.filter(on__lte=as_of)
    return _total(entries)


def lowest_balance_from(fund: Fund, day: datetime.date) -> Decimal:
    """The lowest the fund's balance stands at the end of `day` or of any later day with
    entries: what an expense on `day` may take without overdrawing it then or later."""
    running = balance(fund, day)
    lowest = running
    later = (
        fund.entries.filter(on__gt=day)
        .values("on")
        .annotate(net=Sum(_SIGNED))
        .order_by("on")
        .values_list("net", flat=True)
    )
    for net in later:
        running += Decimal(net).quantize(Decimal("0.01"))
        lowest = min(lowest, running)
    return lowest


def fund_list(
    user: RequestUser,
    *,
    q: str = "",
    kind: str = "",
    permission: str | None = None,
) -> "QuerySet[Fund]":
    return narrowed(funds_for(user, permission or MONEY), containing(q, "name", "note"), kind=kind)


def fund_balances(
    funds: "QuerySet[Fund]", year: int | None = None, as_of: datetime.date | None = None
) -> "QuerySet[Fund]":
    """Each fund with its income, expense and balance: in `year` (the balance brought forward
    from the years before it too) and up to `as_of` (today's when not given), in one query."""
    upto = Q(entries__on__lte=as_of) if as_of else Q()
    within = upto & Q(entries__on__year=year) if year else upto
    before = upto & Q(entries__on__lt=datetime.date(year, 1, 1)) if year else Q(pk__in=[])
    income = Q(entries__direction=Entry.Direction.INCOME)
    expense = Q(entries__direction=Entry.Direction.EXPENSE)
    money = DecimalField(max_digits=16, decimal_places=2)
    signed = Case(
        When(entries__direction=Entry.Direction.INCOME, then=F("entries__amount")),
        default=-F("entries__amount"),
        output_field=money,
    )
    return funds.annotate(
        income=Coalesce(
            Sum("entries__amount", filter=within & income), Value(ZERO), output_field=money
        ),
        expense=Coalesce(
            Sum("entries__amount", filter=within & expense), Value(ZERO), output_field=money
        ),
        brought=Coalesce(Sum(signed, filter=before), Value(ZERO), output_field=money),
    ).annotate(closing=F("brought") + F("income") - F("expense"))


def entry_list(
    user: RequestUser,
    *,
    fund: Fund | None = None,
    direction: str = "",
    kind: str = "",
    q: str = "",
    since: datetime.date | None = None,
    until: datetime.date | None = None,
    permission: str | None = None,
) -> "QuerySet[Entry]":
    """A ledger's entries by fund, direction and kind, their summary, donor or voucher, and
    their day (since / until, both inclusive, either open)."""
    return narrowed(
        entries_for(user, permission or MONEY),
        containing(q, "summary", "donor", "voucher"),
        between("on", since, until),
        fund=fund,
        direction=direction,
        kind=kind,
    ).order_by("fund__name", "fund_id", "on", "id")


def with_running_balances(entries: "QuerySet[Entry]") -> Iterator[tuple[Entry, Decimal]]:
    """Each entry with its fund's balance after it, in ledger order; the balance of what comes
    before the first entry shown (an earlier day filtered away) is read once per fund."""
    running: dict[int, Decimal] = {}
    for entry in entries.iterator(chunk_size=2000):
        if entry.fund_id not in running:
            earlier = Entry.objects.filter(fund_id=entry.fund_id).filter(
                Q(on__lt=entry.on) | Q(on=entry.on, id__lt=entry.pk)
            )
            running[entry.fund_id] = _total(earlier)
        running[entry.fund_id] += entry.signed
        yield entry, running[entry.fund_id]
