"""Hospitality for visiting experts (保姆式服务): the rooms of an expert lodge (专家公寓) and their
bookings, never two at once in a room; pick-ups, drop-offs and receptions; each linked to the
expert's visit in 育 where there is one, and its cost an expense of a fund."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from yicai.modelkit import AccountKey, Link, SetNullLink, unique
from yicai.people.validators import not_before_1900


class Lodge(models.Model):
    region = Link("org.Region", _("辖区"), related_name="lodges")
    # None: the commission's own; else the institution that runs it.
    institution = Link("org.Institution", _("管理机构"), related_name="lodges", null=True)
    name = models.CharField(_("名称"), max_length=100)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("专家公寓")
        verbose_name_plural = _("专家公寓")
        ordering = ["name", "id"]
        constraints = [unique("lodge_name_once", "region", "name", message=_("已有同名专家公寓。"))]

    def __str__(self) -> str:
        return self.name


class Room(models.Model):
    lodge = models.ForeignKey(Lodge, models.CASCADE, related_name="rooms")
    number = models.CharField(_("房间号"), max_length=20)
    kind = models.CharField(_("房型"), max_length=40, blank=True)
    active = models.BooleanField(_("可预订"), default=True)

    class Meta:
        verbose_name = _("房间")
        verbose_name_plural = _("房间")
        ordering = ["lodge", "number"]
        constraints = [
            unique("room_number_once", "lodge", "number", message=_("该公寓已有这个房间号。"))
        ]

    def __str__(self) -> str:
        return f"{self.lodge} {self.number}"


class Booking(models.Model):
    """A room held for an expert from the day they arrive to the day they leave (that night
    not included: another guest may arrive that day)."""

    class Status(models.TextChoices):
        BOOKED = "booked", _("已预订")
        CANCELLED = "cancelled", _("已取消")

    room = models.ForeignKey(Room, models.PROTECT, related_name="bookings")
    guest = Link("people.Person", _("入住专家"), related_name="lodge_bookings")
    visit = SetNullLink("training.Visit", _("专家活动"), related_name="bookings", null=True)
    arrives_on = models.DateField(_("入住日期"), validators=[not_before_1900])
    leaves_on = models.DateField(_("离开日期"))
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.BOOKED
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)
    cancel_reason = models.CharField(_("取消原因"), max_length=200, blank=True)
    # Its cost, once charged to a fund.
    entry = models.OneToOneField(
        "retention.Entry", models.PROTECT, related_name="booking", null=True, blank=True
    )
    booked_by = AccountKey(_("登记账号"), null=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("入住预订")
        verbose_name_plural = _("入住预订")
        ordering = ["-arrives_on", "id"]
        indexes = [models.Index(fields=["room", "arrives_on"], name="booking_room_day")]
        constraints = [
            models.CheckConstraint(
                condition=Q(leaves_on__gt=F("arrives_on")), name="booking_leaves_after_arriving"
            )
        ]

    def __str__(self) -> str:
        return f"{self.room} {self.guest} {self.arrives_on}–{self.leaves_on}"


class Reception(models.Model):
    """A pick-up, a drop-off or a reception for a visiting expert."""

    class Kind(models.TextChoices):
        PICK_UP = "pick_up", _("接站")
        DROP_OFF = "drop_off", _("送站")
        RECEPTION = "reception", _("接待")

    guest = Link("people.Person", _("专家"), related_name="receptions")
    visit = SetNullLink("training.Visit", _("专家活动"), related_name="receptions", null=True)
    # The institution that receives the expert: who sees and arranges it.
    institution = Link("org.Institution", _("接待机构"), related_name="receptions")
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    at = models.DateTimeField(_("时间"))
    place = models.CharField(_("地点"), max_length=100)
    staff = models.CharField(_("负责人及电话"), max_length=100, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    entry = models.OneToOneField(
        "retention.Entry", models.PROTECT, related_name="reception", null=True, blank=True
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("接送与接待")
        verbose_name_plural = _("接送与接待")
        ordering = ["-at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.guest} {self.at:%Y-%m-%d %H:%M}"
