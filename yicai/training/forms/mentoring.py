"""Mentorship, case log and technique forms, and the name a link's confirmer signs with."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from yicai.access.forms import DateInput, FilterForm, StyledForm, bootstrap
from yicai.org.forms import ScopedFilterForm, institution_filter
from yicai.org.models import Institution
from yicai.org.queries import departments_for, institutions_for
from yicai.picker import PeoplePickerField, PersonPickerField
from yicai.training.forms.common import GAP_CHOICES, VERIFIED_CHOICES, MentorshipChoiceField
from yicai.training.models import CaseLog, Mentorship, Technique
from yicai.training.queries.mentoring import (
    current_mentors,
    mentorships_for,
    mentorships_of,
    techniques_for,
    techniques_to_log,
)
from yicai.web.forms import DepartmentChoiceField, field_of, prompt_and_preselect


class CaseFilterForm(FilterForm):
    q = forms.CharField(label=_("记录人 / 技术名称"), required=False)
    role = forms.ChoiceField(
        label=_("参与程度"), required=False, choices=[("", _("全部")), *CaseLog.Role.choices]
    )
    verified = forms.ChoiceField(label=_("审核"), required=False, choices=VERIFIED_CHOICES)
    since = forms.DateField(label=_("起始日期"), required=False, widget=DateInput())
    until = forms.DateField(label=_("截止日期"), required=False, widget=DateInput())


class TechniqueFilterForm(ScopedFilterForm):
    q = forms.CharField(label=_("技术名称"), required=False)
    institution = institution_filter(_("机构"))
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部")), *Technique.Status.choices]
    )
    gap = forms.ChoiceField(label=_("填补空白"), required=False, choices=GAP_CHOICES)
    since = forms.DateField(label=_("填补空白起始日期"), required=False, widget=DateInput())
    until = forms.DateField(label=_("填补空白截止日期"), required=False, widget=DateInput())


class CaseLogForm(forms.Form):
    """What an apprentice logs, on a phone after the operation: the technique, the day, how
    they took part, and who can confirm it."""

    technique: forms.ModelChoiceField[Technique] = forms.ModelChoiceField(
        label=_("技术"), queryset=None
    )
    performed_on = forms.DateField(label=_("日期"), widget=DateInput())
    role = forms.ChoiceField(label=_("参与程度"), choices=CaseLog.Role.choices)
    supervisor = PersonPickerField("training.supervisors", label=_("指导/审核人"), required=False)
    mentorship: forms.ModelChoiceField[Mentorship] = forms.ModelChoiceField(
        label=_("师带徒关系"), queryset=None, required=False
    )
    note = forms.CharField(
        label=_("说明"),
        required=False,
        max_length=300,
        help_text=_("只写手术要点，不要填写患者姓名、身份证号等信息。"),
    )

    def __init__(self, person, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # The same choices the API accepts: the person's institution's techniques, their
        # mentorships, and their mentors and department colleagues to confirm (their own
        # mentor chosen to begin with).
        field_of(self, "technique", forms.ModelChoiceField).queryset = techniques_to_log(
            person
        ).order_by("name")
        field_of(self, "mentorship", forms.ModelChoiceField).queryset = mentorships_of(
            person
        ).select_related("mentor")
        field_of(self, "supervisor", PersonPickerField).bind(user)
        if not self.is_bound:
            self.initial.setdefault("supervisor", current_mentors(person).first())
        for name in ("technique", "performed_on", "role", "supervisor", "mentorship"):
            self.fields[name].widget.attrs["cols"] = "6"
        self.fields["note"].widget.attrs["cols"] = "12"
        bootstrap(self)


class TechniqueChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.institution.short_name}）"


class CaseBackfillForm(forms.Form):
    """A past case an administrator enters from the paper case book, on the apprentice's
    behalf: who did it, when and how, who supervised, and the paper it was verified on."""

    apprentice = PersonPickerField("training.backfill_people", label=_("记录人"))
    technique = TechniqueChoiceField(
        label=_("技术"), queryset=None, help_text=_("须是记录人所在机构登记的技术。")
    )
    performed_on = forms.DateField(label=_("日期"), widget=DateInput())
    role = forms.ChoiceField(label=_("参与程度"), choices=CaseLog.Role.choices)
    supervisor = PersonPickerField(
        "training.backfill_supervisors",
        label=_("指导/审核人"),
        required=False,
        help_text=_("记录人的导师或同科室人员。"),
    )
    mentorship = MentorshipChoiceField(label=_("师带徒关系"), queryset=None, required=False)
    note = forms.CharField(
        label=_("说明"),
        required=False,
        max_length=300,
        help_text=_("只写手术要点，不要填写患者姓名、身份证号等信息。"),
    )
    paper_reference = forms.CharField(
        label=_("纸质审核凭证"),
        required=False,
        max_length=100,
        help_text=_(
            "已在纸质病例本上由导师签字审核的，填写凭证编号（如病例本编号及页码）或上传扫描件，"
            "记为纸质审核；都不填则待导师在系统中或通过确认链接审核。"
        ),
    )
    paper_scan = forms.FileField(label=_("纸质审核扫描件"), required=False)

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field_of(self, "apprentice", PersonPickerField).bind(user)
        field_of(self, "technique", forms.ModelChoiceField).queryset = techniques_for(
            user, "training.backfill"
        ).order_by("institution__name", "name")
        field_of(self, "supervisor", PersonPickerField).bind(user)
        field_of(self, "mentorship", forms.ModelChoiceField).queryset = (
            mentorships_for(user, "training.backfill").prefetch_related(None).order_by("-start_on")
        )
        self.fields["note"].widget.attrs["cols"] = "12"
        self.fields["paper_reference"].widget.attrs["cols"] = "12"
        bootstrap(self)
        prompt_and_preselect(self)


class PaperVerificationForm(StyledForm):
    """The paper a case was verified on: its reference, a scan, or both."""

    paper_reference = forms.CharField(
        label=_("纸质审核凭证"),
        required=False,
        max_length=100,
        help_text=_("如病例本编号及页码、审核表编号。"),
    )
    paper_scan = forms.FileField(
        label=_("纸质审核扫描件"), required=False, help_text=_("PDF、JPG 或 PNG，不超过 10 MB。")
    )


class ConfirmForm(StyledForm):
    name = forms.CharField(label=_("您的姓名"), max_length=50)


class MentorshipFilterForm(ScopedFilterForm):
    institution_permission = "training.view"
    q = forms.CharField(label=_("导师 / 徒弟"), required=False)
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部")), *Mentorship.Status.choices]
    )
    institution = institution_filter(_("带教机构"))
    as_of = forms.DateField(
        label=_("在该日进行中"),
        required=False,
        widget=DateInput(),
        help_text=_("已结束的按其结束日期计。"),
    )


def editable_institutions(user):
    return institutions_for(user, "training.edit").order_by("relation", "name")


def editable_departments(user):
    return departments_for(user, "training.edit").order_by("institution__name", "name")


class MentorshipForm(forms.Form):
    """The agreement of a mentorship (带教协议): who teaches whom where, for how long, the goals
    and the targets the visits are counted against."""

    mentor = PersonPickerField("training.experts", label=_("导师"))
    apprentices = PeoplePickerField(
        "training.staff", label=_("徒弟"), help_text=_("可多选；须是带教机构的人员。")
    )
    institution: forms.ModelChoiceField[Institution] = forms.ModelChoiceField(
        label=_("带教机构"), queryset=None
    )
    department = DepartmentChoiceField(label=_("带教科室"), queryset=None, required=False)
    start_on = forms.DateField(label=_("开始日期"), widget=DateInput())
    end_on = forms.DateField(label=_("结束日期"), required=False, widget=DateInput())
    status = forms.ChoiceField(
        label=_("状态"), choices=Mentorship.Status.choices, initial=Mentorship.Status.ACTIVE
    )
    target_visits = forms.IntegerField(label=_("目标来院次数"), min_value=0, initial=0)
    target_lectures = forms.IntegerField(label=_("目标授课次数"), min_value=0, initial=0)
    target_operations = forms.IntegerField(label=_("目标手术指导台次"), min_value=0, initial=0)
    goals = forms.CharField(
        label=_("带教目标"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, user, *args, mentorship: Mentorship | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        field_of(self, "mentor", PersonPickerField).bind(
            user, keep=[mentorship.mentor_id if mentorship else None]
        )
        current = (
            mentorship.apprenticeships.values_list("apprentice", flat=True) if mentorship else []
        )
        field_of(self, "apprentices", PeoplePickerField).bind(user, keep=current)
        field_of(self, "institution", forms.ModelChoiceField).queryset = editable_institutions(user)
        field_of(self, "department", forms.ModelChoiceField).queryset = editable_departments(user)
        for name in ("mentor", "apprentices", "institution", "department"):
            self.fields[name].widget.attrs["cols"] = "6"
        self.fields["goals"].widget.attrs["cols"] = "12"
        bootstrap(self)
        prompt_and_preselect(self)


class TechniqueForm(forms.Form):
    """A technique new to an institution (新技术新项目); its institution is chosen once."""

    institution: forms.ModelChoiceField[Institution] = forms.ModelChoiceField(
        label=_("机构"), queryset=None
    )
    name = forms.CharField(label=_("技术名称"), max_length=100)
    category = forms.ChoiceField(label=_("类别"), choices=Technique.Category.choices)
    origin = forms.ChoiceField(label=_("来源"), choices=Technique.Origin.choices)
    department = DepartmentChoiceField(label=_("科室"), queryset=None, required=False)
    mentorship = MentorshipChoiceField(label=_("师带徒关系"), queryset=None, required=False)
    status = forms.ChoiceField(
        label=_("状态"), choices=Technique.Status.choices, initial=Technique.Status.PLANNED
    )

    def __init__(self, user, *args, technique: Technique | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if technique is not None:
            del self.fields["institution"]
            departments = editable_departments(user).filter(institution=technique.institution)
            mentorships = mentorships_for(user, "training.edit").filter(
                institution=technique.institution
            )
        else:
            field_of(self, "institution", forms.ModelChoiceField).queryset = editable_institutions(
                user
            )
            departments = editable_departments(user)
            mentorships = mentorships_for(user, "training.edit")
        field_of(self, "department", forms.ModelChoiceField).queryset = departments
        field_of(
            self, "mentorship", forms.ModelChoiceField
        ).queryset = mentorships.prefetch_related(None).order_by("-start_on", "pk")
        bootstrap(self)
        prompt_and_preselect(self)
