"""Mentor evaluations, as the mentorship page and the link pages read them."""

from django.db.models import QuerySet

from yicai.access.models import RequestUser
from yicai.access.scope import get_for, scoped
from yicai.training.models import MentorEvaluation, Mentorship


def evaluations_for(
    user: RequestUser, permission: str = "training.view"
) -> QuerySet[MentorEvaluation]:
    return scoped(
        user,
        MentorEvaluation.objects.select_related(
            "apprenticeship__apprentice", "apprenticeship__mentorship__mentor"
        ),
        permission,
    )


def evaluations_of(user: RequestUser, mentorship: Mentorship) -> QuerySet[MentorEvaluation]:
    return evaluations_for(user).filter(apprenticeship__mentorship=mentorship)


def evaluation_for(
    user: RequestUser, pk: int | str, permission: str = "training.view"
) -> MentorEvaluation:
    return get_for(user, evaluations_for(user, permission), pk, permission)
