"""引 Attract. Partner agreements (合作协议): an institution's agreement with another one, such
as a university hospital's trusteeship (托管) of a district hospital or a co-building (共建)
agreement with a university, over a period that may be open-ended. Recruitment plans (招聘计划):
an institution's posts of a year, approved by the commission before they are published.
Introductions (人才引进): a person brought in, how and as what. Applications (报名) to a
plan's posts, from the eligibility review through the exams, the checks and the public notice
(公示) to a hire."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from yicai.documents import KeptUnder
from yicai.modelkit import AccountKey, CodeKey, Link, unique
from yicai.people.models import SealedNumbers, TitleGrade
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
    terms = models.TextField(_("合作内容"), blank=True)
    # The signed text, scanned (PDF, JPG or PNG), kept under a random name.
    document = models.FileField(
        _("协议文本"), upload_to=KeptUnder("recruitment/agreements"), max_length=200, blank=True
    )
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
    # Leaving (离职、调出) ends what is still to be paid; before the commitment's last day it
    # also proposes the clawbacks the agreement states.
    left_on = models.DateField(_("离开日期"), null=True, blank=True)
    left_reason = models.CharField(_("离开原因"), max_length=200, blank=True)
    document = models.FileField(
        _("引进协议"),
        upload_to=KeptUnder("recruitment/introductions"),
        max_length=200,
        blank=True,
    )
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


SCORE_MESSAGE = _("成绩须在 0–100 之间。")
SCORE_RANGE = [
    MinValueValidator(0, message=SCORE_MESSAGE),
    MaxValueValidator(100, message=SCORE_MESSAGE),
]


class PublicNotice(models.Model):
    """The public notice (公示) of a plan's candidates for hire, over a period in which anyone
    may object; nobody on it is hired before it ends."""

    plan = models.ForeignKey(RecruitmentPlan, models.PROTECT, related_name="notices")
    title = models.CharField(_("公示标题"), max_length=200)
    starts_on = models.DateField(_("公示开始日期"), validators=[not_before_1900])
    ends_on = models.DateField(_("公示截止日期"))
    published_by = AccountKey(_("发布账号"), null=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("拟聘用人员公示")
        verbose_name_plural = _("拟聘用人员公示")
        ordering = ["-starts_on", "id"]
        constraints = [period_in_order("notice_dates_in_order", "starts_on", "ends_on")]

    def __str__(self) -> str:
        return self.title


class Application(SealedNumbers):
    """An application to a post (报名): the applicant's details as on a person profile, the
    eligibility review (资格审查), the exams' scores, then the medical and background checks,
    the public notice (公示) and the hire (聘用); or out at a stage (withdrawn or failed).

    The combined score is derived from the plan's weights (queries.combined_score), never
    stored. The personal details of an applicant not hired are erased after the retention
    period (`yicai recruitment purge`); the row stays, so the counts do."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("待资格审查")
        ELIGIBLE = "eligible", _("资格审查通过")
        INELIGIBLE = "ineligible", _("资格审查未通过")
        MEDICAL = "medical", _("待体检")
        BACKGROUND = "background", _("待考察")
        CLEARED = "cleared", _("待公示")
        NOTICE = "notice", _("公示中")
        HIRED = "hired", _("已聘用")
        WITHDRAWN = "withdrawn", _("已放弃")
        FAILED = "failed", _("未通过")

    class Stage(models.TextChoices):
        """Where an applicant failed or withdrew."""

        ELIGIBILITY = "eligibility", _("资格审查")
        EXAM = "exam", _("考试")
        MEDICAL = "medical", _("体检")
        BACKGROUND = "background", _("考察")
        NOTICE = "notice", _("公示")

    post = models.ForeignKey(Post, models.PROTECT, related_name="applications")
    exam_number = models.CharField(_("准考证号"), max_length=30, blank=True)
    name = models.CharField(_("姓名"), max_length=50)
    sex = CodeKey(_("性别"), "sex", null=True)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    education = CodeKey(_("学历"), "education", null=True)
    degree = CodeKey(_("学位"), "degree", null=True)
    school = models.CharField(_("毕业院校"), max_length=100, blank=True)
    major = models.CharField(_("所学专业"), max_length=100, blank=True)
    title = CodeKey(_("职称"), "title", null=True)
    applied_on = models.DateField(_("报名日期"), validators=[not_in_future, not_before_1900])
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.APPLIED
    )
    # What the automatic review found against the post's rules, one finding a line; kept
    # when an officer decides otherwise, beside the reason they gave.
    eligibility_findings = models.TextField(_("资格审查意见"), blank=True)
    eligibility_decided_by = AccountKey(_("人工审查账号"), null=True)
    eligibility_reason = models.TextField(_("人工审查理由"), blank=True)
    written_score = models.DecimalField(
        _("笔试成绩"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=SCORE_RANGE,
    )
    interview_score = models.DecimalField(
        _("面试成绩"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=SCORE_RANGE,
    )
    # Chosen for the medical check although not next by rank (a tie at the last place
    # settled by an extra test, say): why, as the officer wrote it.
    shortlist_reason = models.TextField(_("递补或并列确定理由"), blank=True)
    stage = models.CharField(_("止步环节"), max_length=20, choices=Stage.choices, blank=True)
    outcome_reason = models.TextField(_("未通过或放弃原因"), blank=True)
    notice = models.ForeignKey(
        PublicNotice, models.PROTECT, related_name="applications", null=True, blank=True
    )
    person = Link("people.Person", _("聘用人员"), related_name="applications", null=True)
    hired_on = models.DateField(_("聘用日期"), null=True, blank=True)
    purged_on = models.DateField(_("个人信息删除日期"), null=True, blank=True)
    note = models.TextField(_("备注"), blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("报名")
        verbose_name_plural = _("报名")
        ordering = ["post", "id"]
        constraints = [
            unique(
                "application_once_per_post",
                "post",
                "id_number_index",
                message=_("该身份证号码已报名本岗位。"),
            ),
            models.UniqueConstraint(
                fields=["post", "exam_number"],
                condition=~Q(exam_number=""),
                name="application_unique_exam_number",
                violation_error_message=_("本岗位已有该准考证号。"),
            ),
            models.CheckConstraint(
                condition=Q(written_score__gte=0, written_score__lte=100)
                | Q(written_score__isnull=True),
                name="application_written_score_range",
                violation_error_message=SCORE_MESSAGE,
            ),
            models.CheckConstraint(
                condition=Q(interview_score__gte=0, interview_score__lte=100)
                | Q(interview_score__isnull=True),
                name="application_interview_score_range",
                violation_error_message=SCORE_MESSAGE,
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Objection(models.Model):
    """An objection raised against a candidate during the public notice (公示期间的反映), and
    how it was settled: found true (查实, the candidate is out) or not."""

    application = models.ForeignKey(Application, models.CASCADE, related_name="objections")
    received_on = models.DateField(_("收到日期"), validators=[not_in_future, not_before_1900])
    content = models.TextField(_("反映内容"))
    resolved_on = models.DateField(_("处理日期"), null=True, blank=True)
    upheld = models.BooleanField(_("反映属实"), null=True, blank=True)
    resolution = models.TextField(_("核查结果"), blank=True)
    resolved_by = AccountKey(_("处理账号"), null=True)

    class Meta:
        verbose_name = _("公示异议")
        verbose_name_plural = _("公示异议")
        ordering = ["received_on", "id"]
        constraints = [period_in_order("objection_dates_in_order", "received_on", "resolved_on")]

    def __str__(self) -> str:
        return f"{self.application} {self.received_on}"


class Entitlement(models.Model):
    """What the policy grants an introduced person (安家补贴, research start-up, housing or
    rent subsidy, salary top-up): an amount paid in tranches, and what the agreement says is
    paid back when they leave before their service commitment ends."""

    class Kind(models.TextChoices):
        SETTLEMENT = "settlement", _("安家补贴")
        RESEARCH = "research", _("科研启动经费")
        HOUSING = "housing", _("住房或租房补贴")
        SALARY = "salary", _("薪酬补助")
        OTHER = "other", _("其他待遇")

    class Repayment(models.TextChoices):
        PRO_RATA = "pro_rata", _("按未服务月数比例退还")
        FULL = "full", _("全额退还")
        NONE = "none", _("不退还")

    introduction = models.ForeignKey(Introduction, models.CASCADE, related_name="entitlements")
    kind = models.CharField(_("待遇项目"), max_length=20, choices=Kind.choices)
    amount = models.DecimalField(
        _("金额（元）"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    repayment = models.CharField(
        _("未满服务期离开时"), max_length=20, choices=Repayment.choices, default=Repayment.PRO_RATA
    )
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("引进待遇")
        verbose_name_plural = _("引进待遇")
        ordering = ["introduction", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="entitlement_amount_positive")
        ]

    def __str__(self) -> str:
        return f"{self.introduction} {self.get_kind_display()}"


class Tranche(models.Model):
    """One instalment of an entitlement (第几期): its amount, when it falls due and on what
    condition (the first-year review passed, say), and its payment once made.

    The payment is recorded here; the funds ledger of 留 will take its entry from it."""

    entitlement = models.ForeignKey(Entitlement, models.CASCADE, related_name="tranches")
    number = models.PositiveSmallIntegerField(_("期次"), validators=[MinValueValidator(1)])
    amount = models.DecimalField(
        _("金额（元）"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    due_on = models.DateField(_("应发日期"), validators=[not_before_1900])
    condition = models.CharField(_("发放条件"), max_length=200, blank=True)
    paid_on = models.DateField(_("发放日期"), null=True, blank=True)
    voucher = models.CharField(_("凭证号"), max_length=60, blank=True)
    paid_by = AccountKey(_("登记发放账号"), null=True)
    # Left unpaid for good: the person left before it fell due, or its condition failed.
    cancelled_on = models.DateField(_("取消日期"), null=True, blank=True)
    cancel_reason = models.CharField(_("取消原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("待遇发放期次")
        verbose_name_plural = _("待遇发放期次")
        ordering = ["entitlement", "number"]
        constraints = [
            unique(
                "tranche_number_once",
                "entitlement",
                "number",
                message=_("该待遇已有这一期。"),
            ),
            models.CheckConstraint(
                condition=Q(paid_on__isnull=True) | Q(cancelled_on__isnull=True),
                name="tranche_paid_or_cancelled",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entitlement} {self.number}"


class OwedBack(models.Model):
    """What someone who left before their commitment ended owes back, as their agreement or
    contract states, computed to the cent: a proposal the commission approves (or waives,
    saying why), never a silent charge. An introduction's clawback and a directed student's
    breach are both such a record."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("待审批")
        APPROVED = "approved", _("已批准")
        WAIVED = "waived", _("已免除")

    left_on = models.DateField(_("离开日期"))
    months_served = models.PositiveSmallIntegerField(_("已服务月数"))
    months_committed = models.PositiveSmallIntegerField(_("承诺服务月数"))
    paid = models.DecimalField(_("已发放金额（元）"), max_digits=12, decimal_places=2)
    amount = models.DecimalField(_("应退还金额（元）"), max_digits=12, decimal_places=2)
    basis = models.CharField(_("计算依据"), max_length=200)
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.PROPOSED
    )
    decided_on = models.DateField(_("审批日期"), null=True, blank=True)
    decided_by = AccountKey(_("审批账号"), null=True)
    reason = models.TextField(_("审批意见"), blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["-left_on", "id"]


class Clawback(OwedBack):
    """An introduced person's clawback of one entitlement."""

    entitlement = models.OneToOneField(Entitlement, models.CASCADE, related_name="clawback_due")

    class Meta(OwedBack.Meta):
        verbose_name = _("待遇退还")
        verbose_name_plural = _("待遇退还")

    def __str__(self) -> str:
        return f"{self.entitlement} {self.amount}"


class DirectedKind(models.Model):
    """A kind of directed-training contract and the years of service it owes by default
    (农村订单定向医学生: 6 years, as national policy has it); the commission edits them as its
    own agreements say, and a contract may differ."""

    code = models.SlugField(_("代码"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=60, unique=True)
    service_years = models.PositiveSmallIntegerField(
        _("服务年限（年）"), validators=[MinValueValidator(1), MaxValueValidator(30)]
    )

    class Meta:
        verbose_name = _("定向培养类型")
        verbose_name_plural = _("定向培养类型")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class DirectedContract(SealedNumbers):
    """A directed student's contract (农村订单定向医学生, 乡村医生定向委托培养): trained at the
    sponsor's cost, then owing years of service at a place, usually a township health centre.
    The student is on file as a person once they graduate."""

    class Status(models.TextChoices):
        STUDYING = "studying", _("在读")
        GRADUATED = "graduated", _("已毕业")
        PLACED = "placed", _("已分配待到岗")
        IN_SERVICE = "in_service", _("履约服务中")
        FULFILLED = "fulfilled", _("已履约")
        BREACHED = "breached", _("违约")

    class Repayment(models.TextChoices):
        FULL = "full", _("全额退还培养费用")
        PRO_RATA = "pro_rata", _("按未服务月数比例退还培养费用")

    kind = models.ForeignKey(DirectedKind, models.PROTECT, related_name="contracts")
    name = models.CharField(_("姓名"), max_length=50)
    sex = CodeKey(_("性别"), "sex", null=True)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    school = models.CharField(_("培养院校"), max_length=100)
    major = models.CharField(_("专业"), max_length=100)
    enrolled_year = models.PositiveIntegerField(
        _("入学年份"), validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    graduation_year = models.PositiveIntegerField(
        _("预计毕业年份"), validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    # The institution that signed for the county (the commission's hospital or its centre),
    # and where the student will serve (usually a township health centre), once known.
    sponsor = Link("org.Institution", _("委托培养单位"), related_name="directed_sponsored")
    service_place = Link(
        "org.Institution", _("服务单位"), related_name="directed_served", null=True
    )
    service_years = models.PositiveSmallIntegerField(
        _("服务年限（年）"), validators=[MinValueValidator(1), MaxValueValidator(30)]
    )
    fees_covered = models.DecimalField(
        _("培养费用（元）"),
        max_digits=12,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("学费、住宿费、生活补助等由财政或单位承担的费用。"),
    )
    repayment = models.CharField(
        _("违约退还"), max_length=20, choices=Repayment.choices, default=Repayment.FULL
    )
    penalty = models.DecimalField(
        _("违约金（元）"),
        max_digits=12,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.STUDYING
    )
    graduated_on = models.DateField(_("毕业日期"), null=True, blank=True)
    service_starts_on = models.DateField(_("到岗日期"), null=True, blank=True)
    left_on = models.DateField(_("离岗日期"), null=True, blank=True)
    left_reason = models.CharField(_("离岗原因"), max_length=200, blank=True)
    person = Link("people.Person", _("人才档案"), related_name="directed_contracts", null=True)
    note = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("定向培养协议")
        verbose_name_plural = _("定向培养协议")
        ordering = ["-enrolled_year", "name", "id"]
        constraints = [
            unique(
                "directed_contract_once",
                "kind",
                "id_number_index",
                message=_("该学生已有同类定向培养协议。"),
            ),
            models.CheckConstraint(
                condition=Q(graduation_year__gte=F("enrolled_year")),
                name="directed_graduation_after_enrolment",
                violation_error_message=_("预计毕业年份不能早于入学年份。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.kind}）"


class Breach(OwedBack):
    """A directed student's breach (违约): leaving the service place before the years owed
    are served; the fees the contract asks back and its penalty."""

    contract = models.OneToOneField(DirectedContract, models.CASCADE, related_name="breach")
    penalty = models.DecimalField(_("违约金（元）"), max_digits=12, decimal_places=2)

    class Meta(OwedBack.Meta):
        verbose_name = _("定向培养违约")
        verbose_name_plural = _("定向培养违约")

    def __str__(self) -> str:
        return f"{self.contract} {self.amount}"


class Referral(models.Model):
    """Who brought whom (引荐): an expert who came and brought colleagues (Changtai's
    urologist brought a hepatobiliary surgeon and a respiratory specialist)."""

    institution = Link("org.Institution", _("受邀单位"), related_name="referrals")
    referrer = Link("people.Person", _("引荐人"), related_name="referrals_made")
    referred = Link("people.Person", _("被引荐人"), related_name="referrals_received")
    referred_on = models.DateField(_("引荐日期"), validators=[not_in_future, not_before_1900])
    note = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("专家引荐")
        verbose_name_plural = _("专家引荐")
        ordering = ["-referred_on", "id"]
        constraints = [
            unique(
                "referral_once",
                "institution",
                "referrer",
                "referred",
                message=_("已登记过这次引荐。"),
            ),
            models.CheckConstraint(
                condition=~Q(referrer=F("referred")),
                name="referral_not_oneself",
                violation_error_message=_("引荐人与被引荐人不能是同一人。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.referrer} → {self.referred}"


class InvitationEvent(models.Model):
    """An invitation of experts at once (Changtai: 26 experts invited to one meeting): who
    was invited, who came, and, on the network page, what followed."""

    institution = Link("org.Institution", _("邀请单位"), related_name="invitation_events")
    title = models.CharField(_("活动名称"), max_length=200)
    held_on = models.DateField(_("举办日期"), validators=[not_in_future, not_before_1900])
    note = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("专家邀请活动")
        verbose_name_plural = _("专家邀请活动")
        ordering = ["-held_on", "id"]
        constraints = [
            unique(
                "invitation_event_once",
                "institution",
                "title",
                "held_on",
                message=_("本单位这一天已有同名的邀请活动。"),
            )
        ]

    def __str__(self) -> str:
        return self.title


class Invitee(models.Model):
    event = models.ForeignKey(InvitationEvent, models.CASCADE, related_name="invitees")
    person = Link("people.Person", _("受邀专家"), related_name="invitations")
    attended = models.BooleanField(_("到场"), default=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("受邀专家")
        verbose_name_plural = _("受邀专家")
        ordering = ["event", "id"]
        constraints = [
            unique("invitee_once", "event", "person", message=_("该专家已在本次邀请名单中。"))
        ]

    def __str__(self) -> str:
        return f"{self.event} {self.person}"
