"""Mentor evaluations of apprentices (带教评价)."""

from django.db import transaction

from yicai.access.models import User
from yicai.training.models import Apprenticeship, MentorEvaluation
from yicai.training.services.rules import no_patient_data, saved


@transaction.atomic
def evaluation_record(
    *, apprenticeship: Apprenticeship, period: str, rating: str, comments: str = "", user: User
) -> MentorEvaluation:
    """The institution records the mentor's evaluation of an apprentice for a period; it
    counts as the mentor's once they confirm it (in person, or through a one-time link)."""
    evaluation = MentorEvaluation(
        apprenticeship=apprenticeship,
        period=(period or "").strip(),
        rating=rating,
        comments=(comments or "").strip(),
        recorded_by=user,
    )
    errors: dict[str, str] = {}
    no_patient_data(errors, comments=evaluation.comments)
    return saved(evaluation, errors)
