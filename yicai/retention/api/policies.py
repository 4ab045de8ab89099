"""Incentive policies (/api/v1/retention/policies/, /rules/): read by whoever sees money in
the region, each with its rules, their dated amounts and tranches; drafted, published, copied
to a new version and repealed by the commission (retention.policy), through the services the
policy pages use."""

from typing import Any

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.response import Response

from yicai.api.base import ModelInput, ModelOutput, calling_service_as, get_one
from yicai.api.fields import CodeRef, Ref, choice, code_field, pk_field, status_choice, with_labels
from yicai.api.records import RecordViewSet, cursor_pagination
from yicai.api.schema import row_action
from yicai.codes.models import Code
from yicai.retention.api.common import MONEY, POLICY, TAG, day_in, money_in
from yicai.retention.forms.policies import PolicyFilterForm
from yicai.retention.models import Policy, Rule, RuleAmount, RuleTranche
from yicai.retention.queries.policies import (
    funds_to_pay_from,
    policies_for,
    policy_list,
    rules_of,
)
from yicai.retention.services import policies as services
from yicai.training.queries.programmes import programmes_for

POLICY_STATUS = "policy_status"
RULE_FACT, RULE_SCHEDULE, RULE_CLAWBACK = "rule_fact", "rule_schedule", "rule_clawback"
RULE_FIELDS = tuple(
    {"fact": RULE_FACT, "schedule": RULE_SCHEDULE, "clawback": RULE_CLAWBACK}.get(name, name)
    for name in services.RULE_FIELDS
)
FUND_NOT_TO_PAY_FROM = _("所选资金不存在，或不是卫健委自管的资金。")
POLICY_OUT_OF_SCOPE = _("所选政策不存在或不在您的管辖范围内。")
PROGRAMME_OUT_OF_SCOPE = _("所选培养计划不存在或不在您的管辖范围内。")


def _fact(**kwargs: Any) -> serializers.ChoiceField:
    return choice("fact", Rule.Fact.choices, _("触发事项"), **kwargs)


def _schedule(**kwargs: Any) -> serializers.ChoiceField:
    return choice("schedule", Rule.Schedule.choices, _("发放方式"), **kwargs)


# Its choices are an introduction's entitlement's repayment's: described in place, so that the
# schema does not name one set of choices twice.
@extend_schema_field({"type": "string", "enum": Rule.Clawback.values})
class ClawbackChoice(serializers.ChoiceField):
    pass


def _clawback(**kwargs: Any) -> serializers.ChoiceField:
    return ClawbackChoice(Rule.Clawback.choices, source="clawback", label=_("未满服务期"), **kwargs)


class AmountOut(ModelOutput):
    class Meta:
        model = RuleAmount
        fields = ("id", "valid_from", "amount")


class ShareOut(ModelOutput):
    class Meta:
        model = RuleTranche
        fields = ("number", "share", "months_after")


class RuleOut(ModelOutput):
    policy = serializers.IntegerField(source="policy_id", read_only=True)
    rule_fact = _fact(read_only=True)
    rule_schedule = _schedule(read_only=True)
    rule_clawback = _clawback(read_only=True)
    title_series = CodeRef(read_only=True, allow_null=True)
    tag = CodeRef(read_only=True, allow_null=True)
    programme = Ref(read_only=True, allow_null=True)
    amounts = AmountOut(
        many=True, read_only=True, help_text=_("金额标准：各自从起始日期起、到下一标准起始前有效")
    )
    tranches = ShareOut(many=True, read_only=True, help_text=_("分期发放的各期比例与发放月份"))

    class Meta:
        model = Rule
        fields = (
            "id",
            "policy",
            *with_labels(
                RULE_FIELDS, RULE_FACT, "title_grade", RULE_SCHEDULE, "paid_as", RULE_CLAWBACK
            ),
            "amounts",
            "tranches",
        )


class PolicyRef(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    version = serializers.IntegerField(read_only=True)


class PolicyOut(ModelOutput):
    fund = Ref(read_only=True)
    policy_status = status_choice(Policy.Status.choices, read_only=True)
    previous = serializers.IntegerField(
        source="previous_id", read_only=True, allow_null=True, help_text=_("上一版本的 id")
    )
    rule_count = serializers.IntegerField(read_only=True, help_text=_("条款数"))

    class Meta:
        model = Policy
        fields: tuple[str, ...] = (
            "id",
            *services.POLICY_FIELDS,
            "version",
            "previous",
            *with_labels([POLICY_STATUS], POLICY_STATUS),
            "published_on",
            "created_at",
            "rule_count",
        )


class PolicyDetailOut(PolicyOut):
    rules = RuleOut(many=True, read_only=True, source="rules_shown")

    class Meta(PolicyOut.Meta):
        fields = (*PolicyOut.Meta.fields, "rules")


class PolicyIn(ModelInput):
    """A policy of the commission's region, paid from one of the commission's own funds. Once
    published, only its end (effective_to) and note change: a new version is a copy."""

    class Meta:
        model = Policy
        fields = services.POLICY_FIELDS
        validators: list[Any] = []  # the service names a version recorded twice

    def scope_fields(self, user: Any) -> None:
        self.fields["fund"] = pk_field(funds_to_pay_from(user), FUND_NOT_TO_PAY_FROM)


class PublishIn(serializers.Serializer):
    on = day_in(_("发布日期"))


class RepealIn(serializers.Serializer):
    on = serializers.DateField(label=_("废止日期"), help_text=_("此后的事项不再适用本政策。"))


def _rules(policies: "QuerySet[Policy]") -> "QuerySet[Rule]":
    """The rules of `policies` with what a rule shows (its amounts oldest first, tranches)."""
    return (
        Rule.objects.filter(policy__in=policies)
        .select_related("title_series", "tag", "programme")
        .prefetch_related(
            Prefetch("amounts", RuleAmount.objects.order_by("valid_from")), "tranches"
        )
    )


@extend_schema(tags=[TAG])
class PolicyViewSet(RecordViewSet):
    """Incentive policies of the region (人才激励办法), read with retention.money, each with its
    rules; drafted, published, copied and repealed by the commission (retention.policy)."""

    permissions = {
        "list": MONEY,
        "retrieve": MONEY,
        "create": POLICY,
        "partial_update": POLICY,
        "publish": POLICY,
        "copy": POLICY,
        "repeal": POLICY,
    }
    pagination_class = cursor_pagination("-effective_from", "id")
    filter_form = staticmethod(lambda user, query: PolicyFilterForm(query))
    list_parameters = [
        OpenApiParameter("q", str, description=_("政策名称、发文单位或文号中的文字")),
        OpenApiParameter("status", str, enum=Policy.Status.values),
        OpenApiParameter("as_of", OpenApiTypes.DATE, description=_("只看在该日施行的政策")),
    ]
    output = PolicyOut
    detail_output = PolicyDetailOut
    create_input = PolicyIn
    update_service = services.policy_update
    row_keyword = "policy"
    descriptions = {
        "partial_update": "Change a draft; of a published policy, only its end and its note.",
    }

    def list_rows(self, **filters: Any) -> "QuerySet[Policy]":
        return policy_list(self.request.user, **filters)

    def edit_rows(self) -> "QuerySet[Policy]":
        return policies_for(self.request.user, POLICY)

    def detail_data(self, row: Policy) -> Any:
        row.rules_shown = rules_of(row)  # type: ignore[attr-defined]
        return PolicyDetailOut(row).data

    def create_record(self, values: dict[str, Any]) -> Policy:
        # A policy is of its fund's region: the commission's own fund, in the user's scope.
        region = values["fund"].region
        return services.policy_create(by=self.request.user, region=region, **values)

    def change_values(self, values: dict[str, Any]) -> dict[str, Any]:
        return {**values, "by": self.request.user}

    def _editable(self, pk: str) -> Policy:
        return get_one(policies_for(self.request.user, POLICY), pk)

    @row_action(PublishIn, PolicyDetailOut)
    def publish(self, request: Any, pk: str) -> Response:
        """Publish a complete draft (every rule with an amount, tranches where paid so)."""
        policy = self._editable(pk)
        values = self.checked(PublishIn)
        with calling_service_as(published_on="on"):
            services.policy_publish(policy=policy, by=request.user, **values)
        return self.answer(self.get_detail(pk))

    @row_action(None, PolicyDetailOut, 201)
    def copy(self, request: Any, pk: str) -> Response:
        """A new draft version of the policy, its rules, amounts and tranches copied (once a
        version). Answers with the new draft."""
        policy = self._editable(pk)
        with calling_service_as():
            made = services.policy_copy(policy=policy, by=request.user)
        return self.answer(self.get_detail(made.pk), status.HTTP_201_CREATED)

    @row_action(RepealIn, PolicyDetailOut)
    def repeal(self, request: Any, pk: str) -> Response:
        """End a published policy on `on`: facts after it no longer qualify."""
        policy = self._editable(pk)
        values = self.checked(RepealIn)
        with calling_service_as(effective_to="on"):
            services.policy_repeal(policy=policy, by=request.user, **values)
        return self.answer(self.get_detail(pk))


# --- Rules (/rules/) ----------------------------------------------------------------------


class AmountIn(serializers.Serializer):
    valid_from = serializers.DateField(label=_("起始日期"))
    amount = money_in(_("金额（元）"))


class ShareIn(serializers.Serializer):
    share = serializers.DecimalField(
        label=_("比例（%）"), max_digits=5, decimal_places=2, help_text=_("各期之和须为 100。")
    )
    months_after = serializers.IntegerField(
        label=_("事项后第几个月发放"), min_value=0, max_value=600, help_text=_("0：事项当时")
    )


class RuleChangeIn(ModelInput):
    """A draft policy's rule: the fact that triggers it and its condition (a title's series
    and grade, a tier, a talent tag, a programme, a rank), how it is paid and what leaving
    early owes back. `tranches`, given, replace the rule's shares as a whole."""

    rule_fact = _fact()
    rule_schedule = _schedule(required=False)  # once by default
    rule_clawback = _clawback(required=False)  # none by default
    tranches = ShareIn(
        many=True,
        required=False,
        label=_("分期比例"),
        help_text=_("分期发放的各期比例（%）与事项后的发放月份，按期次顺序"),
    )

    class Meta:
        model = Rule
        fields: tuple[str, ...] = (*RULE_FIELDS, "tranches")
        validators: list[Any] = []  # the service names a rule's name used twice

    def scope_fields(self, user: Any) -> None:
        self.fields["title_series"] = code_field(
            Code.objects.filter(table__key="title", parent__isnull=True),
            _("职称系列"),
            optional=True,
        )
        self.fields["tag"] = code_field(
            Code.objects.filter(table__key="talent_tag"), _("人才标签"), optional=True
        )
        self.fields["programme"] = pk_field(
            programmes_for(user), PROGRAMME_OUT_OF_SCOPE, optional=True
        )


class RuleIn(RuleChangeIn):
    """A rule added to a draft policy (the policy's id), with its dated amounts and, paid in
    tranches, its shares."""

    amounts = AmountIn(
        many=True,
        required=False,
        label=_("金额标准"),
        help_text=_("各金额标准及其起始日期；发布前每个条款至少一个"),
    )

    class Meta(RuleChangeIn.Meta):
        fields = ("policy", *RuleChangeIn.Meta.fields, "amounts")

    def scope_fields(self, user: Any) -> None:
        super().scope_fields(user)
        self.fields["policy"] = pk_field(policies_for(user, POLICY), POLICY_OUT_OF_SCOPE)


# The services' names of what the input names otherwise.
RULE_ERRORS = {
    "fact": RULE_FACT,
    "schedule": RULE_SCHEDULE,
    "clawback": RULE_CLAWBACK,
    "valid_from": "amounts",
    "amount": "amounts",
}


def _shares(values: dict[str, Any]) -> list[tuple[Any, int]] | None:
    shares = values.pop("tranches", None)
    return None if shares is None else [(s["share"], s["months_after"]) for s in shares]


@extend_schema(tags=[TAG])
class RuleViewSet(RecordViewSet):
    """A policy's rules: read with retention.money; added, changed and removed while their
    policy is a draft, by the commission (retention.policy); a new amount from a later day is
    set on a published policy's rule too."""

    permissions = {
        "retrieve": MONEY,
        "create": POLICY,
        "partial_update": POLICY,
        "destroy": POLICY,
        "amounts": POLICY,
    }
    output = RuleOut
    create_input = RuleIn
    change_input = RuleChangeIn
    row_keyword = "rule"
    destroy_errors = (400,)
    error_names = RULE_ERRORS
    descriptions = {"destroy": "Remove a rule of a draft policy."}

    def detail_rows(self) -> "QuerySet[Rule]":
        return _rules(policies_for(self.request.user))

    def edit_rows(self) -> "QuerySet[Rule]":
        return _rules(policies_for(self.request.user, POLICY))

    def destroy(self, request: Any, pk: str, **kwargs: Any) -> Response:
        # The service is told who removes the rule, as the page's.
        rule = self.get_editable(pk)
        with calling_service_as():
            services.rule_remove(rule=rule, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def create_record(self, values: dict[str, Any]) -> Rule:
        amounts = [(a["valid_from"], a["amount"]) for a in values.pop("amounts", None) or []]
        shares = _shares(values) or []
        return services.rule_add(by=self.request.user, amounts=amounts, tranches=shares, **values)

    def update_record(self, row: Rule, values: dict[str, Any]) -> Rule:
        shares = _shares(values)
        with transaction.atomic():  # the rule and its shares, together or not at all
            services.rule_update(rule=row, by=self.request.user, **values)
            if shares is not None:
                services.tranches_set(rule=row, by=self.request.user, tranches=shares)
        return row

    @row_action(AmountIn, RuleOut)
    def amounts(self, request: Any, pk: str) -> Response:
        """Set the rule's amount from `valid_from` until the next value's start: in a draft,
        any day (a value on that day is changed); once published, only from a day after every
        value there is and not before today."""
        rule = self.get_editable(pk)
        values = self.checked(AmountIn)
        with calling_service_as():
            services.amount_set(rule=rule, by=request.user, **values)
        return self.answer(self.get_detail(pk))
