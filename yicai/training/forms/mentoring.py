"""Case log and technique forms, and the name a link's confirmer signs with."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yicai.access.forms import DateInput, bootstrap
from yicai.org.queries import institutions_for
from yicai.people.models import Person
from yicai.training.forms.common import GAP_CHOICES, VERIFIED_CHOICES, PersonChoiceField
from yicai.training.models import CaseLog, Mentorship, Technique


class CaseFilterForm(forms.Form):
    is_filter = True
    q = forms.CharField(label=_("记录人 / 技术名称"), required=False)
    role = forms.ChoiceField(
        label=_("参与程度"), required=False, choices=[("", _("全部")), *CaseLog.Role.choices]
    )
    verified = forms.ChoiceField(label=_("审核"), required=False, choices=VERIFIED_CHOICES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class TechniqueFilterForm(forms.Form):
    is_filter = True
    q = forms.CharField(label=_("技术名称"), required=False)
    institution = forms.ModelChoiceField(label=_("机构"), queryset=None, required=False)
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部")), *Technique.Status.choices]
    )
    gap = forms.ChoiceField(label=_("填补空白"), required=False, choices=GAP_CHOICES)

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions_for(user)
        bootstrap(self)


class CaseLogForm(forms.Form):
    """What an apprentice logs, on a phone after the operation: the technique, the day, how
    they took part, and who can confirm it."""

    technique = forms.ModelChoiceField(label=_("技术"), queryset=None)
    performed_on = forms.DateField(label=_("日期"), widget=DateInput())
    role = forms.ChoiceField(label=_("参与程度"), choices=CaseLog.Role.choices)
    supervisor = PersonChoiceField(label=_("指导/审核人"), queryset=None, required=False)
    mentorship = forms.ModelChoiceField(label=_("师带徒关系"), queryset=None, required=False)
    note = forms.CharField(
        label=_("说明"),
        required=False,
        max_length=300,
        help_text=_("只写手术要点，不要填写患者姓名、身份证号等信息。"),
    )

    def __init__(self, person, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["technique"].queryset = Technique.objects.filter(
            institution_id=person.institution_id
        ).order_by("name")
        mentorships = Mentorship.objects.filter(apprenticeships__apprentice=person).select_related(
            "mentor"
        )
        self.fields["mentorship"].queryset = mentorships
        # Who can confirm: the apprentice's mentors and the colleagues of their department
        # (of their institution when they have none).
        colleagues = (
            Q(department_id=person.department_id)
            if person.department_id
            else Q(institution_id=person.institution_id)
        )
        self.fields["supervisor"].queryset = (
            Person.objects.filter(colleagues | Q(pk__in=mentorships.values("mentor")))
            .exclude(pk=person.pk)
            .select_related("institution")
            .order_by("name_initials")
        )
        for name in ("technique", "performed_on", "role", "supervisor", "mentorship"):
            self.fields[name].widget.attrs["cols"] = "6"
        self.fields["note"].widget.attrs["cols"] = "12"
        bootstrap(self)


class ConfirmForm(forms.Form):
    name = forms.CharField(label=_("您的姓名"), max_length=50)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)
