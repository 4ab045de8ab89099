"""Continuing medical education (继续医学教育) and training quotas (培训指标).

An institution's lectures, difficult-case discussions, technique exchanges and skills
trainings are events; who attended earns the event's credits (Ⅰ类 or Ⅱ类). With the
credits people report from outside activities they make a person's year, which is held
against the commission's yearly requirement: by the national rules (继续医学教育规定（试行）,
2000) at least 25 credits a year, of which Ⅰ类 5–10 and Ⅱ类 15–20, the two classes not
replacing each other.

The commission also sets each institution's yearly quotas for further study (进修), short
courses (短期培训) and degree study (学历教育). What fills them is derived, never typed:
secondments and enrolments starting in the year and not withdrawn (see queries).
"""

from decimal import Decimal
from typing import TypedDict

from django.core.validators import BaseValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yicai.modelkit import Link, unique
from yicai.people.validators import not_before_1900
from yicai.training.models.mentoring import PAST
from yicai.validation import check_period, period_in_order


class _DecimalOptions(TypedDict):
    """A credit figure's field options, shared by the models' DecimalFields."""

    max_digits: int
    decimal_places: int
    validators: list[BaseValidator]


# One activity (项目) grants at most 25 credits by the same rules.
MAX_CREDITS = Decimal("25")
CREDITS: _DecimalOptions = {
    "max_digits": 4,
    "decimal_places": 1,
    "validators": [MinValueValidator(Decimal("0")), MaxValueValidator(MAX_CREDITS)],
}
YEARS = [MinValueValidator(2000), MaxValueValidator(2100)]
# A year's requirement may well exceed what one activity grants.
MAX_REQUIRED = Decimal("100")
REQUIRED: _DecimalOptions = {
    **CREDITS,
    "validators": [MinValueValidator(Decimal("0")), MaxValueValidator(MAX_REQUIRED)],
}


class CreditClass(models.TextChoices):
    CLASS_I = "class_i", _("Ⅰ类学分")
    CLASS_II = "class_ii", _("Ⅱ类学分")


class EducationEvent(models.Model):
    """A continuing-education activity an institution holds (or plans: a future date)."""

    class Kind(models.TextChoices):
        LECTURE = "lecture", _("小讲课")
        CASE_DISCUSSION = "case_discussion", _("疑难病例讨论")
        TECHNIQUE_LECTURE = "technique_lecture", _("技术交流讲座")
        SKILLS_TRAINING = "skills_training", _("技能培训")
        CONFERENCE = "conference", _("学术会议")
        OTHER = "other", _("其他")

    kind = models.CharField(_("形式"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("主题"), max_length=200)
    institution = Link("org.Institution", _("主办机构"), related_name="education_events")
    department = Link("org.Department", _("主办科室"), related_name="education_events", null=True)
    held_on = models.DateField(_("日期"), validators=[not_before_1900])
    speaker = Link("people.Person", _("主讲人"), related_name="education_events_given", null=True)
    speaker_name = models.CharField(
        _("院外主讲人"), max_length=50, blank=True, help_text=_("主讲人不在人才档案中时填写。")
    )
    hours = models.DecimalField(
        _("学时"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("200"))],
    )
    credit_class = models.CharField(_("学分类别"), max_length=10, choices=CreditClass.choices)
    credits = models.DecimalField(_("每人学分"), **CREDITS)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("继续教育活动")
        verbose_name_plural = _("继续教育活动")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["institution", "held_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(credits__gte=0), name="education_event_credits_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(speaker__isnull=True) | Q(speaker_name=""),
                name="education_event_one_speaker",
                violation_error_message=_("主讲人与院外主讲人只能填写一项。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} · {self.held_on}"

    @property
    def speaker_display(self) -> str:
        return self.speaker.name if self.speaker is not None else self.speaker_name


class Attendance(models.Model):
    """One person at one event; their credits are the event's unless set here (a partial
    attendance, say). The class is always the event's."""

    event = Link(EducationEvent, _("继续教育活动"), related_name="attendances")
    person = Link("people.Person", _("参加人员"), related_name="education_attendances")
    credits = models.DecimalField(
        _("授予学分"), null=True, blank=True, help_text=_("留空即按活动学分。"), **CREDITS
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("继续教育签到")
        verbose_name_plural = _("继续教育签到")
        ordering = ["event", "id"]
        constraints = [
            unique(
                "attendance_once_per_event",
                "event",
                "person",
                message=_("该人员已登记参加此活动。"),
            ),
            models.CheckConstraint(
                condition=Q(credits__isnull=True) | Q(credits__gte=0),
                name="attendance_credits_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.event}"

    @property
    def awarded(self) -> Decimal:
        return self.event.credits if self.credits is None else self.credits


class ExternalCredit(models.Model):
    """Credits a person earned outside the institutions' own events (a provincial course, a
    national conference, distance learning), as they report them."""

    person = Link("people.Person", _("人员"), related_name="external_credits")
    earned_on = models.DateField(_("取得日期"), validators=PAST)
    title = models.CharField(_("项目名称"), max_length=200)
    provider = models.CharField(_("举办单位"), max_length=100)
    credit_class = models.CharField(_("学分类别"), max_length=10, choices=CreditClass.choices)
    credits = models.DecimalField(_("学分"), **CREDITS)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("院外学分")
        verbose_name_plural = _("院外学分")
        ordering = ["-earned_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(credits__gt=0), name="external_credit_positive")
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.title}"


class CreditRequirement(models.Model):
    """The credits each person must earn in a year, from `year` until a later row replaces
    it. The commission sets it; the national rules are the default (25 in all, Ⅰ类 at least
    5, Ⅱ类 at least 15)."""

    year = models.PositiveIntegerField(
        _("起始年度"), unique=True, validators=YEARS, help_text=_("自该年度起适用。")
    )
    total = models.DecimalField(_("年度总学分"), **REQUIRED)
    class_i = models.DecimalField(_("其中Ⅰ类学分不少于"), **REQUIRED)
    class_ii = models.DecimalField(_("其中Ⅱ类学分不少于"), **REQUIRED)

    class Meta:
        verbose_name = _("学分要求")
        verbose_name_plural = _("学分要求")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year} · {self.total}"


class TrainingKind(models.TextChoices):
    SECONDMENT = "secondment", _("进修")
    SHORT_COURSE = "short_course", _("短期培训")
    DEGREE = "degree", _("学历教育")


class TrainingQuota(models.Model):
    """How many of an institution's staff the commission expects to send to a kind of
    training in a year (泗县: 学历再教育、短期培训、外出进修 指标分别量化)."""

    institution = Link("org.Institution", _("机构"), related_name="training_quotas")
    year = models.PositiveIntegerField(_("年度"), validators=YEARS)
    kind = models.CharField(_("培训类别"), max_length=16, choices=TrainingKind.choices)
    number = models.PositiveIntegerField(_("指标人数"), validators=[MaxValueValidator(10000)])

    class Meta:
        verbose_name = _("培训指标")
        verbose_name_plural = _("培训指标")
        ordering = ["-year", "institution", "kind"]
        constraints = [
            unique(
                "training_quota_once",
                "institution",
                "year",
                "kind",
                message=_("该机构本年度此类指标已设定。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.institution} · {self.year} · {self.get_kind_display()}"


class Enrolment(models.Model):
    """A person's short course or degree study (further study at a hospital is a
    Secondment)."""

    class Kind(models.TextChoices):
        SHORT_COURSE = TrainingKind.SHORT_COURSE.value, TrainingKind.SHORT_COURSE.label
        DEGREE = TrainingKind.DEGREE.value, TrainingKind.DEGREE.label

    class Status(models.TextChoices):
        ENROLLED = "enrolled", _("在读/在训")
        COMPLETED = "completed", _("已结业/毕业")
        WITHDRAWN = "withdrawn", _("已退出")

    person = Link("people.Person", _("人员"), related_name="enrolments")
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices)
    provider = models.CharField(_("培训/就读单位"), max_length=100)
    programme = models.CharField(_("项目/专业"), max_length=100)
    start_on = models.DateField(_("开始日期"), validators=[not_before_1900])
    end_on = models.DateField(_("结束日期"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.ENROLLED
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("学历教育与短期培训")
        verbose_name_plural = _("学历教育与短期培训")
        ordering = ["-start_on", "-id"]
        indexes = [models.Index(fields=["kind", "start_on"])]
        constraints = [
            period_in_order("enrolment_dates_in_order"),
            models.CheckConstraint(
                condition=~Q(status="completed") | Q(end_on__isnull=False),
                name="enrolment_completed_has_end",
                violation_error_message=_("已结业/毕业须填写结束日期。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.programme}"

    def clean(self):
        check_period(self, _("结束日期不能早于开始日期。"))
