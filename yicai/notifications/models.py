"""A notification: one thing due, for one user, once."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yicai.notifications import kinds


class Notification(models.Model):
    """Something a user should know or do, created once per due item (`key`, its natural
    key such as "tranche:123:2026-01-15"): creating it again for the same user does nothing,
    so the reminders may run every hour. Read when followed, or marked so."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("接收人"),
    )
    key = models.CharField(_("事项标识"), max_length=120)
    kind = models.CharField(_("类别"), max_length=40, db_index=True)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    due_on = models.DateField(_("到期日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("提醒时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("消息提醒")
        verbose_name_plural = _("消息提醒")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="notification_once_per_user")
        ]
        # The header's count: a user's unread ones.
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.title

    @property
    def kind_label(self) -> str:
        return str(kinds.label(self.kind))
