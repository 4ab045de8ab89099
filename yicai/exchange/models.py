"""An import job: one uploaded sheet, its preview and its commit."""

import time
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yicai.modelkit import Link

STALLED_AFTER_SECONDS = 15 * 60


def _upload_to(job: "ImportJob", filename: str) -> str:
    return f"imports/{job.token}/upload{job.extension}"


class ImportJob(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        ANALYSING = "analysing", _("正在检查")
        READY = "ready", _("待确认导入")
        REFUSED = "refused", _("无法导入")
        COMMITTING = "committing", _("正在导入")
        DONE = "done", _("已导入")
        FAILED = "failed", _("导入失败")
        CANCELLED = "cancelled", _("已取消")

    class Mode(models.TextChoices):
        ALL_OR_NOTHING = "all", _("全部正确才导入")
        SKIP_INVALID = "skip", _("跳过错误行，导入其余")

    ACTIVE = (Status.QUEUED, Status.ANALYSING, Status.COMMITTING)

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    entity = models.CharField(_("导入类型"), max_length=40)
    user = Link(settings.AUTH_USER_MODEL, _("导入人"), related_name="+", null=True)
    # The institution the importing user belonged to, so scoped lists show the job.
    institution = Link("org.Institution", _("所属机构"), related_name="+", null=True)
    file = models.FileField(upload_to=_upload_to, max_length=200, blank=True)
    original_name = models.CharField(_("文件名"), max_length=200)
    extension = models.CharField(max_length=8)
    size = models.PositiveBigIntegerField(_("文件大小"), default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    mode = models.CharField(
        _("导入方式"), max_length=4, choices=Mode.choices, default=Mode.ALL_OR_NOTHING
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    message = models.TextField(_("说明"), blank=True)
    total = models.PositiveIntegerField(_("数据行"), default=0)
    new = models.PositiveIntegerField(_("新增"), default=0)
    updated = models.PositiveIntegerField(_("更新"), default=0)
    unchanged = models.PositiveIntegerField(_("无变化"), default=0)
    invalid = models.PositiveIntegerField(_("有错误"), default=0)
    warned = models.PositiveIntegerField(_("有提示"), default=0)
    created = models.PositiveIntegerField(_("实际新增"), default=0)
    changed = models.PositiveIntegerField(_("实际更新"), default=0)
    # The first problems, for the page; the full list is in the report file.
    problems = models.JSONField(default=list, blank=True)
    seconds = models.FloatField(_("用时（秒）"), default=0)
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("导入任务")
        verbose_name_plural = _("导入任务")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def folder(self):
        return settings.MEDIA_ROOT / "imports" / str(self.token)

    @property
    def plan_path(self):
        return self.folder / "plan.pickle"

    @property
    def report_path(self):
        return self.folder / "problems.xlsx"

    @property
    def progress_path(self):
        return self.folder / "progress.json"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE and not self.is_stalled

    @property
    def is_stalled(self) -> bool:
        """Active, but no progress for a long time: its worker died (a killed commit leaves
        the database as it was). The user may then cancel it and upload again."""
        if self.status not in self.ACTIVE:
            return False
        try:
            last = self.progress_path.stat().st_mtime
        except OSError:
            last = self.created_at.timestamp()
        return time.time() - last > STALLED_AFTER_SECONDS
