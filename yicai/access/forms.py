from typing import Any

from django import forms
from django.db.models import Manager, Model
from django.utils.translation import gettext_lazy as _

from yicai.access.models import AuditEntry, Role, RoleAssignment, Scope, SecurityPolicy, User


class DateInput(forms.DateInput):
    """An HTML date picker; it only accepts ISO dates, whatever the page's language."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


def bootstrap(form: forms.BaseForm) -> None:
    """Bootstrap classes, no ASCII colon after labels, and "全部" as a filter's empty choice."""
    form.label_suffix = ""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")
        if isinstance(field, forms.ModelChoiceField) and not field.required:
            field.empty_label = _("全部") if getattr(form, "is_filter", False) else _("（无）")


class StyledForm(forms.Form):
    """A form styled like every other (`bootstrap`) once its subclass has prepared its fields
    (`prepare`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.prepare()
        bootstrap(self)

    def prepare(self) -> None:
        """Sets up the fields before they are styled: what the choices offer, initial values,
        the size of a text box (nothing here)."""


class FilterForm(StyledForm):
    """A list's filters: its choices open on "全部" rather than "（无）"."""

    is_filter = True


def preselect_only_choice(form: forms.BaseForm, name: str = "institution") -> None:
    """A new record's choice (the institution, by default) is made for the user when their
    scope offers only one: a hospital administrator finds their own institution chosen."""
    field = form.fields.get(name)
    if not isinstance(field, forms.ModelChoiceField) or field.queryset is None:
        return
    if form.is_bound or form.initial.get(name):
        return
    instance = getattr(form, "instance", None)
    if instance is not None and instance.pk:
        return  # an edit keeps what the record has
    only = list(field.queryset[:2])
    if len(only) == 1:
        form.initial[name] = only[0]


class AuditFilterForm(FilterForm):
    event = forms.ChoiceField(
        label=_("事件"), required=False, choices=[("", _("全部"))] + list(AuditEntry.Event.choices)
    )
    actor = forms.CharField(label=_("操作人"), required=False)
    text = forms.CharField(label=_("对象"), required=False)
    since = forms.DateField(label=_("起始日期"), required=False, widget=DateInput())
    until = forms.DateField(label=_("截止日期"), required=False, widget=DateInput())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("since", "until"):
            day = data.get(name)
            if day and not 2000 <= day.year <= 2100:
                self.add_error(name, _("请填写 2000 至 2100 年之间的日期。"))
        return data

    def criteria(self) -> dict[str, Any]:
        return {name: value for name, value in self.cleaned_data.items() if value}


# The people an account may be bound to (a `yicai.picker` source, registered in apps.py).
BINDABLE = "access.bindable"


def person_field(user: User, *, required: bool) -> forms.Field:
    """The person an account belongs to: a search among those its administrator may bind,
    never a list of everyone. The picker reads people, so it is imported here, not at the
    top: the people app imports access, not the other way round."""
    from yicai.picker import PersonPickerField

    field = PersonPickerField(BINDABLE, label=_("对应人员"), required=required)
    field.bind(user)
    field.widget.attrs["cols"] = "12"  # a search box needs the form's width
    return field


def person_label(person: Any) -> str:
    """A person as the picker shows them: name, sex, birth year, institution, department."""
    from yicai.picker import describe

    shown = describe(person)
    return " · ".join(part for part in (shown["name"], shown["detail"]) if part)


class UserFilterForm(FilterForm):
    # As long as a username or a name can be: a longer search is a mistake, answered 400.
    q = forms.CharField(label=_("用户名 / 姓名"), required=False, max_length=150)


class UserCreateForm(forms.Form):
    username = forms.CharField(label=_("用户名"), max_length=150)
    full_name = forms.CharField(
        label=_("姓名"), max_length=150, required=False, help_text=_("留空时取对应人员的姓名。")
    )
    password = forms.CharField(
        label=_("初始密码"), widget=forms.PasswordInput, help_text=_("用户首次登录时须修改。")
    )

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"] = person_field(user, required=False)
        bootstrap(self)


class BindForm(forms.Form):
    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"] = person_field(user, required=True)
        bootstrap(self)


def _tied_to(name: str) -> Manager[Model]:
    """What a role may be tied to (a region, an institution, a department), as the role
    assignment's own keys name it: access stands below org and does not import it."""
    model = RoleAssignment._meta.get_field(name).related_model
    if not (isinstance(model, type) and issubclass(model, Model)):
        raise LookupError(f"RoleAssignment.{name} names no model")
    return model._default_manager


class _DepartmentField(forms.ModelChoiceField[Model]):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.institution} · {obj.name}"


class RoleAssignForm(StyledForm):
    # The least by default: a careless click grants a staff member their own record only.
    role = forms.ChoiceField(label=_("角色"), choices=Role.choices, initial=Role.STAFF)
    scope = forms.ChoiceField(label=_("数据范围"), choices=Scope.choices, initial=Scope.SELF)
    region = forms.ModelChoiceField(
        label=_("辖区"), queryset=_tied_to("region").all(), required=False
    )
    institution = forms.ModelChoiceField(
        label=_("机构"), queryset=_tied_to("institution").all(), required=False
    )
    department = _DepartmentField(
        label=_("科室"),
        required=False,
        queryset=_tied_to("department").select_related("institution"),
    )
    institutions = forms.ModelMultipleChoiceField(
        label=_("指定机构"), queryset=_tied_to("institutions").all(), required=False
    )


class PolicyForm(forms.ModelForm[SecurityPolicy]):
    otp_roles = forms.MultipleChoiceField(
        label=_("须二次验证的角色"),
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = SecurityPolicy
        fields = [
            "min_length",
            "min_classes",
            "history_count",
            "max_age_days",
            "lockout_failures",
            "lockout_minutes",
            "idle_minutes",
            "session_hours",
            "otp_roles",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)
        self.fields["otp_roles"].widget.attrs.pop("class", None)
