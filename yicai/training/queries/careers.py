"""Career plans and how far each goal has come, derived from the records, never typed:

- a title goal is met once the person holds the title (or a higher one of the same series);
- a technique goal once a verified independent case of the technique is on record (and no
  longer when that case is unverified);
- a training goal once a secondment or an enrolment (of the kind asked for, if any), not
  withdrawn and already begun, falls in the goal's year;
- research and other goals when the mentor or HR has marked them done.

Progress for any number of goals takes four queries, one per kind of record."""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db.models import Count, Min, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from yicai.access.models import RequestUser
from yicai.access.scope import get_for, has_perm, scoped
from yicai.codes.models import Code
from yicai.codes.queries import codes_of
from yicai.lookups import containing, narrowed
from yicai.org.models import Institution
from yicai.people.models import Person, TitleRecord
from yicai.training.models import (
    GRADE_RANK,
    Apprenticeship,
    CareerGoal,
    CareerPlan,
    CaseLog,
    CohortMember,
    Enrolment,
    GoalKind,
    Mentorship,
    Secondment,
    Technique,
    TrainingKind,
)

# A title a person holds: (title id, series, grade, obtained on, name).
HeldTitle = tuple[int, int | None, str, datetime.date | None, str]
# A secondment or enrolment: (kind, start, end, where or who).
Training = tuple[str, datetime.date, datetime.date | None, str]


@dataclass(frozen=True)
class Progress:
    met: bool
    met_on: datetime.date | None = None
    evidence: str = ""
    derived: bool = True
    overdue: bool = False


def plans_for(user: RequestUser, permission: str = "training.view") -> QuerySet[CareerPlan]:
    return scoped(
        user,
        CareerPlan.objects.select_related(
            "person__institution",
            "person__department",
            "cohort_member__cohort__programme",
            "mentorship__mentor",
        ),
        permission,
    )


def career_list(
    user: RequestUser,
    *,
    q: str = "",
    institution: Institution | None = None,
    year: int | None = None,
    permission: str | None = None,
) -> QuerySet[CareerPlan]:
    plans = narrowed(
        plans_for(user, permission or "training.view"),
        containing(q, "person__name") | containing(q.lower(), "person__name_initials"),
        person__institution=institution,
    )
    if year:
        plans = plans.filter(goals__year=year).distinct()
    return plans.annotate(goal_count=Count("goals", distinct=True)).order_by(
        "person__institution__name", "person__name_initials", "id"
    )


def plan_for(user: RequestUser, pk: int | str, permission: str = "training.view") -> CareerPlan:
    return get_for(user, plans_for(user, permission), pk, permission)


def career_goals_of(plan: CareerPlan) -> list[CareerGoal]:
    return list(
        CareerGoal.objects.filter(plan=plan)
        .select_related("target_title", "target_technique", "done_by", "plan")
        .order_by("year", "id")
    )


def plan_may_edit(user: RequestUser, plan: CareerPlan) -> bool:
    """HR of the person's institution (and the commission) edit the plan."""
    return (
        has_perm(user, "training.edit")
        and plans_for(user, "training.edit").filter(pk=plan.pk).exists()
    )


def is_mentor_of(user: RequestUser, plan: CareerPlan) -> bool:
    """The user is a mentor of the plan's person (any of their mentorships, or the plan's)."""
    me = getattr(user, "person_id", None)
    if me is None or me == plan.person_id:
        return False
    if plan.mentorship is not None and plan.mentorship.mentor_id == me:
        return True
    return Apprenticeship.objects.filter(
        apprentice_id=plan.person_id, mentorship__mentor_id=me
    ).exists()


def plan_may_mark(user: RequestUser, plan: CareerPlan) -> bool:
    return plan_may_edit(user, plan) or is_mentor_of(user, plan)


def people_to_plan(user: RequestUser) -> QuerySet[Person]:
    """People whose plan the user may write and who have none yet."""
    return scoped(
        user,
        Person.objects.filter(career_plan__isnull=True)
        .select_related("institution")
        .order_by("institution__name", "name_initials", "pk"),
        "training.edit",
    )


def plan_membership_choices(person: Person) -> QuerySet[CohortMember]:
    return CohortMember.objects.filter(person=person).select_related("cohort__programme")


def plan_mentorship_choices(person: Person) -> QuerySet[Mentorship]:
    return (
        Mentorship.objects.filter(apprenticeships__apprentice=person)
        .select_related("mentor", "institution")
        .order_by("-start_on")
    )


def titles_to_aim_for() -> QuerySet[Code]:
    return codes_of("title").filter(parent__isnull=False).select_related("parent")


def techniques_to_aim_for(person: Person) -> QuerySet[Technique]:
    if person.institution_id is None:  # every technique is an institution's
        return Technique.objects.none()
    return Technique.objects.filter(institution_id=person.institution_id).order_by("name")


def _year_overlaps(start: datetime.date, end: datetime.date | None, year: int) -> bool:
    return start.year <= year and (end is None or end.year >= year)


def progress_of(goals: Iterable[CareerGoal]) -> dict[int, Progress]:
    """Each goal's progress, by goal id; `goal.plan` and `goal.target_title` are read."""
    goals = list(goals)
    today = timezone.localdate()
    by_kind: defaultdict[str, list[CareerGoal]] = defaultdict(list)
    for goal in goals:
        by_kind[goal.kind].append(goal)
    people = {goal.plan.person_id for goal in goals}

    titles: defaultdict[int, list[HeldTitle]] = defaultdict(list)
    if by_kind[GoalKind.TITLE]:
        for row in TitleRecord.objects.filter(person__in=people).values_list(
            "person_id", "title_id", "title__parent_id", "grade", "obtained_on", "title__name"
        ):
            titles[row[0]].append(row[1:])

    # (person, technique) -> first verified independent case
    first_cases: dict[tuple[int, int | None], datetime.date] = {}
    if by_kind[GoalKind.TECHNIQUE]:
        techniques = {goal.target_technique_id for goal in by_kind[GoalKind.TECHNIQUE]}
        rows = (
            CaseLog.objects.filter(
                apprentice__in=people,
                technique__in=techniques,
                role=CaseLog.Role.INDEPENDENT,
                verified_at__isnull=False,
            )
            .values("apprentice_id", "technique_id")
            .annotate(first=Min("performed_on"))
            .order_by()
        )
        first_cases = {(r["apprentice_id"], r["technique_id"]): r["first"] for r in rows}

    trainings: defaultdict[int, list[Training]] = defaultdict(list)
    if by_kind[GoalKind.TRAINING]:
        for person, start, end, host in (
            Secondment.objects.filter(person__in=people, start_on__lte=today)
            .exclude(status=Secondment.Status.WITHDRAWN)
            .values_list("person_id", "start_on", "end_on", "host__name")
        ):
            trainings[person].append((TrainingKind.SECONDMENT, start, end, host))
        for person, kind, begun, ends, provider in (
            Enrolment.objects.filter(person__in=people, start_on__lte=today)
            .exclude(status=Enrolment.Status.WITHDRAWN)
            .values_list("person_id", "kind", "start_on", "end_on", "provider")
        ):
            trainings[person].append((kind, begun, ends, provider))

    result: dict[int, Progress] = {}
    for goal in goals:
        person = goal.plan.person_id
        if goal.kind == GoalKind.TITLE:
            progress = _title_progress(goal, titles[person])
        elif goal.kind == GoalKind.TECHNIQUE:
            first = first_cases.get((person, goal.target_technique_id))
            progress = (
                Progress(True, first, _("已审核的独立完成病例，首例 %s") % first.isoformat())
                if first
                else Progress(False)
            )
        elif goal.kind == GoalKind.TRAINING:
            progress = _training_progress(goal, trainings[person])
        elif goal.done_on:
            progress = Progress(True, goal.done_on, goal.done_note, derived=False)
        else:
            progress = Progress(False, derived=False)
        if not progress.met and goal.year < today.year:
            progress = Progress(False, derived=progress.derived, overdue=True)
        result[goal.pk] = progress
    return result


def _title_progress(goal: CareerGoal, held: list[HeldTitle]) -> Progress:
    target = goal.target_title
    if target is None:  # a title goal always names one (the model's constraint)
        return Progress(False)
    wanted = GRADE_RANK.get(target.grade, 0)
    matches = [
        (obtained_on, name)
        for title_id, series, grade, obtained_on, name in held
        if title_id == target.pk
        or (series == target.parent_id and GRADE_RANK.get(grade, 0) >= wanted > 0)
    ]
    if not matches:
        return Progress(False)
    # The earliest dated match; an undated one (a roster gave no date) still meets the goal.
    obtained_on, name = min(matches, key=lambda match: (match[0] or datetime.date.max, match[1]))
    if obtained_on is None:
        return Progress(True, None, _("已取得%(title)s（取得时间未填）") % {"title": name})
    return Progress(
        True, obtained_on, _("已取得%(title)s（%(on)s）") % {"title": name, "on": obtained_on}
    )


def _training_progress(goal: CareerGoal, records: list[Training]) -> Progress:
    wanted = goal.target_training_kind
    labels = dict(TrainingKind.choices)
    matches = sorted(
        (start, kind, label)
        for kind, start, end, label in records
        if (not wanted or kind == wanted) and _year_overlaps(start, end, goal.year)
    )
    if not matches:
        return Progress(False)
    start, kind, label = matches[0]
    return Progress(True, max(start, datetime.date(goal.year, 1, 1)), f"{labels[kind]}：{label}")


def plan_progress(plans: Iterable[CareerPlan]) -> dict[int, tuple[int, int]]:
    """(goals met, goals) per plan, for a page of plans: five queries, whatever the rows."""
    plans = list(plans)
    goals = list(CareerGoal.objects.filter(plan__in=plans).select_related("plan", "target_title"))
    progress = progress_of(goals)
    counts = {plan.pk: [0, 0] for plan in plans}
    for goal in goals:
        counts[goal.plan_id][1] += 1
        counts[goal.plan_id][0] += progress[goal.pk].met
    return {pk: (met, total) for pk, (met, total) in counts.items()}


def plan_goals_for_export(
    plans: QuerySet[CareerPlan], chunk: int = 1000
) -> Iterator[tuple[CareerGoal, Progress]]:
    """The goals of the listed plans with their progress, one chunk at a time, so the
    queries grow with the chunks, not the rows."""
    goals = (
        CareerGoal.objects.filter(plan__in=plans.values("pk"))
        .select_related("plan__person__institution", "target_title", "target_technique", "done_by")
        .order_by("plan__person__institution__name", "plan__person__name_initials", "year", "id")
    )
    batch = []
    for goal in goals.iterator(chunk_size=chunk):
        batch.append(goal)
        if len(batch) >= chunk:
            yield from _with_progress(batch)
            batch = []
    yield from _with_progress(batch)


def _with_progress(goals: list[CareerGoal]) -> Iterator[tuple[CareerGoal, Progress]]:
    progress = progress_of(goals)
    for goal in goals:
        yield goal, progress[goal.pk]


def career_goal_for(
    user: RequestUser, pk: int | str, permission: str = "training.view"
) -> CareerGoal:
    goals = scoped(
        user, CareerGoal.objects.select_related("plan__person", "plan__mentorship"), permission
    )
    return get_for(user, goals, pk, permission)


def next_goal(user: RequestUser) -> tuple[CareerPlan, CareerGoal, Progress] | None:
    """The user's own plan and its next goal not yet met (the earliest year first, so an
    overdue one comes first), with its progress; None without a plan or an open goal."""
    plan = plans_for(user).filter(person=getattr(user, "person_id", None)).first()
    if plan is None:
        return None
    goals = career_goals_of(plan)
    progress = progress_of(goals)
    open_goals = [goal for goal in goals if not progress[goal.pk].met]
    if not open_goals:
        return None
    return plan, open_goals[0], progress[open_goals[0].pk]
