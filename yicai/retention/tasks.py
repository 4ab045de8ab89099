"""The reminders as a task of the worker (`yicai db_worker`), for a site that enqueues them
rather than running `yicai remind` from its timer; django-tasks schedules nothing itself."""

import datetime

from django.utils import timezone
from django_tasks import task

from yicai.retention.reminders import remind


@task()
def remind_task(today: str | None = None) -> dict[str, int]:
    """`yicai remind` in the worker: how many notifications were new, by kind."""
    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    return {kind: outcome.created for kind, outcome in remind(day).items()}
