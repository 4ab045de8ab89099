"""Flexibly introduced teams (柔性引进团队): a medical team of a partner hospital that works
for an institution without moving there ("柔性引进医疗团队 6 个"), with its members."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from yicai.modelkit import Link, unique
from yicai.training.models.mentoring import PAST
from yicai.validation import check_period, period_in_order


class FlexibleTeam(models.Model):
    name = models.CharField(_("团队名称"), max_length=100)
    lead = Link("people.Person", _("团队负责人"), related_name="teams_led")
    source = Link("org.Institution", _("派出医院"), related_name="teams_sent")
    institution = Link("org.Institution", _("引进机构"), related_name="teams_hosted")
    department = Link("org.Department", _("对口科室"), related_name="teams", null=True)
    introduced_on = models.DateField(_("引进日期"), validators=PAST)
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    agreement = models.TextField(_("合作协议要点"), blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("柔性引进团队")
        verbose_name_plural = _("柔性引进团队")
        ordering = ["-introduced_on", "id"]
        constraints = [
            period_in_order("team_dates_in_order", "introduced_on", "ended_on"),
            unique(
                "team_name_once_per_institution",
                "institution",
                "name",
                message=_("本机构已有同名的柔性引进团队。"),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        check_period(self, _("结束日期不能早于引进日期。"), "introduced_on", "ended_on")


class FlexibleTeamMember(models.Model):
    team = models.ForeignKey(FlexibleTeam, on_delete=models.CASCADE, related_name="members")
    person = Link("people.Person", _("成员"), related_name="team_memberships")
    role = models.CharField(_("团队职责"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("团队成员")
        verbose_name_plural = _("团队成员")
        constraints = [
            unique("team_member_once", "team", "person", message=_("该人员已是团队成员。"))
        ]

    def __str__(self) -> str:
        return str(self.person)
