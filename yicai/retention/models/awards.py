"""Award runs (奖励核发): for a policy and a period, the lines of everyone who qualifies, each
with the fact that qualifies it; reviewed, then approved by someone other than the preparer.
A line's natural key (rule, person, fact, tranche) is unique, so no run pays anyone twice."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from yicai.modelkit import AccountKey, Link
from yicai.recruitment.models import OwedBack
from yicai.retention.models.funds import money
from yicai.retention.models.policies import Policy, Rule
from yicai.validation import period_in_order


class AwardRun(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("待审批")
        APPROVED = "approved", _("已审批")

    policy = models.ForeignKey(Policy, models.PROTECT, related_name="runs")
    period_start = models.DateField(_("起始日期"))
    period_end = models.DateField(_("截止日期"))
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.PROPOSED
    )
    prepared_by = AccountKey(_("经办人"), null=True, related_name="+")
    prepared_at = models.DateTimeField(_("生成时间"), auto_now_add=True)
    approved_by = AccountKey(_("审批人"), null=True, related_name="+")
    approved_on = models.DateField(_("审批日期"), null=True, blank=True)
    override_reason = models.CharField(_("超支批准理由"), max_length=200, blank=True)
    # Awards paid before the system, entered from the finance office's books (one per policy).
    imported = models.BooleanField(_("历史数据导入"), default=False)

    class Meta:
        verbose_name = _("奖励核发批次")
        verbose_name_plural = _("奖励核发批次")
        ordering = ["-period_end", "-id"]
        constraints = [period_in_order("award_run_period_in_order", "period_start", "period_end")]

    def __str__(self) -> str:
        return f"{self.policy} {self.period_start}–{self.period_end}"


class AwardLine(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("待审批")
        EXCLUDED = "excluded", _("已剔除")
        APPROVED = "approved", _("已核发")
        REVERSED = "reversed", _("已冲正")
        CANCELLED = "cancelled", _("已取消")

    run = models.ForeignKey(AwardRun, models.PROTECT, related_name="lines")
    rule = models.ForeignKey(Rule, models.PROTECT, related_name="lines")
    person = Link("people.Person", _("人员"), related_name="award_lines")
    # Where the person was when the fact happened: who sees the line.
    institution = Link("org.Institution", _("机构"), related_name="+", null=True)
    # The triggering fact: its kind (the rule's), its record and its day.
    fact_id = models.PositiveBigIntegerField(_("事项记录"))
    fact_on = models.DateField(_("事项日期"))
    fact_label = models.CharField(_("事项"), max_length=200)
    # Where the record behind the fact is (the person's, the introduction's, the studio's,
    # the competition's page), kept with the line so its page links each row without a query.
    fact_url = models.CharField(_("事项链接"), max_length=200, blank=True)
    tranche = models.PositiveSmallIntegerField(_("期次"), default=1)
    due_on = models.DateField(_("应发日期"))
    amount = money(_("金额（元）"))
    # How the amount was found, in words (the value in force on the fact's day, the share).
    basis = models.CharField(_("计算依据"), max_length=200)
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.PROPOSED
    )
    reason = models.CharField(_("剔除或取消原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("奖励明细")
        verbose_name_plural = _("奖励明细")
        ordering = ["run", "person__name_pinyin", "due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "person", "fact_id", "tranche"],
                name="award_line_natural_key",
                violation_error_message=_("该人员的这一奖励已生成。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.rule} {self.tranche}"


class AwardClawback(OwedBack):
    """What someone who left before a rule's commitment ended owes back of its awards."""

    rule = models.ForeignKey(Rule, models.PROTECT, related_name="clawbacks")
    person = Link("people.Person", _("人员"), related_name="award_clawbacks")
    fact_id = models.PositiveBigIntegerField(_("事项记录"))
    # The refund entry once the money is back.
    entry = models.OneToOneField(
        "retention.Entry", models.PROTECT, related_name="clawback", null=True, blank=True
    )

    class Meta:
        verbose_name = _("奖励追回")
        verbose_name_plural = _("奖励追回")
        ordering = ["-left_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "person", "fact_id"], name="award_clawback_once"
            )
        ]
