"""What the retention API's modules share: money in and out, the commission region a new
record belongs to."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

TAG = "retention"
# Who may see money, keep a ledger, draft policies and prepare runs, approve (declarations).
MONEY = "retention.money"
LEDGER = "retention.ledger"
POLICY = "retention.policy"
APPROVE = "retention.approve"


def money_in(label: Any, **kwargs: Any) -> serializers.CharField:
    """An amount in yuan as given (a string, or a number): the service reads it to the fen and
    refuses more decimals, zero or less, or what is not a number, in its own words."""
    return serializers.CharField(
        label=label,
        max_length=20,
        help_text=_('元，最多两位小数，建议以字符串传递（如 "200000.00"）。'),
        **kwargs,
    )


def money_out(**kwargs: Any) -> serializers.DecimalField:
    """A sum in yuan, answered as a string with two decimals."""
    return serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True, **kwargs)


def reason_in(label: Any) -> serializers.CharField:
    """A reason the service asks for: left empty, the service says it is missing (as it does
    to the page)."""
    return serializers.CharField(
        label=label, max_length=200, required=False, allow_blank=True, default=""
    )


def day_in(label: Any) -> serializers.DateField:
    return serializers.DateField(
        label=label, required=False, allow_null=True, help_text=_("不填为今天。")
    )


def override_in(help_text: Any) -> serializers.CharField:
    """An approver's reason for letting an expense overdraw a fund (audited); blank when none
    is needed."""
    return serializers.CharField(
        label=_("超支批准理由"),
        max_length=200,
        required=False,
        allow_blank=True,
        default="",
        help_text=help_text,
    )
