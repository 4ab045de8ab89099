"""Assessment schemes (考核方案): a weighted tree of indicators for one cycle and one kind of
subject, "基础任务 + 竞赛激励" as Changtai scores its experts. A leaf is computed from the
records (automatic), scored by a named reviewer (manual), or taken from the scores of the
subjects linked to this one (linked: the apprentices' growth in their mentor's score)."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from yicai.documents import KeptUnder
from yicai.modelkit import AccountKey, Link, SetNullLink, unique
from yicai.people.validators import not_before_1900
from yicai.validation import period_in_order

PERCENT = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]
POSITIVE = [MinValueValidator(Decimal("0.01"))]


class Scheme(models.Model):
    class SubjectType(models.TextChoices):
        EXPERT = "expert", _("专家 / 工作室")
        APPRENTICE = "apprentice", _("徒弟 / 学员")
        MENTORSHIP = "mentorship", _("师带徒关系")
        DEPARTMENT = "department", _("学科 / 科室")
        LEADER = "leader", _("挂钩领导")
        INSTITUTION = "institution", _("医疗机构")

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")

    region = Link("org.Region", _("辖区"), related_name="assessment_schemes")
    name = models.CharField(_("方案名称"), max_length=200)
    cycle_start = models.DateField(_("考核期开始"), validators=[not_before_1900])
    cycle_end = models.DateField(_("考核期结束"))
    subject_type = models.CharField(_("考核对象"), max_length=12, choices=SubjectType.choices)
    # Without it a missing figure counts as 0; with it, the weights of the indicators that
    # have data are scaled up to 100 (Frappe's users ask for missing parts not to count).
    renormalise = models.BooleanField(_("缺少数据的指标不计，其余按权重折算"), default=False)
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    copied_from = models.ForeignKey(
        "self",
        models.SET_NULL,
        related_name="copies",
        null=True,
        blank=True,
        verbose_name=_("复制自"),
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("考核方案")
        verbose_name_plural = _("考核方案")
        ordering = ["-cycle_start", "name", "id"]
        constraints = [period_in_order("scheme_cycle_in_order", "cycle_start", "cycle_end")]

    def __str__(self) -> str:
        return self.name


# What a subject of each type is bound to: the field of `Subject` that names it (a metric
# reads the records of what this field names; a subject is added with it given).
BOUND_TO = {
    Scheme.SubjectType.EXPERT: "person",
    Scheme.SubjectType.APPRENTICE: "person",
    Scheme.SubjectType.LEADER: "person",
    Scheme.SubjectType.MENTORSHIP: "mentorship",
    Scheme.SubjectType.DEPARTMENT: "department",
    Scheme.SubjectType.INSTITUTION: "institution",
}


class Indicator(models.Model):
    class Source(models.TextChoices):
        AUTOMATIC = "automatic", _("自动计算")
        MANUAL = "manual", _("人工评分")
        LINKED = "linked", _("关联得分")

    class Mode(models.TextChoices):
        BASIC = "basic", _("基础任务")
        COMPETITIVE = "competitive", _("竞赛激励")

    scheme = models.ForeignKey(
        Scheme, models.CASCADE, related_name="indicators", verbose_name=_("考核方案")
    )
    parent = models.ForeignKey(
        "self",
        models.CASCADE,
        related_name="children",
        null=True,
        blank=True,
        verbose_name=_("上级指标"),
    )
    name = models.CharField(_("指标名称"), max_length=100)
    # Of its parent's score (or of the total); siblings' weights sum to 100.
    weight = models.DecimalField(_("权重"), max_digits=5, decimal_places=2, validators=PERCENT)
    # Blank on a group of indicators; set on a leaf.
    source = models.CharField(_("计分来源"), max_length=12, choices=Source.choices, blank=True)
    mode = models.CharField(_("计分方式"), max_length=12, choices=Mode.choices, blank=True)
    metric = models.CharField(_("自动指标"), max_length=50, blank=True)
    # A basic task: the figure that completes it; below the pass line (a share of the
    # target) it scores nothing.
    target = models.DecimalField(
        _("目标值"), max_digits=12, decimal_places=2, null=True, blank=True, validators=POSITIVE
    )
    pass_line = models.DecimalField(
        _("及格线（%）"), max_digits=5, decimal_places=2, null=True, blank=True, validators=PERCENT
    )
    # A manual indicator: the reviewer scores from 0 to this.
    scale_max = models.DecimalField(
        _("满分"), max_digits=6, decimal_places=2, null=True, blank=True, validators=POSITIVE
    )
    reviewer = AccountKey(_("评分人"), null=True, related_name="+")
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("考核指标")
        verbose_name_plural = _("考核指标")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class Subject(models.Model):
    """Who or what a scheme scores: a person (an expert, an apprentice, a linked leader), a
    mentorship, a department or an institution."""

    scheme = models.ForeignKey(
        Scheme, models.CASCADE, related_name="subjects", verbose_name=_("考核方案")
    )
    label = models.CharField(_("考核对象"), max_length=100)
    person = Link("people.Person", _("人员"), related_name="assessments", null=True)
    mentorship = SetNullLink(
        "training.Mentorship", _("师带徒关系"), related_name="assessments", null=True
    )
    department = Link("org.Department", _("科室"), related_name="assessments", null=True)
    # The institution it belongs to (its scope), or that is assessed.
    institution = Link("org.Institution", _("机构"), related_name="assessments", null=True)

    class Meta:
        verbose_name = _("考核对象")
        verbose_name_plural = _("考核对象")
        ordering = ["label", "id"]
        constraints = [
            unique(
                "subject_once_a_scheme", "scheme", "label", message=_("该方案中已有同名考核对象。")
            )
        ]

    def __str__(self) -> str:
        return self.label


class SubjectLink(models.Model):
    """A subject's linked indicator takes the score of another subject (of any scheme of the
    cycle), with a weight: the apprentice in the mentor's, the trainee in the leader's."""

    subject = models.ForeignKey(
        Subject, models.CASCADE, related_name="links", verbose_name=_("考核对象")
    )
    indicator = models.ForeignKey(
        Indicator, models.CASCADE, related_name="links", verbose_name=_("关联指标")
    )
    linked = models.ForeignKey(
        Subject, models.CASCADE, related_name="linked_from", verbose_name=_("关联对象")
    )
    weight = models.DecimalField(
        _("权重"), max_digits=5, decimal_places=2, default=Decimal(100), validators=POSITIVE
    )

    class Meta:
        verbose_name = _("关联得分")
        verbose_name_plural = _("关联得分")
        ordering = ["id"]
        constraints = [
            unique(
                "link_once",
                "subject",
                "indicator",
                "linked",
                message=_("已关联该对象。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject} ← {self.linked}"


class ManualScore(models.Model):
    """A reviewer's score of a manual indicator for one subject, with its evidence."""

    subject = models.ForeignKey(
        Subject, models.CASCADE, related_name="manual_scores", verbose_name=_("考核对象")
    )
    indicator = models.ForeignKey(
        Indicator, models.CASCADE, related_name="manual_scores", verbose_name=_("考核指标")
    )
    value = models.DecimalField(_("评分"), max_digits=6, decimal_places=2)
    reviewer = AccountKey(_("评分人"), null=True, related_name="+")
    evidence = models.FileField(
        _("佐证材料"), upload_to=KeptUnder("evaluation/evidence"), max_length=200, blank=True
    )
    note = models.CharField(_("评语"), max_length=300, blank=True)
    given_at = models.DateTimeField(_("评分时间"), auto_now=True)

    class Meta:
        verbose_name = _("人工评分")
        verbose_name_plural = _("人工评分")
        constraints = [
            unique(
                "manual_score_once",
                "subject",
                "indicator",
                message=_("该对象的这项指标已评分。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject} · {self.indicator} · {self.value}"
