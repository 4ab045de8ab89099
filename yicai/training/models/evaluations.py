"""A mentor's evaluation of an apprentice (带教评价) for a period: recorded by the institution
from the mentor's word, then confirmed by the mentor, often through a one-time link."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from yicai.modelkit import AccountKey, ConfirmedByName, unique


class MentorEvaluation(ConfirmedByName, models.Model):
    class Rating(models.TextChoices):
        EXCELLENT = "excellent", _("优秀")
        GOOD = "good", _("良好")
        PASS = "pass", _("合格")
        FAIL = "fail", _("不合格")

    apprenticeship = models.ForeignKey(
        "training.Apprenticeship",
        on_delete=models.CASCADE,
        related_name="evaluations",
        verbose_name=_("徒弟"),
    )
    period = models.CharField(_("评价期间"), max_length=30, help_text=_("如：2025年上半年"))
    rating = models.CharField(_("评价等级"), max_length=12, choices=Rating.choices)
    comments = models.TextField(_("评语"), blank=True)
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    recorded_by = AccountKey(null=True)
    confirmed_at = models.DateTimeField(_("导师确认时间"), null=True, blank=True)
    confirmed_by_name = models.CharField(_("确认人"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("带教评价")
        verbose_name_plural = _("带教评价")
        ordering = ["-recorded_at", "-id"]
        constraints = [
            unique(
                "evaluation_once_a_period",
                "apprenticeship",
                "period",
                message=_("该徒弟本期间的评价已登记。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.apprenticeship.apprentice} · {self.period}"
