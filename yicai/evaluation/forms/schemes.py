"""The forms of assessment schemes: the list's filters, a draft's fields, its indicators and
subjects, a link between subjects, a reviewer's score, an appeal and its resolution."""

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from yicai.access.forms import DateInput, FilterForm, StyledForm
from yicai.access.models import RequestUser
from yicai.access.scope import scoped
from yicai.evaluation.metrics import METRICS
from yicai.evaluation.models import BOUND_TO, Appeal, Indicator, Scheme, Subject
from yicai.org.models import Department, Institution
from yicai.picker import PersonPickerField
from yicai.training.forms.common import MentorshipChoiceField
from yicai.training.models import Mentorship
from yicai.web.forms import DepartmentChoiceField, field_of

SUBJECTS = "evaluation.subjects"  # the person picker's source (evaluation.apps)


class SchemeFilterForm(FilterForm):
    q = forms.CharField(label=_("方案名称"), required=False, max_length=100)
    year = forms.IntegerField(label=_("考核年度"), required=False, min_value=1949, max_value=2100)
    subject_type = forms.ChoiceField(
        label=_("考核对象"), required=False, choices=[("", _("全部")), *Scheme.SubjectType.choices]
    )
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部")), *Scheme.Status.choices]
    )


class SchemeForm(StyledForm):
    name = forms.CharField(label=_("方案名称"), max_length=200)
    cycle_start = forms.DateField(label=_("考核期开始"), widget=DateInput())
    cycle_end = forms.DateField(label=_("考核期结束"), widget=DateInput())
    subject_type = forms.ChoiceField(label=_("考核对象"), choices=Scheme.SubjectType.choices)
    renormalise = forms.BooleanField(
        label=_("缺少数据的指标不计，其余按权重折算"),
        required=False,
        help_text=_("不勾选时，缺少数据的指标计 0 分。"),
    )


class CopyForm(StyledForm):
    cycle_start = forms.DateField(label=_("新考核期开始"), widget=DateInput())
    cycle_end = forms.DateField(label=_("新考核期结束"), widget=DateInput())


class IndicatorForm(StyledForm):
    """An indicator of a draft; the reviewer is named by their account's username (the list
    of accounts is not offered: it grows with the region)."""

    parent = forms.ModelChoiceField(
        label=_("上级指标"), queryset=Indicator.objects.none(), required=False
    )
    name = forms.CharField(label=_("指标名称"), max_length=100)
    weight = forms.DecimalField(
        label=_("权重"), max_digits=5, decimal_places=2, min_value=0, max_value=100
    )
    source = forms.ChoiceField(
        label=_("计分来源"),
        required=False,
        choices=[("", _("（分组，不直接计分）")), *Indicator.Source.choices],
    )
    mode = forms.ChoiceField(
        label=_("计分方式"), required=False, choices=[("", "—"), *Indicator.Mode.choices]
    )
    metric = forms.ChoiceField(label=_("自动指标"), required=False)
    target = forms.DecimalField(
        label=_("目标值"), max_digits=12, decimal_places=2, required=False, min_value=0
    )
    pass_line = forms.DecimalField(
        label=_("及格线（%）"),
        max_digits=5,
        decimal_places=2,
        required=False,
        min_value=0,
        max_value=100,
    )
    scale_max = forms.DecimalField(
        label=_("满分"), max_digits=6, decimal_places=2, required=False, min_value=0
    )
    reviewer = forms.CharField(label=_("评分人账号"), max_length=150, required=False)
    position = forms.IntegerField(label=_("顺序"), min_value=0, max_value=999, initial=0)

    def __init__(self, *args: Any, scheme: Scheme, indicator: Indicator | None = None, **kwargs):
        self.scheme, self.indicator = scheme, indicator
        super().__init__(*args, **kwargs)

    def prepare(self) -> None:
        groups = self.scheme.indicators.filter(source="")
        if self.indicator is not None:
            groups = groups.exclude(pk=self.indicator.pk)
        field_of(self, "parent", forms.ModelChoiceField).queryset = groups
        field_of(self, "metric", forms.ChoiceField).choices = [
            ("", "—"),
            *(
                (metric.key, f"{metric.label}（{metric.unit}）")
                for metric in METRICS.values()
                if self.scheme.subject_type in metric.subject_types
            ),
        ]

    def clean_reviewer(self) -> Any:
        username = self.cleaned_data["reviewer"].strip()
        if not username:
            return None
        account = get_user_model().objects.filter(username=username, is_active=True).first()
        if account is None:
            raise forms.ValidationError(_("没有该账号：%(name)s。") % {"name": username})
        return account


class SubjectForm(StyledForm):
    label = forms.CharField(
        label=_("名称"), max_length=100, required=False, help_text=_("不填时取所选对象的名称。")
    )
    person = PersonPickerField(SUBJECTS, label=_("人员"), required=False)
    mentorship = MentorshipChoiceField(
        label=_("师带徒关系"), queryset=Mentorship.objects.none(), required=False
    )
    department = DepartmentChoiceField(
        label=_("科室"), queryset=Department.objects.none(), required=False
    )
    institution = forms.ModelChoiceField(
        label=_("机构"), queryset=Institution.objects.none(), required=False
    )

    def __init__(self, user: RequestUser, *args: Any, scheme: Scheme, **kwargs: Any) -> None:
        self.user, self.scheme = user, scheme
        super().__init__(*args, **kwargs)

    def prepare(self) -> None:
        # Only the field the scheme's subjects are bound to (and the name) is offered.
        bound = BOUND_TO[Scheme.SubjectType(self.scheme.subject_type)]
        for name in ("person", "mentorship", "department", "institution"):
            if name != bound:
                del self.fields[name]
        self.fields[bound].required = True
        if bound == "person":
            field_of(self, "person", PersonPickerField).bind(self.user)
        querysets = {
            "mentorship": lambda: Mentorship.objects.select_related("mentor", "institution"),
            "department": lambda: Department.objects.select_related("institution"),
            "institution": lambda: Institution.objects.all(),
        }
        if bound in querysets:
            field = field_of(self, bound, forms.ModelChoiceField)
            field.queryset = scoped(self.user, querysets[bound](), "evaluation.edit")


class LinkForm(StyledForm):
    subject = forms.ModelChoiceField(label=_("考核对象"), queryset=Subject.objects.none())
    indicator = forms.ModelChoiceField(label=_("关联指标"), queryset=Indicator.objects.none())
    linked = forms.ModelChoiceField(
        label=_("关联对象"),
        queryset=Subject.objects.none(),
        help_text=_("其得分计入考核对象的关联指标，可选同一考核期的其他方案的对象。"),
    )
    weight = forms.DecimalField(
        label=_("权重"), max_digits=5, decimal_places=2, min_value=0, initial=100
    )

    def __init__(self, *args: Any, scheme: Scheme, linkable: Any, **kwargs: Any) -> None:
        self.scheme, self.linkable = scheme, linkable
        super().__init__(*args, **kwargs)

    def prepare(self) -> None:
        field_of(self, "subject", forms.ModelChoiceField).queryset = self.scheme.subjects.all()
        field_of(
            self, "indicator", forms.ModelChoiceField
        ).queryset = self.scheme.indicators.filter(source=Indicator.Source.LINKED)
        field_of(self, "linked", forms.ModelChoiceField).queryset = self.linkable


class ManualScoreForm(StyledForm):
    value = forms.DecimalField(label=_("评分"), max_digits=6, decimal_places=2)
    note = forms.CharField(label=_("评语"), max_length=300, required=False)
    evidence = forms.FileField(label=_("佐证材料"), required=False)


class AppealForm(StyledForm):
    indicator = forms.ModelChoiceField(
        label=_("申诉指标"),
        queryset=Indicator.objects.none(),
        required=False,
        empty_label=_("总分"),
    )
    reason = forms.CharField(label=_("申诉理由"), max_length=2000, widget=forms.Textarea)

    def __init__(self, *args: Any, scheme: Scheme, **kwargs: Any) -> None:
        self.scheme = scheme
        super().__init__(*args, **kwargs)

    def prepare(self) -> None:
        field_of(self, "indicator", forms.ModelChoiceField).queryset = self.scheme.indicators.all()


class AppealFilterForm(FilterForm):
    q = forms.CharField(label=_("考核对象 / 方案"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部")), *Appeal.Status.choices]
    )


class ResolveForm(StyledForm):
    upheld = forms.TypedChoiceField(
        label=_("处理结果"),
        choices=[("1", _("采纳（按现有记录重新计分）")), ("0", _("不采纳"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    resolution = forms.CharField(label=_("处理意见"), max_length=2000, widget=forms.Textarea)
