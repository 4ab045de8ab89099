"""育 Cultivation, one module per domain (mentoring, studios, activity, ...); everything is
importable from here.

What the commission counts is derived from these rows, never typed in: a technique is a
filled gap from its first verified independent case (see queries).
"""

from yicai.training.models.activity import Consultation, Visit
from yicai.training.models.mentoring import (
    Apprenticeship,
    CaseLog,
    ConfirmationLink,
    Mentorship,
    Technique,
)
from yicai.training.models.secondments import (
    MonthlyReport,
    Secondment,
    SecondmentBatch,
    SecondmentNeed,
)
from yicai.training.models.studios import (
    ExpertStudio,
    StudioFunding,
    StudioMember,
    StudioSubsidy,
    StudioTier,
)

__all__ = [
    "Apprenticeship",
    "CaseLog",
    "ConfirmationLink",
    "Consultation",
    "ExpertStudio",
    "Mentorship",
    "MonthlyReport",
    "Secondment",
    "SecondmentBatch",
    "SecondmentNeed",
    "StudioFunding",
    "StudioMember",
    "StudioSubsidy",
    "StudioTier",
    "Technique",
    "Visit",
]
