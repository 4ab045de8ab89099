from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from yicai.access.forms import DateInput, StyledForm, bootstrap, preselect_only_choice
from yicai.access.models import RequestUser
from yicai.codes.models import Code
from yicai.codes.queries import codes_of
from yicai.org.forms import ScopedFilterForm, institution_filter
from yicai.org.models import Department, Institution
from yicai.org.queries import departments_for, institutions_for
from yicai.params import is_id
from yicai.people.models import CorrectionRequest, Person, TitleGrade
from yicai.people.queries import AGE_BAND_LABELS, PersonFilter
from yicai.web.forms import field_of

# Highest first, as lists offer them.
TITLE_GRADES = list(reversed(TitleGrade.choices))


class CodeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Code) -> str:
        return obj.name


def department_label(department: Department) -> str:
    """A department among several institutions' ones: "甲区医院 · 心内科"."""
    institution = department.institution
    return f"{institution.short_name or institution.name} · {department.name}"


class DepartmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Department) -> str:
        return department_label(obj)


class DepartmentsChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Department) -> str:
        return department_label(obj)


class PersonFilterForm(ScopedFilterForm):
    q = forms.CharField(label=_("姓名 / 拼音首字母 / 身份证后四位"), required=False)
    institution = institution_filter(_("机构"))
    department: "forms.ModelChoiceField[Department]" = forms.ModelChoiceField(
        label=_("科室"), queryset=None, required=False
    )
    title_grade = forms.ChoiceField(
        label=_("职称级别"), required=False, choices=[("", _("全部")), *TITLE_GRADES]
    )
    education = CodeChoiceField(label=_("学历"), queryset=None, required=False)
    tag = CodeChoiceField(label=_("人才标签"), queryset=None, required=False)
    age_band = forms.ChoiceField(
        label=_("年龄段"), required=False, choices=[("", _("全部")), *AGE_BAND_LABELS.items()]
    )
    sex = CodeChoiceField(label=_("性别"), queryset=None, required=False)
    category = forms.ChoiceField(
        label=_("人员类别"), required=False, choices=[("", _("全部")), *Person.Category.choices]
    )
    # The dashboards' figures as of a day link here with it: who was in post then, with the
    # title, education, tag and age they had (yicai.people.queries.in_post_on).
    on = forms.DateField(
        label=_("在岗日期"),
        required=False,
        widget=DateInput(),
        help_text=_("填写后按当日在岗人员及其当时的职称、学历、标签和年龄筛选。"),
    )
    incomplete = forms.BooleanField(label=_("仅看档案不完整的人员"), required=False)
    licence_expiring = forms.BooleanField(label=_("仅看执业证书 90 天内到期的人员"), required=False)
    sort = forms.ChoiceField(
        label=_("排序"),
        required=False,
        choices=[
            ("name", _("姓名")),
            ("-birth", _("年龄由小到大")),
            ("birth", _("年龄由大到小")),
            ("institution", _("机构")),
            ("title", _("职称级别")),
        ],
    )

    def prepare(self) -> None:
        super().prepare()
        departments = departments_for(self.user)
        institution = self.data.get("institution")
        if institution and is_id(institution):
            departments = departments.filter(institution_id=institution)
        else:
            departments = departments.none()
        field_of(self, "department", forms.ModelChoiceField).queryset = departments
        # Changing the institution refreshes the department choices in place (htmx).
        self.fields["institution"].widget.attrs.update(
            {
                "hx-get": reverse("people:list"),
                "hx-target": "#id_department",
                "hx-select": "#id_department",
                "hx-swap": "outerHTML",
                # Only the institution: the search box may hold a full identity number.
                "hx-include": "this",
                "hx-trigger": "change",
            }
        )
        education = field_of(self, "education", forms.ModelChoiceField)
        education.queryset = codes_of("education").filter(parent__isnull=True)
        field_of(self, "tag", forms.ModelChoiceField).queryset = codes_of("talent_tag")
        field_of(self, "sex", forms.ModelChoiceField).queryset = codes_of("sex")

    def criteria(self) -> PersonFilter:
        data = self.cleaned_data if self.is_valid() else {}
        return PersonFilter(
            q=data.get("q", ""),
            institution=data["institution"].pk if data.get("institution") else None,
            department=data["department"].pk if data.get("department") else None,
            title_grade=data.get("title_grade", ""),
            education=data["education"].pk if data.get("education") else None,
            tag=data["tag"].pk if data.get("tag") else None,
            age_band=data.get("age_band", ""),
            category=data.get("category", ""),
            sex=data["sex"].pk if data.get("sex") else None,
            on=data.get("on"),
            incomplete=bool(data.get("incomplete")),
            licence_expiring=bool(data.get("licence_expiring")),
            sort=data.get("sort") or "name",
        )


class PersonForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    # Left blank, both are read from the identity number.
    sex = CodeChoiceField(label=_("性别"), queryset=None, required=False)
    birth_date = forms.DateField(label=_("出生日期"), widget=DateInput(), required=False)
    id_number = forms.CharField(
        label=_("身份证号码"),
        max_length=30,
        required=False,
        help_text=_("18 位居民身份证号码，保存后加密存储。"),
    )
    phone = forms.CharField(label=_("手机号码"), max_length=30, required=False)
    ethnicity = CodeChoiceField(label=_("民族"), queryset=None, required=False)
    category = forms.ChoiceField(label=_("人员类别"), choices=Person.Category.choices)
    source = CodeChoiceField(label=_("人才来源"), queryset=None, required=False)
    personnel_category = CodeChoiceField(label=_("从事专业类别"), queryset=None, required=False)
    practice_category = CodeChoiceField(label=_("执业类别"), queryset=None, required=False)
    political_status = CodeChoiceField(label=_("政治面貌"), queryset=None, required=False)
    staffing = CodeChoiceField(label=_("编制情况"), queryset=None, required=False)
    work_start_on = forms.DateField(label=_("参加工作时间"), widget=DateInput(), required=False)
    institution: "forms.ModelChoiceField[Institution]" = forms.ModelChoiceField(
        label=_("所在机构"), queryset=None
    )
    department = DepartmentChoiceField(label=_("所在科室"), queryset=None, required=False)
    position = forms.CharField(label=_("职务/岗位"), max_length=60, required=False)
    # The version the form was loaded at: a save over someone else's later one is refused
    # (yicai.versions) instead of silently reverting it. Absent (a scripted post), the save
    # is unchecked, as in the API.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, user: RequestUser, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "sex", forms.ModelChoiceField).queryset = codes_of("sex").filter(note="")
        for name, table in (
            ("ethnicity", "ethnicity"),
            ("source", "person_source"),
            ("personnel_category", "personnel_category"),
            ("practice_category", "practice_category"),
            ("political_status", "political_status"),
            ("staffing", "staffing"),
        ):
            field_of(self, name, forms.ModelChoiceField).queryset = codes_of(table)
        institution = field_of(self, "institution", forms.ModelChoiceField)
        institution.queryset = institutions_for(user, "person.edit")
        department = field_of(self, "department", forms.ModelChoiceField)
        department.queryset = departments_for(user, "person.edit")
        if editing:
            for name in ("id_number", "phone"):
                self.fields[name].help_text = _("留空表示不修改；已保存的号码不回显。")
        else:
            for name in ("sex", "birth_date"):
                self.fields[name].help_text = _("可不填，按身份证号码")
            preselect_only_choice(self)
        bootstrap(self)

    def clean(self) -> dict[str, Any]:
        cleaned = self.cleaned_data
        if not cleaned.get("id_number", "").strip():
            for name, message in (
                ("sex", _("请填写性别。")),
                ("birth_date", _("请填写出生日期。")),
            ):
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, message)
        return cleaned


class CorrectionRequestForm(StyledForm):
    """A person's request to correct their own record."""

    topic = forms.ChoiceField(label=_("更正事项"), choices=CorrectionRequest.Topic.choices)
    wrong = forms.CharField(
        label=_("有误的内容"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3, "cols": "6"}),
        help_text=_("档案中现在记载的内容。身份证号、手机号只写末四位。"),
    )
    correct = forms.CharField(
        label=_("应更正为"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3, "cols": "6"}),
        help_text=_("正确的内容，以及可以核对的材料（如毕业证书、职称证书）。"),
    )


class CorrectionResolveForm(StyledForm):
    resolution = forms.CharField(
        label=_("处理意见"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3, "cols": "12"}),
        help_text=_("采纳时可说明已更正的内容；未采纳时必须说明原因。申请人可以看到。"),
    )
