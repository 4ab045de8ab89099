"""Programmes for tests: a cohort, its selection round, nominations and the members it admits,
made through the services."""

import datetime

from django.utils import timezone

from yicai.training.models import Nomination, Programme
from yicai.training.services.programmes import (
    cohort_create,
    nomination_create,
    nomination_decide,
    programme_create,
    selection_round_approve,
    selection_round_open,
    selection_round_review,
)

TODAY = timezone.localdate()
START = TODAY - datetime.timedelta(days=60)


def programme(world, **extra):
    values = {
        "region": world.a.commission_region,
        "name": "育才计划",
        "kind": Programme.Kind.RISING,
        "duration_years": 3,
        "quota": 25,
        "requires_internal_mentor": True,
        "requires_external_mentor": True,
        **extra,
    }
    return programme_create(**values)


def cohort(world, of=None, **extra):
    values = {"year": START.year, "name": "第一期", "start_on": START, **extra}
    return cohort_create(programme=of or programme(world), **values)


def selection(made_cohort, **extra):
    values = {
        "name": "首轮遴选",
        "opens_on": TODAY - datetime.timedelta(days=7),
        "closes_on": TODAY + datetime.timedelta(days=14),
        **extra,
    }
    return selection_round_open(cohort=made_cohort, **values)


def nominate(selection_round, person, institution=None, **extra):
    return nomination_create(
        selection_round=selection_round,
        person=person,
        institution=institution or person.institution,
        reason=extra.pop("reason", "临床骨干，科研潜力突出"),
        **extra,
    )


def reviewing(selection_round, *nominations, decision=Nomination.Status.APPROVED):
    selection_round_review(selection_round=selection_round)
    selection_round.refresh_from_db()
    for nomination in nominations:
        nomination.refresh_from_db()
        nomination_decide(nomination=nomination, status=decision)
    return selection_round


def admitted(world, *people, of_cohort=None):
    """People made members of a cohort through a whole round; returns the members."""
    made_cohort = of_cohort or cohort(world)
    selection_round = selection(made_cohort)
    nominations = [nominate(selection_round, person) for person in people]
    reviewing(selection_round, *nominations)
    selection_round.refresh_from_db()
    return selection_round_approve(selection_round=selection_round)
