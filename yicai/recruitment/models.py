"""引 Attract. Partner agreements (合作协议): an institution's agreement with another one, such
as a university hospital's trusteeship (托管) of a district hospital or a co-building (共建)
agreement with a university, over a period that may be open-ended. Recruitment plans (招聘计划):
an institution's posts of a year, approved by the commission before they are published.
Introductions (人才引进): a person brought in, how and as what."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from yicai.modelkit import AccountKey, CodeKey, Link, unique
from yicai.people.models import TitleGrade
from yicai.people.validators import not_before_1900, not_in_future
from yicai.validation import period_in_order


class PartnerAgreement(models.Model):
    class Kind(models.TextChoices):
        ALLIANCE = "alliance", _("医联体")
        COUNTY_COMMUNITY = "county_community", _("医共体")
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


class RecruitmentPlan(models.Model):
    """An institution's yearly recruitment plan (招聘计划): its posts, from a draft through the
    commission's approval to publication and close."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("待审批")
        RETURNED = "returned", _("已退回")
        APPROVED = "approved", _("已批准")
        PUBLISHED = "published", _("已发布")
        CLOSED = "closed", _("已结束")

    institution = Link("org.Institution", _("招聘单位"), related_name="recruitment_plans")
    year = models.PositiveIntegerField(
        _("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    title = models.CharField(_("计划名称"), max_length=200)
    # The combined score (笔试 × written + 面试 × interview), in per cent; 40 / 60 is usual.
    written_weight = models.PositiveSmallIntegerField(
        _("笔试成绩占比（%）"), default=40, validators=[MaxValueValidator(100)]
    )
    interview_weight = models.PositiveSmallIntegerField(
        _("面试成绩占比（%）"), default=60, validators=[MaxValueValidator(100)]
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    note = models.TextField(_("说明"), blank=True)
    submitted_on = models.DateField(_("报送日期"), null=True, blank=True)
    decided_on = models.DateField(_("审批日期"), null=True, blank=True)
    decided_by = AccountKey(_("审批账号"), null=True)
    return_reason = models.TextField(_("退回原因"), blank=True)
    published_on = models.DateField(_("发布日期"), null=True, blank=True)
    closed_on = models.DateField(_("结束日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("招聘计划")
        verbose_name_plural = _("招聘计划")
        ordering = ["-year", "institution__name", "id"]
        constraints = [
            unique(
                "plan_unique_title",
                "institution",
                "year",
                "title",
                message=_("该单位本年度已有同名的招聘计划。"),
            ),
            models.CheckConstraint(
                condition=Q(written_weight=100 - F("interview_weight")),
                name="plan_weights_sum_to_100",
                violation_error_message=_("笔试与面试成绩占比之和须为 100%。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.title}"

    @property
    def editable(self) -> bool:
        """Posts and fields change only before the plan is submitted, or once it is returned."""
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)


class Post(models.Model):
    """A post of a plan (招聘岗位): how many places, for whom, and by which procedure."""

    class Procedure(models.TextChoices):
        SIMPLIFIED = "simplified", _("简易程序")
        OPEN = "open", _("公开招聘")

    class Organiser(models.TextChoices):
        INSTITUTION = "institution", _("招聘单位")
        HR_BUREAU = "hr_bureau", _("县（区）人力资源和社会保障局")

    plan = models.ForeignKey(RecruitmentPlan, models.CASCADE, related_name="posts")
    name = models.CharField(_("岗位名称"), max_length=100)
    department = Link("org.Department", _("用人科室"), related_name="recruitment_posts", null=True)
    specialty = models.CharField(_("专业"), max_length=100)
    places = models.PositiveSmallIntegerField(
        _("招聘人数"), validators=[MinValueValidator(1), MaxValueValidator(999)]
    )
    min_education = CodeKey(_("最低学历"), "education", null=True)
    min_degree = CodeKey(_("最低学位"), "degree", null=True)
    title_required = CodeKey(_("职称要求"), "title", null=True)
    max_age = models.PositiveSmallIntegerField(
        _("年龄上限"),
        null=True,
        blank=True,
        validators=[MinValueValidator(18), MaxValueValidator(65)],
    )
    staffing = CodeKey(_("用人方式"), "staffing", null=True)
    procedure = models.CharField(_("招聘程序"), max_length=20, choices=Procedure.choices)
    organiser = models.CharField(
        _("组织实施"), max_length=20, choices=Organiser.choices, default=Organiser.INSTITUTION
    )
    note = models.TextField(_("其他条件"), blank=True)

    class Meta:
        verbose_name = _("招聘岗位")
        verbose_name_plural = _("招聘岗位")
        ordering = ["plan", "id"]
        constraints = [
            unique("post_unique_name", "plan", "name", message=_("本计划已有同名岗位。")),
            models.CheckConstraint(condition=Q(places__gte=1), name="post_places_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class Introduction(models.Model):
    """A person brought in under the commission's policy (人才引进): how (full-time, flexible,
    as a returnee, a 三支一扶 volunteer, a directed graduate), as what (a high-level talent of a
    tier, a shortage specialty, a discipline leader), from where, for how long."""

    class Mode(models.TextChoices):
        FULL_TIME = "full_time", _("全职引进")
        FLEXIBLE = "flexible", _("柔性引进")
        RETURNEE = "returnee", _("人才回引")
        THREE_SUPPORTS = "three_supports", _("三支一扶")
        DIRECTED_GRADUATE = "directed_graduate", _("定向培养毕业生")

    class Category(models.TextChoices):
        HIGH_LEVEL = "high_level", _("高层次人才")
        SHORTAGE = "shortage", _("紧缺专业人才")
        DISCIPLINE_LEADER = "discipline_leader", _("学科带头人")
        OTHER = "other", _("其他急需人才")

    person = Link("people.Person", _("引进人员"), related_name="introductions")
    institution = Link("org.Institution", _("引进单位"), related_name="introductions")
    department = Link("org.Department", _("引进科室"), related_name="introductions", null=True)
    # Introductions of past years are entered with their real dates.
    introduced_on = models.DateField(_("引进日期"), validators=[not_in_future, not_before_1900])
    mode = models.CharField(_("引进方式"), max_length=20, choices=Mode.choices)
    category = models.CharField(_("人才类别"), max_length=20, choices=Category.choices)
    # The local policy's tier (A类, 第二层次 ...), as the policy names it.
    tier = models.CharField(_("层次"), max_length=40, blank=True)
    title_grade = models.CharField(
        _("引进时职称级别"), max_length=24, choices=TitleGrade.choices, blank=True
    )
    previous_employer = models.CharField(_("原工作单位"), max_length=200, blank=True)
    post = models.CharField(_("岗位"), max_length=100, blank=True)
    service_years = models.PositiveSmallIntegerField(
        _("服务期（年）"), null=True, blank=True, validators=[MaxValueValidator(30)]
    )
    note = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("人才引进")
        verbose_name_plural = _("人才引进")
        ordering = ["-introduced_on", "id"]
        constraints = [
            unique(
                "introduction_once_a_day",
                "person",
                "introduced_on",
                message=_("该人员在这一天已有引进记录。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.get_mode_display()}"

    @property
    def senior(self) -> bool:
        """Introduced with a senior or associate senior title (高级职称)."""
        return self.title_grade in (TitleGrade.ASSOCIATE_SENIOR, TitleGrade.SENIOR)
