"""Cultivation programmes (培养计划): the commission's 头雁 / 英才 / 育才 plans as data, their
cohorts (期/批), selection rounds with the institutions' nominations and the reviewers' scores,
and the members with their yearly goals, annual reviews and completion (结业).

Who is in the talent pool (英才库) and whether a member has the mentors the programme asks for
are derived (see queries), never typed.
"""

from typing import TYPE_CHECKING

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yicai.modelkit import Link, unique
from yicai.people.models import GRADE_RANK, TitleGrade  # noqa: F401  (re-exported)
from yicai.people.validators import not_before_1900
from yicai.training.models.education import YEARS
from yicai.validation import check_period, period_in_order

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class Programme(models.Model):
    """A cultivation programme a commission runs, e.g. 育才: 25 young doctors for three years,
    each with one mentor in their hospital and one outside."""

    class Kind(models.TextChoices):
        LEAD_GOOSE = "lead_goose", _("头雁计划（管理人才）")
        ELITE = "elite", _("英才计划（学科带头人）")
        RISING = "rising", _("育才计划（青年骨干）")

    region = Link("org.Region", _("所属卫健委辖区"), related_name="programmes")
    name = models.CharField(_("计划名称"), max_length=60)
    kind = models.CharField(_("类别"), max_length=12, choices=Kind.choices)
    duration_years = models.PositiveSmallIntegerField(
        _("培养周期（年）"), validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    quota = models.PositiveIntegerField(
        _("每期名额"), validators=[MinValueValidator(1), MaxValueValidator(1000)]
    )
    description = models.TextField(_("培养目标与内容"), blank=True)
    requires_internal_mentor = models.BooleanField(_("须有院内导师"), default=False)
    requires_external_mentor = models.BooleanField(_("须有院外导师"), default=False)
    min_age = models.PositiveSmallIntegerField(
        _("最低年龄"),
        null=True,
        blank=True,
        validators=[MinValueValidator(18), MaxValueValidator(70)],
    )
    max_age = models.PositiveSmallIntegerField(
        _("最高年龄"),
        null=True,
        blank=True,
        validators=[MinValueValidator(18), MaxValueValidator(70)],
        help_text=_("以该期开始日期计算的周岁。"),
    )
    min_title_grade = models.CharField(
        _("最低职称级别"), max_length=24, choices=TitleGrade.choices, blank=True
    )
    active = models.BooleanField(_("在用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("培养计划")
        verbose_name_plural = _("培养计划")
        ordering = ["region", "id"]
        constraints = [
            unique(
                "programme_name_once", "region", "name", message=_("本辖区已有同名的培养计划。")
            ),
            models.CheckConstraint(
                condition=Q(min_age__isnull=True)
                | Q(max_age__isnull=True)
                | Q(max_age__gte=models.F("min_age")),
                name="programme_ages_in_order",
                violation_error_message=_("最高年龄不能低于最低年龄。"),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def mentor_rule(self) -> "StrOrPromise":
        if self.requires_internal_mentor and self.requires_external_mentor:
            return _("院内、院外导师各一名")
        if self.requires_internal_mentor:
            return _("院内导师一名")
        if self.requires_external_mentor:
            return _("院外导师一名")
        return ""


class Cohort(models.Model):
    """One intake of a programme (e.g. 育才计划 2023 年度第一批)."""

    class Status(models.TextChoices):
        SELECTING = "selecting", _("遴选中")
        RUNNING = "running", _("培养中")
        FINISHED = "finished", _("已结束")

    programme = Link(Programme, _("培养计划"), related_name="cohorts")
    year = models.PositiveIntegerField(_("年度"), validators=YEARS)
    name = models.CharField(_("名称"), max_length=60)
    start_on = models.DateField(_("开始日期"), validators=[not_before_1900])
    end_on = models.DateField(_("结束日期"))
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.SELECTING
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("培养期")
        verbose_name_plural = _("培养期")
        ordering = ["-year", "-start_on", "id"]
        constraints = [
            period_in_order("cohort_dates_in_order"),
            unique(
                "cohort_name_once", "programme", "name", message=_("该培养计划已有同名的一期。")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme.name} · {self.name}"

    def clean(self):
        check_period(self, _("结束日期不能早于开始日期。"))


class SelectionRound(models.Model):
    """A call for nominations to a cohort: open (institutions nominate), reviewing (experts
    score), approved (those chosen become members)."""

    class Status(models.TextChoices):
        OPEN = "open", _("征集提名中")
        REVIEWING = "reviewing", _("评审中")
        APPROVED = "approved", _("已批准")

    cohort = Link(Cohort, _("培养期"), related_name="rounds")
    name = models.CharField(_("名称"), max_length=60)
    opens_on = models.DateField(_("提名开始日期"), validators=[not_before_1900])
    closes_on = models.DateField(_("提名截止日期"))
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.OPEN)
    approved_on = models.DateField(_("批准日期"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("遴选")
        verbose_name_plural = _("遴选")
        ordering = ["-opens_on", "-id"]
        constraints = [
            period_in_order("round_dates_in_order", "opens_on", "closes_on"),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(approved_on__isnull=False),
                name="round_approved_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cohort} · {self.name}"

    def clean(self):
        check_period(self, _("截止日期不能早于开始日期。"), "opens_on", "closes_on")


class Nomination(models.Model):
    """An institution puts one of its staff forward in a round."""

    class Status(models.TextChoices):
        NOMINATED = "nominated", _("已提名")
        APPROVED = "approved", _("入选")
        REJECTED = "rejected", _("未入选")

    round = models.ForeignKey(
        SelectionRound, on_delete=models.CASCADE, related_name="nominations", verbose_name=_("遴选")
    )
    person = Link("people.Person", _("被提名人"), related_name="nominations")
    institution = Link("org.Institution", _("提名机构"), related_name="nominations")
    reason = models.TextField(_("推荐理由"))
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.NOMINATED
    )
    # The days it happened: today when made in Yicai, the real day when a past round is
    # recorded (created_at is when it was typed in).
    nominated_on = models.DateField(_("提名日期"), validators=[not_before_1900])
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("提名时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("提名")
        verbose_name_plural = _("提名")
        ordering = ["round", "institution", "id"]
        constraints = [
            unique(
                "nomination_once_per_round",
                "round",
                "person",
                message=_("该人员已在本次遴选中被提名。"),
            ),
            period_in_order("nomination_dates_in_order", "nominated_on", "decided_on"),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.round}"


class ReviewScore(models.Model):
    """One reviewer's score (0–100) of a nomination; reviewers are often outside experts
    without an account, so their name is what counts."""

    nomination = models.ForeignKey(
        Nomination, on_delete=models.CASCADE, related_name="scores", verbose_name=_("提名")
    )
    reviewer_name = models.CharField(_("评审专家"), max_length=50)
    reviewer = Link(
        "people.Person", _("评审专家（人才档案）"), related_name="review_scores", null=True
    )
    score = models.DecimalField(
        _("评分"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    comment = models.CharField(_("评语"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("评分时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("评审评分")
        verbose_name_plural = _("评审评分")
        ordering = ["nomination", "id"]
        constraints = [
            unique(
                "review_score_once_per_reviewer",
                "nomination",
                "reviewer_name",
                message=_("该评审专家已为此提名评分。"),
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0) & Q(score__lte=100), name="review_score_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer_name} · {self.score}"


class CohortMember(models.Model):
    """A person in a cohort, from entry to completion (结业) or withdrawal."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("培养中")
        COMPLETED = "completed", _("已结业")
        WITHDRAWN = "withdrawn", _("已退出")

    cohort = Link(Cohort, _("培养期"), related_name="members")
    person = Link("people.Person", _("学员"), related_name="cohort_memberships")
    nomination = models.OneToOneField(
        Nomination,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="member",
        verbose_name=_("提名"),
    )
    entered_on = models.DateField(_("入选日期"), validators=[not_before_1900])
    exited_on = models.DateField(_("结业/退出日期"), null=True, blank=True)
    exit_reason = models.CharField(_("退出原因"), max_length=200, blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.ACTIVE
    )
    certificate_number = models.CharField(_("结业证书编号"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("培养对象")
        verbose_name_plural = _("培养对象")
        ordering = ["cohort", "id"]
        constraints = [
            unique("cohort_member_once", "cohort", "person", message=_("该人员已是本期培养对象。")),
            models.UniqueConstraint(
                fields=["certificate_number"],
                condition=~Q(certificate_number=""),
                name="cohort_certificate_number_unique",
            ),
            period_in_order("cohort_member_dates_in_order", "entered_on", "exited_on"),
            models.CheckConstraint(
                condition=Q(status="active") | Q(exited_on__isnull=False),
                name="cohort_member_exit_has_date",
                violation_error_message=_("结业或退出须填写日期。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.cohort}"

    def clean(self):
        check_period(self, _("结业/退出日期不能早于入选日期。"), "entered_on", "exited_on")


class GoalKind(models.TextChoices):
    TITLE = "title", _("职称晋升")
    TECHNIQUE = "technique", _("新技术掌握")
    RESEARCH = "research", _("科研成果")
    TRAINING = "training", _("进修培训")
    OTHER = "other", _("其他")


class MemberGoal(models.Model):
    """A yearly goal in a member's cultivation plan."""

    member = models.ForeignKey(
        CohortMember, on_delete=models.CASCADE, related_name="goals", verbose_name=_("培养对象")
    )
    year = models.PositiveIntegerField(_("年度"), validators=YEARS)
    text = models.CharField(_("目标"), max_length=300)
    target_kind = models.CharField(
        _("目标类别"), max_length=12, choices=GoalKind.choices, blank=True
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("年度培养目标")
        verbose_name_plural = _("年度培养目标")
        ordering = ["member", "year", "id"]

    def __str__(self) -> str:
        return f"{self.year} · {self.text}"


class AnnualReview(models.Model):
    """A member's yearly assessment (年度考核)."""

    class Rating(models.TextChoices):
        EXCELLENT = "excellent", _("优秀")
        QUALIFIED = "qualified", _("合格")
        BASIC = "basic", _("基本合格")
        UNQUALIFIED = "unqualified", _("不合格")

    member = models.ForeignKey(
        CohortMember, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("培养对象")
    )
    year = models.PositiveIntegerField(_("年度"), validators=YEARS)
    rating = models.CharField(_("考核结果"), max_length=12, choices=Rating.choices)
    comments = models.TextField(_("考核意见"), blank=True)
    reviewer = models.CharField(_("考核人"), max_length=50)
    reviewed_on = models.DateField(_("考核日期"), validators=[not_before_1900])
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("年度考核")
        verbose_name_plural = _("年度考核")
        ordering = ["member", "-year"]
        constraints = [
            unique("annual_review_once", "member", "year", message=_("该学员本年度的考核已登记。"))
        ]

    def __str__(self) -> str:
        return f"{self.member.person} · {self.year} · {self.get_rating_display()}"
