"""Published results (考核结果): each publication of a scheme, and each appeal upheld after it,
keeps a version of every subject's scores, so a score's history stays readable; appeals
(申诉) against a subject's score, resolved by the commission with a reason."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from yicai.evaluation.models.schemes import Indicator, Scheme, Subject
from yicai.modelkit import AccountKey, unique


class Result(models.Model):
    """One version of a scheme's published scores (1 at publication, then one a change)."""

    scheme = models.ForeignKey(
        Scheme, models.CASCADE, related_name="results", verbose_name=_("考核方案")
    )
    number = models.PositiveSmallIntegerField(_("版本"))
    reason = models.CharField(_("原因"), max_length=300)
    taken_at = models.DateTimeField(_("生成时间"), auto_now_add=True)
    by = AccountKey(_("操作人"), null=True)

    class Meta:
        verbose_name = _("考核结果版本")
        verbose_name_plural = _("考核结果版本")
        ordering = ["scheme", "-number"]
        constraints = [
            unique("result_number_once", "scheme", "number", message=_("该版本已存在。"))
        ]

    def __str__(self) -> str:
        return f"{self.scheme} · v{self.number}"


class ResultLine(models.Model):
    """A subject's figure, score and rank for one indicator (or, without one, its total) in a
    version of the results."""

    result = models.ForeignKey(
        Result, models.CASCADE, related_name="lines", verbose_name=_("考核结果版本")
    )
    subject = models.ForeignKey(
        Subject, models.CASCADE, related_name="result_lines", verbose_name=_("考核对象")
    )
    indicator = models.ForeignKey(
        Indicator,
        models.CASCADE,
        related_name="result_lines",
        null=True,
        blank=True,
        verbose_name=_("考核指标"),
    )
    figure = models.DecimalField(_("完成值"), max_digits=14, decimal_places=2, null=True)
    score = models.DecimalField(_("得分"), max_digits=7, decimal_places=2, null=True)
    rank = models.PositiveIntegerField(_("名次"), null=True)

    class Meta:
        verbose_name = _("考核结果")
        verbose_name_plural = _("考核结果")
        ordering = ["result", "subject", "indicator"]
        indexes = [models.Index(fields=["subject", "indicator"], name="result_line_subject")]

    def __str__(self) -> str:
        return f"{self.subject} · {self.indicator or _('总分')} · {self.score}"


class Appeal(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("待处理")
        UPHELD = "upheld", _("已采纳")
        REJECTED = "rejected", _("未采纳")

    subject = models.ForeignKey(
        Subject, models.CASCADE, related_name="appeals", verbose_name=_("考核对象")
    )
    # Blank: the appeal is against the total.
    indicator = models.ForeignKey(
        Indicator,
        models.CASCADE,
        related_name="appeals",
        null=True,
        blank=True,
        verbose_name=_("申诉指标"),
    )
    reason = models.TextField(_("申诉理由"), max_length=2000)
    filed_by = AccountKey(_("申诉人"), null=True)
    filed_at = models.DateTimeField(_("申诉时间"), auto_now_add=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    resolution = models.TextField(_("处理意见"), max_length=2000, blank=True)
    resolved_by = AccountKey(_("处理人"), null=True)
    resolved_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    # The version of the results an upheld appeal led to.
    result = models.ForeignKey(
        Result,
        models.SET_NULL,
        related_name="appeals",
        null=True,
        blank=True,
        verbose_name=_("改分后结果"),
    )

    class Meta:
        verbose_name = _("考核申诉")
        verbose_name_plural = _("考核申诉")
        ordering = ["-filed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.subject} · {self.indicator or _('总分')}"
