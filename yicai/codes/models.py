"""National code tables (GB/T 2261.1, 4658, 6864, 8561, 3304, ...) kept as data.

Administrators may add codes (RuoYi-style dictionaries); nothing in the code enumerates them.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from yicai.modelkit import Link


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
    table = Link(CodeTable, related_name="codes")
    code = models.CharField(_("代码"), max_length=40)
    name = models.CharField(_("名称"), max_length=80)
    parent = Link("self", related_name="children", null=True)
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


class Synonym(models.Model):
    """What people write for a code (住院医师 for 医师, 本科 for 大学本科毕业), as data an
    administrator extends: imports read cells through these, never through code. A synonym may
    hold only for people of one personnel category (副主任 is 副主任护师 for a nurse and
    副主任医师 for a physician)."""

    table = models.ForeignKey(CodeTable, on_delete=models.CASCADE, related_name="synonyms")
    text = models.CharField(_("写法"), max_length=80)
    code = models.ForeignKey(Code, on_delete=models.CASCADE, related_name="synonyms")
    personnel_category = models.ForeignKey(
        Code,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("仅限从事专业类别"),
        limit_choices_to={"table__key": "personnel_category"},
    )

    class Meta:
        verbose_name = _("代码同义写法")
        verbose_name_plural = _("代码同义写法")
        ordering = ["table", "text", "personnel_category"]
        constraints = [
            models.UniqueConstraint(
                fields=["table", "text", "personnel_category"], name="synonym_unique"
            ),
            models.UniqueConstraint(
                fields=["table", "text"],
                condition=models.Q(personnel_category__isnull=True),
                name="synonym_unique_unqualified",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.text} → {self.code}"
