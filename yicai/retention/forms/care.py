"""The filter and edit forms of the 八个一 service: enrolments, tasks (and completing one),
green-channel requests."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yicai.access.forms import DateInput, StyledForm, preselect_only_choice
from yicai.access.models import RequestUser
from yicai.codes.models import Code
from yicai.codes.queries import codes_of
from yicai.org.forms import ScopedFilterForm, institution_filter
from yicai.org.models import Institution
from yicai.org.queries import institutions_for
from yicai.people.forms import CodeChoiceField
from yicai.picker import PeoplePickerField, PersonPickerField
from yicai.retention.models import ServiceItem, ServicePackage, ServiceTask
from yicai.retention.queries.care import EDIT, Status, packages_for
from yicai.web.forms import field_of

GUARDIANS = "retention.guardians"
STATUS_CHOICES = [
    ("", _("全部")),
    (Status.OPEN, _("待完成（一周内到期及逾期）")),
    (Status.OVERDUE, _("逾期")),
    (Status.DONE, _("已完成")),
]


def _day(label: Any, *, required: bool = False) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DateInput())


class EnrolmentFilterForm(ScopedFilterForm):
    institution_permission = "retention.view"
    q = forms.CharField(label=_("姓名/单位"), required=False)
    institution = institution_filter(_("服务机构"))
    active = _day(_("在服日期"))


class TaskFilterForm(ScopedFilterForm):
    institution_permission = "retention.view"
    q = forms.CharField(label=_("姓名/单位"), required=False)
    status = forms.ChoiceField(label=_("状态"), required=False, choices=STATUS_CHOICES)
    institution = institution_filter(_("服务机构"))
    team = forms.CharField(label=_("服务团队"), required=False)
    item: forms.ModelChoiceField[ServiceItem] = forms.ModelChoiceField(
        label=_("服务项目"), queryset=ServiceItem.objects.none(), required=False
    )
    since = _day(_("应办日期起"))
    until = _day(_("应办日期止"))

    def prepare(self) -> None:
        super().prepare()
        field_of(self, "item", forms.ModelChoiceField).queryset = ServiceItem.objects.filter(
            package__in=packages_for(self.user)
        ).exclude(recurrence=ServiceItem.Recurrence.ON_REQUEST)


class FiguresFilterForm(ScopedFilterForm):
    institution_permission = "retention.view"
    institution = institution_filter(_("服务机构"))
    since = _day(_("起始日期"))
    until = _day(_("截止日期"))


class GreenFilterForm(ScopedFilterForm):
    institution_permission = "retention.view"
    q = forms.CharField(label=_("姓名/需求"), required=False)
    institution = institution_filter(_("服务机构"))


class EnrolForm(StyledForm):
    package: forms.ModelChoiceField[ServicePackage] = forms.ModelChoiceField(
        label=_("服务包"), queryset=ServicePackage.objects.none()
    )
    name = forms.CharField(label=_("姓名"), max_length=50)
    sex = CodeChoiceField(label=_("性别"), queryset=Code.objects.none())
    birth_date = _day(_("出生日期"), required=True)
    id_number = forms.CharField(
        label=_("身份证号码"),
        max_length=18,
        required=False,
        help_text=_("已有档案的服务对象按身份证号码沿用其档案。"),
    )
    phone = forms.CharField(label=_("手机号码"), max_length=11, required=False)
    employer = forms.CharField(label=_("工作单位"), max_length=100, required=False)
    talent_kind = forms.CharField(label=_("人才类别"), max_length=60, required=False)
    institution: forms.ModelChoiceField[Institution] = forms.ModelChoiceField(
        label=_("服务机构"), queryset=Institution.objects.none()
    )
    guardian = PersonPickerField(GUARDIANS, label=_("健康守护医生"), required=False)
    team_name = forms.CharField(label=_("服务团队"), max_length=60, required=False)
    team = PeoplePickerField(GUARDIANS, label=_("团队成员"), required=False)
    enrolled_on = _day(_("入组日期"), required=True)
    note = forms.CharField(
        label=_("备注"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, user: RequestUser, *args: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def prepare(self) -> None:
        field_of(self, "package", forms.ModelChoiceField).queryset = packages_for(
            self.user, EDIT
        ).filter(active=True)
        field_of(self, "sex", forms.ModelChoiceField).queryset = codes_of("sex")
        field_of(self, "institution", forms.ModelChoiceField).queryset = institutions_for(
            self.user, EDIT
        ).filter(relation=Institution.Relation.MANAGED)
        field_of(self, "guardian", PersonPickerField).bind(self.user)
        field_of(self, "team", PeoplePickerField).bind(self.user)
        preselect_only_choice(self)
        preselect_only_choice(self, "package")


class CompleteForm(StyledForm):
    done_on = _day(_("完成日期"), required=True)
    channel = forms.ChoiceField(label=_("服务方式"), choices=ServiceTask.Channel.choices)
    note = forms.CharField(
        label=_("服务记录"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    satisfaction = forms.TypedChoiceField(
        label=_("满意度"),
        choices=[("", _("未评价")), *((n, str(n)) for n in range(5, 0, -1))],
        coerce=int,
        empty_value=None,
        required=False,
    )

    def prepare(self) -> None:
        self.initial.setdefault("done_on", timezone.localdate())


class GreenRequestForm(StyledForm):
    need = forms.CharField(label=_("就医需求"), max_length=200)


class GreenRespondForm(StyledForm):
    outcome = forms.CharField(label=_("办理结果"), max_length=200)
    satisfaction = forms.TypedChoiceField(
        label=_("满意度"),
        choices=[("", _("未评价")), *((n, str(n)) for n in range(5, 0, -1))],
        coerce=int,
        empty_value=None,
        required=False,
    )
