"""Expert visits (the list with its counts, a month's calendar, record, edit, delete) and
remote consultations (list, record, edit)."""

import calendar
import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from yicai.access.scope import has_perm, require
from yicai.params import filter_status
from yicai.training.exports.activity import (
    CONSULTATION_HEADERS,
    VISIT_HEADERS,
    consultation_rows,
    visit_rows,
)
from yicai.training.forms.activity import (
    CalendarForm,
    ConsultationFilterForm,
    ConsultationForm,
    VisitFilterForm,
    VisitForm,
)
from yicai.training.queries import activity as activity_queries
from yicai.training.queries.activity import (
    consultation_for,
    consultation_page,
    consultations_for,
    visit_counts,
    visit_filter_choices,
    visit_for,
    visit_month,
    visits_for,
)
from yicai.training.services import activity as activity_services
from yicai.training.services.activity import (
    CONSULTATION_FIELDS,
    VISIT_FIELDS,
    consultation_record,
    consultation_update,
    visit_record,
    visit_update,
)
from yicai.training.views import TRAINING
from yicai.web.forms import initial_from
from yicai.web.listing import Export, editable_ids, list_page
from yicai.web.views import form_page, next_url

WEEKDAYS = [
    gettext_lazy("周一"),
    gettext_lazy("周二"),
    gettext_lazy("周三"),
    gettext_lazy("周四"),
    gettext_lazy("周五"),
    gettext_lazy("周六"),
    gettext_lazy("周日"),
]


@login_required
def visit_list(request):
    def extra(listing, filters):
        return {
            "counts": visit_counts(
                request.user, since=filters.get("since"), until=filters.get("until")
            ),
            "today": timezone.localdate(),
            "can_edit": has_perm(request.user, "training.edit"),
            "editable": editable_ids(request.user, TRAINING.edit, visits_for, listing),
        }

    export = Export(_("专家活动"), VISIT_HEADERS, visit_rows, _("导出专家活动"))
    form = VisitFilterForm(request.GET or None)
    return list_page(
        request,
        TRAINING,
        "training/visit_list.html",
        form,
        activity_queries.visit_list,
        export,
        extra,
    )


def _month_after(first: datetime.date) -> datetime.date:
    return (first + datetime.timedelta(days=31)).replace(day=1)


@login_required
def visit_calendar(request):
    """A month of visits, held and planned, as a grid from Monday to Sunday; ?month=YYYY-MM,
    filtered by institution and expert."""
    require(request.user, "training.view")
    choices = visit_filter_choices(request.user)
    form = CalendarForm(request.user, request.GET or None, **choices)
    today = timezone.localdate()
    first = form.first_day(today)
    following = _month_after(first)
    last = following - datetime.timedelta(days=1)
    filters = {
        name: form.cleaned_data.get(name)
        for name in ("institution", "expert")
        if getattr(form, "cleaned_data", None)
    }
    month = visit_month(request.user, first, last, **filters)
    weeks = [
        [
            {
                "day": day,
                "in_month": day.month == first.month,
                "today": day == today,
                "visits": month["by_day"].get(day, []) if day.month == first.month else [],
            }
            for day in week
        ]
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    ]
    kept = QueryDict(mutable=True)
    for name, value in filters.items():
        if value is not None:
            kept[name] = str(value.pk)
    previous = (first - datetime.timedelta(days=1)).replace(day=1)

    def link(day: datetime.date) -> str:
        query = kept.copy()
        query["month"] = f"{day:%Y-%m}"
        return "?" + query.urlencode()

    context = {
        "form": form,
        "first": first,
        "weekdays": WEEKDAYS,
        "weeks": weeks,
        "editable": month["editable"],
        "count": sum(len(visits) for visits in month["by_day"].values()),
        "today": today,
        "previous_url": link(previous) if previous.year >= 1900 else "",
        "next_url": link(following) if following.year <= 2999 else "",
        "this_month_url": link(today),
        "can_edit": has_perm(request.user, "training.edit"),
    }
    return render(request, "training/visit_calendar.html", context, status=filter_status(form))


@login_required
def visit_edit(request, pk=None):
    """Record a visit (a future day plans it) or correct one."""
    require(request.user, "training.edit")
    visit = visit_for(request.user, pk, "training.edit") if pk else None
    initial = initial_from(visit, VISIT_FIELDS) if visit else None
    if visit is None and (day := request.GET.get("held_on")):
        initial = {"held_on": day}  # from a day of the calendar
    form = VisitForm(request.user, request.POST or None, initial=initial, visit=visit)
    return form_page(
        request,
        form,
        "training/visit_form.html",
        {"visit": visit, "next": next_url(request)},
        save=lambda values: (
            visit_update(visit=visit, **values) if visit else visit_record(**values)
        ),
        message=lambda saved: _("已保存专家活动：%s") % saved,
        then=lambda _saved: redirect(next_url(request) or "training:visits"),
        reread=visit,
    )


@login_required
@require_POST
def visit_delete(request, pk):
    require(request.user, "training.edit")
    visit = visit_for(request.user, pk, "training.edit")
    label = str(visit)
    activity_services.visit_delete(visit=visit)
    messages.success(request, _("已删除专家活动：%s") % label)
    return redirect(next_url(request) or "training:visits")


@login_required
def consultation_list(request):
    export = Export(_("远程会诊"), CONSULTATION_HEADERS, consultation_rows, _("导出远程会诊"))
    form = ConsultationFilterForm(request.user, request.GET or None)
    return list_page(
        request,
        TRAINING,
        "training/consultation_list.html",
        form,
        consultation_page,
        export,
        lambda listing, _filters: {
            "can_edit": has_perm(request.user, "training.edit"),
            "editable": editable_ids(request.user, TRAINING.edit, consultations_for, listing),
        },
    )


@login_required
def consultation_edit(request, pk=None):
    """Record a remote consultation, or complete one (the advice and outcome come later)."""
    require(request.user, "training.edit")
    consultation = consultation_for(request.user, pk, "training.edit") if pk else None
    form = ConsultationForm(
        request.user,
        request.POST or None,
        initial=initial_from(consultation, CONSULTATION_FIELDS) if consultation else None,
        consultation=consultation,
    )
    return form_page(
        request,
        form,
        "training/consultation_form.html",
        {"consultation": consultation},
        save=lambda values: (
            consultation_update(consultation=consultation, **values)
            if consultation
            else consultation_record(**values)
        ),
        message=lambda saved: _("已保存远程会诊：%s") % saved,
        then=lambda _saved: redirect("training:consultations"),
        reread=consultation,
    )
