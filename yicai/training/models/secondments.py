"""Secondments (进修): a doctor spends a period (a year by default) at a host hospital, reports
monthly to a linked leader (挂钩领导) of the same specialty, raises needs, and on return names
the techniques to introduce, which enter the technique registry as planned."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yicai.modelkit import AccountKey, Link, SetNullLink, unique
from yicai.training.models.mentoring import PAST
from yicai.validation import check_period, period_in_order


class SecondmentBatch(models.Model):
    """A group sent out together, e.g. the 12-person 2023 cohort to Fudan-affiliated
    hospitals. The commission (or one institution) organises it."""

    name = models.CharField(_("批次名称"), max_length=100)
    year = models.PositiveIntegerField(_("年度"))
    region = Link("org.Region", _("所属卫健委辖区"), related_name="secondment_batches")
    institution = Link(
        "org.Institution",
        _("组织机构"),
        related_name="secondment_batches",
        null=True,
        help_text=_("由卫健委统一组织时留空。"),
    )
    note = models.CharField(_("说明"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("进修批次")
        verbose_name_plural = _("进修批次")
        ordering = ["-year", "name"]
        constraints = [
            unique(
                "secondment_batch_name_once",
                "region",
                "name",
                message=_("本辖区已有同名的进修批次。"),
            )
        ]

    def __str__(self) -> str:
        return self.name


class Secondment(models.Model):
    """One person's secondment at a host hospital."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("进修中")
        COMPLETED = "completed", _("已结业")
        WITHDRAWN = "withdrawn", _("已中止")

    batch = Link(SecondmentBatch, _("进修批次"), related_name="secondments", null=True)
    person = Link("people.Person", _("进修人员"), related_name="secondments")
    host = Link("org.Institution", _("进修医院"), related_name="secondments_hosted")
    host_department = models.CharField(_("进修科室"), max_length=100)
    start_on = models.DateField(_("开始日期"), validators=PAST[1:])
    end_on = models.DateField(_("结束日期"))
    objectives = models.TextField(_("进修目标"), blank=True)
    linked_leader = Link("people.Person", _("挂钩领导"), related_name="secondments_led", null=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.ACTIVE
    )
    completed_on = models.DateField(_("结业日期"), null=True, blank=True)
    completion_report = models.TextField(_("结业报告"), blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("进修")
        verbose_name_plural = _("进修")
        ordering = ["-start_on", "id"]
        constraints = [
            period_in_order("secondment_dates_in_order"),
            models.CheckConstraint(
                condition=~Q(status="completed") | Q(completed_on__isnull=False),
                name="secondment_completed_has_date",
                violation_error_message=_("结业须填写结业日期。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.host}"

    def clean(self):
        check_period(self, _("结束日期不能早于开始日期。"))


class MonthlyReport(models.Model):
    """What the trainee learned in a month, and the linked leader's comment on it."""

    secondment = models.ForeignKey(
        Secondment, on_delete=models.CASCADE, related_name="reports", verbose_name=_("进修")
    )
    month = models.DateField(_("月份"), help_text=_("该月第一天"))
    content = models.TextField(_("本月学习内容"))
    techniques = models.CharField(_("学习的技术"), max_length=300, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    comment = models.TextField(_("领导批注"), blank=True)
    commented_at = models.DateTimeField(_("批注时间"), null=True, blank=True)
    commented_by = SetNullLink("people.Person", _("批注人"), related_name="+", null=True)
    # An administrator who entered a past report, or the leader's comment on it, on their
    # behalf (empty when the trainee or the leader wrote it in Yicai).
    entered_by = AccountKey(_("月报代录账号"), null=True)
    comment_entered_by = AccountKey(_("批注代录账号"), null=True)

    class Meta:
        verbose_name = _("进修月报")
        verbose_name_plural = _("进修月报")
        ordering = ["-month", "-id"]
        constraints = [
            unique("monthly_report_once", "secondment", "month", message=_("该月的月报已提交。"))
        ]

    def __str__(self) -> str:
        return f"{self.secondment.person} · {self.month:%Y-%m}"


class SecondmentNeed(models.Model):
    """A need the trainee raises (equipment, a course, a host contact) until it is resolved."""

    secondment = models.ForeignKey(
        Secondment, on_delete=models.CASCADE, related_name="needs", verbose_name=_("进修")
    )
    raised_on = models.DateField(_("提出日期"), validators=PAST)
    content = models.CharField(_("需求"), max_length=300)
    resolved_on = models.DateField(_("解决日期"), null=True, blank=True)
    resolution = models.CharField(_("解决情况"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("进修需求")
        verbose_name_plural = _("进修需求")
        ordering = ["resolved_on", "-raised_on", "-id"]
        constraints = [period_in_order("need_dates_in_order", "raised_on", "resolved_on")]

    def __str__(self) -> str:
        return self.content

    def clean(self):
        check_period(self, _("解决日期不能早于提出日期。"), "raised_on", "resolved_on")
