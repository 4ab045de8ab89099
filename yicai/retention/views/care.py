"""八个一 service pages: the packages with their items; the enrolments (filters, export), a
served talent enrolled, an enrolment's page (its tasks and green-channel requests); the
service tasks (open first, the most overdue first; filters; export; a card a task on a
phone) and completing one; the figures; the green-channel requests with their SLA."""

import datetime
from collections.abc import Iterator, Mapping
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from yicai.access.scope import has_perm, require
from yicai.params import filter_status
from yicai.retention.forms.care import (
    CompleteForm,
    EnrolForm,
    EnrolmentFilterForm,
    FiguresFilterForm,
    GreenFilterForm,
    GreenRequestForm,
    GreenRespondForm,
    TaskFilterForm,
)
from yicai.retention.models import Enrolment, GreenChannelRequest, ServiceTask
from yicai.retention.queries import care as queries
from yicai.retention.queries.care import EDIT, EXPORT, VIEW
from yicai.retention.services import care as services
from yicai.web.listing import Export, Listing, ListPermissions, list_page
from yicai.web.views import form_page

CARE = ListPermissions(view=VIEW, export=EXPORT, edit=EDIT)

ENROLMENT_HEADERS = [
    gettext_lazy("姓名"),
    gettext_lazy("工作单位"),
    gettext_lazy("人才类别"),
    gettext_lazy("服务机构"),
    gettext_lazy("健康守护医生"),
    gettext_lazy("服务团队"),
    gettext_lazy("入组日期"),
    gettext_lazy("退出日期"),
]
TASK_HEADERS = [
    gettext_lazy("服务对象"),
    gettext_lazy("服务项目"),
    gettext_lazy("周期"),
    gettext_lazy("服务机构"),
    gettext_lazy("服务团队"),
    gettext_lazy("应办日期"),
    gettext_lazy("完成时限"),
    gettext_lazy("完成日期"),
    gettext_lazy("服务方式"),
    gettext_lazy("满意度"),
    gettext_lazy("服务记录"),
]


def enrolment_rows(enrolments: "QuerySet[Enrolment]") -> Iterator[list[object]]:
    for item in enrolments.iterator(chunk_size=2000):
        yield [
            item.person.name,
            item.employer,
            item.talent_kind,
            item.institution.name,
            item.guardian.name if item.guardian else "",
            item.team_name,
            item.enrolled_on,
            item.ended_on or "",
        ]


def task_rows(tasks: "QuerySet[ServiceTask]") -> Iterator[list[object]]:
    for task in tasks.iterator(chunk_size=2000):
        yield [
            task.enrolment.person.name,
            task.item.name,
            task.period,
            task.institution.name,
            task.enrolment.team_name,
            task.due_on,
            task.deadline,
            task.done_on or "",
            task.get_channel_display(),
            task.satisfaction or "",
            task.note,
        ]


@login_required
def package_list(request: HttpRequest) -> HttpResponseBase:
    require(request.user, VIEW)
    packages = queries.packages_for(request.user).prefetch_related("items")
    return render(request, "retention/care_packages.html", {"packages": packages})


@login_required
def enrolment_list(request: HttpRequest) -> HttpResponseBase:
    def extra(_listing: Listing, _filters: Mapping[str, Any]) -> dict[str, Any]:
        return {"can_edit": has_perm(request.user, EDIT)}

    return list_page(
        request,
        CARE,
        "retention/care_enrolments.html",
        EnrolmentFilterForm(request.user, request.GET or None),
        queries.enrolment_list,
        Export(_("八个一服务对象"), ENROLMENT_HEADERS, enrolment_rows, _("导出八个一服务对象")),
        extra,
    )


@login_required
def enrolment_create(request: HttpRequest) -> HttpResponseBase:
    user = request.user
    require(user, EDIT)
    form = EnrolForm(user, request.POST or None)
    return form_page(
        request,
        form,
        "retention/care_enrol_form.html",
        save=lambda values: services.enrol(by=user, **values),
        message=lambda saved: _("已入组：%s") % saved.person.name,
        then=lambda saved: redirect("retention:care_enrolment", saved.pk),
    )


def _enrolment_page(
    request: HttpRequest, enrolment: Enrolment, status: int = 200, **forms: Any
) -> HttpResponseBase:
    may_edit = has_perm(request.user, EDIT) and enrolment.ended_on is None
    response = render(
        request,
        "retention/care_enrolment.html",
        {
            "enrolment": enrolment,
            "tasks": enrolment.tasks.select_related("item").order_by("-due_on", "item__order"),
            "requests": enrolment.green_requests.order_by("-requested_at"),
            "team": enrolment.team.all(),
            "may_edit": may_edit,
            "today": timezone.localdate(),
            "green_form": forms.get("green_form") or (GreenRequestForm() if may_edit else None),
        },
    )
    response.status_code = status
    return response


@login_required
def enrolment_detail(request: HttpRequest, pk: int) -> HttpResponseBase:
    require(request.user, VIEW)
    return _enrolment_page(request, queries.enrolment_for(request.user, pk))


@login_required
@require_POST
def green_request_create(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = request.user
    require(user, EDIT)
    enrolment = queries.enrolment_for(user, pk, EDIT)
    form = GreenRequestForm(request.POST)
    return form_page(
        request,
        form,
        lambda: _enrolment_page(request, enrolment, status=400, green_form=form),
        save=lambda values: services.green_channel_request(enrolment=enrolment, by=user, **values),
        message=lambda saved: (
            _("已登记绿色通道申请，应于%s前应答")
            % timezone.localtime(saved.respond_by).strftime("%Y-%m-%d %H:%M")
        ),
        then=lambda _saved: redirect("retention:care_enrolment", enrolment.pk),
    )


@login_required
def task_list(request: HttpRequest) -> HttpResponseBase:
    user = request.user
    today = timezone.localdate()

    def extra(listing: Listing, filters: Mapping[str, Any]) -> dict[str, Any]:
        return {"can_edit": has_perm(user, EDIT), "today": today}

    return list_page(
        request,
        CARE,
        "retention/care_tasks.html",
        TaskFilterForm(user, request.GET or None),
        queries.task_list,
        Export(_("八个一服务任务"), TASK_HEADERS, task_rows, _("导出八个一服务任务")),
        extra,
    )


@login_required
def task_complete(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = request.user
    require(user, EDIT)
    task = queries.task_for(user, pk, EDIT)
    form = CompleteForm(request.POST or None)
    back = request.GET.get("next") or ""
    if not back.startswith(reverse("retention:care_tasks")):
        back = reverse("retention:care_tasks") + "?status=overdue"
    return form_page(
        request,
        form,
        "retention/care_task_form.html",
        {"task": task, "back": back, "today": timezone.localdate()},
        save=lambda values: services.task_complete(task=task, by=user, **values),
        message=lambda saved: (
            _("已完成：%(person)s · %(item)s")
            % {"person": saved.enrolment.person.name, "item": saved.item.name}
        ),
        then=lambda _saved: redirect(back),
        reread=task,
    )


@login_required
def figures(request: HttpRequest) -> HttpResponseBase:
    user = request.user
    require(user, VIEW)
    today = timezone.localdate()
    form = FiguresFilterForm(user, request.GET or None)
    values = form.cleaned_data if form.is_bound and form.is_valid() else {}
    since = values.get("since") or datetime.date(today.year, 1, 1)
    until = values.get("until") or today
    tasks = queries.tasks_for(user)
    if values.get("institution"):
        tasks = tasks.filter(institution=values["institution"])
    context = {
        "form": form,
        "since": since,
        "until": until,
        "figures": queries.figures(
            user, since=since, until=until, today=today, institution=values.get("institution")
        ),
        "by_institution": queries.overdue_by(tasks, "institution__name", today),
        "by_team": queries.overdue_by(tasks, "enrolment__team_name", today),
    }
    return render(request, "retention/care_figures.html", context, status=filter_status(form))


@login_required
def green_list(request: HttpRequest) -> HttpResponseBase:
    def extra(_listing: Listing, _filters: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "can_edit": has_perm(request.user, EDIT),
            "now": timezone.now(),
            "respond_form": GreenRespondForm(),
        }

    return list_page(
        request,
        CARE,
        "retention/care_green.html",
        GreenFilterForm(request.user, request.GET or None),
        queries.green_request_list,
        None,
        extra,
    )


@login_required
@require_POST
def green_respond(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = request.user
    require(user, EDIT)
    green: GreenChannelRequest = queries.green_request_for(user, pk, EDIT)
    form = GreenRespondForm(request.POST)
    return form_page(
        request,
        form,
        lambda: render(
            request, "retention/care_green_form.html", {"form": form, "green": green}, status=400
        ),
        save=lambda values: services.green_channel_respond(request=green, by=user, **values),
        message=lambda saved: _("已应答：%s") % saved.need,
        then=lambda _saved: redirect("retention:care_green"),
    )
