"""A database too busy to take a write in time is a 503 with Retry-After, never a 500.

The embedded SQLite database has one writer at a time: the others queue (BEGIN IMMEDIATE and a
busy timeout, settings.py). Only one that has waited the whole timeout gives up, and the user
is told to try again rather than shown an error. PostgreSQL's deadlock victim is told the same.
"""

import logging
import sys
from collections.abc import Callable

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import defaults

RETRY_SECONDS = 5
_SIGNS = ("database is locked", "database table is locked", "deadlock detected")
log = logging.getLogger(__name__)


def is_contention(error: BaseException | None) -> bool:
    return isinstance(error, OperationalError) and any(sign in str(error) for sign in _SIGNS)


def busy_response(request: HttpRequest) -> HttpResponse:
    message = _("系统正忙（其他用户正在保存），本次操作未保存，请稍后重试。")
    if request.path.startswith("/fhir/"):
        response: HttpResponse = JsonResponse(
            {
                "resourceType": "OperationOutcome",
                "issue": [{"severity": "error", "code": "transient", "diagnostics": message}],
            },
            status=503,
            content_type="application/fhir+json",
            json_dumps_params={"ensure_ascii": False},
        )
    elif request.path.startswith("/api/"):
        response = JsonResponse(
            {"detail": message}, status=503, json_dumps_params={"ensure_ascii": False}
        )
    else:
        response = render(request, "503.html", {"message": message}, status=503)
    response["Retry-After"] = str(RETRY_SECONDS)
    return response


class ContentionMiddleware:
    """Views (pages, API, FHIR) that hit a busy database."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if is_contention(exception):
            log.warning("database busy: %s %s: %s", request.method, request.path, exception)
            return busy_response(request)
        return None


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: also what fails outside a view (a session saved after it)."""
    if is_contention(sys.exc_info()[1]):
        return busy_response(request)
    return defaults.server_error(request)
