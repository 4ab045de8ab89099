"""Programme forms: filters, a programme, a cohort, a selection round, a nomination, a score,
the approval, and a member's goals, reviews, completion and withdrawal."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yicai.access.forms import DateInput, FilterForm, StyledForm, bootstrap, preselect_only_choice
from yicai.access.scope import has_perm
from yicai.org.forms import ScopedFilterForm, institution_filter
from yicai.org.models import Institution
from yicai.picker import PersonPickerField
from yicai.training.declarations import BACKFILL
from yicai.training.models import (
    AnnualReview,
    CohortMember,
    GoalKind,
    Nomination,
    Programme,
    TitleGrade,
)
from yicai.training.queries import programmes as queries
from yicai.web.forms import field_of

ACTIVE_CHOICES = [("", _("全部")), ("yes", _("在用")), ("no", _("已停用"))]


class ProgrammeFilterForm(ScopedFilterForm):
    q = forms.CharField(label=_("计划名称"), required=False)
    kind = forms.ChoiceField(
        label=_("类别"), required=False, choices=[("", _("全部")), *Programme.Kind.choices]
    )
    active = forms.ChoiceField(label=_("状态"), required=False, choices=ACTIVE_CHOICES)


class ProgrammeForm(StyledForm):
    name = forms.CharField(label=_("计划名称"), max_length=60)
    kind = forms.ChoiceField(label=_("类别"), choices=Programme.Kind.choices)
    duration_years = forms.IntegerField(label=_("培养周期（年）"), min_value=1, max_value=10)
    quota = forms.IntegerField(label=_("每期名额"), min_value=1, max_value=1000)
    min_age = forms.IntegerField(label=_("最低年龄"), min_value=18, max_value=70, required=False)
    max_age = forms.IntegerField(
        label=_("最高年龄"),
        min_value=18,
        max_value=70,
        required=False,
        help_text=_("以该期开始日期计算的周岁。"),
    )
    min_title_grade = forms.ChoiceField(
        label=_("最低职称级别"),
        required=False,
        choices=[("", _("不限")), *TitleGrade.choices],
    )
    requires_internal_mentor = forms.BooleanField(label=_("须有院内导师"), required=False)
    requires_external_mentor = forms.BooleanField(label=_("须有院外导师"), required=False)
    active = forms.BooleanField(label=_("在用"), required=False, initial=True)
    description = forms.CharField(
        label=_("培养目标与内容"), widget=forms.Textarea(), required=False
    )

    def prepare(self) -> None:
        self.fields["description"].widget.attrs.update(rows="4", cols="12")


class CohortForm(StyledForm):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    name = forms.CharField(label=_("名称"), max_length=60, help_text=_("如：2025 年度第一批"))
    start_on = forms.DateField(label=_("开始日期"), widget=DateInput())
    end_on = forms.DateField(
        label=_("结束日期"),
        widget=DateInput(),
        required=False,
        help_text=_("留空则按培养周期计算。"),
    )


class RoundForm(StyledForm):
    name = forms.CharField(label=_("名称"), max_length=60, initial=_("遴选"))
    opens_on = forms.DateField(label=_("提名开始日期"), widget=DateInput())
    closes_on = forms.DateField(label=_("提名截止日期"), widget=DateInput())
    note = forms.CharField(label=_("说明"), max_length=300, required=False)

    def prepare(self) -> None:
        self.fields["note"].widget.attrs["cols"] = "12"


def backfill_date(label, help_text) -> forms.DateField:
    """The real day of a past event, offered to those who may back-fill (others act today)."""
    return forms.DateField(label=label, required=False, widget=DateInput(), help_text=help_text)


class NominationForm(forms.Form):
    institution: forms.ModelChoiceField[Institution] = forms.ModelChoiceField(
        label=_("提名机构"), queryset=None
    )
    person = PersonPickerField("training.nominees", label=_("被提名人"))
    reason = forms.CharField(label=_("推荐理由"), widget=forms.Textarea())
    nominated_on = backfill_date(
        _("提名日期"), _("补录以往遴选时填写真实的提名日期，须在提名期内；留空即今天。")
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field_of(
            self, "institution", forms.ModelChoiceField
        ).queryset = queries.nominating_institutions(user)
        preselect_only_choice(self)
        field_of(self, "person", PersonPickerField).bind(user)
        self.fields["reason"].widget.attrs.update(rows="2", cols="12")
        if not has_perm(user, BACKFILL):
            del self.fields["nominated_on"]
        bootstrap(self)


class ScoreForm(StyledForm):
    reviewer_name = forms.CharField(label=_("评审专家"), max_length=50)
    score = forms.DecimalField(
        label=_("评分"), min_value=0, max_value=100, max_digits=5, decimal_places=1
    )
    comment = forms.CharField(label=_("评语"), max_length=300, required=False)


class DecideForm(forms.Form):
    status = forms.ChoiceField(
        choices=[
            (Nomination.Status.APPROVED, Nomination.Status.APPROVED.label),
            (Nomination.Status.REJECTED, Nomination.Status.REJECTED.label),
        ]
    )
    decided_on = backfill_date(_("决定日期"), _("补录以往遴选时填写；留空即今天。"))

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not has_perm(user, BACKFILL):
            del self.fields["decided_on"]


class ApproveForm(forms.Form):
    approved_on = forms.DateField(label=_("批准日期"), widget=DateInput())
    entered_on = forms.DateField(
        label=_("入选日期"), widget=DateInput(), required=False, help_text=_("留空即批准日期。")
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"approved_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        bootstrap(self)


class MemberFilterForm(FilterForm):
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部")), *CohortMember.Status.choices]
    )
    missing_mentor = forms.BooleanField(label=_("仅看缺少导师的"), required=False)


class TalentPoolFilterForm(ScopedFilterForm):
    q = forms.CharField(label=_("姓名 / 拼音首字母"), required=False)
    programme: forms.ModelChoiceField[Programme] = forms.ModelChoiceField(
        label=_("培养计划"), queryset=None, required=False
    )
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部")), *CohortMember.Status.choices]
    )
    institution = institution_filter(_("所在机构"))

    def prepare(self) -> None:
        super().prepare()
        programmes = queries.programmes_for(self.user).order_by("name")
        field_of(self, "programme", forms.ModelChoiceField).queryset = programmes


class MemberGoalForm(StyledForm):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    target_kind = forms.ChoiceField(
        label=_("目标类别"), required=False, choices=[("", _("（不限）")), *GoalKind.choices]
    )
    text = forms.CharField(label=_("目标"), max_length=300)

    def prepare(self) -> None:
        self.fields["text"].widget.attrs["cols"] = "6"


class ReviewForm(StyledForm):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    rating = forms.ChoiceField(label=_("考核结果"), choices=AnnualReview.Rating.choices)
    reviewer = forms.CharField(label=_("考核人"), max_length=50)
    reviewed_on = forms.DateField(label=_("考核日期"), widget=DateInput())
    comments = forms.CharField(label=_("考核意见"), widget=forms.Textarea(), required=False)

    def prepare(self) -> None:
        self.fields["comments"].widget.attrs.update(rows="2", cols="12")


class CompleteForm(StyledForm):
    completed_on = forms.DateField(label=_("结业日期"), widget=DateInput())


class WithdrawForm(StyledForm):
    on = forms.DateField(label=_("退出日期"), widget=DateInput())
    reason = forms.CharField(label=_("退出原因"), max_length=200)
