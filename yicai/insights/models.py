"""Home page figures kept for scopes too large to count on every visit."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FigureSnapshot(models.Model):
    """The home page figures of one data scope (a commission's district of a million people),
    counted in the background and shown with the time they were counted (insights.queries)."""

    # A hash of the scope's query: users whose roles give the same rows share the figures.
    key = models.CharField(max_length=64, unique=True)
    figures = models.JSONField()
    computed_at = models.DateTimeField(_("统计时间"))
    # When a recount was last asked for, so that visits meanwhile do not ask again.
    requested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("首页统计")
        verbose_name_plural = _("首页统计")

    def __str__(self) -> str:
        return self.key
