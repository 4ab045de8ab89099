"""The 八个一 service package for the district's innovation talent (科创人才): a package's
items and how often each falls due, the enrolments (a served talent, the community health
centre or hospital serving them, their guardian doctor and team), the service tasks generated
when due (one per enrolment, item and period: the unique constraint makes generation
idempotent), and green-channel requests with their response deadline."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from yicai.modelkit import AccountKey, Link, unique

SATISFACTION = [MinValueValidator(1), MaxValueValidator(5)]


class ServicePackage(models.Model):
    region = Link("org.Region", _("辖区"), related_name="service_packages")
    name = models.CharField(_("名称"), max_length=100)
    active = models.BooleanField(_("启用"), default=True)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("服务包")
        verbose_name_plural = _("服务包")
        ordering = ["region", "name", "id"]
        constraints = [
            unique("service_package_once", "region", "name", message=_("本辖区已有同名服务包。"))
        ]

    def __str__(self) -> str:
        return self.name


class ServiceItem(models.Model):
    class Recurrence(models.TextChoices):
        ONCE = "once", _("一次")
        MONTHLY = "monthly", _("每月")
        HALF_YEARLY = "half_yearly", _("每半年")
        YEARLY_BIRTHDAY = "yearly_birthday", _("每年生日")
        ON_REQUEST = "on_request", _("按需")

    package = models.ForeignKey(ServicePackage, models.CASCADE, related_name="items")
    name = models.CharField(_("服务项目"), max_length=60)
    recurrence = models.CharField(_("频次"), max_length=16, choices=Recurrence.choices)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    days_to_do = models.PositiveSmallIntegerField(
        _("完成时限（天）"), default=7, validators=[MaxValueValidator(366)]
    )

    class Meta:
        verbose_name = _("服务项目")
        verbose_name_plural = _("服务项目")
        ordering = ["package", "order", "id"]
        constraints = [
            unique("service_item_once", "package", "name", message=_("该服务包已有同名项目。"))
        ]

    def __str__(self) -> str:
        return self.name


class Enrolment(models.Model):
    """A served talent in a package, served by one institution's guardian doctor and team."""

    package = Link(ServicePackage, _("服务包"), related_name="enrolments")
    person = Link("people.Person", _("服务对象"), related_name="care_enrolments")
    employer = models.CharField(_("工作单位"), max_length=100, blank=True)
    talent_kind = models.CharField(_("人才类别"), max_length=60, blank=True)
    enrolled_on = models.DateField(_("入组日期"))
    ended_on = models.DateField(_("退出日期"), null=True, blank=True)
    institution = Link("org.Institution", _("服务机构"), related_name="care_enrolments")
    guardian = Link(
        "people.Person", _("健康守护医生"), related_name="guarded_enrolments", null=True
    )
    team_name = models.CharField(_("服务团队"), max_length=60, blank=True)
    team = models.ManyToManyField(
        "people.Person", verbose_name=_("团队成员"), related_name="care_teams", blank=True
    )
    note = models.TextField(_("备注"), blank=True)
    # The last due day whose tasks were generated (services.care.tasks_generate): the next
    # run looks only after it. The unique constraint on tasks is what keeps each task once.
    generated_through = models.DateField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("服务对象入组")
        verbose_name_plural = _("服务对象入组")
        ordering = ["-enrolled_on", "-id"]
        constraints = [
            unique(
                "enrolment_once",
                "package",
                "person",
                "enrolled_on",
                message=_("该服务对象已于当日入组此服务包。"),
            ),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(ended_on__gte=models.F("enrolled_on")),
                name="enrolment_in_order",
                violation_error_message=_("退出日期不能早于入组日期。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.package}"


class ServiceTask(models.Model):
    """One item due for one enrolment in one period ("2026-03", "2026H1", "2026", "once")."""

    class Channel(models.TextChoices):
        PHONE = "phone", _("电话")
        WECHAT = "wechat", _("微信")
        VISIT = "visit", _("上门")
        CLINIC = "clinic", _("来院")
        OTHER = "other", _("其他")

    enrolment = models.ForeignKey(Enrolment, models.CASCADE, related_name="tasks")
    item = Link(ServiceItem, _("服务项目"), related_name="tasks")
    period = models.CharField(_("周期"), max_length=8)
    # The enrolment's serving institution, kept by the service: scope and the per-institution
    # figures read the task alone.
    institution = Link("org.Institution", _("服务机构"), related_name="+", db_index=False)
    due_on = models.DateField(_("应办日期"))
    deadline = models.DateField(_("完成时限"))
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    channel = models.CharField(_("服务方式"), max_length=8, choices=Channel.choices, blank=True)
    note = models.TextField(_("服务记录"), blank=True)
    done_by = AccountKey(_("记录人"), null=True)
    satisfaction = models.PositiveSmallIntegerField(
        _("满意度"), null=True, blank=True, validators=SATISFACTION
    )

    class Meta:
        verbose_name = _("服务任务")
        verbose_name_plural = _("服务任务")
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "item", "period"], name="service_task_once"
            ),
        ]
        indexes = [
            # What is open, by institution and due day: the reminder's aggregate and the
            # overdue lists read only this (done tasks are most rows after a year).
            models.Index(
                fields=["institution", "due_on"],
                condition=models.Q(done_on__isnull=True),
                name="service_task_open",
            ),
            models.Index(fields=["institution", "due_on"], name="service_task_institution"),
        ]

    def __str__(self) -> str:
        return f"{self.item} {self.period}"


class GreenChannelRequest(models.Model):
    """A request for the green channel to a hospital visit, answered within the SLA."""

    enrolment = models.ForeignKey(Enrolment, models.CASCADE, related_name="green_requests")
    requested_at = models.DateTimeField(_("申请时间"))
    need = models.CharField(_("就医需求"), max_length=200)
    respond_by = models.DateTimeField(_("应答时限"))
    responded_at = models.DateTimeField(_("应答时间"), null=True, blank=True)
    outcome = models.CharField(_("办理结果"), max_length=200, blank=True)
    satisfaction = models.PositiveSmallIntegerField(
        _("满意度"), null=True, blank=True, validators=SATISFACTION
    )
    recorded_by = AccountKey(_("记录人"), null=True)

    class Meta:
        verbose_name = _("就医绿色通道申请")
        verbose_name_plural = _("就医绿色通道申请")
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return self.need

    @property
    def in_time(self) -> bool | None:
        """Answered within the SLA (None: not yet answered)."""
        if self.responded_at is None:
            return None
        return self.responded_at <= self.respond_by
