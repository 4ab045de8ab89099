"""Incentive policies: drafted with their rules, dated amounts and tranches, published once
complete, copied to a new version, repealed. Once published, an amount in force cannot be
changed or taken away, only superseded by a new one from a later day."""

import datetime
import itertools
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yicai.access.models import RequestUser, account_of
from yicai.documents import checked_suffix
from yicai.org.models import Region
from yicai.retention.models import Policy, Rule, RuleAmount, RuleTranche
from yicai.retention.services.funds import exact_amount
from yicai.validation import full_clean_or_raise

POLICY_FIELDS = (
    "title",
    "issuer",
    "document_number",
    "effective_from",
    "effective_to",
    "fund",
    "note",
)
RULE_FIELDS = (
    "name",
    "fact",
    "title_series",
    "title_grade",
    "tier",
    "tag",
    "programme",
    "rank_at_most",
    "schedule",
    "years",
    "paid_as",
    "commitment_months",
    "clawback",
    "order",
)
# What a published policy still lets change: its end, and what is said of it.
PUBLISHED_FIELDS = {"effective_to", "note"}
HUNDRED = Decimal("100")


def _set(record: Any, names: tuple[str, ...], fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(names)
    if unknown:
        raise TypeError(f"not a field here: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(record, name, value.strip() if isinstance(value, str) else value)


def _draft(policy: Policy) -> None:
    if policy.status != Policy.Status.DRAFT:
        raise ValidationError(
            {
                "status": _(
                    "政策已发布，条款和已有标准不能修改；请复制为新版本，或新增以后起算的标准。"
                )
            }
        )


def _document(policy: Policy, document: File[bytes] | None) -> None:
    if document is None:
        return
    errors: dict[str, str] = {}
    suffix = checked_suffix(document, "document", _("政策文件"), errors)
    if errors:
        raise ValidationError(errors)
    policy.document.save(f"policy{suffix}", document, save=False)


@transaction.atomic
def policy_create(
    *, by: RequestUser | None, region: Region, document: File[bytes] | None = None, **fields: Any
) -> Policy:
    policy = Policy(region=region)
    _set(policy, POLICY_FIELDS, fields)
    if policy.fund_id is not None and policy.fund.region_id != region.pk:
        raise ValidationError({"fund": _("所选资金不属于本辖区。")})
    full_clean_or_raise(policy)
    _document(policy, document)
    policy.save()
    return policy


@transaction.atomic
def policy_update(
    *, policy: Policy, by: RequestUser | None, document: File[bytes] | None = None, **fields: Any
) -> Policy:
    policy = Policy.objects.select_for_update().get(pk=policy.pk)
    if policy.status != Policy.Status.DRAFT:
        changed = {name for name, value in fields.items() if getattr(policy, name) != value}
        if changed - PUBLISHED_FIELDS or document is not None:
            _draft(policy)
    _set(policy, POLICY_FIELDS, fields)
    full_clean_or_raise(policy)
    _document(policy, document)
    policy.save()
    return policy


def _rule_problems(rule: Rule) -> dict[str, str]:
    errors: dict[str, str] = {}
    if rule.schedule == Rule.Schedule.YEARLY and not rule.years:
        errors["years"] = _("按年发放须填写发放年数。")
    if rule.schedule != Rule.Schedule.YEARLY and rule.years:
        errors["years"] = _("只有按年发放的条款填写发放年数。")
    if rule.clawback != Rule.Clawback.NONE and not rule.commitment_months:
        errors["commitment_months"] = _("未满服务期须退还的，须填写服务承诺月数。")
    if rule.fact == Rule.Fact.ENTITLEMENT and rule.schedule != Rule.Schedule.ONCE:
        errors["schedule"] = _("引进待遇按协议约定的各期发放，发放方式选“一次性”。")
    if rule.fact == Rule.Fact.COMPETITION and not rule.rank_at_most:
        errors["rank_at_most"] = _("竞赛获奖须填写名次。")
    return errors


@transaction.atomic
def rule_add(
    *,
    policy: Policy,
    by: RequestUser | None,
    amounts: list[tuple[datetime.date, object]] = (),  # type: ignore[assignment]
    tranches: list[tuple[object, int]] = (),  # type: ignore[assignment]
    **fields: Any,
) -> Rule:
    """A rule with its dated amounts [(from, yuan)] and, paid in tranches, [(share %, months
    after the fact)]."""
    _draft(Policy.objects.select_for_update().get(pk=policy.pk))
    rule = Rule(policy=policy)
    _set(rule, RULE_FIELDS, fields)
    errors = _rule_problems(rule)
    if errors:
        raise ValidationError(errors)
    full_clean_or_raise(rule)
    rule.save()
    for day, amount in amounts:
        amount_set(rule=rule, by=by, valid_from=day, amount=amount)
    tranches_set(rule=rule, by=by, tranches=list(tranches))
    return rule


@transaction.atomic
def rule_update(*, rule: Rule, by: RequestUser | None, **fields: Any) -> Rule:
    _draft(Policy.objects.select_for_update().get(pk=rule.policy_id))
    _set(rule, RULE_FIELDS, fields)
    errors = _rule_problems(rule)
    if errors:
        raise ValidationError(errors)
    full_clean_or_raise(rule)
    rule.save()
    return rule


@transaction.atomic
def rule_remove(*, rule: Rule, by: RequestUser | None) -> None:
    _draft(Policy.objects.select_for_update().get(pk=rule.policy_id))
    rule.delete()


@transaction.atomic
def tranches_set(*, rule: Rule, by: RequestUser | None, tranches: list[tuple[object, int]]) -> None:
    """A draft rule's tranches, replaced as a whole: [(share %, months after the fact)]."""
    _draft(Policy.objects.select_for_update().get(pk=rule.policy_id))
    if rule.schedule != Rule.Schedule.TRANCHES:
        if tranches:
            raise ValidationError({"tranches": _("只有分期发放的条款填写分期比例。")})
        return
    rows = []
    for number, (share, months) in enumerate(tranches, start=1):
        try:
            value = Decimal(str(share)).quantize(Decimal("0.01"))
        except ArithmeticError:
            raise ValidationError({"tranches": _("第%d期的比例须是数字。") % number}) from None
        if value <= 0 or int(months) < 0:
            raise ValidationError({"tranches": _("第%d期的比例须大于零、月数不能为负。") % number})
        rows.append(RuleTranche(rule=rule, number=number, share=value, months_after=int(months)))
    if rows and sum(row.share for row in rows) != HUNDRED:
        raise ValidationError({"tranches": _("各期比例之和须为 100%。")})
    if any(b.months_after < a.months_after for a, b in itertools.pairwise(rows)):
        raise ValidationError({"tranches": _("后一期不能早于前一期发放。")})
    rule.tranches.all().delete()
    RuleTranche.objects.bulk_create(rows)


@transaction.atomic
def amount_set(
    *, rule: Rule, by: RequestUser | None, valid_from: datetime.date, amount: object
) -> RuleAmount:
    """The rule's amount from `valid_from` until the next value's start. In a draft, any day
    (a value already on that day is changed); once published, only from a day after every
    value there is and not before today: the past stays as it was."""
    policy = Policy.objects.select_for_update().get(pk=rule.policy_id)
    exact = exact_amount(amount)
    existing = RuleAmount.objects.filter(rule=rule, valid_from=valid_from).first()
    if policy.status != Policy.Status.DRAFT:
        latest = rule.amounts.order_by("-valid_from").values_list("valid_from", flat=True).first()
        if policy.status == Policy.Status.REPEALED:
            raise ValidationError({"valid_from": _("政策已废止。")})
        if (latest is not None and valid_from <= latest) or valid_from < timezone.localdate():
            raise ValidationError(
                {
                    "valid_from": _(
                        "已发布政策的标准只能从今天以后、且晚于现有标准（%s）的日期起调整。"
                    )
                    % (latest or "—")
                }
            )
    if existing is not None:
        existing.amount = exact
        existing.save(update_fields=["amount"])
        return existing
    value = RuleAmount(rule=rule, valid_from=valid_from, amount=exact)
    full_clean_or_raise(value)
    value.save()
    return value


@transaction.atomic
def amount_remove(*, value: RuleAmount, by: RequestUser | None) -> None:
    _draft(Policy.objects.select_for_update().get(pk=value.rule.policy_id))
    value.delete()


def publish_problems(policy: Policy) -> list[str]:
    """What keeps a draft from being published, in words (none: it may be)."""
    problems = []
    rules = list(policy.rules.prefetch_related("amounts", "tranches"))
    if not rules:
        problems.append(_("政策还没有条款。"))
    for rule in rules:
        # An entitlement's tranche is paid at the amount its agreement states.
        if not rule.amounts.all() and rule.fact != Rule.Fact.ENTITLEMENT:
            problems.append(_("条款“%s”还没有金额标准。") % rule.name)
        if rule.schedule == Rule.Schedule.TRANCHES and not rule.tranches.all():
            problems.append(_("条款“%s”是分期发放，还没有分期比例。") % rule.name)
    return problems


@transaction.atomic
def policy_publish(
    *, policy: Policy, by: RequestUser | None, on: datetime.date | None = None
) -> Policy:
    policy = Policy.objects.select_for_update().get(pk=policy.pk)
    _draft(policy)
    problems = publish_problems(policy)
    if problems:
        raise ValidationError({"status": " ".join(problems)})
    policy.status = Policy.Status.PUBLISHED
    policy.published_on = on or timezone.localdate()
    policy.published_by = account_of(by)
    policy.save(update_fields=["status", "published_on", "published_by"])
    return policy


@transaction.atomic
def policy_repeal(*, policy: Policy, by: RequestUser | None, on: datetime.date) -> Policy:
    """A published policy ends on `on` (facts after it no longer qualify)."""
    policy = Policy.objects.select_for_update().get(pk=policy.pk)
    if policy.status != Policy.Status.PUBLISHED:
        raise ValidationError({"status": _("只有已发布的政策可以废止。")})
    if on < policy.effective_from:
        raise ValidationError({"effective_to": _("废止日期不能早于施行日期。")})
    policy.status = Policy.Status.REPEALED
    policy.effective_to = on
    policy.save(update_fields=["status", "effective_to"])
    return policy


@transaction.atomic
def policy_copy(*, policy: Policy, by: RequestUser | None) -> Policy:
    """A new draft version of a policy, its rules, amounts and tranches copied, to change
    and publish in its place."""
    policy = Policy.objects.select_for_update().get(pk=policy.pk)
    if Policy.objects.filter(previous=policy).exists():
        raise ValidationError({"status": _("该政策已有新版本。")})
    copy = Policy.objects.create(
        region_id=policy.region_id,
        title=policy.title,
        issuer=policy.issuer,
        document_number=policy.document_number,
        effective_from=policy.effective_from,
        effective_to=policy.effective_to,
        fund_id=policy.fund_id,
        note=policy.note,
        version=policy.version + 1,
        previous=policy,
    )
    for rule in policy.rules.prefetch_related("amounts", "tranches"):
        amounts, tranches = list(rule.amounts.all()), list(rule.tranches.all())
        rule.pk, rule.policy = None, copy
        rule.save()
        RuleAmount.objects.bulk_create(
            RuleAmount(rule=rule, valid_from=a.valid_from, amount=a.amount) for a in amounts
        )
        RuleTranche.objects.bulk_create(
            RuleTranche(rule=rule, number=t.number, share=t.share, months_after=t.months_after)
            for t in tranches
        )
    return copy
