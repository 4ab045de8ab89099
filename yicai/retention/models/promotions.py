"""Title-promotion rounds (职称晋升): a region's yearly round of one title series, what each
grade asks of an applicant, and the applications with their eligibility (derived from the
records when applied, kept as it was then) and result. A pass adds the new title to the
person's records, with the application as its source."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from yicai.modelkit import AccountKey, CodeKey, Link, unique
from yicai.people.models import TitleGrade
from yicai.validation import period_in_order

# The grades one is promoted to in a round, and the grade one must hold to apply for each.
GRADE_BELOW = {
    TitleGrade.INTERMEDIATE: TitleGrade.JUNIOR_PRACTITIONER,
    TitleGrade.ASSOCIATE_SENIOR: TitleGrade.INTERMEDIATE,
    TitleGrade.SENIOR: TitleGrade.ASSOCIATE_SENIOR,
}
APPLIED_GRADES = [(grade.value, grade.label) for grade in reversed(list(GRADE_BELOW))]


class PromotionRound(models.Model):
    """A commission's yearly round (评审) of one title series."""

    class Status(models.TextChoices):
        OPEN = "open", _("申报中")
        CLOSED = "closed", _("已出结果")

    region = Link("org.Region", _("辖区"), related_name="promotion_rounds")
    year = models.PositiveIntegerField(
        _("年度"), validators=[MinValueValidator(1990), MaxValueValidator(2999)]
    )
    series = CodeKey(
        _("职称系列"),
        limit_choices_to={"table__key": "title", "parent__isnull": True},
        related_name="+",
    )
    name = models.CharField(_("名称"), max_length=100)
    opens_on = models.DateField(_("申报开始"))
    closes_on = models.DateField(_("申报截止"))
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.OPEN, editable=False
    )
    note = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("职称晋升评审")
        verbose_name_plural = _("职称晋升评审")
        ordering = ["-year", "series__code", "id"]
        constraints = [
            unique(
                "promotion_round_once",
                "region",
                "year",
                "series",
                message=_("本辖区该年度该系列已有评审。"),
            ),
            period_in_order("promotion_round_in_order", "opens_on", "closes_on"),
        ]

    def __str__(self) -> str:
        return self.name


class RoundRequirement(models.Model):
    """What a round asks of those applying for one grade (blank: not asked)."""

    round = models.ForeignKey(PromotionRound, models.CASCADE, related_name="requirements")
    grade = models.CharField(_("申报级别"), max_length=24, choices=APPLIED_GRADES)
    min_years = models.PositiveSmallIntegerField(
        _("现级别最低年限"), null=True, blank=True, validators=[MaxValueValidator(40)]
    )
    min_education = CodeKey(_("最低学历"), "education", null=True)
    min_credits = models.DecimalField(
        _("当年最低继续教育学分"),
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    licence_required = models.BooleanField(_("须持有效执业证书"), default=False)

    class Meta:
        verbose_name = _("申报条件")
        verbose_name_plural = _("申报条件")
        ordering = ["round", "id"]
        constraints = [
            unique(
                "promotion_requirement_once",
                "round",
                "grade",
                message=_("该级别的申报条件已设置。"),
            )
        ]

    def __str__(self) -> str:
        return self.get_grade_display()


class PromotionApplication(models.Model):
    """One person's application in a round, for one grade."""

    class Eligibility(models.TextChoices):
        ELIGIBLE = "eligible", _("符合条件")
        INELIGIBLE = "ineligible", _("不符合条件")
        TO_CHECK = "to_check", _("待人工核对")

    class Result(models.TextChoices):
        PENDING = "pending", _("待评审")
        PASSED = "passed", _("通过")
        FAILED = "failed", _("未通过")
        WITHDRAWN = "withdrawn", _("撤回")

    round = Link(PromotionRound, _("评审"), related_name="applications")
    person = Link("people.Person", _("申报人"), related_name="promotion_applications")
    # The person's institution when they applied.
    institution = Link("org.Institution", _("申报单位"), related_name="promotion_applications")
    grade = models.CharField(_("申报级别"), max_length=24, choices=APPLIED_GRADES)
    title = CodeKey(_("申报职称"), "title", related_name="+")
    applied_on = models.DateField(_("申报日期"))
    # The eligibility as the records showed it when applied: its reasons, one a line.
    eligibility = models.CharField(_("资格"), max_length=12, choices=Eligibility.choices)
    reasons = models.TextField(_("资格说明"), blank=True)
    years_in_grade = models.PositiveSmallIntegerField(_("现级别年限"), null=True, blank=True)
    credits = models.DecimalField(
        _("当年继续教育学分"), max_digits=8, decimal_places=1, null=True, blank=True
    )
    result = models.CharField(
        _("评审结果"), max_length=10, choices=Result.choices, default=Result.PENDING
    )
    result_on = models.DateField(_("结果日期"), null=True, blank=True)
    # The title record a pass added: the round is its source.
    title_record = models.OneToOneField(
        "people.TitleRecord",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="promotion",
        verbose_name=_("取得的职称"),
    )
    recorded_by = AccountKey(_("登记人"), null=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("职称晋升申报")
        verbose_name_plural = _("职称晋升申报")
        ordering = ["round", "id"]
        constraints = [
            unique(
                "promotion_application_once",
                "round",
                "person",
                message=_("该人员已在本轮评审中申报。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.get_grade_display()}"

    @property
    def reason_lines(self) -> list[str]:
        return [line for line in self.reasons.splitlines() if line]
