"""Skill competitions (技术比武 / 技能竞赛): an event of a specialty and level, its entrants
(people, or teams of people), rounds weighted into a final score, each round scored by several
judges; ranks computed with ties, frozen with the honours when the competition is finished.
Ranks are facts that incentive rules read (a reward for a first place)."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yicai.modelkit import Link, unique
from yicai.people.validators import not_before_1900


class Competition(models.Model):
    class Level(models.TextChoices):
        INSTITUTION = "institution", _("院级")
        DISTRICT = "district", _("区（县）级")
        MUNICIPAL = "municipal", _("市级")
        PROVINCIAL = "provincial", _("省级")
        NATIONAL = "national", _("国家级")

    class Status(models.TextChoices):
        OPEN = "open", _("进行中")
        FINISHED = "finished", _("已结束")

    region = Link("org.Region", _("辖区"), related_name="competitions")
    # The organiser: None for the commission, else an institution.
    institution = Link("org.Institution", _("主办机构"), related_name="competitions", null=True)
    name = models.CharField(_("竞赛名称"), max_length=200)
    specialty = models.CharField(_("专业"), max_length=60)
    level = models.CharField(_("级别"), max_length=12, choices=Level.choices)
    held_on = models.DateField(_("举办日期"), validators=[not_before_1900])
    teams = models.BooleanField(_("团体赛"), default=False)
    # 去掉一个最高分和一个最低分, where a round has at least five judges' scores.
    trim_extremes = models.BooleanField(_("去掉最高分和最低分"), default=False)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.OPEN)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("技能竞赛")
        verbose_name_plural = _("技能竞赛")
        ordering = ["-held_on", "id"]
        constraints = [
            unique(
                "competition_once",
                "region",
                "name",
                "held_on",
                message=_("该日已有同名竞赛。"),
            )
        ]

    def __str__(self) -> str:
        return self.name


class Entrant(models.Model):
    """A person, or a team (its name and members), entered for an institution."""

    competition = models.ForeignKey(Competition, models.CASCADE, related_name="entrants")
    person = Link("people.Person", _("参赛人员"), related_name="competition_entries", null=True)
    team_name = models.CharField(_("队名"), max_length=100, blank=True)
    members = models.ManyToManyField(
        "people.Person", blank=True, related_name="competition_teams", verbose_name=_("队员")
    )
    institution = Link("org.Institution", _("代表机构"), related_name="competition_entrants")
    # Frozen when the competition is finished.
    rank = models.PositiveSmallIntegerField(_("名次"), null=True, blank=True)
    honour = models.CharField(_("奖项"), max_length=40, blank=True)
    final_score = models.DecimalField(
        _("总成绩"), max_digits=7, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("参赛者")
        verbose_name_plural = _("参赛者")
        ordering = ["competition", "rank", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False, team_name="")
                | Q(person__isnull=True) & ~Q(team_name=""),
                name="entrant_person_or_team",
            ),
            models.UniqueConstraint(
                fields=["competition", "person"],
                condition=Q(person__isnull=False),
                name="entrant_person_once",
                violation_error_message=_("该人员已报名本次竞赛。"),
            ),
        ]

    def __str__(self) -> str:
        return self.team_name or str(self.person)


class CompetitionRound(models.Model):
    competition = models.ForeignKey(Competition, models.CASCADE, related_name="rounds")
    name = models.CharField(_("环节"), max_length=60)
    order = models.PositiveSmallIntegerField(_("顺序"), default=1)
    weight = models.DecimalField(
        _("权重（%）"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
    )
    full_marks = models.DecimalField(_("满分"), max_digits=6, decimal_places=2, default=100)

    class Meta:
        verbose_name = _("竞赛环节")
        verbose_name_plural = _("竞赛环节")
        ordering = ["competition", "order", "id"]
        constraints = [
            unique("round_name_once", "competition", "name", message=_("本次竞赛已有该环节。"))
        ]

    def __str__(self) -> str:
        return self.name


class Score(models.Model):
    round = models.ForeignKey(CompetitionRound, models.CASCADE, related_name="scores")
    entrant = models.ForeignKey(Entrant, models.CASCADE, related_name="scores")
    judge = models.CharField(_("评委"), max_length=50)
    score = models.DecimalField(_("分数"), max_digits=6, decimal_places=2)

    class Meta:
        verbose_name = _("评分")
        verbose_name_plural = _("评分")
        ordering = ["round", "entrant", "judge"]
        constraints = [
            unique(
                "score_once_a_judge",
                "round",
                "entrant",
                "judge",
                message=_("该评委已给该参赛者本环节打分。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.round} {self.entrant} {self.judge} {self.score}"
