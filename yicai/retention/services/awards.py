"""Award runs: prepared for a policy and a period, reviewed (lines excluded with a reason),
approved by someone other than the preparer, which pays each line by one ledger entry.
Idempotent by each line's natural key: a second run of a period proposes only what is new;
two approvals at once pay once. Someone who leaves before a rule's commitment ends owes back
what the rule says."""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yicai.access.models import RequestUser, account_of
from yicai.access.scope import has_perm
from yicai.people.models import Person
from yicai.recruitment.services import add_months, clawback_amount, full_months, owed_decide, yuan
from yicai.retention import facts
from yicai.retention.models import (
    CENT,
    AwardClawback,
    AwardLine,
    AwardRun,
    Entry,
    Policy,
    Rule,
    RuleAmount,
)
from yicai.retention.services.funds import APPROVE, _locked, check_expense, exact_amount

HUNDRED = Decimal("100")


@dataclass(frozen=True)
class Due:
    """One tranche of a rule's award for a fact: when it falls due, the day whose amount
    applies, and its share of that amount."""

    tranche: int
    due_on: datetime.date
    priced_on: datetime.date
    share: Decimal


def schedule(rule: Rule, fact_on: datetime.date) -> list[Due]:
    """Once: on the fact's day. Yearly for N years: each year on the fact's anniversary, at
    the amount in force that day (the year's fact, holding the tier, begins then). In
    tranches: each share so many months after the fact, at the amount in force on its day."""
    if rule.schedule == Rule.Schedule.YEARLY:
        return [
            Due(year, day, day, HUNDRED)
            for year in range(1, (rule.years or 1) + 1)
            for day in [add_months(fact_on, 12 * (year - 1))]
        ]
    if rule.schedule == Rule.Schedule.TRANCHES:
        return [
            Due(t.number, add_months(fact_on, t.months_after), fact_on, t.share)
            for t in rule.tranches.all()
        ]
    return [Due(1, fact_on, fact_on, HUNDRED)]


def amount_on(rule: Rule, day: datetime.date) -> RuleAmount | None:
    """The value in force on `day`: the last to start on or before it (None before the first)."""
    found = None
    for value in rule.amounts.all():  # ordered by valid_from, prefetched
        if value.valid_from <= day:
            found = value
    return found


def _priced(
    rule: Rule, dues: list[Due], due: Due, stated: Decimal | None = None
) -> tuple[Decimal, str] | None:
    """A tranche's amount to the fen, and how it was found: what the record states, or the
    rule's value in force. Shares are rounded half up; the last tranche takes what is left, so
    the tranches add up to the amount exactly."""
    if stated is not None:
        return stated, _("按引进协议约定 %s 元") % yuan(stated)
    value = amount_on(rule, due.priced_on)
    if value is None:
        return None
    if due.share == HUNDRED:
        return value.amount, _("%(day)s起标准 %(amount)s 元") % {
            "day": value.valid_from,
            "amount": yuan(value.amount),
        }
    shares = [(value.amount * d.share / HUNDRED).quantize(CENT, ROUND_HALF_UP) for d in dues]
    index = dues.index(due)
    amount = shares[index] if index < len(dues) - 1 else value.amount - sum(shares[:-1])
    return amount, _("%(day)s起标准 %(amount)s 元的 %(share)s%%") % {
        "day": value.valid_from,
        "amount": yuan(value.amount),
        "share": f"{due.share.normalize():f}",
    }


def _earliest_fact(rule: Rule, first_due: datetime.date) -> datetime.date:
    """The earliest fact whose tranches may fall due on or after `first_due`."""
    if rule.schedule == Rule.Schedule.YEARLY:
        return add_months(first_due, -12 * ((rule.years or 1) - 1))
    if rule.schedule == Rule.Schedule.TRANCHES:
        return add_months(first_due, -max((t.months_after for t in rule.tranches.all()), default=0))
    return first_due


def proposals(policy: Policy, start: datetime.date, end: datetime.date) -> list[AwardLine]:
    """The lines (unsaved, without a run) of everyone who qualifies under the policy's rules
    for what falls due from `start` to `end`, leaving out what any run has already proposed."""
    lines = []
    for rule in policy.rules.prefetch_related("amounts", "tranches"):
        first = max(_earliest_fact(rule, start), policy.effective_from)
        last = min(end, policy.effective_to or end)
        if first > last:
            continue
        taken = set(
            AwardLine.objects.filter(rule=rule).values_list("person_id", "fact_id", "tranche")
        )
        for fact in facts.facts_of(rule, first, last):
            dues = schedule(rule, fact.on)
            for due in dues:
                if (
                    not start <= due.due_on <= end
                    or (fact.person_id, fact.id, due.tranche) in taken
                ):
                    continue
                if fact.ends_on is not None and due.due_on > fact.ends_on:
                    continue  # gone (or closed) before it fell due
                if due.tranche in fact.settled:
                    continue  # paid outside the ledger and recorded there
                priced = _priced(rule, dues, due, fact.amount)
                if priced is None:
                    continue  # no amount was in force on the fact's day
                lines.append(
                    AwardLine(
                        rule=rule,
                        person_id=fact.person_id,
                        institution_id=fact.institution_id,
                        fact_id=fact.id,
                        fact_on=fact.on,
                        fact_label=fact.label[:200],
                        fact_url=fact.url,
                        tranche=due.tranche,
                        due_on=due.due_on,
                        amount=priced[0],
                        basis=priced[1][:200],
                    )
                )
    return lines


@transaction.atomic
def award_run_prepare(
    *,
    policy: Policy,
    by: RequestUser | None,
    period_start: datetime.date,
    period_end: datetime.date,
) -> AwardRun:
    """A run of what falls due in the period under a published policy: only what no run has
    proposed before (a line excluded once stays excluded)."""
    if period_end < period_start:
        raise ValidationError({"period_end": _("截止日期不能早于起始日期。")})
    if period_end > timezone.localdate():
        raise ValidationError({"period_end": _("截止日期不能晚于今天：未到期的奖励不能核发。")})
    # Runs of a policy are prepared one at a time: two cannot propose the same line.
    policy = Policy.objects.select_for_update().get(pk=policy.pk)
    if policy.status == Policy.Status.DRAFT:
        raise ValidationError({"policy": _("政策尚未发布。")})
    lines = proposals(policy, period_start, period_end)
    if not lines:
        raise ValidationError(
            {"period_end": _("该期间没有新的应发奖励（已生成或已核发的不会重复）。")}
        )
    run = AwardRun.objects.create(
        policy=policy, period_start=period_start, period_end=period_end, prepared_by=account_of(by)
    )
    for line in lines:
        line.run = run
    AwardLine.objects.bulk_create(lines)
    return run


def _open_line(line: AwardLine) -> AwardLine:
    line = AwardLine.objects.select_related("run").select_for_update(of=("self",)).get(pk=line.pk)
    if line.run.status != AwardRun.Status.PROPOSED:
        raise ValidationError({"status": _("该批次已审批，不能再调整。")})
    return line


@transaction.atomic
def line_exclude(*, line: AwardLine, by: RequestUser | None, reason: str) -> AwardLine:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("剔除须说明理由。")})
    line = _open_line(line)
    line.status, line.reason = AwardLine.Status.EXCLUDED, reason
    line.save(update_fields=["status", "reason"])
    return line


@transaction.atomic
def line_include(*, line: AwardLine, by: RequestUser | None) -> AwardLine:
    line = _open_line(line)
    line.status, line.reason = AwardLine.Status.PROPOSED, ""
    line.save(update_fields=["status", "reason"])
    return line


@transaction.atomic
def award_run_approve(
    *,
    run: AwardRun,
    by: RequestUser | None,
    on: datetime.date | None = None,
    override_reason: str = "",
) -> AwardRun:
    """An approver other than the preparer approves the run: each line not excluded is paid
    by one entry of the policy's fund, on `on` (today by default). Once: a second approval,
    even at the same moment, finds the run approved."""
    run = AwardRun.objects.select_for_update().get(pk=run.pk)
    if run.status != AwardRun.Status.PROPOSED:
        raise ValidationError({"status": _("该批次已审批。")})
    if by is None or not has_perm(by, APPROVE):
        raise ValidationError({"status": _("只有审批人可以审批奖励核发。")})
    if run.prepared_by_id is not None and run.prepared_by_id == by.pk:
        raise ValidationError({"status": _("审批人不能是该批次的经办人。")})
    day = on or timezone.localdate()
    if day > timezone.localdate() or day < run.period_end:
        raise ValidationError({"on": _("审批日期须在核发期间截止之后、且不晚于今天。")})
    lines = list(
        run.lines.filter(status=AwardLine.Status.PROPOSED).select_related("rule", "person")
    )
    fund = _locked(run.policy.fund)
    total = sum((line.amount for line in lines), Decimal("0.00"))
    kept = ""
    if total:
        kept = check_expense(
            fund, day, total, by=by, override_reason=override_reason, field="override_reason"
        )
    Entry.objects.bulk_create(
        Entry(
            fund=fund,
            on=day,
            direction=Entry.Direction.EXPENSE,
            kind=line.rule.paid_as,
            amount=line.amount,
            summary=f"{line.rule.name}：{line.person.name}（{line.fact_label}）"[:200],
            award=line,
            override_reason=kept,
            overridden_by=account_of(by) if kept else None,
            recorded_by=account_of(by),
        )
        for line in lines
    )
    for line in lines:
        settle = facts.PAID.get(line.rule.fact)
        if settle is not None:
            settle(line, day, by)
    run.lines.filter(pk__in=[line.pk for line in lines]).update(status=AwardLine.Status.APPROVED)
    run.status, run.approved_by, run.approved_on = AwardRun.Status.APPROVED, account_of(by), day
    run.override_reason = kept
    run.save(update_fields=["status", "approved_by", "approved_on", "override_reason"])
    return run


@transaction.atomic
def award_leave(
    *, person: Person, by: RequestUser | None, left_on: datetime.date
) -> list[AwardClawback]:
    """Someone leaves: lines not yet approved that fall due after that day are cancelled,
    and for each rule whose commitment they did not complete, what its clawback asks back
    of what was paid (net of reversals) is proposed, computed to the cent."""
    AwardLine.objects.filter(
        person=person, status=AwardLine.Status.PROPOSED, due_on__gt=left_on
    ).update(status=AwardLine.Status.CANCELLED, reason=_("%s 离开") % left_on)
    paid: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    facts_on: dict[tuple[int, int], datetime.date] = {}
    rules: dict[int, Rule] = {}
    lines = AwardLine.objects.filter(
        person=person,
        status=AwardLine.Status.APPROVED,
        rule__commitment_months__isnull=False,
    ).exclude(rule__clawback=Rule.Clawback.NONE)
    for line in lines.select_related("rule"):
        key = (line.rule_id, line.fact_id)
        paid[key] += line.amount
        facts_on[key] = line.fact_on
        rules[line.rule_id] = line.rule
    made = []
    for (rule_id, fact_id), amount in paid.items():
        rule = rules[rule_id]
        committed = rule.commitment_months or 0
        served = full_months(facts_on[(rule_id, fact_id)], left_on)
        owed = clawback_amount(amount, rule.clawback, served, committed)
        if (
            owed <= 0
            or AwardClawback.objects.filter(rule=rule, person=person, fact_id=fact_id).exists()
        ):
            continue
        made.append(
            AwardClawback.objects.create(
                rule=rule,
                person=person,
                fact_id=fact_id,
                left_on=left_on,
                months_served=served,
                months_committed=committed,
                paid=amount,
                amount=owed,
                basis=_(
                    "已发 %(paid)s 元，承诺服务 %(committed)d 个月，已服务 %(served)d 个月：%(how)s"
                )
                % {
                    "paid": yuan(amount),
                    "committed": committed,
                    "served": served,
                    "how": rule.get_clawback_display(),
                },
            )
        )
    return made


@transaction.atomic
def award_clawback_decide(
    *,
    clawback: AwardClawback,
    by: RequestUser | None,
    approve: bool,
    reason: str = "",
    on: datetime.date | None = None,
) -> AwardClawback:
    """Approve what is owed back (it is then income of the policy's fund, on the decision's
    day) or waive it saying why; once."""
    clawback = owed_decide(clawback, by, approve, reason, on)
    if approve:
        fund = _locked(clawback.rule.policy.fund)
        clawback.entry = Entry.objects.create(
            fund=fund,
            on=clawback.decided_on or timezone.localdate(),
            direction=Entry.Direction.INCOME,
            kind=Entry.Kind.REFUND,
            amount=clawback.amount,
            summary=_("追回：%(rule)s %(person)s")
            % {"rule": clawback.rule, "person": clawback.person},
            recorded_by=account_of(by),
        )
        clawback.save(update_fields=["entry"])
    return clawback


@transaction.atomic
def award_record_past(
    *,
    rule: Rule,
    person: Person,
    fact_on: datetime.date,
    amount: object,
    paid_on: datetime.date,
    by: RequestUser | None,
    tranche: int = 1,
) -> AwardLine:
    """An award paid before the system, as the finance office's books have it: the fact it
    was paid for must be on file (so that no run proposes it again), and its payment is an
    entry of the policy's fund on its real day. Kept in the policy's one imported run."""
    errors: dict[str, str] = {}
    if paid_on > timezone.localdate():
        errors["paid_on"] = _("发放日期不能晚于今天。")
    if paid_on < fact_on:
        errors["paid_on"] = _("发放日期不能早于事项日期。")
    try:
        exact = exact_amount(amount)
    except ValidationError as error:
        errors.update({key: value[0] for key, value in error.message_dict.items()})
    policy = Policy.objects.select_for_update().get(pk=rule.policy_id)
    if policy.status == Policy.Status.DRAFT:
        errors["rule"] = _("政策尚未发布。")
    if errors:
        raise ValidationError(errors)
    fact = next(
        (f for f in facts.facts_of(rule, fact_on, fact_on) if f.person_id == person.pk), None
    )
    if fact is None:
        raise ValidationError(
            {
                "fact_on": _(
                    "未找到%(person)s在%(day)s符合“%(rule)s”的记录（如职称、引进、工作室），请先登记。"
                )
                % {"person": person.name, "day": fact_on, "rule": rule.name}
            }
        )
    if AwardLine.objects.filter(
        rule=rule, person=person, fact_id=fact.id, tranche=tranche
    ).exists():
        raise ValidationError({"person": _("该人员的这一奖励已登记。")})
    run = AwardRun.objects.filter(policy=policy, imported=True).first()
    if run is None:
        run = AwardRun.objects.create(
            policy=policy,
            period_start=fact_on,
            period_end=paid_on,
            status=AwardRun.Status.APPROVED,
            prepared_by=account_of(by),
            imported=True,
        )
    elif fact_on < run.period_start or paid_on > run.period_end:
        run.period_start, run.period_end = (
            min(run.period_start, fact_on),
            max(run.period_end, paid_on),
        )
        run.save(update_fields=["period_start", "period_end"])
    line = AwardLine.objects.create(
        run=run,
        rule=rule,
        person=person,
        institution_id=fact.institution_id,
        fact_id=fact.id,
        fact_on=fact.on,
        fact_label=fact.label[:200],
        fact_url=fact.url,
        tranche=tranche,
        due_on=paid_on,
        amount=exact,
        basis=_("历史数据导入"),
        status=AwardLine.Status.APPROVED,
    )
    fund = _locked(policy.fund)
    check_expense(fund, paid_on, exact, by=by, override_reason="", field="amount")
    Entry.objects.create(
        fund=fund,
        on=paid_on,
        direction=Entry.Direction.EXPENSE,
        kind=rule.paid_as,
        amount=exact,
        summary=f"{rule.name}：{person.name}（{fact.label}）"[:200],
        award=line,
        recorded_by=account_of(by),
    )
    return line
