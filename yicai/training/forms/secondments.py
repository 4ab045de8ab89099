"""Secondment forms: the plan, the batch, the monthly report, the leader's comment, needs and
the completion report."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from yicai.access.forms import DateInput, StyledForm, bootstrap, preselect_only_choice
from yicai.org.forms import ScopedFilterForm, institution_filter
from yicai.org.models import Institution
from yicai.org.queries import institutions_for
from yicai.picker import PersonPickerField
from yicai.training.models import Secondment, SecondmentBatch, Technique
from yicai.training.queries import secondments as queries
from yicai.web.forms import field_of

STATUS_CHOICES = [("", _("全部")), ("current", _("当前在外进修")), *Secondment.Status.choices]


class SecondmentFilterForm(ScopedFilterForm):
    q = forms.CharField(label=_("姓名 / 进修医院 / 科室"), required=False)
    status = forms.ChoiceField(label=_("状态"), required=False, choices=STATUS_CHOICES)
    batch: forms.ModelChoiceField[SecondmentBatch] = forms.ModelChoiceField(
        label=_("进修批次"), queryset=None, required=False
    )
    institution = institution_filter(_("所在机构"))
    as_of = forms.DateField(
        label=_("在外进修截至"),
        required=False,
        widget=DateInput(),
        help_text=_("留空即今天；上方数字与批次在外人数按此日统计。"),
    )

    def prepare(self) -> None:
        super().prepare()
        field_of(self, "batch", forms.ModelChoiceField).queryset = queries.batches_for(self.user)


class SecondmentForm(forms.Form):
    person = PersonPickerField("training.seconded", label=_("进修人员"))
    batch: forms.ModelChoiceField[SecondmentBatch] = forms.ModelChoiceField(
        label=_("进修批次"), queryset=None, required=False
    )
    host: forms.ModelChoiceField[Institution] = forms.ModelChoiceField(
        label=_("进修医院"), queryset=None
    )
    host_department = forms.CharField(label=_("进修科室"), max_length=100)
    start_on = forms.DateField(label=_("开始日期"), widget=DateInput())
    end_on = forms.DateField(
        label=_("结束日期"),
        widget=DateInput(),
        required=False,
        help_text=_("留空则为一年。"),
    )
    linked_leader = PersonPickerField(
        "training.leaders",
        label=_("挂钩领导"),
        required=False,
        help_text=_("本专科的院领导或科主任，全程跟踪进修情况。"),
    )
    objectives = forms.CharField(label=_("进修目标"), widget=forms.Textarea(), required=False)

    def __init__(self, user, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        field_of(self, "person", PersonPickerField).bind(user)
        field_of(self, "batch", forms.ModelChoiceField).queryset = queries.batches_to_join(user)
        field_of(self, "host", forms.ModelChoiceField).queryset = queries.host_choices(user)
        # An edit keeps the leader named before, even one no longer offered.
        field_of(self, "linked_leader", PersonPickerField).bind(
            user, keep=[self.initial.get("linked_leader")]
        )
        if editing:  # who went, and with which batch, does not change
            del self.fields["person"], self.fields["batch"]
        self.fields["objectives"].widget.attrs.update(rows="3", cols="12")
        bootstrap(self)


class BatchForm(forms.Form):
    name = forms.CharField(label=_("批次名称"), max_length=100)
    year = forms.IntegerField(label=_("年度"), min_value=1990, max_value=2100)
    institution: forms.ModelChoiceField[Institution] = forms.ModelChoiceField(
        label=_("组织机构"),
        queryset=None,
        required=False,
        help_text=_("由卫健委统一组织时留空。"),
    )
    note = forms.CharField(label=_("说明"), max_length=300, required=False)

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field_of(self, "institution", forms.ModelChoiceField).queryset = institutions_for(
            user, "training.edit"
        ).filter(relation="managed")
        preselect_only_choice(self)
        bootstrap(self)


class ReportForm(StyledForm):
    month = forms.DateField(
        label=_("月份"), widget=DateInput(), help_text=_("该月任意一天均可，按月份记。")
    )
    content = forms.CharField(label=_("本月学习内容"), widget=forms.Textarea())
    techniques = forms.CharField(label=_("学习的技术"), max_length=300, required=False)

    def prepare(self) -> None:
        self.fields["content"].widget.attrs.update(rows="4", cols="12")
        self.fields["techniques"].widget.attrs["cols"] = "12"


class CommentForm(forms.Form):
    comment = forms.CharField(label=_("领导批注"), widget=forms.Textarea())
    # Entering a leader's past comment (from paper) on their behalf: the day it was made.
    commented_on = forms.DateField(label=_("批注日期"), required=False, widget=DateInput())

    def __init__(self, *args, backfill: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not backfill:
            del self.fields["commented_on"]
        self.fields["comment"].widget.attrs.update(rows="2", cols="12")
        bootstrap(self)


class NeedForm(StyledForm):
    content = forms.CharField(label=_("需求"), max_length=300)


class ResolveForm(StyledForm):
    resolution = forms.CharField(label=_("解决情况"), max_length=300)


class CompletionForm(StyledForm):
    completed_on = forms.DateField(label=_("结业日期"), widget=DateInput())
    report = forms.CharField(label=_("结业报告"), widget=forms.Textarea())
    techniques = forms.CharField(
        label=_("拟引进的新技术"),
        widget=forms.Textarea(),
        required=False,
        help_text=_("每行一项：技术名称，可在后面用逗号注明类别（如：胆道镜取石术，手术）。"),
    )

    def prepare(self) -> None:
        for name in ("report", "techniques"):
            self.fields[name].widget.attrs.update(rows="3", cols="12")

    def clean_techniques(self) -> list[tuple[str, str]]:
        """Lines of 'name[, category]'; the category by its Chinese label (default: other)."""
        by_label = {str(label): value for value, label in Technique.Category.choices}
        planned = []
        for number, line in enumerate(self.cleaned_data["techniques"].splitlines(), start=1):
            parts = [part.strip() for part in line.replace("，", ",").split(",")]
            if not parts[0]:
                continue
            label = parts[1] if len(parts) > 1 else ""
            if label and label not in by_label:
                raise forms.ValidationError(
                    _("第 %(n)d 行的类别“%(label)s”不在：%(known)s")
                    % {"n": number, "label": label, "known": "、".join(by_label)}
                )
            planned.append((parts[0], by_label.get(label, Technique.Category.OTHER)))
        return planned
