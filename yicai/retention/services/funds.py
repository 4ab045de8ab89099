"""The funds ledger: funds, money in and out, reversals. An expense that would take a fund
below zero on its day or any later day is refused, unless an approver lets it through saying
why (audited)."""

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yicai.access import audit
from yicai.access.models import AuditEntry, RequestUser, account_of
from yicai.access.scope import has_perm
from yicai.org.models import Institution, Region
from yicai.recruitment.services import yuan
from yicai.retention.models import CENT, AwardLine, Entry, Fund
from yicai.retention.queries.funds import lowest_balance_from
from yicai.retention.queries.regions import commission_region
from yicai.validation import full_clean_or_raise

FUND_FIELDS = ("name", "kind", "institution", "note")
ENTRY_FIELDS = ("on", "direction", "kind", "amount", "summary", "donor", "voucher")
APPROVE = "retention.approve"
LEDGER = "retention.ledger"
NO_COMMISSION_FUND = _("只有卫健委可以登记自管的资金，请选择管理机构。")


@transaction.atomic
def fund_create(
    *,
    by: RequestUser | None,
    name: str,
    kind: str,
    region: Region | None = None,
    institution: Institution | None = None,
    note: str = "",
) -> Fund:
    """A fund of an institution (its commission's region), or of the commission `by` works for
    (its region) when no institution is named; `region` given: the command line's."""
    if region is None:
        region = (
            institution.commission_region
            if institution is not None
            else commission_region(by, LEDGER)
            if by is not None
            else None
        )
        if region is None:
            raise ValidationError({"institution": NO_COMMISSION_FUND})
    if institution is not None and institution.commission_region_id != region.pk:
        raise ValidationError({"institution": _("该机构不属于本辖区。")})
    fund = Fund(region=region, institution=institution, name=name.strip(), kind=kind, note=note)
    full_clean_or_raise(fund)
    fund.save()
    return fund


@transaction.atomic
def fund_update(*, fund: Fund, by: RequestUser | None, **fields: Any) -> Fund:
    unknown = set(fields) - {"name", "kind", "note"}
    if unknown:
        raise TypeError(f"not a fund's field: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(fund, name, value.strip() if isinstance(value, str) else value)
    full_clean_or_raise(fund)
    fund.save()
    return fund


def exact_amount(value: object, field: str = "amount") -> Decimal:
    """An amount in yuan as given (a number or its text), to the fen: more decimals than fen,
    zero or less, or not a number are refused, never rounded away."""
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("金额须是数字。")}) from None
    if not amount.is_finite() or amount != amount.quantize(CENT):
        raise ValidationError({field: _("金额最多保留两位小数（到分）。")})
    if amount <= 0:
        raise ValidationError({field: _("金额须大于零。")})
    return amount.quantize(CENT)


def _locked(fund: Fund) -> Fund:
    # One writer at a time per fund: two expenses cannot both pass the balance check.
    return Fund.objects.select_for_update().get(pk=fund.pk)


def check_expense(
    fund: Fund,
    on: datetime.date,
    amount: Decimal,
    *,
    by: RequestUser | None,
    override_reason: str,
    field: str = "amount",
) -> str:
    """Refuse an expense that would take the fund below zero on `on` or after, unless an
    approver lets it through with a reason; the reason kept (audited), "" when none needed.
    Call with the fund locked."""
    lowest = lowest_balance_from(fund, on)
    if lowest - amount >= 0:
        return ""
    reason = (override_reason or "").strip()
    if not reason:
        raise ValidationError(
            {
                field: _(
                    "%(fund)s余额不足：%(day)s起最低余额 %(balance)s 元，本次支出 %(amount)s 元。"
                    "如确需超支，须由有审批权限的人员填写理由批准。"
                )
                % {"fund": fund, "day": on, "balance": yuan(lowest), "amount": yuan(amount)}
            }
        )
    if by is None or not has_perm(by, APPROVE):
        raise ValidationError({"override_reason": _("只有审批人可以批准超支。")})
    audit.record(
        AuditEntry.Event.CHANGE,
        obj=fund,
        summary=_("批准超支：%(fund)s %(amount)s 元") % {"fund": fund, "amount": yuan(amount)},
        data={
            "fund": fund.pk,
            "on": on.isoformat(),
            "amount": str(amount),
            "lowest_balance": str(lowest),
            "reason": reason,
        },
        actor=account_of(by),
    )
    return reason


@transaction.atomic
def entry_record(
    *,
    fund: Fund,
    by: RequestUser | None,
    on: datetime.date,
    direction: str,
    kind: str,
    amount: object,
    summary: str,
    donor: str = "",
    voucher: str = "",
    override_reason: str = "",
) -> Entry:
    """Money into or out of a fund, with its real date."""
    errors: dict[str, str] = {}
    if direction == Entry.Direction.INCOME and kind not in Entry.INCOME_KINDS:
        errors["kind"] = _("收入的类别应为财政拨款、社会捐赠、追回退还或其他。")
    if direction == Entry.Direction.EXPENSE and kind not in Entry.EXPENSE_KINDS:
        errors["kind"] = _("支出的类别应为人才奖励、经费补助、津贴补贴、专家接待或其他。")
    if kind == Entry.Kind.DONATION and not donor.strip():
        errors["donor"] = _("社会捐赠须填写捐赠方。")
    if on > timezone.localdate():
        errors["on"] = _("入账日期不能晚于今天。")
    try:
        exact = exact_amount(amount)
    except ValidationError as error:
        errors.update({k: v[0] for k, v in error.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    fund = _locked(fund)
    reason, overridden = "", None
    if direction == Entry.Direction.EXPENSE:
        reason = check_expense(fund, on, exact, by=by, override_reason=override_reason)
        overridden = account_of(by) if reason else None
    entry = Entry(
        fund=fund,
        on=on,
        direction=direction,
        kind=kind,
        amount=exact,
        summary=summary.strip(),
        donor=donor.strip(),
        voucher=voucher.strip(),
        override_reason=reason,
        overridden_by=overridden,
        recorded_by=account_of(by),
    )
    full_clean_or_raise(entry)
    entry.save()
    return entry


@transaction.atomic
def entry_reverse(
    *,
    entry: Entry,
    by: RequestUser | None,
    reason: str,
    on: datetime.date | None = None,
    override_reason: str = "",
) -> Entry:
    """Take an entry back with one of the opposite direction (冲正), once; an award it paid is
    then reversed too (its key stays: it is not proposed again)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("冲正须说明原因。")})
    fund = _locked(entry.fund)
    entry = Entry.objects.select_related("award").get(pk=entry.pk)
    if entry.reverses_id is not None:
        raise ValidationError({"reason": _("冲正记录不能再冲正。")})
    if Entry.objects.filter(reverses=entry).exists():
        raise ValidationError({"reason": _("该记录已冲正。")})
    day = on or timezone.localdate()
    if day < entry.on:
        raise ValidationError({"on": _("冲正日期不能早于原记录的入账日期（%s）。") % entry.on})
    opposite = (
        Entry.Direction.EXPENSE
        if entry.direction == Entry.Direction.INCOME
        else Entry.Direction.INCOME
    )
    kept = ""
    if opposite == Entry.Direction.EXPENSE:
        kept = check_expense(fund, day, entry.amount, by=by, override_reason=override_reason)
    reversal = Entry.objects.create(
        fund=fund,
        on=day,
        direction=opposite,
        kind=Entry.Kind.REVERSAL,
        amount=entry.amount,
        summary=_("冲正：%(summary)s（%(reason)s）") % {"summary": entry.summary, "reason": reason},
        award=entry.award,
        reverses=entry,
        override_reason=kept,
        overridden_by=account_of(by) if kept else None,
        recorded_by=account_of(by),
    )
    if entry.award_id is not None:
        AwardLine.objects.filter(pk=entry.award_id).update(
            status=AwardLine.Status.REVERSED, reason=reason
        )
    return reversal
