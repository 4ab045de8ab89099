"""Secondments (进修) for tests, made through the services, and their linked leader's account."""

import datetime

from django.utils import timezone

from tests import factories
from yicai.access.models import Role
from yicai.training.services.secondments import secondment_create

TODAY = timezone.localdate()
START = TODAY.replace(day=1) - datetime.timedelta(days=120)


def secondment(world, person=None, **extra):
    values = {
        "person": person or world.a_doctor,
        "host": world.partner,
        "host_department": "肝胆外科",
        "start_on": START,
        "linked_leader": world.a_surgeon,
        **extra,
    }
    return secondment_create(**values)


def leader_user(world):
    """The linked leader: head of another department, so they see the trainee only as the
    one they oversee."""
    return factories.user(
        "linked_leader",
        person=world.a_surgeon,
        roles=[(Role.DEPARTMENT_HEAD, {"department": world.a_surgery})],
    )
