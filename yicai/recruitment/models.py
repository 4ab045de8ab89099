"""Partner agreements (合作协议): an institution's agreement with another one, such as a
university hospital's trusteeship (托管) of a district hospital or a co-building (共建)
agreement with a university, over a period that may be open-ended."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yicai.modelkit import Link
from yicai.people.validators import not_before_1900, not_in_future
from yicai.validation import period_in_order


class PartnerAgreement(models.Model):
    class Kind(models.TextChoices):
        TRUSTEESHIP = "trusteeship", _("托管")
        CO_BUILDING = "co_building", _("共建")
        SPECIALTY_ALLIANCE = "specialty_alliance", _("专科联盟")
        PAIRED_ASSISTANCE = "paired_assistance", _("对口帮扶")
        COOPERATION = "cooperation", _("合作")

    institution = Link("org.Institution", _("签约机构"), related_name="partner_agreements")
    # A specialty alliance or a co-built discipline is often one department's: its head sees it.
    department = Link("org.Department", _("对口科室"), related_name="partner_agreements", null=True)
    # The partner on file (an institution of relation partner), else its name as text.
    partner = Link(
        "org.Institution", _("合作机构"), related_name="agreements_as_partner", null=True
    )
    partner_name = models.CharField(_("合作方名称"), max_length=100, blank=True)
    kind = models.CharField(_("协议类型"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("协议名称"), max_length=200)
    # Agreements of past years are entered with their real dates.
    signed_on = models.DateField(_("签订日期"), validators=[not_in_future, not_before_1900])
    starts_on = models.DateField(_("起始日期"), validators=[not_before_1900])
    ends_on = models.DateField(_("截止日期"), null=True, blank=True)
    note = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("合作协议")
        verbose_name_plural = _("合作协议")
        ordering = ["-starts_on", "id"]
        constraints = [
            period_in_order("agreement_dates_in_order", "starts_on", "ends_on"),
            models.CheckConstraint(
                condition=Q(partner__isnull=False) | ~Q(partner_name=""),
                name="agreement_partner_given",
                violation_error_message=_("请选择合作机构，或填写未登记机构的名称。"),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def partner_label(self) -> str:
        """The partner as lists and exports name it."""
        return self.partner.name if self.partner is not None else self.partner_name
