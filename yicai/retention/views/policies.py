"""Incentive policies (激励政策): the list, the form to draft or change one with its document,
and a policy's page: its rules (the condition in words, the schedule, tranches, commitment and
clawback, the dated amounts), the forms to add a rule or an amount, and the steps from draft
to published, a new version, repealed."""

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yicai.access.models import RequestUser
from yicai.access.scope import has_perm, require
from yicai.documents import download
from yicai.retention.forms.policies import (
    AmountForm,
    PolicyFilterForm,
    PolicyForm,
    RepealForm,
    RuleForm,
)
from yicai.retention.models import Policy, Rule
from yicai.retention.queries import policies as queries
from yicai.retention.queries.regions import commission_region
from yicai.retention.services import policies as services
from yicai.retention.views.funds import MONEY
from yicai.web.forms import initial_from
from yicai.web.listing import Listing, ListPermissions, list_page, may
from yicai.web.views import acted, form_page, page_with_forms

POLICY = "retention.policy"
POLICIES = ListPermissions(view=MONEY, export=MONEY, edit=POLICY)


@login_required
def policy_list(request: HttpRequest) -> HttpResponseBase:
    def extra(_listing: Listing, _filters: Mapping[str, Any]) -> dict[str, Any]:
        return {"can_edit": has_perm(request.user, POLICY)}

    form = PolicyFilterForm(request.GET or None)
    return list_page(request, POLICIES, "retention/policy_list.html", form, _policies, None, extra)


def _policies(user: RequestUser, **filters: Any) -> "QuerySet[Policy]":
    return queries.policy_list(user, **filters).order_by("-effective_from", "-version", "id")


@login_required
def policy_edit(request: HttpRequest, pk: int | None = None) -> HttpResponseBase:
    require(request.user, POLICY)
    policy = queries.policy_for(request.user, pk, POLICY) if pk else None
    initial = initial_from(policy, services.POLICY_FIELDS) if policy else None
    form = PolicyForm(request.user, request.POST or None, request.FILES or None, initial=initial)
    if policy is not None and policy.status != Policy.Status.DRAFT:
        # Published, only its end and what is said of it may change.
        for name in list(form.fields):
            if name not in services.PUBLISHED_FIELDS:
                del form.fields[name]

    def save(values: dict[str, Any]) -> Policy:
        document = values.pop("document", None)
        if policy is not None:
            return services.policy_update(
                policy=policy, by=request.user, document=document, **values
            )
        region = commission_region(request.user, POLICY)
        if region is None:
            raise ValidationError({"fund": _("只有卫健委可以制定激励政策。")})
        return services.policy_create(by=request.user, region=region, document=document, **values)

    return form_page(
        request,
        form,
        "retention/policy_form.html",
        {"policy": policy},
        save=save,
        message=lambda saved: _("已保存激励政策：%s") % saved,
        then=lambda saved: redirect("retention:policy", saved.pk),
        reread=policy,
    )


@login_required
def policy_document(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The policy's document, for those who may see the policy."""
    require(request.user, MONEY)
    policy = queries.policy_for(request.user, pk)
    return download(policy.document, _("激励政策-%s") % policy.pk)


def condition(rule: Rule) -> str:
    """What a rule asks of a fact, in words."""
    details: list[str] = []
    if rule.title_series is not None:
        details.append(rule.title_series.name)
    if rule.title_grade:
        details.append(rule.get_title_grade_display())
    if rule.tier:
        details.append(_("层次或级别：%s") % rule.tier)
    if rule.tag is not None:
        details.append(rule.tag.name)
    if rule.programme_id:
        details.append(str(rule.programme))
    if rule.rank_at_most:
        details.append(_("前 %d 名") % rule.rank_at_most)
    said = rule.get_fact_display()
    return f"{said}（{'，'.join(details)}）" if details else f"{said}（{_('不限')}）"


def _percent(share: Decimal) -> str:
    """40.00 as "40", 33.50 as "33.5"."""
    return f"{share:f}".rstrip("0").rstrip(".") if "." in f"{share:f}" else f"{share:f}"


def payment(rule: Rule) -> str:
    """How a rule pays, in words: once, yearly for so many years, or its tranches."""
    said = rule.get_schedule_display()
    if rule.schedule == Rule.Schedule.YEARLY and rule.years:
        return _("%(how)s，共 %(n)d 年") % {"how": said, "n": rule.years}
    if rule.schedule == Rule.Schedule.TRANCHES:
        parts = [
            _("第%(n)d期 %(share)s%%（事项后第 %(months)d 个月）")
            % {"n": t.number, "share": _percent(t.share), "months": t.months_after}
            for t in rule.tranches.all()
        ]
        return f"{said}：{'；'.join(parts)}" if parts else said
    return said


def commitment(rule: Rule) -> str:
    if not rule.commitment_months:
        return _("无服务承诺")
    return _("服务承诺 %(n)d 个月，未满：%(how)s") % {
        "n": rule.commitment_months,
        "how": rule.get_clawback_display(),
    }


def amounts_table(rule: Rule) -> list[dict[str, Any]]:
    """The rule's dated amounts: from, until (the day before the next one's start; None for
    the last, in force to this day) and the amount."""
    values = list(rule.amounts.all())
    table = []
    for index, value in enumerate(values):
        following = values[index + 1] if index + 1 < len(values) else None
        until = following.valid_from - datetime.timedelta(days=1) if following else None
        table.append({"value": value, "until": until})
    return table


def _policy_context(request: HttpRequest, policy: Policy, **bound: Any) -> dict[str, Any]:
    user = request.user
    can_edit = may(user, POLICY, queries.policies_for, policy.pk)
    draft = policy.status == Policy.Status.DRAFT
    published = policy.status == Policy.Status.PUBLISHED
    rules = [
        {
            "rule": rule,
            "condition": condition(rule),
            "payment": payment(rule),
            "commitment": commitment(rule),
            "amounts": amounts_table(rule),
        }
        for rule in queries.rules_of(policy)
    ]
    has_next = Policy.objects.filter(previous=policy).values_list("pk", flat=True).first()
    return {
        "policy": policy,
        "rules": rules,
        "can_edit": can_edit,
        "draft": draft,
        "published": published,
        "problems": services.publish_problems(policy) if draft and can_edit else [],
        "next_version": has_next,
        "rule_form": bound.get("rule_form") or (RuleForm() if can_edit and draft else None),
        "amounts_open": can_edit and policy.status != Policy.Status.REPEALED,
        "amount_form": bound.get("amount_form"),
        "amount_rule": bound.get("amount_rule"),
        "repeal_form": bound.get("repeal_form")
        or (RepealForm() if can_edit and published else None),
    }


_policy_page = page_with_forms("retention/policy_detail.html", _policy_context)


@login_required
def policy_detail(request: HttpRequest, pk: int) -> HttpResponseBase:
    require(request.user, MONEY)
    return _policy_page(request, queries.policy_for(request.user, pk))


def _amounts_and_tranches(values: dict[str, Any]) -> dict[str, Any]:
    """A rule's fields from the form's values, its amounts and tranches apart."""
    valid_from, amount = values.pop("valid_from", None), values.pop("amount", "")
    values.pop("shares", None)
    values.pop("months", None)
    tranches = values.pop("tranches", [])
    return {
        **values,
        "amounts": [(valid_from, amount)] if valid_from and amount else [],
        "tranches": tranches,
    }


@login_required
@require_POST
def rule_add(request: HttpRequest, pk: int) -> HttpResponseBase:
    require(request.user, POLICY)
    policy = queries.policy_for(request.user, pk, POLICY)
    form = RuleForm(request.POST)

    def save(values: dict[str, Any]) -> Rule:
        try:
            return services.rule_add(
                policy=policy, by=request.user, **_amounts_and_tranches(dict(values))
            )
        except ValidationError as error:
            # The tranches are typed in the shares' box.
            errors = error.message_dict
            if "tranches" in errors:
                errors["shares"] = errors.pop("tranches")
            if "status" in errors:
                errors["__all__"] = errors.pop("status")
            raise ValidationError(errors) from None

    return form_page(
        request,
        form,
        lambda: _policy_page(request, policy, status=400, rule_form=form),
        save=save,
        message=lambda rule: _("已添加条款：%s") % rule.name,
        then=lambda _rule: redirect("retention:policy", policy.pk),
        reread=policy,
    )


@login_required
@require_POST
def rule_remove(request: HttpRequest, pk: int) -> HttpResponseBase:
    require(request.user, POLICY)
    rule = _rule_for(request, pk)
    acted(
        request,
        lambda: services.rule_remove(rule=rule, by=request.user),
        _("已删除条款：%s") % rule,
    )
    return redirect("retention:policy", rule.policy_id)


def _rule_for(request: HttpRequest, pk: int) -> Rule:
    """A rule of a policy the user may draft (404 otherwise)."""
    policy_ids = queries.policies_for(request.user, POLICY).values("pk")
    rule = Rule.objects.filter(pk=pk, policy__in=policy_ids).select_related("policy").first()
    if rule is None:
        raise Http404
    return rule


@login_required
@require_POST
def amount_add(request: HttpRequest, pk: int) -> HttpResponseBase:
    require(request.user, POLICY)
    rule = _rule_for(request, pk)
    form = AmountForm(request.POST)
    return form_page(
        request,
        form,
        lambda: _policy_page(
            request, rule.policy, status=400, amount_form=form, amount_rule=rule.pk
        ),
        save=lambda values: services.amount_set(rule=rule, by=request.user, **values),
        message=lambda value: (
            _("%(rule)s：自 %(day)s 起 %(amount)s 元")
            % {"rule": rule.name, "day": value.valid_from, "amount": value.amount}
        ),
        then=lambda _value: redirect("retention:policy", rule.policy_id),
    )


@login_required
@require_POST
def policy_publish(request: HttpRequest, pk: int) -> HttpResponseBase:
    require(request.user, POLICY)
    policy = queries.policy_for(request.user, pk, POLICY)
    acted(
        request,
        lambda: services.policy_publish(policy=policy, by=request.user),
        _("已发布：%s") % policy,
    )
    return redirect("retention:policy", policy.pk)


@login_required
@require_POST
def policy_copy(request: HttpRequest, pk: int) -> HttpResponseBase:
    require(request.user, POLICY)
    policy = queries.policy_for(request.user, pk, POLICY)
    copies: list[Policy] = []

    def copy() -> Policy:
        copies.append(services.policy_copy(policy=policy, by=request.user))
        return copies[0]

    acted(request, copy, lambda new: _("已复制为新版本：%s") % new)
    return redirect("retention:policy", copies[0].pk if copies else policy.pk)


@login_required
@require_POST
def policy_repeal(request: HttpRequest, pk: int) -> HttpResponseBase:
    require(request.user, POLICY)
    policy = queries.policy_for(request.user, pk, POLICY)
    form = RepealForm(request.POST)

    def page() -> HttpResponse:
        return _policy_page(request, policy, status=400, repeal_form=form)

    return form_page(
        request,
        form,
        page,
        save=lambda values: services.policy_repeal(policy=policy, by=request.user, **values),
        message=lambda repealed: _("已废止：%s") % repealed,
        then=lambda _repealed: redirect("retention:policy", policy.pk),
        reread=policy,
    )
