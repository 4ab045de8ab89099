"""The filter forms (the list pages and the API) and edit forms of partner agreements,
recruitment plans, introductions and applications."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yicai.access.forms import DateInput, StyledForm, bootstrap
from yicai.access.models import RequestUser
from yicai.org.forms import ScopedFilterForm, institution_filter
from yicai.org.models import Institution
from yicai.org.queries import DEPARTMENT_OUT_OF_SCOPE, INSTITUTION_OUT_OF_SCOPE
from yicai.params import MAX_INT
from yicai.people.forms import CodeChoiceField
from yicai.people.models import TitleGrade
from yicai.picker import PersonPickerField
from yicai.recruitment import queries
from yicai.recruitment.models import (
    Application,
    DirectedContract,
    DirectedKind,
    Entitlement,
    Introduction,
    PartnerAgreement,
    Post,
    RecruitmentPlan,
)
from yicai.web.forms import DepartmentChoiceField, field_of, prompt_and_preselect


def _either(label: Any, first: tuple[str, Any], second: tuple[str, Any]) -> forms.Field:
    """A yes-or-no decision as two radio buttons, "1" for yes."""
    return forms.TypedChoiceField(
        label=label,
        choices=[first, second],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )


def _day(label: Any) -> forms.DateField:
    """The day something was done: today, or the real date of a past year's record."""
    return forms.DateField(
        label=label, required=False, widget=DateInput(), help_text=_("不填为今天。")
    )


class _RecruitmentFilterForm(ScopedFilterForm):
    """A filter of the managed institutions the user sees (partners recruit nothing here)."""

    def institutions(self) -> QuerySet[Institution]:
        return queries.agreement_institutions(self.user)


class _PeriodFilterForm(_RecruitmentFilterForm):
    """A filter of a period, from `since` to `until` (both inclusive, either open)."""

    since = forms.DateField(label=_("起始日期"), required=False, widget=DateInput())
    until = forms.DateField(label=_("截止日期"), required=False, widget=DateInput())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", _("截止日期不能早于起始日期。"))
        return data


class AgreementFilterForm(_PeriodFilterForm):
    q = forms.CharField(label=_("协议名称 / 合作方"), required=False)
    institution = institution_filter(_("签约机构"))
    kind = forms.ChoiceField(
        label=_("协议类型"),
        required=False,
        choices=[("", _("全部")), *PartnerAgreement.Kind.choices],
    )
    as_of = forms.DateField(label=_("在该日有效"), required=False, widget=DateInput())
    field_order = ("q", "institution", "kind", "since", "until", "as_of")


class AgreementForm(forms.Form):
    institution: forms.ModelChoiceField[Institution] = forms.ModelChoiceField(
        label=_("签约机构"),
        queryset=None,
        error_messages={"invalid_choice": INSTITUTION_OUT_OF_SCOPE},
    )
    department = DepartmentChoiceField(
        label=_("对口科室"),
        queryset=None,
        required=False,
        error_messages={"invalid_choice": DEPARTMENT_OUT_OF_SCOPE},
    )
    partner: forms.ModelChoiceField[Institution] = forms.ModelChoiceField(
        label=_("合作机构"),
        queryset=None,
        required=False,
        help_text=_("登记在册的合作机构；未登记的，在下方填写名称。"),
        error_messages={"invalid_choice": queries.NOT_A_PARTNER},
    )
    partner_name = forms.CharField(label=_("合作方名称"), max_length=100, required=False)
    kind = forms.ChoiceField(label=_("协议类型"), choices=PartnerAgreement.Kind.choices)
    title = forms.CharField(label=_("协议名称"), max_length=200)
    signed_on = forms.DateField(label=_("签订日期"), widget=DateInput())
    starts_on = forms.DateField(label=_("起始日期"), widget=DateInput())
    ends_on = forms.DateField(
        label=_("截止日期"), required=False, widget=DateInput(), help_text=_("长期有效的留空。")
    )
    terms = forms.CharField(
        label=_("合作内容"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    document = forms.FileField(
        label=_("协议文本"),
        required=False,
        help_text=_("签署的协议扫描件：PDF、JPG 或 PNG，不超过 10 MB；再次上传将替换。"),
    )
    note = forms.CharField(label=_("说明"), widget=forms.Textarea(), required=False)

    def __init__(self, user: RequestUser, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(
            self, "institution", forms.ModelChoiceField
        ).queryset = queries.managed_institutions(user)
        field_of(
            self, "department", forms.ModelChoiceField
        ).queryset = queries.editable_departments(user)
        field_of(self, "partner", forms.ModelChoiceField).queryset = queries.partner_choices()
        self.fields["note"].widget.attrs.update(rows="3")
        bootstrap(self)
        prompt_and_preselect(self)


# --- Recruitment plans -------------------------------------------------------------------


class PlanFilterForm(_RecruitmentFilterForm):
    q = forms.CharField(label=_("计划名称 / 单位"), required=False)
    institution = institution_filter(_("招聘单位"))
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100, required=False)
    status = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[("", _("全部")), *RecruitmentPlan.Status.choices],
    )


class PlanFiguresForm(_RecruitmentFilterForm):
    """The figures' year (this year by default) and institution."""

    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100, required=False)
    institution = institution_filter(_("招聘单位"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        return {**data, "year": data.get("year") or timezone.localdate().year}


class PlanForm(forms.Form):
    institution: forms.ModelChoiceField[Institution] = forms.ModelChoiceField(
        label=_("招聘单位"),
        queryset=None,
        error_messages={"invalid_choice": INSTITUTION_OUT_OF_SCOPE},
    )
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("计划名称"), max_length=200)
    written_weight = forms.IntegerField(
        label=_("笔试成绩占比（%）"), min_value=0, max_value=100, initial=40
    )
    interview_weight = forms.IntegerField(
        label=_("面试成绩占比（%）"),
        min_value=0,
        max_value=100,
        initial=60,
        help_text=_("两项之和须为 100；只面试（考核）的填 0 与 100。"),
    )
    note = forms.CharField(label=_("说明"), widget=forms.Textarea(), required=False)

    def __init__(self, user: RequestUser, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(
            self, "institution", forms.ModelChoiceField
        ).queryset = queries.managed_institutions(user)
        self.fields["note"].widget.attrs.update(rows="3")
        bootstrap(self)
        prompt_and_preselect(self)


class PostForm(forms.Form):
    name = forms.CharField(label=_("岗位名称"), max_length=100)
    specialty = forms.CharField(
        label=_("专业"), max_length=100, help_text=_("如：临床医学、口腔医学、医学影像学、护理学。")
    )
    places = forms.IntegerField(label=_("招聘人数"), min_value=1, max_value=999)
    procedure = forms.ChoiceField(label=_("招聘程序"), choices=Post.Procedure.choices)
    organiser = forms.ChoiceField(
        label=_("组织实施"), choices=Post.Organiser.choices, initial=Post.Organiser.INSTITUTION
    )
    department = DepartmentChoiceField(
        label=_("用人科室"),
        queryset=None,
        required=False,
        error_messages={"invalid_choice": DEPARTMENT_OUT_OF_SCOPE},
    )
    min_education = CodeChoiceField(label=_("最低学历"), queryset=None, required=False)
    min_degree = CodeChoiceField(label=_("最低学位"), queryset=None, required=False)
    title_required = CodeChoiceField(label=_("职称要求"), queryset=None, required=False)
    max_age = forms.IntegerField(
        label=_("年龄上限"), min_value=18, max_value=65, required=False, help_text=_("周岁，含。")
    )
    staffing = CodeChoiceField(label=_("用人方式"), queryset=None, required=False)
    note = forms.CharField(label=_("其他条件"), widget=forms.Textarea(), required=False)

    def __init__(self, plan: RecruitmentPlan, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(
            self, "department", forms.ModelChoiceField
        ).queryset = plan.institution.departments.order_by("name")
        for name, codes in queries.post_code_choices().items():
            field_of(self, name, forms.ModelChoiceField).queryset = codes
        self.fields["note"].widget.attrs.update(rows="2")
        bootstrap(self)


class PlanStepForm(StyledForm):
    """The day a step was taken: today, or the real date of a past year's plan."""

    on = _day(_("日期"))


class PlanReturnForm(PlanStepForm):
    # Left empty, the service says what is missing (as it does to the API).
    reason = forms.CharField(
        label=_("退回原因"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class TalentGrowthForm(_RecruitmentFilterForm):
    """A talent tag (shortage by default) counted on two days: two years ago and today unless
    given."""

    tag = CodeChoiceField(label=_("人才标签"), queryset=None, required=False)
    since = forms.DateField(label=_("起始日"), required=False, widget=DateInput())
    until = forms.DateField(label=_("截止日"), required=False, widget=DateInput())
    institution = institution_filter(_("机构"))

    def prepare(self) -> None:
        super().prepare()
        field_of(self, "tag", forms.ModelChoiceField).queryset = queries.talent_tags()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        until = data.get("until") or timezone.localdate()
        since = data.get("since") or two_years_before(until)
        if until < since:
            self.add_error("until", _("截止日不能早于起始日。"))
        tag = data.get("tag") or queries.talent_tags().filter(code="shortage").first()
        if tag is None:
            self.add_error("tag", _("请选择人才标签。"))
        return {**data, "since": since, "until": until, "tag": tag}


def two_years_before(day: datetime.date) -> datetime.date:
    """The same day two years earlier (29 February: the 28th; a day of the first two years
    of the calendar, which a hostile query string may give: 1 January of year 1)."""
    if day.year - 2 < datetime.MINYEAR:
        return datetime.date.min
    try:
        return day.replace(year=day.year - 2)
    except ValueError:
        return day.replace(year=day.year - 2, day=28)


# --- Introductions -----------------------------------------------------------------------


class IntroductionFilterForm(_PeriodFilterForm):
    q = forms.CharField(label=_("姓名 / 原单位 / 层次"), required=False)
    institution = institution_filter(_("引进单位"))
    mode = forms.ChoiceField(
        label=_("引进方式"), required=False, choices=[("", _("全部")), *Introduction.Mode.choices]
    )
    category = forms.ChoiceField(
        label=_("人才类别"),
        required=False,
        choices=[("", _("全部")), *Introduction.Category.choices],
    )
    since = forms.DateField(label=_("引进日期自"), required=False, widget=DateInput())
    until = forms.DateField(label=_("引进日期至"), required=False, widget=DateInput())
    owing = forms.BooleanField(label=_("有待审批的待遇退还"), required=False)


class IntroductionFiguresForm(_PeriodFilterForm):
    """The period counted: all years unless given."""

    since = forms.DateField(label=_("引进日期自"), required=False, widget=DateInput())
    until = forms.DateField(label=_("引进日期至"), required=False, widget=DateInput())
    institution = institution_filter(_("引进单位"))


class IntroductionForm(forms.Form):
    person = PersonPickerField(
        "recruitment.introducible",
        label=_("引进人员"),
        help_text=_("先在人才档案中登记该人员。"),
    )
    institution: forms.ModelChoiceField[Institution] = forms.ModelChoiceField(
        label=_("引进单位"),
        queryset=None,
        error_messages={"invalid_choice": INSTITUTION_OUT_OF_SCOPE},
    )
    department = DepartmentChoiceField(
        label=_("引进科室"),
        queryset=None,
        required=False,
        error_messages={"invalid_choice": DEPARTMENT_OUT_OF_SCOPE},
    )
    introduced_on = forms.DateField(label=_("引进日期"), widget=DateInput())
    mode = forms.ChoiceField(label=_("引进方式"), choices=Introduction.Mode.choices)
    category = forms.ChoiceField(label=_("人才类别"), choices=Introduction.Category.choices)
    tier = forms.ChoiceField(
        label=_("层次"), required=False, help_text=_("卫健委人才政策的层次（代码表“人才层次”）。")
    )
    title_grade = forms.ChoiceField(
        label=_("引进时职称级别"),
        required=False,
        choices=[("", _("按档案")), *TitleGrade.choices],
        help_text=_("不填则取档案中的现职称级别。"),
    )
    previous_employer = forms.CharField(label=_("原工作单位"), max_length=200, required=False)
    post = forms.CharField(label=_("岗位"), max_length=100, required=False)
    service_years = forms.IntegerField(
        label=_("服务期（年）"), min_value=0, max_value=30, required=False
    )
    document = forms.FileField(
        label=_("引进协议"),
        required=False,
        help_text=_("签署的引进协议扫描件：PDF、JPG 或 PNG，不超过 10 MB；再次上传将替换。"),
    )
    note = forms.CharField(label=_("说明"), widget=forms.Textarea(), required=False)

    def __init__(
        self, user: RequestUser, *args: Any, introduction: Introduction | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        keep = [introduction.person_id] if introduction else []
        field_of(self, "person", PersonPickerField).bind(user, keep=keep)
        tiers = queries.tier_names()
        # A tier entered before the list said otherwise stays choosable on its record.
        kept = introduction.tier if introduction and introduction.tier not in tiers else ""
        field_of(self, "tier", forms.ChoiceField).choices = [
            ("", _("（无）")),
            *((name, name) for name in tiers),
            *([(kept, kept)] if kept else []),
        ]
        field_of(
            self, "institution", forms.ModelChoiceField
        ).queryset = queries.managed_institutions(user)
        field_of(
            self, "department", forms.ModelChoiceField
        ).queryset = queries.editable_departments(user)
        self.fields["note"].widget.attrs.update(rows="3")
        bootstrap(self)
        prompt_and_preselect(self)


# --- Applications ------------------------------------------------------------------------


class ApplicationFilterForm(_RecruitmentFilterForm):
    q = forms.CharField(label=_("姓名 / 准考证号 / 岗位"), required=False)
    institution = institution_filter(_("招聘单位"))
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100, required=False)
    status = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[("", _("全部")), *Application.Status.choices],
    )
    # Reached from a post's page (its applicants, its ranking's export): not in the bar.
    # Bounded as an id: the API's query string reaches the form unchecked by the middleware.
    post = forms.IntegerField(
        required=False, widget=forms.HiddenInput, min_value=1, max_value=MAX_INT
    )


class ApplicationForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    # Left empty, the service says it is required (as it does to the API and the import).
    id_number = forms.CharField(
        label=_("身份证号码"),
        max_length=30,
        required=False,
        help_text=_("出生日期和性别由身份证号码读出。"),
    )
    phone = forms.CharField(label=_("手机号码"), max_length=30, required=False)
    exam_number = forms.CharField(label=_("准考证号"), max_length=30, required=False)
    education = CodeChoiceField(label=_("学历"), queryset=None, required=False)
    degree = CodeChoiceField(label=_("学位"), queryset=None, required=False)
    school = forms.CharField(label=_("毕业院校"), max_length=100, required=False)
    major = forms.CharField(label=_("所学专业"), max_length=100, required=False)
    title = CodeChoiceField(label=_("职称"), queryset=None, required=False)
    applied_on = _day(_("报名日期"))
    note = forms.CharField(label=_("备注"), widget=forms.Textarea(), required=False)

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, codes in queries.application_code_choices().items():
            field_of(self, name, forms.ModelChoiceField).queryset = codes
        if editing:
            # The stored numbers are not shown again: blank keeps them.
            for name in ("id_number", "phone"):
                self.fields[name].help_text = _("不修改请留空。")
        self.fields["note"].widget.attrs.update(rows="2")
        bootstrap(self)


def _reason(label: Any, required: bool = False) -> forms.CharField:
    return forms.CharField(label=label, required=required, widget=forms.Textarea(attrs={"rows": 2}))


class EligibilityForm(StyledForm):
    """An officer's decision on the review; left empty, the reason is asked for by the
    service, as it is of the API."""

    eligible = _either(_("审查结论"), ("1", _("资格审查通过")), ("0", _("资格审查不通过")))
    reason = _reason(_("审查理由"))


class ScoresForm(StyledForm):
    written_score = forms.DecimalField(
        label=_("笔试成绩"), max_digits=5, decimal_places=2, required=False
    )
    interview_score = forms.DecimalField(
        label=_("面试成绩"), max_digits=5, decimal_places=2, required=False
    )
    exam_number = forms.CharField(label=_("准考证号"), max_length=30, required=False)


class ReasonForm(StyledForm):
    reason = _reason(_("理由"))


class CheckForm(ReasonForm):
    passed = _either(_("结论"), ("1", _("合格")), ("0", _("不合格")))
    reason = _reason(_("不合格原因"))
    field_order = ("passed", "reason")


class OutForm(ReasonForm):
    withdrawn = _either(_("情形"), ("1", _("本人放弃")), ("0", _("未通过（缺考、不合格等）")))
    reason = _reason(_("原因"))
    field_order = ("withdrawn", "reason")


class NoticeForm(StyledForm):
    title = forms.CharField(
        label=_("公示标题"), max_length=200, required=False, help_text=_("不填则按计划名称生成。")
    )
    starts_on = forms.DateField(label=_("公示开始日期"), widget=DateInput())
    ends_on = forms.DateField(label=_("公示截止日期"), widget=DateInput())


class ObjectionForm(StyledForm):
    received_on = forms.DateField(label=_("收到日期"), widget=DateInput())
    content = _reason(_("反映内容"), required=True)


class ResolveForm(StyledForm):
    upheld = _either(_("核查结论"), ("0", _("反映不属实")), ("1", _("反映属实（取消聘用资格）")))
    resolution = _reason(_("核查结果"))
    on = _day(_("处理日期"))


# --- Introductions' entitlements ---------------------------------------------------------


class TrancheForm(StyledForm):
    amount = forms.DecimalField(
        label=_("金额（元）"), max_digits=12, decimal_places=2, min_value=Decimal("0.01")
    )
    due_on = forms.DateField(label=_("应发日期"), widget=DateInput())
    condition = forms.CharField(label=_("发放条件"), max_length=200, required=False)


TrancheRows = forms.formset_factory(TrancheForm, extra=4, max_num=12)


class EntitlementForm(forms.Form):
    """An entitlement and its tranches (the rows filled in, in order)."""

    kind = forms.ChoiceField(label=_("待遇项目"), choices=Entitlement.Kind.choices)
    amount = forms.DecimalField(
        label=_("金额（元）"), max_digits=12, decimal_places=2, min_value=Decimal("0.01")
    )
    repayment = forms.ChoiceField(
        label=_("未满服务期离开时"),
        choices=Entitlement.Repayment.choices,
        initial=Entitlement.Repayment.PRO_RATA,
    )
    note = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = TrancheRows(args[0] if args else None, prefix="tranche")
        bootstrap(self)

    def is_valid(self) -> bool:
        rows_valid = self.rows.is_valid()
        return super().is_valid() and rows_valid

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        filled = [row for row in getattr(self.rows, "cleaned_data", []) if row]
        data["tranches"] = [(row["amount"], row["due_on"], row["condition"]) for row in filled]
        return data


class PayForm(StyledForm):
    paid_on = _day(_("发放日期"))
    voucher = forms.CharField(label=_("凭证号"), max_length=60, required=False)


class LeaveForm(StyledForm):
    left_on = forms.DateField(label=_("离开日期"), widget=DateInput())
    reason = forms.CharField(label=_("离开原因"), max_length=200, required=False)


class ClawbackForm(StyledForm):
    approve = _either(_("审批意见"), ("1", _("批准退还")), ("0", _("免除退还")))
    reason = _reason(_("理由"))
    on = _day(_("审批日期"))


class PaymentsDueForm(_RecruitmentFilterForm):
    as_of = _day(_("截至日期"))
    institution = institution_filter(_("引进单位"))


# --- Directed students -------------------------------------------------------------------


class _KindField(forms.ModelChoiceField):
    def label_from_instance(self, obj: DirectedKind) -> str:
        return obj.name


class ContractFilterForm(_RecruitmentFilterForm):
    q = forms.CharField(label=_("姓名 / 院校 / 服务单位"), required=False)
    institution = institution_filter(_("委托培养单位"))
    kind = _KindField(label=_("类型"), queryset=None, required=False)
    enrolled_year = forms.IntegerField(
        label=_("入学年份"), min_value=1990, max_value=2100, required=False
    )
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部")), *DirectedContract.Status.choices]
    )
    graduating = forms.IntegerField(
        label=_("当年毕业"), min_value=1990, max_value=2100, required=False
    )

    def prepare(self) -> None:
        super().prepare()
        field_of(self, "kind", forms.ModelChoiceField).queryset = queries.directed_kinds()


class ContractForm(forms.Form):
    kind = _KindField(label=_("类型"), queryset=None)
    name = forms.CharField(label=_("姓名"), max_length=50)
    # Left empty, the service says it is required (as to the API and the import).
    id_number = forms.CharField(label=_("身份证号码"), max_length=30, required=False)
    phone = forms.CharField(label=_("手机号码"), max_length=30, required=False)
    school = forms.CharField(label=_("培养院校"), max_length=100)
    major = forms.CharField(label=_("专业"), max_length=100)
    enrolled_year = forms.IntegerField(label=_("入学年份"), min_value=1990, max_value=2100)
    graduation_year = forms.IntegerField(
        label=_("预计毕业年份"),
        min_value=1990,
        max_value=2100,
        required=False,
        help_text=_("不填为入学后 5 年。"),
    )
    sponsor: forms.ModelChoiceField[Institution] = forms.ModelChoiceField(
        label=_("委托培养单位"),
        queryset=None,
        error_messages={"invalid_choice": INSTITUTION_OUT_OF_SCOPE},
    )
    service_place: forms.ModelChoiceField[Institution] = forms.ModelChoiceField(
        label=_("服务单位"), queryset=None, required=False
    )
    service_years = forms.IntegerField(
        label=_("服务年限（年）"),
        min_value=1,
        max_value=30,
        required=False,
        help_text=_("不填为该类型的规定年限。"),
    )
    fees_covered = forms.DecimalField(
        label=_("培养费用（元）"), max_digits=12, decimal_places=2, min_value=0, required=False
    )
    repayment = forms.ChoiceField(label=_("违约退还"), choices=DirectedContract.Repayment.choices)
    penalty = forms.DecimalField(
        label=_("违约金（元）"), max_digits=12, decimal_places=2, min_value=0, required=False
    )
    note = _reason(_("说明"))

    def __init__(self, user: RequestUser, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "kind", forms.ModelChoiceField).queryset = queries.directed_kinds()
        field_of(self, "sponsor", forms.ModelChoiceField).queryset = queries.managed_institutions(
            user
        )
        field_of(self, "service_place", forms.ModelChoiceField).queryset = queries.service_places()
        if editing:
            for name in ("id_number", "phone"):
                self.fields[name].help_text = _("不修改请留空。")
        bootstrap(self)
        prompt_and_preselect(self)


class AssignForm(forms.Form):
    service_place: forms.ModelChoiceField[Institution] = forms.ModelChoiceField(
        label=_("服务单位"), queryset=None
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "service_place", forms.ModelChoiceField).queryset = queries.service_places()
        bootstrap(self)


class StartForm(PlanStepForm):
    on = forms.DateField(label=_("到岗日期"), widget=DateInput())


class DirectedLeaveForm(StyledForm):
    on = forms.DateField(label=_("离岗日期"), widget=DateInput())
    reason = forms.CharField(label=_("离岗原因"), max_length=200, required=False)


# --- The expert network ------------------------------------------------------------------


class EventFilterForm(_PeriodFilterForm):
    q = forms.CharField(label=_("活动名称"), required=False)
    institution = institution_filter(_("邀请单位"))
    since = forms.DateField(label=_("举办日期自"), required=False, widget=DateInput())
    until = forms.DateField(label=_("举办日期至"), required=False, widget=DateInput())


class EventForm(forms.Form):
    institution: forms.ModelChoiceField[Institution] = forms.ModelChoiceField(
        label=_("邀请单位"),
        queryset=None,
        error_messages={"invalid_choice": INSTITUTION_OUT_OF_SCOPE},
    )
    title = forms.CharField(label=_("活动名称"), max_length=200)
    held_on = forms.DateField(label=_("举办日期"), widget=DateInput())
    note = _reason(_("说明"))

    def __init__(self, user: RequestUser, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(
            self, "institution", forms.ModelChoiceField
        ).queryset = queries.managed_institutions(user)
        bootstrap(self)
        prompt_and_preselect(self)


class InviteeForm(forms.Form):
    person = PersonPickerField("recruitment.experts", label=_("受邀专家"))
    attended = forms.TypedChoiceField(
        label=_("是否到场"),
        choices=[("1", _("到场")), ("0", _("未到场"))],
        coerce=lambda value: value == "1",
        initial="1",
    )
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, user: RequestUser, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "person", PersonPickerField).bind(user)
        bootstrap(self)


class ReferralForm(forms.Form):
    """Whom the expert (the page's) brought, where and when."""

    referred = PersonPickerField("recruitment.experts", label=_("引荐的专家"))
    institution: forms.ModelChoiceField[Institution] = forms.ModelChoiceField(
        label=_("受邀单位"),
        queryset=None,
        error_messages={"invalid_choice": INSTITUTION_OUT_OF_SCOPE},
    )
    referred_on = forms.DateField(label=_("引荐日期"), widget=DateInput())
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, user: RequestUser, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(
            self, "institution", forms.ModelChoiceField
        ).queryset = queries.managed_institutions(user)
        field_of(self, "referred", PersonPickerField).bind(user)
        bootstrap(self)
        prompt_and_preselect(self)


class NetworkFilterForm(_RecruitmentFilterForm):
    q = forms.CharField(label=_("姓名"), required=False)


class OverviewForm(_RecruitmentFilterForm):
    """The overview's year of plans (this year by default) and period (the two years to
    today by default), of one institution or all."""

    year = forms.IntegerField(label=_("计划年度"), min_value=2000, max_value=2100, required=False)
    since = forms.DateField(label=_("起始日"), required=False, widget=DateInput())
    until = forms.DateField(label=_("截止日"), required=False, widget=DateInput())
    institution = institution_filter(_("机构"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        until = data.get("until") or timezone.localdate()
        since = data.get("since") or two_years_before(until)
        if until < since:
            self.add_error("until", _("截止日不能早于起始日。"))
        return {**data, "year": data.get("year") or until.year, "since": since, "until": until}
