"""Regions (GB/T 2260), institutions, departments and discipline designations."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from yicai.modelkit import Link
from yicai.versions import Versioned


class Region(models.Model):
    class Level(models.TextChoices):
        PROVINCE = "province", _("省级")
        PREFECTURE = "prefecture", _("地级")
        COUNTY = "county", _("县级")

    code = models.CharField(_("区划代码"), max_length=6, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    level = models.CharField(_("级别"), max_length=12, choices=Level.choices)
    parent = Link("self", related_name="children", null=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def full_name(self) -> str:
        names: list[str] = []
        node: Region | None = self
        while node is not None:
            names.append(node.name)
            node = node.parent
        return "".join(reversed(names))


class Institution(Versioned):
    class Kind(models.TextChoices):
        GENERAL = "general", _("综合医院")
        TCM = "tcm", _("中医（中西医结合）医院")
        SPECIALIST = "specialist", _("专科医院")
        COMMUNITY = "community", _("社区卫生服务中心")
        TOWNSHIP = "township", _("乡镇卫生院")
        OTHER = "other", _("其他卫生机构")

    class Grade(models.TextChoices):
        LEVEL_3 = "3", _("三级")
        LEVEL_2 = "2", _("二级")
        LEVEL_1 = "1", _("一级")
        UNGRADED = "0", _("未定级")

    class Relation(models.TextChoices):
        MANAGED = "managed", _("辖区管理")
        PARTNER = "partner", _("合作医院")

    name = models.CharField(_("机构名称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=40, blank=True)
    code = models.CharField(_("机构代码"), max_length=30, blank=True)
    kind = models.CharField(_("机构类别"), max_length=12, choices=Kind.choices)
    grade = models.CharField(_("等级"), max_length=1, choices=Grade.choices, default="0")
    relation = models.CharField(
        _("隶属关系"), max_length=10, choices=Relation.choices, default=Relation.MANAGED
    )
    region = Link(Region, _("所在地"), related_name="institutions")
    # The commission region this institution belongs to (managed) or works with (partner):
    # a commission's "all" scope is every institution whose commission_region is under its own.
    commission_region = Link(Region, _("所属卫健委辖区"), related_name="commission_institutions")
    affiliation = models.CharField(_("隶属/附属"), max_length=100, blank=True)
    # Other names the institution goes by in rosters (区中心医院, an old name), one a line:
    # imports match a 所在单位 cell on the name, the short name, the code or one of these.
    aliases = models.TextField(_("别名"), blank=True, help_text=_("每行一个"))
    active = models.BooleanField(_("在用"), default=True)

    class Meta:
        verbose_name = _("医疗机构")
        verbose_name_plural = _("医疗机构")
        ordering = ["relation", "-grade", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def alias_list(self) -> list[str]:
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]


class Department(Versioned):
    institution = Link(Institution, _("机构"), related_name="departments")
    name = models.CharField(_("科室名称"), max_length=60)
    parent = Link("self", _("上级科室"), related_name="children", null=True)
    clinical = models.BooleanField(_("临床科室"), default=True)

    class Meta:
        verbose_name = _("科室")
        verbose_name_plural = _("科室")
        ordering = ["institution", "name"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "name"], name="department_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class DisciplineDesignation(models.Model):
    class Kind(models.TextChoices):
        KEY_SPECIALTY = "key_specialty", _("重点专科")
        TOP_PRIORITY = "top_priority", _("重中之重学科")
        WEAK = "weak", _("薄弱学科")

    class Level(models.TextChoices):
        NATIONAL = "national", _("国家级")
        PROVINCIAL = "provincial", _("省（市）级")
        DISTRICT = "district", _("区（县）级")

    department = Link(Department, _("科室"), related_name="designations")
    name = models.CharField(_("学科名称"), max_length=80)
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices)
    level = models.CharField(
        _("级别"), max_length=12, choices=Level.choices, default=Level.DISTRICT
    )
    year_from = models.PositiveSmallIntegerField(
        _("起始年度"), validators=[MinValueValidator(1949), MaxValueValidator(2100)]
    )
    year_to = models.PositiveSmallIntegerField(
        _("截止年度"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1949), MaxValueValidator(2100)],
    )
    lead = Link("people.Person", _("学科带头人"), related_name="led_disciplines", null=True)

    class Meta:
        verbose_name = _("学科建设")
        verbose_name_plural = _("学科建设")
        ordering = ["-year_from", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(year_to__isnull=True)
                | models.Q(year_to__gte=models.F("year_from")),
                name="designation_years_in_order",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.year_to and self.year_from and self.year_to < self.year_from:
            raise ValidationError({"year_to": _("截止年度不能早于起始年度。")})

    @property
    def institution(self) -> Institution:
        return self.department.institution
