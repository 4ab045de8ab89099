"""National code tables (GB/T 2261.1, 4658, 6864, 8561, 3304, ...) kept as data.

Administrators may add codes (RuoYi-style dictionaries); nothing in the code enumerates them.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CodeTable(models.Model):
    key = models.SlugField(_("标识"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=80)
    standard = models.CharField(_("标准"), max_length=80, blank=True)

    class Meta:
        verbose_name = _("代码表")
        verbose_name_plural = _("代码表")
        ordering = ["key"]

    def __str__(self) -> str:
        return self.name


class Code(models.Model):
    table = models.ForeignKey(CodeTable, on_delete=models.PROTECT, related_name="codes")
    code = models.CharField(_("代码"), max_length=40)
    name = models.CharField(_("名称"), max_length=80)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    # Extra columns of a table, e.g. a title's grade (senior, intermediate, ...).
    attrs = models.JSONField(_("附加属性"), default=dict, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    active = models.BooleanField(_("启用"), default=True)
    sort = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("代码")
        verbose_name_plural = _("代码")
        ordering = ["table", "sort", "code"]
        constraints = [
            models.UniqueConstraint(fields=["table", "code"], name="code_unique_in_table")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def grade(self) -> str:
        return self.attrs.get("grade", "")
