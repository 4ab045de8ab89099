"""Logins, failed logins and logouts go to the audit log."""

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from yicai.access import audit
from yicai.access.models import AuditEntry, User


@receiver(user_logged_in)
def _logged_in(sender: type[User], request: HttpRequest, user: User, **kwargs: Any) -> None:
    request.session["yicai_started"] = request.session["yicai_seen"] = _now()
    with audit.acting_as(user):
        audit.record(AuditEntry.Event.LOGIN, obj=user, actor=user)


@receiver(user_logged_out)
def _logged_out(sender: type[User], request: HttpRequest, user: User | None, **kwargs: Any) -> None:
    if user is not None:
        with audit.acting_as(user):
            audit.record(AuditEntry.Event.LOGOUT, obj=user, actor=user)


@receiver(user_login_failed)
def _login_failed(
    sender: str, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    username = str(credentials.get("username", ""))[:150]
    audit.record(AuditEntry.Event.LOGIN_FAILED, summary=username, data={"username": username})


def _now() -> float:
    import time

    return time.time()
