"""Funds and their ledger (经费台账): money in (appropriations, donations) and out (awards,
subsidies, allowances, hospitality), in exact yuan and fen. An entry is never changed or
deleted: a mistake is answered by a reversing entry."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yicai.modelkit import AccountKey, Link, unique
from yicai.people.validators import not_before_1900

CENT = Decimal("0.01")


def money(verbose_name: object, **options: object) -> models.DecimalField:
    """An amount in yuan to the fen; never a float."""
    return models.DecimalField(verbose_name, max_digits=14, decimal_places=2, **options)  # type: ignore[arg-type]


class Fund(models.Model):
    """A fund the commission (or an institution) keeps: the district talent fund, the
    public-welfare fund for 师带徒 with its donors, a studio subsidy budget."""

    class Kind(models.TextChoices):
        TALENT = "talent", _("人才发展专项资金")
        WELFARE = "welfare", _("公益基金")
        BUDGET = "budget", _("专项预算")
        OTHER = "other", _("其他")

    region = Link("org.Region", _("辖区"), related_name="funds")
    # None: the commission's own fund; else the institution that keeps it.
    institution = Link("org.Institution", _("管理机构"), related_name="funds", null=True)
    name = models.CharField(_("资金名称"), max_length=100)
    kind = models.CharField(_("资金类型"), max_length=12, choices=Kind.choices)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("资金")
        verbose_name_plural = _("资金")
        ordering = ["name", "id"]
        constraints = [
            unique("fund_name_once", "region", "name", message=_("辖区内已有同名资金。"))
        ]

    def __str__(self) -> str:
        return self.name


class Entry(models.Model):
    """One line of a fund's ledger."""

    class Direction(models.TextChoices):
        INCOME = "income", _("收入")
        EXPENSE = "expense", _("支出")

    class Kind(models.TextChoices):
        APPROPRIATION = "appropriation", _("财政拨款")
        DONATION = "donation", _("社会捐赠")
        REFUND = "refund", _("追回退还")
        AWARD = "award", _("人才奖励")
        SUBSIDY = "subsidy", _("经费补助")
        ALLOWANCE = "allowance", _("津贴补贴")
        HOSPITALITY = "hospitality", _("专家接待")
        OTHER = "other", _("其他")
        REVERSAL = "reversal", _("冲正")

    INCOME_KINDS = (Kind.APPROPRIATION, Kind.DONATION, Kind.REFUND, Kind.OTHER)
    EXPENSE_KINDS = (Kind.AWARD, Kind.SUBSIDY, Kind.ALLOWANCE, Kind.HOSPITALITY, Kind.OTHER)

    fund = models.ForeignKey(Fund, models.PROTECT, related_name="entries")
    # Years of history are entered with their real dates.
    on = models.DateField(_("入账日期"), validators=[not_before_1900])
    direction = models.CharField(_("收支"), max_length=8, choices=Direction.choices)
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices)
    amount = money(_("金额（元）"), validators=[MinValueValidator(CENT)])
    summary = models.CharField(_("摘要"), max_length=200)
    donor = models.CharField(_("捐赠方"), max_length=100, blank=True)
    voucher = models.CharField(_("凭证号"), max_length=60, blank=True)
    # The award line this entry pays (or, reversed, takes back).
    award = models.ForeignKey(
        "retention.AwardLine", models.PROTECT, related_name="entries", null=True, blank=True
    )
    # A reversing entry names the one it reverses; an entry is reversed at most once.
    reverses = models.OneToOneField(
        "self", models.PROTECT, related_name="reversed_by", null=True, blank=True
    )
    # An expense beyond the balance, let through by an approver who said why.
    override_reason = models.CharField(_("超支批准理由"), max_length=200, blank=True)
    overridden_by = AccountKey(_("批准超支账号"), null=True, related_name="+")
    recorded_by = AccountKey(_("登记账号"), null=True, related_name="+")
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("收支记录")
        verbose_name_plural = _("收支记录")
        ordering = ["fund", "on", "id"]
        indexes = [models.Index(fields=["fund", "on"], name="entry_fund_day")]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="entry_amount_positive"),
            models.CheckConstraint(
                condition=~Q(kind="donation") | ~Q(donor=""), name="entry_donation_has_donor"
            ),
            # An award line is paid by one entry (its reversal is another, naming it).
            models.UniqueConstraint(
                fields=["award"],
                condition=Q(award__isnull=False, reverses__isnull=True),
                name="entry_award_paid_once",
                violation_error_message=_("该奖励已入账。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fund} {self.on} {self.get_direction_display()} {self.amount}"

    @property
    def signed(self) -> Decimal:
        return self.amount if self.direction == self.Direction.INCOME else -self.amount
