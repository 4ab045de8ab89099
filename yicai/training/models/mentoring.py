"""Mentorships (师带徒), the techniques an institution brings in (新技术新项目), and the case
logs that show who can do what on their own."""

import datetime
from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

from yicai.documents import KeptUnder
from yicai.modelkit import AccountKey, Link, SetNullLink, unique
from yicai.people.validators import not_before_1900, not_in_future
from yicai.validation import check_period, period_in_order

if TYPE_CHECKING:  # they import this module
    from yicai.training.models.activity import Visit
    from yicai.training.models.evaluations import MentorEvaluation

PAST = [not_in_future, not_before_1900]


# A scan is kept under a random name (the uploaded one may name a patient); the service names
# its suffix from its content.
scan_path = KeptUnder("training/case-scans")


class Mentorship(models.Model):
    """A mentor (own staff, or an expert from a partner hospital) and their apprentices."""

    class Kind(models.TextChoices):
        INTERNAL = "internal", _("院内导师")
        EXTERNAL = "external", _("院外导师")

    class Status(models.TextChoices):
        ACTIVE = "active", _("进行中")
        COMPLETED = "completed", _("已结业")
        ENDED = "ended", _("已终止")

    mentor = Link("people.Person", _("导师"), related_name="mentorships_led")
    kind = models.CharField(_("导师类别"), max_length=12, choices=Kind.choices)
    institution = Link("org.Institution", _("带教机构"), related_name="mentorships")
    department = Link("org.Department", _("带教科室"), related_name="mentorships", null=True)
    start_on = models.DateField(_("开始日期"), validators=[not_before_1900])
    end_on = models.DateField(_("结束日期"), null=True, blank=True)
    goals = models.TextField(_("带教目标"), blank=True)
    target_visits = models.PositiveIntegerField(_("目标来院次数"), default=0)
    target_lectures = models.PositiveIntegerField(_("目标授课次数"), default=0)
    target_operations = models.PositiveIntegerField(_("目标手术指导台次"), default=0)
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.ACTIVE
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("师带徒")
        verbose_name_plural = _("师带徒")
        ordering = ["-start_on", "id"]
        constraints = [period_in_order("mentorship_dates_in_order")]

    def __str__(self) -> str:
        return f"{self.mentor} · {self.institution}"

    def clean(self):
        check_period(self, _("结束日期不能早于开始日期。"))


class Apprenticeship(models.Model):
    """One apprentice of a mentorship (a pair, in the sources' counting)."""

    mentorship = models.ForeignKey(
        Mentorship, on_delete=models.CASCADE, related_name="apprenticeships"
    )
    apprentice = Link("people.Person", _("徒弟"), related_name="apprenticeships")

    class Meta:
        verbose_name = _("徒弟")
        verbose_name_plural = _("徒弟")
        constraints = [
            unique(
                "apprentice_once_per_mentorship",
                "mentorship",
                "apprentice",
                message=_("该徒弟已在此师带徒关系中。"),
            )
        ]

    def __str__(self) -> str:
        return str(self.apprentice)


class Technique(models.Model):
    """A technique new to an institution (新技术新项目), from plan to routine."""

    class Category(models.TextChoices):
        SURGERY = "surgery", _("手术")
        INTERVENTION = "intervention", _("介入/微创")
        DIAGNOSIS = "diagnosis", _("诊断检查")
        TREATMENT = "treatment", _("治疗")
        NURSING = "nursing", _("护理")
        TCM = "tcm", _("中医适宜技术")
        OTHER = "other", _("其他")

    class Origin(models.TextChoices):
        MENTORSHIP = "mentorship", _("师带徒")
        STUDIO = "studio", _("名医工作室")
        SECONDMENT = "secondment", _("进修")
        INTRODUCTION = "introduction", _("人才引进")
        OWN = "own", _("自主开展")

    class Status(models.TextChoices):
        PLANNED = "planned", _("计划引进")
        APPROVED = "approved", _("已批准")
        FIRST_PERFORMED = "first_performed", _("首例开展")
        ROUTINE = "routine", _("常规开展")

    institution = Link("org.Institution", _("机构"), related_name="techniques")
    department = Link("org.Department", _("科室"), related_name="techniques", null=True)
    name = models.CharField(_("技术名称"), max_length=100)
    category = models.CharField(_("类别"), max_length=16, choices=Category.choices)
    origin = models.CharField(_("来源"), max_length=16, choices=Origin.choices)
    mentorship = SetNullLink(Mentorship, _("师带徒关系"), related_name="techniques", null=True)
    # The secondment whose completion report named it (a technique to introduce on return).
    secondment = SetNullLink("training.Secondment", _("进修"), related_name="techniques", null=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.PLANNED
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("新技术新项目")
        verbose_name_plural = _("新技术新项目")
        ordering = ["institution", "name"]
        constraints = [
            unique(
                "technique_once_per_institution",
                "institution",
                "name",
                message=_("本机构已登记同名的新技术新项目。"),
            )
        ]

    def __str__(self) -> str:
        return self.name


class CaseLog(models.Model):
    """A procedure an apprentice took part in, at one entrustment level; counts once its
    mentor or supervisor has verified it. No patient identity is kept."""

    class Role(models.TextChoices):
        OBSERVED = "observed", _("观摩")
        ASSISTED = "assisted", _("助手")
        SUPERVISED = "supervised", _("在指导下完成")
        INDEPENDENT = "independent", _("独立完成")

    apprentice = Link("people.Person", _("记录人"), related_name="case_logs")
    technique = Link(Technique, _("技术"), related_name="case_logs")
    performed_on = models.DateField(_("日期"), validators=PAST)
    role = models.CharField(_("参与程度"), max_length=12, choices=Role.choices)
    supervisor = Link(
        "people.Person", _("指导/审核人"), related_name="supervised_case_logs", null=True
    )
    mentorship = SetNullLink(Mentorship, _("师带徒关系"), related_name="case_logs", null=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    verified_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    verified_by = AccountKey(_("审核账号"), null=True)
    # Who confirmed through a one-time link, as they gave their name (no account).
    verified_by_name = models.CharField(_("审核人"), max_length=50, blank=True)
    # Verified on paper before Yicai (a signed case book, a form): the administrator who
    # recorded it is `verified_by`; the document is named by its reference and/or a scan.
    verified_on_paper = models.BooleanField(_("纸质审核"), default=False)
    paper_reference = models.CharField(_("纸质审核凭证"), max_length=100, blank=True)
    paper_scan = models.FileField(
        _("纸质审核扫描件"), upload_to=scan_path, max_length=200, blank=True
    )
    # Who typed it in: the apprentice, or an administrator entering it on their behalf.
    entered_by = AccountKey(_("录入账号"), null=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("病例/手术记录")
        verbose_name_plural = _("病例/手术记录")
        ordering = ["-performed_on", "-id"]
        indexes = [models.Index(fields=["technique", "role", "performed_on"])]

    def __str__(self) -> str:
        return f"{self.apprentice} · {self.technique} · {self.performed_on}"

    @property
    def verified(self) -> bool:
        return self.verified_at is not None

    confirmed = verified

    @property
    def entered_on_behalf(self) -> bool:
        return self.entered_by is not None and self.entered_by.person_id != self.apprentice_id

    def confirm_by(self, name: str, at: datetime.datetime) -> list[str]:
        """Confirmed through a link by someone without an account; the fields changed."""
        self.verified_at, self.verified_by, self.verified_by_name = at, None, name
        return ["verified_at", "verified_by", "verified_by_name"]


class ConfirmationLink(models.Model):
    """A one-time link that lets someone without an account (an external mentor, say)
    confirm one record: a case log, a visit or an evaluation. The URL carries a signed token;
    the row keeps only its digest."""

    TARGETS = ("case_log", "visit", "evaluation")

    case_log = models.ForeignKey(
        CaseLog, on_delete=models.CASCADE, null=True, blank=True, related_name="links"
    )
    visit = models.ForeignKey(
        "training.Visit", on_delete=models.CASCADE, null=True, blank=True, related_name="links"
    )
    evaluation = models.ForeignKey(
        "training.MentorEvaluation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="links",
    )
    token_digest = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField(_("有效期至"))
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)
    created_by = AccountKey(null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("确认链接")
        verbose_name_plural = _("确认链接")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(case_log__isnull=False, visit__isnull=True, evaluation__isnull=True)
                    | models.Q(case_log__isnull=True, visit__isnull=False, evaluation__isnull=True)
                    | models.Q(case_log__isnull=True, visit__isnull=True, evaluation__isnull=False)
                ),
                name="confirmation_link_one_target",
            )
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"

    @property
    def kind(self) -> str:
        return next(name for name in self.TARGETS if getattr(self, f"{name}_id") is not None)

    @property
    def target(self) -> "CaseLog | Visit | MentorEvaluation":
        return getattr(self, self.kind)
