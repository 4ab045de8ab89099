"""django-axes reads its limits from the SecurityPolicy through these callables."""

from datetime import timedelta
from typing import Any

from django.http import HttpRequest


def axes_failure_limit(request: HttpRequest, credentials: dict[str, Any]) -> int:
    from yicai.access.models import SecurityPolicy

    return SecurityPolicy.current().lockout_failures


def axes_cooloff(request: HttpRequest | None = None) -> timedelta:
    from yicai.access.models import SecurityPolicy

    return timedelta(minutes=SecurityPolicy.current().lockout_minutes)
