"""The notification centre: the user's own notifications, one followed (read, then its
page), all marked read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yicai.access.models import SignedInRequest
from yicai.notifications import queries, services
from yicai.notifications.forms import NotificationFilterForm
from yicai.web.listing import ListPermissions, list_page

# Anyone signed in has their own notifications: no permission, no export.
OWN = ListPermissions(view=None)


@login_required
def notification_list(request: HttpRequest) -> HttpResponseBase:
    form = NotificationFilterForm(request.user, request.GET or None)
    return list_page(
        request,
        OWN,
        "notifications/notification_list.html",
        form,
        queries.notification_list,
    )


@login_required
def notification_go(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Follow a notification: read, then its page (the list when it names none, or a page
    not of this site)."""
    notification = queries.notification_for(request.user, pk)
    services.mark_read(notification=notification)
    target = notification.url
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    ):
        return redirect("notifications:list")
    return redirect(target)


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponseBase:
    notification = queries.notification_for(request.user, pk)
    services.mark_read(notification=notification)
    return redirect("notifications:list")


@login_required
@require_POST
def mark_all_read(request: SignedInRequest) -> HttpResponseBase:
    count = services.mark_all_read(user=request.user)
    messages.success(request, _("已将 %d 条提醒标为已读。") % count)
    return redirect("notifications:list")
