"""Career plans (职业生涯规划): a person's goals by year. Whether a title, technique or training
goal is met is derived from the records (a title held, a verified independent case, a
secondment or enrolment in the year; see queries); research and other goals are marked done
by the person's mentor or their institution's HR."""

from typing import TYPE_CHECKING

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yicai.modelkit import AccountKey, CodeKey, Link, SetNullLink
from yicai.people.validators import not_before_1900
from yicai.training.models.education import YEARS, TrainingKind
from yicai.training.models.programmes import GoalKind

if TYPE_CHECKING:
    from yicai.training.queries.careers import Progress

# Goals whose progress the records show; the others are marked done by hand.
DERIVED_KINDS = (GoalKind.TITLE, GoalKind.TECHNIQUE, GoalKind.TRAINING)


class CareerPlan(models.Model):
    """One person's career plan, optionally tied to their place in a programme and to a
    mentorship."""

    person = models.OneToOneField(
        "people.Person",
        on_delete=models.PROTECT,
        related_name="career_plan",
        verbose_name=_("人员"),
    )
    direction = models.TextField(_("发展方向"), blank=True)
    cohort_member = SetNullLink(
        "training.CohortMember", _("所在培养计划"), related_name="career_plans", null=True
    )
    mentorship = SetNullLink(
        "training.Mentorship", _("师带徒关系"), related_name="career_plans", null=True
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("职业生涯规划")
        verbose_name_plural = _("职业生涯规划")
        ordering = ["-updated_at", "-id"]

    def __str__(self) -> str:
        return f"{self.person}的职业生涯规划"


class CareerGoal(models.Model):
    """A goal for a year, with what would show it met."""

    # Set on a plan's goals when it is shown (the API's plan detail), never stored.
    target_shown: str
    progress_shown: "Progress"

    plan = models.ForeignKey(
        CareerPlan, on_delete=models.CASCADE, related_name="goals", verbose_name=_("职业生涯规划")
    )
    year = models.PositiveIntegerField(_("年度"), validators=YEARS)
    kind = models.CharField(_("类别"), max_length=12, choices=GoalKind.choices)
    text = models.CharField(_("目标"), max_length=300)
    target_title = CodeKey(
        _("目标职称"), null=True, limit_choices_to={"table__key": "title", "parent__isnull": False}
    )
    target_technique = Link(
        "training.Technique", _("目标技术"), related_name="career_goals", null=True
    )
    target_papers = models.PositiveSmallIntegerField(
        _("论文篇数"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
    )
    target_training_kind = models.CharField(
        _("培训类别"), max_length=16, choices=TrainingKind.choices, blank=True
    )
    # Research and other goals only: marked by the mentor or HR.
    done_on = models.DateField(_("完成日期"), null=True, blank=True, validators=[not_before_1900])
    done_by = AccountKey(_("确认账号"), null=True)
    done_note = models.CharField(_("完成说明"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("职业生涯目标")
        verbose_name_plural = _("职业生涯目标")
        ordering = ["plan", "year", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="title") | Q(target_title__isnull=False),
                name="career_goal_title_has_target",
                violation_error_message=_("职称目标须选择目标职称。"),
            ),
            models.CheckConstraint(
                condition=~Q(kind="technique") | Q(target_technique__isnull=False),
                name="career_goal_technique_has_target",
                violation_error_message=_("新技术目标须选择目标技术。"),
            ),
            models.CheckConstraint(
                condition=Q(done_on__isnull=True) | Q(kind__in=["research", "other"]),
                name="career_goal_done_only_by_hand_kinds",
                violation_error_message=_("职称、新技术、进修培训目标的完成情况由记录得出。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} · {self.text}"

    @property
    def derived(self) -> bool:
        return self.kind in DERIVED_KINDS
