"""The filter and edit forms of lodges, bookings and receptions."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yicai.access.forms import DateInput, FilterForm, StyledForm
from yicai.access.models import RequestUser
from yicai.org.models import Institution
from yicai.org.queries import institutions_for
from yicai.picker import PersonPickerField
from yicai.retention.forms.common import OfUser
from yicai.retention.models import Booking, Fund, Lodge, Reception, Room
from yicai.retention.queries.funds import funds_for
from yicai.retention.queries.hospitality import lodges_for, rooms_for
from yicai.training.models import Visit
from yicai.training.queries.activity import visits_for
from yicai.web.forms import field_of

EDIT = "retention.edit"


class LodgeForm(OfUser):
    name = forms.CharField(label=_("名称"), max_length=100)
    institution: forms.ModelChoiceField[Institution] = forms.ModelChoiceField(
        label=_("管理机构"),
        queryset=Institution.objects.none(),
        required=False,
        help_text=_("卫健委自管的留空。"),
    )
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    rooms = forms.CharField(
        label=_("房间号"), required=False, help_text=_("用空格或逗号分隔，如 101 102 103。")
    )
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def prepare(self) -> None:
        field_of(self, "institution", forms.ModelChoiceField).queryset = institutions_for(
            self.user, EDIT
        ).filter(relation="managed")

    def clean_rooms(self) -> list[str]:
        text = self.cleaned_data.get("rooms") or ""
        return [part for part in text.replace("，", " ").replace(",", " ").split() if part]


class RoomForm(StyledForm):
    number = forms.CharField(label=_("房间号"), max_length=20)
    kind = forms.CharField(label=_("房型"), max_length=40, required=False)


class BookingFilterForm(FilterForm):
    q = forms.CharField(label=_("专家姓名"), required=False)
    lodge: forms.ModelChoiceField[Lodge] = forms.ModelChoiceField(
        label=_("专家公寓"), queryset=Lodge.objects.none(), required=False
    )
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部")), *Booking.Status.choices]
    )
    since = forms.DateField(label=_("起始日期"), required=False, widget=DateInput())
    until = forms.DateField(label=_("截止日期"), required=False, widget=DateInput())
    field_order = ("q", "lodge", "status", "since", "until")

    def __init__(self, user: RequestUser, *args: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def prepare(self) -> None:
        field_of(self, "lodge", forms.ModelChoiceField).queryset = lodges_for(self.user)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            self.add_error("until", _("截止日期不能早于起始日期。"))
        return data


class _ForVisit(OfUser):
    guest = PersonPickerField("recruitment.experts", label=_("专家"))
    visit: forms.ModelChoiceField[Visit] = forms.ModelChoiceField(
        label=_("专家活动"),
        queryset=Visit.objects.none(),
        required=False,
        help_text=_("关联后，专家可在活动确认链接中看到行程安排。"),
    )

    def prepare(self) -> None:
        field_of(self, "guest", PersonPickerField).bind(self.user)
        # Visits of the last month and those to come: what a stay is arranged for.
        since = timezone.localdate() - datetime.timedelta(days=31)
        field_of(self, "visit", forms.ModelChoiceField).queryset = (
            visits_for(self.user, "training.view")
            .filter(held_on__gte=since)
            .select_related("expert", "institution")
            .order_by("held_on")
        )


class BookingForm(_ForVisit):
    room: forms.ModelChoiceField[Room] = forms.ModelChoiceField(
        label=_("房间"), queryset=Room.objects.none()
    )
    arrives_on = forms.DateField(label=_("入住日期"), widget=DateInput())
    leaves_on = forms.DateField(label=_("离开日期"), widget=DateInput())
    note = forms.CharField(label=_("说明"), max_length=200, required=False)
    field_order = ("room", "guest", "visit", "arrives_on", "leaves_on", "note")

    def prepare(self) -> None:
        super().prepare()
        field_of(self, "room", forms.ModelChoiceField).queryset = rooms_for(self.user, EDIT).filter(
            active=True
        )


class CancelForm(StyledForm):
    cancel_reason = forms.CharField(label=_("取消原因"), max_length=200)


class ReceptionForm(_ForVisit):
    institution: forms.ModelChoiceField[Institution] = forms.ModelChoiceField(
        label=_("接待机构"), queryset=Institution.objects.none()
    )
    kind = forms.ChoiceField(label=_("类型"), choices=Reception.Kind.choices)
    at = forms.DateTimeField(
        label=_("时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    place = forms.CharField(label=_("地点"), max_length=100)
    staff = forms.CharField(label=_("负责人及电话"), max_length=100, required=False)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)
    field_order = ("guest", "visit", "institution", "kind", "at", "place", "staff", "note")

    def prepare(self) -> None:
        super().prepare()
        field_of(self, "institution", forms.ModelChoiceField).queryset = institutions_for(
            self.user, EDIT
        ).filter(relation="managed")


class ChargeForm(OfUser):
    """A stay's or a reception's cost, charged to a fund the user keeps a ledger of."""

    fund: forms.ModelChoiceField[Fund] = forms.ModelChoiceField(
        label=_("支出资金"), queryset=Fund.objects.none()
    )
    amount = forms.CharField(label=_("金额（元）"), max_length=20)
    on = forms.DateField(label=_("入账日期"), widget=DateInput())
    voucher = forms.CharField(label=_("凭证号"), max_length=60, required=False)
    override_reason = forms.CharField(label=_("超支批准理由"), max_length=200, required=False)

    def prepare(self) -> None:
        field_of(self, "fund", forms.ModelChoiceField).queryset = funds_for(
            self.user, "retention.ledger"
        )


class NightsFromForm(FilterForm):
    """The first night of a lodge's fortnight."""

    start = forms.DateField(label=_("起始日期"), required=False, widget=DateInput())


class LodgeFilterForm(FilterForm):
    q = forms.CharField(label=_("名称 / 地址"), required=False)


class ReceptionFilterForm(FilterForm):
    q = forms.CharField(label=_("专家姓名"), required=False)
    kind = forms.ChoiceField(
        label=_("类型"), required=False, choices=[("", _("全部")), *Reception.Kind.choices]
    )
