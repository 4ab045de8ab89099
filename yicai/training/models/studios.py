"""Expert studios (名医工作室), their members and yearly money."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from yicai.modelkit import Link, unique
from yicai.training.models.mentoring import PAST
from yicai.validation import check_period, period_in_order


class StudioTier(models.TextChoices):
    NATIONAL = "national", _("国家级")
    PROVINCIAL = "provincial", _("省级")
    DISTRICT = "district", _("区级")


class StudioSubsidy(models.Model):
    """The yearly subsidy a studio of each tier receives; the commission sets it (the sources'
    200,000 / 100,000 / 80,000 CNY are the defaults)."""

    tier = models.CharField(_("级别"), max_length=12, choices=StudioTier.choices, unique=True)
    yearly_amount = models.DecimalField(
        _("年度经费补助（元）"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )

    class Meta:
        verbose_name = _("工作室经费标准")
        verbose_name_plural = _("工作室经费标准")
        ordering = ["-yearly_amount"]

    def __str__(self) -> str:
        return f"{self.get_tier_display()} {self.yearly_amount}"


class ExpertStudio(models.Model):
    """A famous doctor's studio (名医工作室) hosted by an institution."""

    name = models.CharField(_("工作室名称"), max_length=100)
    lead = Link("people.Person", _("领衔专家"), related_name="studios_led")
    tier = models.CharField(_("级别"), max_length=12, choices=StudioTier.choices)
    institution = Link("org.Institution", _("依托机构"), related_name="studios")
    department = Link("org.Department", _("依托科室"), related_name="studios", null=True)
    founded_on = models.DateField(_("成立日期"), validators=PAST)
    closed_on = models.DateField(_("撤销日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("名医工作室")
        verbose_name_plural = _("名医工作室")
        ordering = ["-founded_on", "id"]
        constraints = [period_in_order("studio_dates_in_order", "founded_on", "closed_on")]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        check_period(self, _("撤销日期不能早于成立日期。"), "founded_on", "closed_on")


class StudioMember(models.Model):
    studio = models.ForeignKey(ExpertStudio, on_delete=models.CASCADE, related_name="members")
    person = Link("people.Person", _("成员"), related_name="studio_memberships")
    joined_on = models.DateField(_("加入日期"), validators=PAST)

    class Meta:
        verbose_name = _("工作室成员")
        verbose_name_plural = _("工作室成员")
        constraints = [
            unique("studio_member_once", "studio", "person", message=_("该人员已是工作室成员。"))
        ]

    def __str__(self) -> str:
        return str(self.person)


class StudioFunding(models.Model):
    """Money a studio received for a year (经费台账 entries for studios)."""

    studio = models.ForeignKey(ExpertStudio, on_delete=models.CASCADE, related_name="fundings")
    year = models.PositiveIntegerField(_("年度"))
    amount = models.DecimalField(
        _("金额（元）"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("工作室经费")
        verbose_name_plural = _("工作室经费")
        ordering = ["-year"]
        constraints = [
            unique(
                "studio_funding_once_a_year",
                "studio",
                "year",
                message=_("该工作室本年度经费已登记。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.studio} {self.year}"
