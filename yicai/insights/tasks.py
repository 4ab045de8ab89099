"""Background work for the home page: recount a large scope's figures."""

from django_tasks import task

from yicai.access.models import User
from yicai.insights import queries


@task()
def recount_home_figures(user_id: int) -> None:
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is not None:
        queries.recount(user)
