"""Request id, audit context and the session policy (idle timeout, absolute lifetime,
forced password change, second factor)."""

import ipaddress
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django_otp.middleware import is_verified

from yicai.access import audit
from yicai.access.models import SecurityPolicy

_REQUEST_ID_HEADER = "HTTP_X_REQUEST_ID"
GetResponse = Callable[[HttpRequest], HttpResponseBase]


class MarkedRequest(HttpRequest):
    """What these middlewares add to a request: its id (RequestIdMiddleware) and whether a
    second factor or a password change is still owed (read by the menu)."""

    request_id: str
    yicai_pending: bool


def current_request_id() -> str | None:
    return audit.current_context().request_id


def client_ip(request: HttpRequest) -> str | None:
    """The client's address; behind the hospital's reverse proxy (YICAI_TRUST_X_FORWARDED_FOR
    set) the first X-Forwarded-For entry, which only that proxy can have written."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if settings.TRUST_X_FORWARDED_FOR and forwarded:
        candidate = forwarded.split(",")[0].strip()
        try:
            return ipaddress.ip_address(candidate).compressed
        except ValueError:
            pass
    return request.META.get("REMOTE_ADDR")


class RequestIdMiddleware:
    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: MarkedRequest) -> HttpResponseBase:
        incoming = request.META.get(_REQUEST_ID_HEADER, "")
        request.request_id = (
            incoming[:64] if incoming.isprintable() and incoming else (uuid.uuid4().hex)
        )
        with audit.context(request_id=request.request_id, remote_addr=client_ip(request)):
            response = self.get_response(request)
        response["X-Request-ID"] = request.request_id
        return response


# A session's last activity is written at most once a minute: a page that only reads writes
# nothing (on SQLite every write takes the one writer's lock), and an idle session ends at
# most a minute early.
SEEN_EVERY = 60

# Pages reachable before the second factor, and (with it) before a due password change.
_BEFORE_OTP = {"access:login", "access:logout", "access:otp", "set_language", "privacy"}
_BEFORE_PASSWORD = _BEFORE_OTP | {"access:password_change"}


class SessionPolicyMiddleware:
    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: MarkedRequest) -> HttpResponseBase:
        user = request.user
        if not user.is_authenticated:
            return self.get_response(request)
        from yicai.access import services

        policy = SecurityPolicy.current()
        now = time.time()
        session = request.session
        started = session.setdefault("yicai_started", now)
        seen = session.get("yicai_seen")
        last_seen = now if seen is None else seen
        if (
            now - last_seen > policy.idle_minutes * 60
            or now - started > policy.session_hours * 3600
        ):
            logout(request)
            return redirect(f"{reverse('access:login')}?expired=1")
        if seen is None or now - seen >= SEEN_EVERY:
            session["yicai_seen"] = now
        with audit.acting_as(user):
            name = _url_name(request)
            otp_owed = services.otp_required(user, policy) and not is_verified(user)
            password_owed = services.password_change_due(user, policy)
            # Pages reached meanwhile show no menu: nothing behind it is open yet.
            request.yicai_pending = otp_owed or password_owed
            # The second factor first: a password alone must not change the password.
            if otp_owed and name not in _BEFORE_OTP:
                return redirect("access:otp")
            if password_owed and name not in _BEFORE_PASSWORD:
                return redirect("access:password_change")
            return self.get_response(request)


def _url_name(request: HttpRequest) -> str:
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return ""
    return f"{match.namespace}:{match.url_name}" if match.namespace else (match.url_name or "")


class LanguageMiddleware:
    """Chinese first: the language is the one the user chose (the language cookie), else
    LANGUAGE_CODE. A browser's Accept-Language is ignored, so an English-system browser on a
    hospital PC still opens in Chinese."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        offered = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in offered else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response
