"""Incentive policies as data (人才激励办法): a policy holds rules; a rule is a condition on
recorded facts and an amount with a schedule. Amounts are dated parameters: a value holds from
its start until the next one, and an award takes the value in force on the day of the fact
that triggered it, not the day of the run."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yicai.documents import KeptUnder
from yicai.modelkit import AccountKey, CodeKey, Link, unique
from yicai.people.models import TitleGrade
from yicai.people.validators import not_before_1900
from yicai.retention.models.funds import CENT, money
from yicai.validation import period_in_order


class Policy(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")
        REPEALED = "repealed", _("已废止")

    region = Link("org.Region", _("辖区"), related_name="policies")
    title = models.CharField(_("政策名称"), max_length=200)
    issuer = models.CharField(_("发文单位"), max_length=100)
    document_number = models.CharField(_("文号"), max_length=60, blank=True)
    document = models.FileField(
        _("政策文件"), upload_to=KeptUnder("retention/policies"), max_length=200, blank=True
    )
    effective_from = models.DateField(_("施行日期"), validators=[not_before_1900])
    effective_to = models.DateField(_("失效日期"), null=True, blank=True)
    # What its awards are paid from.
    fund = models.ForeignKey(
        "retention.Fund", models.PROTECT, related_name="policies", verbose_name=_("支出资金")
    )
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    previous = models.OneToOneField(
        "self",
        models.PROTECT,
        related_name="next_version",
        null=True,
        blank=True,
        verbose_name=_("上一版本"),
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    published_on = models.DateField(_("发布日期"), null=True, blank=True)
    published_by = AccountKey(_("发布账号"), null=True, related_name="+")
    note = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("激励政策")
        verbose_name_plural = _("激励政策")
        ordering = ["-effective_from", "-version", "id"]
        constraints = [
            period_in_order("policy_dates_in_order", "effective_from", "effective_to"),
            unique(
                "policy_version_once",
                "region",
                "title",
                "version",
                message=_("该政策已有这一版本。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}（第{self.version}版）" if self.version > 1 else self.title


class Rule(models.Model):
    class Fact(models.TextChoices):
        TITLE = "title", _("职称晋升")
        INTRODUCTION = "introduction", _("人才引进")
        ENTITLEMENT = "entitlement", _("引进待遇分期")
        TAG = "tag", _("人才标签认定")
        PROGRAMME = "programme", _("入选培养计划")
        STUDIO = "studio", _("工作室年度运行")
        COMPETITION = "competition", _("竞赛获奖")
        DISCIPLINE = "discipline", _("学科认定")

    class Schedule(models.TextChoices):
        ONCE = "once", _("一次性")
        YEARLY = "yearly", _("按年发放")
        TRANCHES = "tranches", _("分期发放")

    class Clawback(models.TextChoices):
        NONE = "none", _("不退还")
        PRO_RATA = "pro_rata", _("按未服务月数比例退还")
        FULL = "full", _("全额退还")

    PAID_AS = (("award", _("人才奖励")), ("subsidy", _("经费补助")), ("allowance", _("津贴补贴")))

    policy = models.ForeignKey(Policy, models.CASCADE, related_name="rules")
    name = models.CharField(_("条款名称"), max_length=100)
    fact = models.CharField(_("触发事项"), max_length=16, choices=Fact.choices)
    # The condition, as the fact needs it (blank: any).
    title_series = CodeKey(
        _("职称系列"),
        null=True,
        limit_choices_to={"table__key": "title", "parent__isnull": True},
        related_name="+",
    )
    title_grade = models.CharField(
        _("职称级别"), max_length=24, choices=TitleGrade.choices, blank=True
    )
    tier = models.CharField(_("层次或级别"), max_length=40, blank=True)
    tag = CodeKey(_("人才标签"), "talent_tag", null=True, related_name="+")
    programme = Link("training.Programme", _("培养计划"), null=True, related_name="incentive_rules")
    rank_at_most = models.PositiveSmallIntegerField(
        _("名次不低于"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    schedule = models.CharField(
        _("发放方式"), max_length=12, choices=Schedule.choices, default=Schedule.ONCE
    )
    years = models.PositiveSmallIntegerField(
        _("发放年数"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )
    paid_as = models.CharField(_("支出类别"), max_length=12, choices=PAID_AS, default="award")
    commitment_months = models.PositiveSmallIntegerField(
        _("服务承诺（月）"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    clawback = models.CharField(
        _("未满服务期"), max_length=12, choices=Clawback.choices, default=Clawback.NONE
    )
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("激励条款")
        verbose_name_plural = _("激励条款")
        ordering = ["policy", "order", "id"]
        constraints = [
            unique("rule_name_once", "policy", "name", message=_("该政策已有同名条款。")),
            models.CheckConstraint(
                condition=~Q(schedule="yearly") | Q(years__isnull=False),
                name="rule_yearly_has_years",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class RuleAmount(models.Model):
    """A dated parameter: the amount from `valid_from` until the next value's start."""

    rule = models.ForeignKey(Rule, models.CASCADE, related_name="amounts")
    valid_from = models.DateField(_("起始日期"), validators=[not_before_1900])
    amount = money(_("金额（元）"), validators=[MinValueValidator(CENT)])

    class Meta:
        verbose_name = _("奖励标准")
        verbose_name_plural = _("奖励标准")
        ordering = ["rule", "valid_from"]
        constraints = [
            unique(
                "rule_amount_from_once",
                "rule",
                "valid_from",
                message=_("该条款在这一天已有标准。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.rule} {self.valid_from} {self.amount}"


class RuleTranche(models.Model):
    """One instalment of a rule paid in tranches: its share of the amount and when it falls
    due, in months after the fact (0: at once)."""

    rule = models.ForeignKey(Rule, models.CASCADE, related_name="tranches")
    number = models.PositiveSmallIntegerField(_("期次"), validators=[MinValueValidator(1)])
    share = models.DecimalField(
        _("比例（%）"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
    )
    months_after = models.PositiveSmallIntegerField(_("事项后第几个月发放"), default=0)

    class Meta:
        verbose_name = _("分期比例")
        verbose_name_plural = _("分期比例")
        ordering = ["rule", "number"]
        constraints = [
            unique("rule_tranche_once", "rule", "number", message=_("该条款已有这一期。"))
        ]

    def __str__(self) -> str:
        return f"{self.rule} {self.number}"
