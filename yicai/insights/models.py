"""Home page figures kept for scopes too large to count on every visit; WISN studies of a
department's staffing need (yicai.insights.wisn); workforce planning's dated parameters and
the regions' population (docs/planning.md); the annual report's files made in the background
(yicai.insights.report_jobs)."""

import datetime
import time
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from yicai.documents import KeptUnder
from yicai.evaluation.models import DisciplineFigure, Measure
from yicai.modelkit import CodeKey, Link, unique
from yicai.validation import period_in_order

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class FigureSnapshot(models.Model):
    """The home page figures of one data scope (a commission's district of a million people),
    counted in the background and shown with the time they were counted (insights.queries)."""

    # A hash of the scope's query: users whose roles give the same rows share the figures.
    key = models.CharField(max_length=64, unique=True)
    figures = models.JSONField()
    computed_at = models.DateTimeField(_("统计时间"))
    # When a recount was last asked for, so that visits meanwhile do not ask again.
    requested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("首页统计")
        verbose_name_plural = _("首页统计")

    def __str__(self) -> str:
        return self.key


# --- WISN: workload indicators of staffing need (yicai.insights.wisn) ---------------------


def _days(label: "StrOrPromise") -> models.DecimalField[Decimal, Decimal]:
    return models.DecimalField(
        label, max_digits=5, decimal_places=1, default=Decimal(0), validators=[MinValueValidator(0)]
    )


class WisnStudy(models.Model):
    """A WISN study: the staff of one category (从事专业类别: 执业医师, 注册护士, 检验技师 ...)
    a department needs for a year's workload, against the staff it has; the working time of
    one full-time worker, then its activities and allowances (WisnActivity, WisnAllowance)."""

    institution = Link("org.Institution", _("机构"), related_name="wisn_studies")
    department = Link("org.Department", _("科室"), related_name="wisn_studies")
    staff_category = CodeKey(_("人员类别"), "personnel_category")
    year = models.PositiveIntegerField(
        _("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    days_a_week = models.DecimalField(
        _("每周工作天数"),
        max_digits=3,
        decimal_places=1,
        default=Decimal(5),
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(7)],
    )
    hours_a_day = models.DecimalField(
        _("每日工作小时数"),
        max_digits=4,
        decimal_places=2,
        default=Decimal(8),
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(24)],
    )
    public_holidays = _days(_("法定节假日（天）"))
    annual_leave = _days(_("年休假（天）"))
    sick_leave = _days(_("病假（天）"))
    other_leave = _days(_("其他假（天）"))
    training_days = _days(_("培训及其他缺勤（天）"))
    # Full-time equivalents may be fractions (a part-timer is 0.5).
    current_staff = models.DecimalField(
        _("现有人数"),
        max_digits=7,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )
    note = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("WISN 人员需求测算")
        verbose_name_plural = _("WISN 人员需求测算")
        ordering = ["-year", "institution__name", "department__name", "id"]
        constraints = [
            unique(
                "wisn_study_unique",
                "department",
                "staff_category",
                "year",
                message=_("该科室本年度已有此类人员的测算。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.department} {self.staff_category}"


class WisnActivityQuerySet(models.QuerySet["WisnActivity"]):
    """Each activity with the discipline figure its workload is read from (`fed_workload`,
    `fed_figure_id`: the department's figure of `workload_measure` in the study's year; None
    when the activity is typed in or the figure is not recorded), in the same query: a page of
    studies prefetches its activities and calculates without a query more (docs/wisn.md)."""

    def with_feeds(self) -> "WisnActivityQuerySet":
        figure = DisciplineFigure.objects.filter(
            department=OuterRef("study__department"),
            year=OuterRef("study__year"),
            measure=OuterRef("workload_measure"),
        )
        return self.annotate(
            fed_workload=Subquery(figure.values("value")[:1]),
            fed_figure_id=Subquery(figure.values("pk")[:1]),
        )


class WisnActivityManager(models.Manager["WisnActivity"]):
    def get_queryset(self) -> WisnActivityQuerySet:
        return WisnActivityQuerySet(self.model, using=self._db).with_feeds()


class WisnActivity(models.Model):
    """A health-service activity of a study: its activity standard (minutes a unit) and the
    units done in the year, typed in (`annual_workload`) or read from the department's
    discipline figure of `workload_measure` for the study's year (docs/wisn.md);
    `volume_measure` says in words where a typed workload comes from."""

    study = models.ForeignKey(WisnStudy, models.CASCADE, related_name="activities")
    name = models.CharField(_("卫生服务活动"), max_length=100)
    minutes_per_unit = models.DecimalField(
        _("每单位耗时（分钟）"),
        max_digits=8,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    annual_workload = models.DecimalField(
        _("年工作量"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    volume_measure = models.CharField(_("工作量指标"), max_length=100, null=True, blank=True)
    workload_measure = models.CharField(
        _("年工作量取自学科年度数据"),
        max_length=24,
        choices=Measure.choices,
        blank=True,
        default="",
        help_text=_("选择后，年工作量取本科室测算年度登记的该项学科年度数据。"),
    )

    objects = WisnActivityManager()

    class Meta:
        verbose_name = _("卫生服务活动")
        verbose_name_plural = _("卫生服务活动")
        ordering = ["study", "id"]
        constraints = [
            unique("wisn_activity_unique", "study", "name", message=_("本测算已有同名活动。")),
            models.CheckConstraint(
                condition=Q(minutes_per_unit__gt=0),
                name="wisn_activity_time_positive",
                violation_error_message=_("每单位耗时须大于 0 分钟。"),
            ),
            # Typed in, or read from a discipline figure: one of the two.
            models.CheckConstraint(
                condition=Q(workload_measure="", annual_workload__isnull=False)
                | (~Q(workload_measure="") & Q(annual_workload__isnull=True)),
                name="wisn_activity_workload_source",
                violation_error_message=_(
                    "请填写年工作量，或选择取自学科年度数据的指标（二者选一）。"
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class WisnAllowance(models.Model):
    """A support activity all of the category do (类别补贴: a percentage of the working time,
    or hours a year), or an additional one some do (个人补贴: hours a year, by how many)."""

    class Kind(models.TextChoices):
        CATEGORY = "category", _("类别补贴（全员承担的支持性活动）")
        INDIVIDUAL = "individual", _("个人补贴（部分人员承担的附加活动）")

    study = models.ForeignKey(WisnStudy, models.CASCADE, related_name="allowances")
    kind = models.CharField(_("补贴类型"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("活动名称"), max_length=100)
    percent = models.DecimalField(
        _("占工作时间（%）"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("99.99"))],
    )
    hours_per_year = models.DecimalField(
        _("每人每年小时数"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    staff = models.DecimalField(
        _("承担人数"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
    )

    class Meta:
        verbose_name = _("补贴活动")
        verbose_name_plural = _("补贴活动")
        ordering = ["study", "kind", "id"]
        constraints = [
            unique(
                "wisn_allowance_unique",
                "study",
                "kind",
                "name",
                message=_("本测算已有同名补贴活动。"),
            ),
            # A category allowance is a percentage or hours; an individual one hours by staff.
            models.CheckConstraint(
                condition=(
                    Q(kind="category", staff__isnull=True)
                    & (
                        Q(percent__isnull=False, hours_per_year__isnull=True)
                        | Q(percent__isnull=True, hours_per_year__isnull=False)
                    )
                )
                | Q(
                    kind="individual",
                    percent__isnull=True,
                    hours_per_year__isnull=False,
                    staff__isnull=False,
                ),
                name="wisn_allowance_shape",
                violation_error_message=_(
                    "类别补贴填写百分比或每年小时数之一；个人补贴填写每年小时数和承担人数。"
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name


# --- Workforce planning: dated parameters, population (docs/planning.md) -------------------

FIRST_DAY = datetime.date(1900, 1, 1)


class PlanningParameter(models.Model):
    """A planning figure in force from a day (`valid_from`) until the next one of the same key
    and region: a target per 1,000 population, the doctor:nurse ratio, a statutory retirement
    age and its pace. `region` empty: everywhere; a region's own figure goes before the
    national one (yicai.insights.queries.Parameters). `source` says where the figure comes
    from."""

    class Key(models.TextChoices):
        DOCTOR_DENSITY = "doctor_density", _("每千人口执业（助理）医师数")
        NURSE_DENSITY = "nurse_density", _("每千人口注册护士数")
        NURSES_PER_DOCTOR = "nurses_per_doctor", _("医护比（每名执业（助理）医师对应注册护士数）")
        HEALTH_WORKER_DENSITY = "health_worker_density", _("每千人口医师、护士和助产士数")
        # Staffing norms per bed (床医比, 床护比): applied to a department's open beds.
        DOCTORS_PER_BED = "doctors_per_bed", _("床医比（每张实际开放床位配备执业（助理）医师数）")
        NURSES_PER_BED = "nurses_per_bed", _("床护比（每张实际开放床位配备注册护士数）")
        RETIREMENT_AGE_MALE = "retirement_age_male", _("男职工法定退休年龄（岁）")
        RETIREMENT_AGE_FEMALE_CADRE = (
            "retirement_age_female_cadre",
            _("女职工（原五十五周岁）法定退休年龄（岁）"),
        )
        RETIREMENT_AGE_FEMALE_WORKER = (
            "retirement_age_female_worker",
            _("女职工（原五十周岁）法定退休年龄（岁）"),
        )
        RETIREMENT_STEP_MALE = (
            "retirement_step_male",
            _("男职工退休年龄延迟节奏（每几个月延迟一个月）"),
        )
        RETIREMENT_STEP_FEMALE_CADRE = (
            "retirement_step_female_cadre",
            _("女职工（原五十五周岁）退休年龄延迟节奏（每几个月延迟一个月）"),
        )
        RETIREMENT_STEP_FEMALE_WORKER = (
            "retirement_step_female_worker",
            _("女职工（原五十周岁）退休年龄延迟节奏（每几个月延迟一个月）"),
        )

    key = models.CharField(_("参数"), max_length=40, choices=Key.choices)
    value = models.DecimalField(
        _("数值"), max_digits=8, decimal_places=2, validators=[MinValueValidator(0)]
    )
    valid_from = models.DateField(_("起始日期"))
    region = Link(
        "org.Region",
        _("适用地区"),
        related_name="planning_parameters",
        null=True,
        help_text=_("留空即全国通用；本地区的数值优先于全国通用的数值。"),
    )
    source = models.TextField(_("来源"), help_text=_("文件名称、文号、条款或统计公报。"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("规划参数")
        verbose_name_plural = _("规划参数")
        ordering = ["key", "region__code", "-valid_from", "id"]
        constraints = [
            unique(
                "planning_parameter_unique",
                "key",
                "region",
                "valid_from",
                message=_("该地区的这一参数在此起始日期已有数值。"),
            ),
            # NULLs are distinct to a unique index: the national figures need one of their own.
            models.UniqueConstraint(
                fields=["key", "valid_from"],
                condition=Q(region__isnull=True),
                name="planning_parameter_unique_national",
                violation_error_message=_("全国通用的这一参数在此起始日期已有数值。"),
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0),
                name="planning_parameter_value_not_negative",
                violation_error_message=_("数值不能为负数。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_key_display()} {self.value}（{self.valid_from:%Y-%m-%d}）"


class RegionPopulation(models.Model):
    """A region's resident population (常住人口) in a year, as the commission records it:
    the denominator of the figures per 1,000 population."""

    region = Link("org.Region", _("地区"), related_name="populations")
    year = models.PositiveIntegerField(
        _("年度"), validators=[MinValueValidator(1949), MaxValueValidator(2100)]
    )
    population = models.PositiveIntegerField(
        _("常住人口（人）"), validators=[MinValueValidator(1), MaxValueValidator(2_000_000_000)]
    )
    source = models.CharField(_("来源"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("常住人口")
        verbose_name_plural = _("常住人口")
        ordering = ["region__code", "-year", "id"]
        constraints = [
            unique(
                "region_population_unique",
                "region",
                "year",
                message=_("该地区这一年度的常住人口已登记。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.year}"


# --- The annual report's files, made in the background (yicai.insights.report_jobs) --------

# A job asked for or running without a sign of life for this long lost its worker: it may be
# tried again.
REPORT_STALLED_AFTER_SECONDS = 15 * 60


class ReportJob(models.Model):
    """The annual report asked for as a file (PDF or workbook): who asked, of what (their
    commission's region or their institution, as `annual.scope_name` says) and for which
    period; how far the worker is, section by section; the file once made, kept under
    MEDIA_ROOT under a random name, or why it could not be made. Only the user who asked reads
    it, while they still may export reports of that scope."""

    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        XLSX = "xlsx", "Excel"

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("正在生成")
        DONE = "done", _("已完成")
        FAILED = "failed", _("生成失败")

    ACTIVE = (Status.QUEUED, Status.RUNNING)

    requested_by = Link(
        settings.AUTH_USER_MODEL, _("申请人"), on_delete=models.CASCADE, related_name="+"
    )
    # What the report is of: a commission's region, or an institution (one of the two).
    region = Link("org.Region", _("辖区"), on_delete=models.CASCADE, null=True, related_name="+")
    institution = Link(
        "org.Institution", _("机构"), on_delete=models.CASCADE, null=True, related_name="+"
    )
    since = models.DateField(_("起始日"))
    until = models.DateField(_("截止日"))
    format = models.CharField(_("格式"), max_length=4, choices=Format.choices)
    title = models.CharField(_("报告标题"), max_length=300)
    # The language of the page it was asked from: the file speaks it too.
    language = models.CharField(max_length=10, default=settings.LANGUAGE_CODE)
    # Tried again after a failure: the attempt running it (an older one changes nothing).
    attempt = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(
        _("状态"), max_length=8, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    progress = models.PositiveSmallIntegerField(
        _("进度（%）"), default=0, validators=[MaxValueValidator(100)]
    )
    # What was done last (a section's title, then the drawing of the file).
    stage = models.CharField(_("当前步骤"), max_length=200, blank=True)
    # The sections made so far, each as {"title": ..., "progress": ...}.
    sections = models.JSONField(default=list, blank=True)
    error = models.TextField(_("错误说明"), blank=True)
    file = models.FileField(upload_to=KeptUnder("reports"), max_length=200, blank=True)
    size = models.PositiveIntegerField(_("文件大小"), default=0)
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    # The last sign of life of the job (each section saves it), to tell a stalled one.
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("报告生成任务")
        verbose_name_plural = _("报告生成任务")
        ordering = ["-created_at", "-id"]
        constraints = [
            period_in_order("report_job_period_in_order", "since", "until"),
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="report_job_progress_at_most_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.get_format_display()}）"

    @property
    def is_active(self) -> bool:
        """Queued or running, and not given up on (the page polls it)."""
        return self.status in self.ACTIVE and not self.is_stalled

    @property
    def is_stalled(self) -> bool:
        """Queued or running without a sign of life for long: its worker died (or none
        runs). The user may try it again."""
        if self.status not in self.ACTIVE:
            return False
        return time.time() - self.updated_at.timestamp() > REPORT_STALLED_AFTER_SECONDS
