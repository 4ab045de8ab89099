"""What experts do at and for an institution: visits and remote consultations."""

from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from yicai.modelkit import ConfirmedByName, Link, SetNullLink
from yicai.people.validators import not_before_1900
from yicai.training.models.mentoring import PAST, Mentorship
from yicai.training.models.studios import ExpertStudio

# A visit's counts (patients, attendees, operations): a day's figures, never more than this.
MAX_COUNT = 100000
COUNT_RULE = _("请填写 0 至 100000 的整数。")
COUNT = [MaxValueValidator(MAX_COUNT, message=COUNT_RULE)]


class Visit(ConfirmedByName, models.Model):
    """An expert's day at an institution (专家来院): clinic, ward round, lecture, surgery
    guidance or free clinic, with what it reached."""

    class Kind(models.TextChoices):
        CLINIC = "clinic", _("坐诊")
        WARD_ROUND = "ward_round", _("查房")
        LECTURE = "lecture", _("授课")
        SURGERY_GUIDANCE = "surgery_guidance", _("手术指导")
        FREE_CLINIC = "free_clinic", _("义诊")
        ONLINE_TEACHING = "online_teaching", _("线上教学")

    expert = Link("people.Person", _("专家"), related_name="visits")
    kind = models.CharField(_("形式"), max_length=20, choices=Kind.choices)
    institution = Link("org.Institution", _("机构"), related_name="visits")
    department = Link("org.Department", _("科室"), related_name="visits", null=True)
    held_on = models.DateField(_("日期"), validators=[not_before_1900])
    studio = SetNullLink(ExpertStudio, _("名医工作室"), related_name="visits", null=True)
    mentorship = SetNullLink(Mentorship, _("师带徒关系"), related_name="visits", null=True)
    patients = models.PositiveIntegerField(_("诊疗人次"), default=0, validators=COUNT)
    attendees = models.PositiveIntegerField(_("参加人数"), default=0, validators=COUNT)
    operations = models.PositiveIntegerField(_("手术台次"), default=0, validators=COUNT)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    # The expert's own confirmation, through a one-time link (they often have no account).
    confirmed_at = models.DateTimeField(_("专家确认时间"), null=True, blank=True)
    confirmed_by_name = models.CharField(_("确认人"), max_length=50, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("专家活动")
        verbose_name_plural = _("专家活动")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["institution", "held_on"])]

    def __str__(self) -> str:
        return f"{self.expert} · {self.get_kind_display()} · {self.held_on}"


class Consultation(models.Model):
    """A remote consultation (远程会诊): the case without the patient's identity, the advice
    and what came of it."""

    expert = Link("people.Person", _("会诊专家"), related_name="consultations_given")
    requester = Link("people.Person", _("申请医生"), related_name="consultations_asked")
    institution = Link("org.Institution", _("申请机构"), related_name="consultations")
    held_on = models.DateField(_("会诊日期"), validators=PAST)
    summary = models.TextField(_("病情摘要"))
    advice = models.TextField(_("会诊意见"), blank=True)
    outcome = models.CharField(_("转归"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("远程会诊")
        verbose_name_plural = _("远程会诊")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.expert} · {self.held_on}"
