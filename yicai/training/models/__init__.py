"""育 Cultivation, one module per domain (mentoring, studios, activity, ...); everything is
importable from here.

What the commission counts is derived from these rows, never typed in: a technique is a
filled gap from its first verified independent case (see queries).
"""

from yicai.training.models.activity import (
    COUNT_RULE,
    MAX_COUNT,
    Consultation,
    Visit,
)
from yicai.training.models.careers import (
    DERIVED_KINDS,
    CareerGoal,
    CareerPlan,
)
from yicai.training.models.education import (
    MAX_CREDITS,
    MAX_REQUIRED,
    Attendance,
    CreditClass,
    CreditRequirement,
    EducationEvent,
    Enrolment,
    ExternalCredit,
    TrainingKind,
    TrainingQuota,
)
from yicai.training.models.evaluations import MentorEvaluation
from yicai.training.models.mentoring import (
    Apprenticeship,
    CaseLog,
    ConfirmationLink,
    Mentorship,
    Technique,
)
from yicai.training.models.programmes import (
    GRADE_RANK,
    AnnualReview,
    Cohort,
    CohortMember,
    GoalKind,
    MemberGoal,
    Nomination,
    Programme,
    ReviewScore,
    SelectionRound,
    TitleGrade,
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
from yicai.training.models.teams import FlexibleTeam, FlexibleTeamMember

__all__ = [
    "COUNT_RULE",
    "DERIVED_KINDS",
    "GRADE_RANK",
    "MAX_COUNT",
    "MAX_CREDITS",
    "MAX_REQUIRED",
    "AnnualReview",
    "Apprenticeship",
    "Attendance",
    "CareerGoal",
    "CareerPlan",
    "CaseLog",
    "Cohort",
    "CohortMember",
    "ConfirmationLink",
    "Consultation",
    "CreditClass",
    "CreditRequirement",
    "EducationEvent",
    "Enrolment",
    "ExpertStudio",
    "ExternalCredit",
    "FlexibleTeam",
    "FlexibleTeamMember",
    "GoalKind",
    "MemberGoal",
    "MentorEvaluation",
    "Mentorship",
    "MonthlyReport",
    "Nomination",
    "Programme",
    "ReviewScore",
    "Secondment",
    "SecondmentBatch",
    "SecondmentNeed",
    "SelectionRound",
    "StudioFunding",
    "StudioMember",
    "StudioSubsidy",
    "StudioTier",
    "Technique",
    "TitleGrade",
    "TrainingKind",
    "TrainingQuota",
    "Visit",
]
