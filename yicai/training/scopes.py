"""How each cultivation record reaches the scope module: its institution, department, person
and region, and what a person oversees without owning it (see yicai/access/scope.py)."""

from collections.abc import Callable
from dataclasses import replace

from django.db.models import Model, Q

from yicai.access.scope import Paths, hosted, in_region, of_person, register_model
from yicai.training import models as m


def apprentices_of(person_id: int):
    return m.Apprenticeship.objects.filter(mentorship__mentor=person_id).values("apprentice")


def _mentorships_of(person_id: int):
    return m.Apprenticeship.objects.filter(apprentice=person_id).values("mentorship")


def _of_apprentices(to: str) -> Callable[[int], Q]:
    """Rows of a mentor's apprentices, the person reached through `to`."""
    return lambda me: Q(**{f"{to}person__in": apprentices_of(me)})


def _of_apprentices_or_mentorship(to: str) -> Callable[[int], Q]:
    """Rows of a mentor's apprentices, and those naming a mentorship they lead."""
    return lambda me: _of_apprentices(to)(me) | Q(**{f"{to}mentorship__mentor": me})


def register_scopes() -> None:
    model: type[Model]  # each loop below registers models of its own kinds
    # A mentor oversees the mentorships they lead and what their apprentices log; an
    # apprentice sees their mentorships and the visits made for them.
    register_model(m.Mentorship, hosted(lambda me: Q(mentor=me) | Q(pk__in=_mentorships_of(me))))
    register_model(
        m.Technique,
        hosted(
            lambda me: (
                Q(mentorship__mentor=me)
                | Q(pk__in=m.CaseLog.objects.filter(apprentice=me).values("technique"))
            )
        ),
    )
    register_model(
        m.CaseLog,
        Paths(
            institution="technique__institution",
            department="apprentice__department",
            person="apprentice",
            region="technique__institution__commission_region",
            overseen=lambda me: Q(supervisor=me) | Q(apprentice__in=apprentices_of(me)),
        ),
    )
    register_model(
        m.MentorEvaluation,
        Paths(
            institution="apprenticeship__mentorship__institution",
            department="apprenticeship__mentorship__department",
            person="apprenticeship__apprentice",
            region="apprenticeship__mentorship__institution__commission_region",
            overseen=lambda me: Q(apprenticeship__mentorship__mentor=me),
        ),
    )
    # A studio's and a team's lead and members oversee it.
    register_model(
        m.ExpertStudio,
        hosted(
            lambda me: (
                Q(lead=me) | Q(pk__in=m.StudioMember.objects.filter(person=me).values("studio"))
            )
        ),
    )
    register_model(
        m.FlexibleTeam,
        hosted(
            lambda me: (
                Q(lead=me) | Q(pk__in=m.FlexibleTeamMember.objects.filter(person=me).values("team"))
            )
        ),
    )
    # An expert oversees their visits and consultations.
    register_model(m.Visit, hosted(lambda me: Q(expert=me) | Q(mentorship__in=_mentorships_of(me))))
    register_model(
        m.Consultation,
        hosted(lambda me: Q(expert=me), department="requester__department", person="requester"),
    )
    # A batch is seen by whoever sees one of its members, and by its region's commission; a
    # linked leader (挂钩领导) oversees their trainees' secondments, reports and needs.
    register_model(
        m.SecondmentBatch,
        Paths(
            institution="secondments__person__institution",
            department="secondments__person__department",
            person="secondments__person",
            region="region",
            distinct=True,
            overseen=lambda me: Q(secondments__linked_leader=me),
        ),
    )
    register_model(m.Secondment, of_person(overseen=lambda me: Q(linked_leader=me)))
    for model in (m.MonthlyReport, m.SecondmentNeed):
        register_model(
            model,
            of_person("secondment__", overseen=lambda me: Q(secondment__linked_leader=me)),
        )
    # Continuing education: events by their host; a speaker and the attendees see the events
    # they gave or attended. Attendance, credits and enrolments go by the person.
    register_model(
        m.EducationEvent,
        hosted(
            lambda me: (
                Q(speaker=me) | Q(pk__in=m.Attendance.objects.filter(person=me).values("event"))
            )
        ),
    )
    for model in (m.Attendance, m.ExternalCredit, m.Enrolment):
        register_model(model, of_person())
    register_model(m.TrainingQuota, hosted(department=None))
    # Programmes, cohorts and rounds are the region's; nominations the nominating
    # institution's; members, goals, reviews and career plans the person's (and their
    # mentors', and the mentor of the plan's mentorship).
    register_model(m.Programme, in_region("region"))
    register_model(m.Cohort, in_region("programme__region"))
    register_model(m.SelectionRound, in_region("cohort__programme__region"))
    for model, to in ((m.Nomination, ""), (m.ReviewScore, "nomination__")):
        register_model(
            model,
            Paths(
                institution=f"{to}institution",
                department=f"{to}person__department",
                person=f"{to}person",
                region=f"{to}round__cohort__programme__region",
            ),
        )
    for model, to in (
        (m.CohortMember, ""),
        (m.MemberGoal, "member__"),
        (m.AnnualReview, "member__"),
    ):
        paths = of_person(to, overseen=_of_apprentices(to))
        # A member's region is their programme's, wherever they work now.
        register_model(model, replace(paths, region=f"{to}cohort__programme__region"))
    for model, to in ((m.CareerPlan, ""), (m.CareerGoal, "plan__")):
        register_model(model, of_person(to, overseen=_of_apprentices_or_mentorship(to)))
