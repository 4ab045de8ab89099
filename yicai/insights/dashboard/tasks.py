"""Background work for the dashboard: recount a large scope's kept figures (as the home
page's `insights.tasks.recount_home_figures` does for its own)."""

from typing import Any

from django.utils import translation
from django_tasks import task

from yicai.access.models import User
from yicai.insights.dashboard import queries


@task()
def recount_dashboard(user_id: int, params: dict[str, Any]) -> None:
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return
    with translation.override(params.get("language")):
        queries.recount(user, queries.Asked.of(params))
