from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render

from yicai.access.scope import has_perm, require
from yicai.exports import list_export, requested_format
from yicai.insights.dashboard.forms import DashboardForm
from yicai.insights.dashboard.queries import dashboard_of
from yicai.insights.queries import EXPORT, VIEW


@login_required
def board(request: HttpRequest) -> HttpResponseBase:
    """The dashboard; `?panel=<key>&export=xlsx|csv` downloads one panel's table."""
    user = request.user
    require(user, VIEW)
    form = DashboardForm(user, request.GET)
    if not form.is_valid():
        return render(request, "insights/dashboard.html", {"form": form}, status=400)
    seen = dashboard_of(user, form.cleaned_data)
    request_format = requested_format(request)
    if request_format is not None:
        panel = seen.panel(request.GET.get("panel", ""))
        if panel is None:
            raise Http404
        require(user, EXPORT)
        rows = [[cell.exported for cell in row] for row in panel.rows]
        return list_export(
            request,
            request_format,
            panel.title,
            panel.headers,
            rows,
            summary=panel.title,
            filters=form,
        )
    context = {
        "form": form,
        "board": seen,
        "can_export": has_perm(user, EXPORT),
        "query": request.GET.urlencode(),
    }
    return render(request, "insights/dashboard.html", context)
