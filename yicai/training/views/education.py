"""Continuing education (events with their attendance, credits against the requirement) and
training quotas with the enrolments that fill them."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yicai.access.scope import has_perm, require
from yicai.training.exports.education import (
    CREDIT_HEADERS,
    ENROLMENT_HEADERS,
    EVENT_HEADERS,
    QUOTA_HEADERS,
    credit_rows,
    enrolment_rows,
    event_rows,
    quota_rows,
    rate,
)
from yicai.training.forms.education import (
    AttendanceForm,
    CreditFilterForm,
    EnrolmentFilterForm,
    EnrolmentForm,
    EventFilterForm,
    EventForm,
    ExternalCreditForm,
    QuotaFilterForm,
    QuotaForm,
    RequirementForm,
)
from yicai.training.models import ExternalCredit
from yicai.training.queries import education as education_queries
from yicai.training.queries.education import (
    attendance_for,
    attendances_of,
    enrolment_for,
    event_for,
    events_for,
    meets,
    quota_totals,
    requirement_for,
    requirements,
    this_year,
)
from yicai.training.services import education as education_services
from yicai.training.services.education import (
    ENROLMENT_FIELDS,
    EVENT_FIELDS,
    attendance_record,
    credit_requirement_set,
    enrolment_update,
    event_update,
    external_credit_record,
)
from yicai.training.views import TRAINING
from yicai.web.forms import initial_from
from yicai.web.listing import Export, list_page, may
from yicai.web.views import acted, form_page

# Events and attendance


@login_required
def event_list(request):
    def extra(_listing, _filters):
        return {"can_edit": has_perm(request.user, "training.edit")}

    export = Export(_("继续教育活动"), EVENT_HEADERS, event_rows, _("导出继续教育活动"))
    form = EventFilterForm(request.user, request.GET or None)
    return list_page(
        request,
        TRAINING,
        "training/education_event_list.html",
        form,
        education_queries.event_list,
        export,
        extra,
    )


@login_required
def event_create(request):
    require(request.user, "training.edit")
    form = EventForm(request.user, request.POST or None)
    return form_page(
        request,
        form,
        "training/education_event_form.html",
        save=lambda values: education_services.event_create(**values),
        message=lambda event: _("已登记继续教育活动：%s") % event.title,
        then=lambda event: redirect("training:education_event", event.pk),
    )


def _event_page(request, event, form=None, attendance_form=None, status=200):
    user = request.user
    can_edit = may(user, "training.edit", events_for, event.pk)
    if can_edit and form is None:
        form = EventForm(user, initial=initial_from(event, EVENT_FIELDS), event=event)
    if can_edit and attendance_form is None:
        attendance_form = AttendanceForm(user, event=event)
    attendances = list(attendances_of(user, event))
    context = {
        "event": event,
        "form": form if can_edit else None,
        "attendance_form": attendance_form if can_edit else None,
        "attendances": attendances,
        "hidden_count": event.attendances.count() - len(attendances),
        "can_edit": can_edit,
    }
    return render(request, "training/education_event.html", context, status=status)


@login_required
def event_detail(request, pk):
    """The event with its attendance; whoever may edit it changes it here and adds people."""
    require(request.user, "training.view")
    if request.method == "POST":
        require(request.user, "training.edit")
        event = event_for(request.user, pk, "training.edit")
        form = EventForm(request.user, request.POST, event=event)

        def page() -> HttpResponseBase:
            event.refresh_from_db()  # the form wrote into it: the page shows it as saved
            return _event_page(request, event, form=form)

        return form_page(
            request,
            form,
            page,
            save=lambda values: event_update(event=event, **values),
            message=lambda _saved: _("已保存：%s") % event.title,
            then=lambda _saved: redirect("training:education_event", event.pk),
        )
    return _event_page(request, event_for(request.user, pk))


@login_required
@require_POST
def attendance_add(request, pk):
    require(request.user, "training.edit")
    event = event_for(request.user, pk, "training.edit")
    form = AttendanceForm(request.user, request.POST, event=event)
    return form_page(
        request,
        form,
        lambda: _event_page(request, event, attendance_form=form),
        save=lambda values: attendance_record(event=event, **values),
        message=lambda added: _("已登记 %d 名参加人员。") % len(added),
        then=lambda _added: redirect("training:education_event", event.pk),
    )


@login_required
@require_POST
def attendance_remove(request, pk):
    require(request.user, "training.edit")
    attendance = attendance_for(request.user, pk, "training.edit")
    # The attendee is the user's to edit, and so must the event be.
    event = event_for(request.user, attendance.event_id, "training.edit")
    education_services.attendance_remove(attendance=attendance)
    messages.success(request, _("已移除：%s") % attendance.person.name)
    return redirect("training:education_event", event.pk)


@login_required
@require_POST
def event_delete(request, pk):
    require(request.user, "training.edit")
    event = event_for(request.user, pk, "training.edit")
    deleted = acted(
        request,
        lambda: education_services.event_delete(event=event),
        _("已删除：%s") % event.title,
    )
    if not deleted:
        return redirect("training:education_event", event.pk)
    return redirect("training:education_events")


# Credits


@login_required
def credit_list(request):
    user = request.user
    form = CreditFilterForm(user, request.GET or None)
    year = (form.cleaned_data.get("year") if form.is_valid() else None) or this_year()
    requirement = requirement_for(year)

    def extra(listing, _filters):
        for person in listing["page_obj"]:
            person.meets = meets(person, requirement)
        can_configure = has_perm(user, "training.configure")
        return {
            "year": year,
            "requirement": requirement,
            "requirements": list(requirements()),
            "can_configure": can_configure,
            "requirement_form": RequirementForm() if can_configure else None,
            "can_report": has_perm(user, "training.edit")
            or (user.person_id is not None and has_perm(user, "training.log")),
        }

    export = Export(
        _("继续教育学分"), CREDIT_HEADERS, credit_rows(requirement), _("导出继续教育学分")
    )
    return list_page(
        request,
        TRAINING,
        "training/education_credit_list.html",
        form,
        education_queries.credit_list,
        export,
        extra,
    )


@login_required
@require_POST
def requirement_set(request):
    require(request.user, "training.configure")
    form = RequirementForm(request.POST)
    if form.is_valid():
        acted(
            request,
            lambda: credit_requirement_set(**form.cleaned_data),
            _("已保存学分要求。"),
        )
    else:
        messages.error(request, _("学分要求未保存：%s") % _form_errors(form))
    return redirect("training:education_credits")


def _form_errors(form) -> str:
    """A form's errors in one line, each after its field's label."""
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        parts.append(f"{label}：{' '.join(errors)}" if label else " ".join(errors))
    return "；".join(parts)


@login_required
def external_credit_create(request):
    """Credits earned outside: an administrator records them for their staff, a staff member
    reports their own."""
    user = request.user
    if has_perm(user, "training.edit"):
        own = False
    elif user.person_id is not None and has_perm(user, "training.log"):
        own = True
    else:
        raise PermissionDenied
    form = ExternalCreditForm(user, request.POST or None, own=own)

    def save(values: dict[str, Any]) -> ExternalCredit:
        if own:  # the form has no person to choose
            values = {**values, "person": user.person}
        return external_credit_record(**values)

    return form_page(
        request,
        form,
        "training/education_external_credit_form.html",
        save=save,
        message=lambda record: _("已登记院外学分：%s") % record.title,
        then=lambda _record: redirect("training:education_credits"),
    )


# Quotas


@login_required
def quota_list(request):
    user = request.user
    form = QuotaFilterForm(user, request.GET or None)

    def extra(listing, filters):
        for quota in listing["page_obj"]:
            quota.rate = rate(quota.fulfilled, quota.number)
        can_configure = has_perm(user, "training.configure")
        return {
            "year": filters.get("year") or this_year(),
            "totals": quota_totals(education_queries.quota_list(user, **filters)),
            "can_configure": can_configure,
            "quota_form": QuotaForm(user) if can_configure else None,
        }

    export = Export(_("培训指标"), QUOTA_HEADERS, quota_rows, _("导出培训指标"))
    return list_page(
        request,
        TRAINING,
        "training/education_quota_list.html",
        form,
        education_queries.quota_list,
        export,
        extra,
    )


@login_required
@require_POST
def quota_set(request):
    require(request.user, "training.configure")
    form = QuotaForm(request.user, request.POST)
    if form.is_valid():
        acted(
            request,
            lambda: education_services.quota_set(**form.cleaned_data),
            lambda quota: _("已保存培训指标：%s") % quota,
        )
    else:
        messages.error(request, _("培训指标未保存：%s") % _form_errors(form))
    return redirect("training:education_quotas")


# Enrolments


@login_required
def enrolment_list(request):
    def extra(_listing, _filters):
        return {"can_edit": has_perm(request.user, "training.edit")}

    export = Export(
        _("学历教育与短期培训"), ENROLMENT_HEADERS, enrolment_rows, _("导出学历教育与短期培训")
    )
    form = EnrolmentFilterForm(request.user, request.GET or None)
    return list_page(
        request,
        TRAINING,
        "training/education_enrolment_list.html",
        form,
        education_queries.enrolment_list,
        export,
        extra,
    )


@login_required
def enrolment_create(request):
    require(request.user, "training.edit")
    form = EnrolmentForm(request.user, request.POST or None)
    return form_page(
        request,
        form,
        "training/education_enrolment_form.html",
        save=lambda values: education_services.enrolment_create(**values),
        message=lambda enrolment: _("已登记：%s") % enrolment,
        then=lambda _enrolment: redirect("training:education_enrolments"),
    )


@login_required
def enrolment_edit(request, pk):
    require(request.user, "training.edit")
    enrolment = enrolment_for(request.user, pk, "training.edit")
    initial = initial_from(enrolment, ENROLMENT_FIELDS)
    form = EnrolmentForm(request.user, request.POST or None, initial=initial, editing=True)
    return form_page(
        request,
        form,
        "training/education_enrolment_form.html",
        {"enrolment": enrolment},
        save=lambda values: enrolment_update(enrolment=enrolment, **values),
        message=lambda _saved: _("已保存：%s") % enrolment,
        then=lambda _saved: redirect("training:education_enrolments"),
    )
