"""Award runs (/api/v1/retention/award-runs/, /award-lines/, /award-clawbacks/): prepared by
the commission for a published policy and a period, reviewed line by line (excluded with a
reason, included again), approved by a commission officer other than the preparer, which pays
each line by one entry of the policy's fund; clawbacks of those who left early, approved or
waived. The services the award pages use, so the same refusals in the same words."""

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from yicai.api.base import ModelInput, ModelOutput, calling_service_as, get_one
from yicai.api.fields import Ref, pk_field, status_choice, with_labels
from yicai.api.records import RecordViewSet, cursor_pagination
from yicai.api.schema import INSTITUTION_PARAMETER, row_action
from yicai.recruitment.models import OwedBack
from yicai.retention.api.common import APPROVE, MONEY, POLICY, TAG, day_in, override_in, reason_in
from yicai.retention.api.policies import POLICY_OUT_OF_SCOPE, PolicyRef
from yicai.retention.forms.awards import LineFilterForm, RunFilterForm
from yicai.retention.models import AwardClawback, AwardLine, AwardRun
from yicai.retention.queries.awards import (
    clawbacks_for,
    line_list,
    lines_for,
    run_list,
    runs_for,
)
from yicai.retention.queries.funds import ZERO
from yicai.retention.queries.policies import policies_for
from yicai.retention.services import awards as services
from yicai.web.forms import field_of

RUN_STATUS, LINE_STATUS, CLAWBACK_STATUS = "run_status", "line_status", "clawback_status"


class RunTotal(serializers.DecimalField):
    """What a run pays (or paid): its lines proposed or approved, summed by the list's query."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            max_digits=16,
            decimal_places=2,
            read_only=True,
            help_text=_("核发总额（元）：待审批和已核发的明细之和"),
            **kwargs,
        )

    def get_attribute(self, instance: Any) -> Decimal:
        return instance.total if instance.total is not None else ZERO


class RunOut(ModelOutput):
    policy = PolicyRef(read_only=True)
    run_status = status_choice(AwardRun.Status.choices, read_only=True)
    prepared_by = serializers.IntegerField(
        source="prepared_by_id", read_only=True, allow_null=True, help_text=_("经办人账号 id")
    )
    approved_by = serializers.IntegerField(
        source="approved_by_id", read_only=True, allow_null=True, help_text=_("审批人账号 id")
    )
    line_count = serializers.IntegerField(read_only=True, help_text=_("待审批和已核发的明细数"))
    total = RunTotal()

    class Meta:
        model = AwardRun
        fields = (
            "id",
            "policy",
            "period_start",
            "period_end",
            *with_labels([RUN_STATUS], RUN_STATUS),
            "prepared_by",
            "prepared_at",
            "approved_by",
            "approved_on",
            "override_reason",
            "line_count",
            "total",
        )


class RunIn(ModelInput):
    """A run of what fell due from `period_start` to `period_end` (not after today) under a
    published policy: only what no run has proposed before."""

    class Meta:
        model = AwardRun
        fields = ("policy", "period_start", "period_end")

    def scope_fields(self, user: Any) -> None:
        self.fields["policy"] = pk_field(policies_for(user, POLICY), POLICY_OUT_OF_SCOPE)


class ApproveIn(serializers.Serializer):
    on = day_in(_("审批日期"))
    override_reason = override_in(_("资金余额不足时填写，仍予核发（记入审计）。"))


@extend_schema(tags=[TAG])
class RunViewSet(RecordViewSet):
    """Award runs (奖励核发) of the region's policies, the commission's: read with
    retention.money, prepared with retention.policy, approved with retention.approve by
    someone other than the preparer (once: a second approval, even at the same moment, is
    refused)."""

    permissions = {"list": MONEY, "retrieve": MONEY, "create": POLICY, "approve": APPROVE}
    pagination_class = cursor_pagination("-period_end", "-id")
    filter_form = RunFilterForm
    list_parameters = [
        OpenApiParameter("policy", int, description=_("激励政策 id")),
        OpenApiParameter("status", str, enum=AwardRun.Status.values),
        OpenApiParameter("since", OpenApiTypes.DATE, description=_("核发期间止于该日或以后")),
        OpenApiParameter("until", OpenApiTypes.DATE, description=_("核发期间始于该日或以前")),
    ]
    output = RunOut
    create_input = RunIn
    create_service = services.award_run_prepare

    def list_rows(self, **filters: Any) -> "QuerySet[AwardRun]":
        return run_list(self.request.user, **filters)

    def service_arguments(self) -> dict[str, Any]:
        return {"by": self.request.user}

    @row_action(ApproveIn, RunOut)
    def approve(self, request: Any, pk: str) -> Response:
        """Approve a proposed run: each line not excluded is paid by one entry of the policy's
        fund on `on`; beyond the fund's balance only with `override_reason`."""
        run = get_one(runs_for(request.user, APPROVE), pk)
        values = self.checked(ApproveIn)
        with calling_service_as():
            services.award_run_approve(run=run, by=request.user, **values)
        return self.answer(self.get_detail(pk))


# --- A run's lines (/award-lines/) --------------------------------------------------------


class LineFilterIn(LineFilterForm):
    """The lines page's filters, and the run whose lines are listed (one whose lines the user
    sees)."""

    run: forms.ModelChoiceField[AwardRun] = forms.ModelChoiceField(
        label=_("核发批次"), queryset=AwardRun.objects.none(), required=False
    )
    field_order = ("run", *LineFilterForm.field_order)  # type: ignore[assignment]

    def prepare(self) -> None:
        super().prepare()
        seen = lines_for(self.user).values("run_id")
        field_of(self, "run", forms.ModelChoiceField).queryset = AwardRun.objects.filter(
            pk__in=seen
        )


class LineOut(ModelOutput):
    run = serializers.IntegerField(source="run_id", read_only=True)
    rule = Ref(read_only=True)
    person = Ref(read_only=True)
    institution = Ref(read_only=True, allow_null=True, help_text=_("事项发生时人员所在机构"))
    line_status = status_choice(AwardLine.Status.choices, read_only=True)

    class Meta:
        model = AwardLine
        fields = (
            "id",
            "run",
            "rule",
            "person",
            "institution",
            "fact_id",
            "fact_on",
            "fact_label",
            "tranche",
            "due_on",
            "amount",
            "basis",
            *with_labels([LINE_STATUS], LINE_STATUS),
            "reason",
        )


class ExcludeIn(serializers.Serializer):
    reason = reason_in(_("剔除理由"))


@extend_schema(tags=[TAG])
class LineViewSet(RecordViewSet):
    """The lines of award runs: the commission sees its region's, an institution the lines of
    its people (where they were when the fact happened); excluded with a reason and included
    again by the commission (retention.policy) while their run waits for approval."""

    permissions = {"list": MONEY, "retrieve": MONEY, "exclude": POLICY, "include": POLICY}
    pagination_class = cursor_pagination("due_on", "id")
    filter_form = LineFilterIn
    list_parameters = [
        OpenApiParameter("run", int, description=_("核发批次 id")),
        OpenApiParameter("q", str, description=_("姓名、条款或事项中的文字")),
        INSTITUTION_PARAMETER,
        OpenApiParameter("status", str, enum=AwardLine.Status.values),
    ]
    output = LineOut

    def list_rows(self, **filters: Any) -> "QuerySet[AwardLine]":
        return line_list(self.request.user, **filters)

    def edit_rows(self) -> "QuerySet[AwardLine]":
        return lines_for(self.request.user, POLICY)

    @row_action(ExcludeIn, LineOut)
    def exclude(self, request: Any, pk: str) -> Response:
        """Leave the line out of its run, saying why (it stays excluded in later runs)."""
        line = self.get_editable(pk)
        values = self.checked(ExcludeIn)
        with calling_service_as():
            services.line_exclude(line=line, by=request.user, **values)
        return self.answer(self.get_detail(pk))

    @row_action(None, LineOut)
    def include(self, request: Any, pk: str) -> Response:
        """Put an excluded line back in its run."""
        line = self.get_editable(pk)
        with calling_service_as():
            services.line_include(line=line, by=request.user)
        return self.answer(self.get_detail(pk))


# --- Clawbacks (/award-clawbacks/) --------------------------------------------------------


class AwardClawbackOut(ModelOutput):
    rule = Ref(read_only=True)
    person = Ref(read_only=True)
    clawback_status = status_choice(OwedBack.Status.choices, read_only=True)
    entry = serializers.IntegerField(
        source="entry_id", read_only=True, allow_null=True, help_text=_("追回入账的收支记录 id")
    )

    class Meta:
        model = AwardClawback
        fields = (
            "id",
            "rule",
            "person",
            "fact_id",
            "left_on",
            "months_served",
            "months_committed",
            "paid",
            "amount",
            "basis",
            *with_labels([CLAWBACK_STATUS], CLAWBACK_STATUS),
            "decided_on",
            "reason",
            "entry",
            "created_at",
        )


class AwardDecisionIn(serializers.Serializer):
    approve = serializers.BooleanField(
        label=_("审批"),
        help_text=_("true：批准追回（计入政策资金的收入）；false：免除（须说明理由）"),
    )
    reason = reason_in(_("意见"))
    on = day_in(_("审批日期"))


@extend_schema(tags=[TAG])
class ClawbackViewSet(RecordViewSet):
    """What those who left before a rule's commitment ended owe back of its awards: the
    commission sees its region's, an institution its people's; approved (then income of the
    policy's fund) or waived by the commission (retention.approve), once."""

    permissions = {"list": MONEY, "retrieve": MONEY, "decide": APPROVE}
    pagination_class = cursor_pagination("-left_on", "id")
    output = AwardClawbackOut

    def list_rows(self, **filters: Any) -> "QuerySet[AwardClawback]":
        return clawbacks_for(self.request.user)

    def edit_rows(self) -> "QuerySet[AwardClawback]":
        return clawbacks_for(self.request.user, APPROVE)

    @row_action(AwardDecisionIn, AwardClawbackOut)
    def decide(self, request: Any, pk: str) -> Response:
        """Approve the clawback, or waive it saying why; once."""
        clawback = self.get_editable(pk)
        values = self.checked(AwardDecisionIn)
        with calling_service_as(decided_on="on"):
            services.award_clawback_decide(clawback=clawback, by=request.user, **values)
        return self.answer(self.get_detail(pk))
