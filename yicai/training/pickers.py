"""Whom each person field of the cultivation pages offers (the picker's sources, see
yicai/picker.py): the same scoped queries the API validates against, in the order to offer them.
Registered from TrainingConfig.ready()."""

from django.db.models import Case, Exists, IntegerField, OuterRef, Q, Value, When

from yicai.access.scope import scoped
from yicai.people.models import Appointment, Person
from yicai.picker import param_id, register_source
from yicai.training.declarations import BACKFILL
from yicai.training.queries import careers, programmes, secondments
from yicai.training.queries.activity import visiting_experts
from yicai.training.queries.education import events_for, people_for_training
from yicai.training.queries.mentoring import (
    current_mentors,
    experts_for,
    mentorships_of,
    people_to_backfill,
    staff_to_train,
    supervisors_for,
)

EDIT = "training.edit"


def ranked(people, *first: Q):
    """People matching the first condition first, then the second..., then the rest; by name
    within each."""
    rank = Case(
        *(When(condition, then=Value(place)) for place, condition in enumerate(first)),
        default=Value(len(first)),
        output_field=IntegerField(),
    )
    return people.annotate(rank=rank).order_by("rank", "name_pinyin")


def supervisors(user, params):
    """Who confirms a trainee's case: their current mentors, then their former ones, then the
    colleagues of their department (as the API)."""
    person = user.person
    return ranked(
        supervisors_for(person),
        Q(pk__in=current_mentors(person).values("pk")),
        Q(pk__in=mentorships_of(person).values("mentor")),
    )


def learners(user, params):
    """The staff whose training the user records; for an event's attendance, its department's
    and its institution's people first."""
    people = people_for_training(user, EDIT)
    event = events_for(user, EDIT).filter(pk=param_id(params, "event")).first()
    if event is None:
        return people.order_by("name_pinyin")
    return ranked(
        people,
        Q(department_id=event.department_id) if event.department_id else Q(pk__in=[]),
        Q(institution_id=event.institution_id),
    )


def speakers(user, params):
    return scoped(user, Person.objects.order_by("name_pinyin"))


def leaders(user, params):
    """Linked leaders: those in charge of some department (分管科室 on a current post) first,
    as the rule asks a leader in charge of the trainee's department."""
    in_charge = Appointment.objects.filter(
        person=OuterRef("pk"), end_on__isnull=True, departments_in_charge__isnull=False
    )
    return ranked(secondments.leader_choices(user), Q(Exists(in_charge)))


def register_sources() -> None:
    register_source("training.supervisors", supervisors, permission="training.log")
    register_source(
        "training.experts",  # mentors, visiting and consulting experts, studio and team people
        lambda user, params: experts_for(user).order_by("name_pinyin"),
        permission=EDIT,
    )
    register_source(
        "training.staff",  # apprentices, a consultation's requesting doctor
        lambda user, params: staff_to_train(user),
        permission=EDIT,
    )
    register_source("training.learners", learners, permission=EDIT)
    register_source("training.speakers", speakers, permission=EDIT)
    register_source(
        "training.planned", lambda user, params: careers.people_to_plan(user), permission=EDIT
    )
    register_source(
        "training.nominees",
        lambda user, params: programmes.people_to_nominate(user),
        permission=EDIT,
    )
    register_source(
        "training.seconded",
        lambda user, params: secondments.people_to_second(user),
        permission=EDIT,
    )
    register_source("training.leaders", leaders, permission=EDIT)
    # Past cases entered from the paper case book, on the apprentice's behalf.
    register_source(
        "training.backfill_people",
        lambda user, params: people_to_backfill(user),
        permission=BACKFILL,
    )
    register_source(
        "training.backfill_supervisors",
        lambda user, params: experts_for(user, BACKFILL).order_by("name_pinyin"),
        permission=BACKFILL,
    )
    register_source(
        "training.visiting_experts",
        lambda user, params: visiting_experts(user),
        permission="training.view",
    )
