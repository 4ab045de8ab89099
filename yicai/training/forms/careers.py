"""Career plan forms: filters, the plan, a goal with its target, a goal marked done."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from yicai.access.forms import DateInput, StyledForm, bootstrap
from yicai.org.forms import ScopedFilterForm, institution_filter
from yicai.picker import PersonPickerField
from yicai.training.forms.common import MentorshipChoiceField
from yicai.training.models import GoalKind, Technique, TrainingKind
from yicai.training.queries import careers as queries
from yicai.web.forms import field_of


class CareerFilterForm(ScopedFilterForm):
    q = forms.CharField(label=_("姓名 / 拼音首字母"), required=False)
    institution = institution_filter(_("所在机构"))
    year = forms.IntegerField(label=_("目标年度"), min_value=2000, max_value=2100, required=False)


class MembershipChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.cohort}（{obj.get_status_display()}）"


class TitleChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.parent.name} · {obj.name}" if obj.parent_id else obj.name


class CareerPlanForm(forms.Form):
    person = PersonPickerField("training.planned", label=_("人员"))
    direction = forms.CharField(label=_("发展方向"), widget=forms.Textarea(), required=False)
    cohort_member = MembershipChoiceField(label=_("所在培养计划"), queryset=None, required=False)
    mentorship = MentorshipChoiceField(label=_("师带徒关系"), queryset=None, required=False)

    def __init__(self, user, *args, plan=None, person=None, **kwargs):
        super().__init__(*args, **kwargs)
        person = plan.person if plan is not None else person
        if plan is not None:
            del self.fields["person"]  # whose plan it is does not change
        else:
            field_of(self, "person", PersonPickerField).bind(user)
        if person is not None:
            field_of(
                self, "cohort_member", forms.ModelChoiceField
            ).queryset = queries.plan_membership_choices(person)
            field_of(
                self, "mentorship", forms.ModelChoiceField
            ).queryset = queries.plan_mentorship_choices(person)
        else:  # chosen with the person, after the plan exists
            del self.fields["cohort_member"], self.fields["mentorship"]
        self.fields["direction"].widget.attrs.update(rows="3", cols="12")
        bootstrap(self)


class CareerGoalForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    kind = forms.ChoiceField(label=_("类别"), choices=GoalKind.choices)
    text = forms.CharField(label=_("目标"), max_length=300)
    target_title = TitleChoiceField(
        label=_("目标职称"), queryset=None, required=False, help_text=_("职称目标填写。")
    )
    target_technique: forms.ModelChoiceField[Technique] = forms.ModelChoiceField(
        label=_("目标技术"),
        queryset=None,
        required=False,
        help_text=_("新技术目标填写：有审核通过的独立完成病例即达成。"),
    )
    target_papers = forms.IntegerField(
        label=_("论文篇数"),
        min_value=1,
        max_value=50,
        required=False,
        help_text=_("科研目标填写。"),
    )
    target_training_kind = forms.ChoiceField(
        label=_("培训类别"),
        required=False,
        choices=[("", _("不限")), *TrainingKind.choices],
        help_text=_("进修培训目标填写：当年有该类进修或培训即达成。"),
    )

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        field_of(
            self, "target_title", forms.ModelChoiceField
        ).queryset = queries.titles_to_aim_for()
        field_of(
            self, "target_technique", forms.ModelChoiceField
        ).queryset = queries.techniques_to_aim_for(person)
        self.fields["text"].widget.attrs["cols"] = "8"
        bootstrap(self)


class DoneForm(StyledForm):
    done_on = forms.DateField(label=_("完成日期"), widget=DateInput())
    note = forms.CharField(label=_("完成说明"), max_length=300, required=False)
