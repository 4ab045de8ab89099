"""The training app's API routes (collected by `yicai.api.urls`)."""

from rest_framework.parsers import MultiPartParser

from yicai.api.routes import COLLECTION, EDIT, ID, READ, RECORD, Routes, action
from yicai.params import JSONParser
from yicai.training.api.activity import ConsultationViewSet, VisitViewSet
from yicai.training.api.careers import CareerGoalViewSet, CareerPlanViewSet
from yicai.training.api.education import (
    AttendanceViewSet,
    CreditViewSet,
    EnrolmentViewSet,
    EventViewSet,
    ExternalCreditViewSet,
    QuotaViewSet,
)
from yicai.training.api.evaluations import EvaluationViewSet
from yicai.training.api.mentoring import CaseLogViewSet, MentorshipViewSet, TechniqueViewSet
from yicai.training.api.overview import OverviewViewSet
from yicai.training.api.programmes import (
    CohortViewSet,
    MemberViewSet,
    NominationViewSet,
    PoolViewSet,
    ProgrammeViewSet,
    RoundViewSet,
)
from yicai.training.api.secondments import (
    BatchViewSet,
    NeedViewSet,
    ReportViewSet,
    SecondmentViewSet,
)
from yicai.training.api.studios import StudioViewSet
from yicai.training.api.teams import TeamViewSet

# 育 Cultivation: /api/v1/training/<collection>/, each collection read and added to; the
# fixed words (figures, counts) come before the id they would otherwise match.
_training = Routes("v1/training", "api-training")
urlpatterns = [
    *_training.records("mentorships", MentorshipViewSet, "mentorship", EDIT),
    *_training.records("techniques", TechniqueViewSet, "technique", RECORD),
    *_training.records("case-logs", CaseLogViewSet, "case-log", READ),
    _training(f"case-logs/{ID}/verify/", action(CaseLogViewSet, "verify"), "case-log-verify"),
    _training(f"case-logs/{ID}/unverify/", action(CaseLogViewSet, "unverify"), "case-log-unverify"),
    _training(
        f"case-logs/{ID}/paper/",
        # The scan comes as a file (multipart); a reference alone may come as JSON.
        CaseLogViewSet.as_view({"post": "paper"}, parser_classes=[JSONParser, MultiPartParser]),
        "case-log-paper",
    ),
    _training("studios/figures/", action(StudioViewSet, "figures", "get"), "studio-figures"),
    *_training.records("studios", StudioViewSet, "studio", EDIT),
    *_training.records("teams", TeamViewSet, "team", READ),
    _training("visits/counts/", action(VisitViewSet, "counts", "get"), "visit-counts"),
    *_training.records("visits", VisitViewSet, "visit", RECORD),
    *_training.records("consultations", ConsultationViewSet, "consultation", EDIT),
]

# The overview; secondments with their reports and needs; continuing education and quotas;
# programmes, cohorts, rounds and the talent pool; career plans.
urlpatterns += [
    _training("overview/", action(OverviewViewSet, "retrieve", "get"), "overview"),
    _training("secondment-batches/", BatchViewSet.as_view(COLLECTION), "secondment-batches"),
    *_training.records("secondments", SecondmentViewSet, "secondment", EDIT),
    _training(
        f"secondments/{ID}/reports/", action(SecondmentViewSet, "report"), "secondment-reports"
    ),
    _training(f"secondments/{ID}/needs/", action(SecondmentViewSet, "need"), "secondment-needs"),
    _training(
        f"secondments/{ID}/complete/",
        action(SecondmentViewSet, "complete"),
        "secondment-complete",
    ),
    _training(
        f"secondments/{ID}/withdraw/",
        action(SecondmentViewSet, "withdraw"),
        "secondment-withdraw",
    ),
    _training(f"reports/{ID}/comment/", action(ReportViewSet, "comment"), "report-comment"),
    _training(f"needs/{ID}/resolve/", action(NeedViewSet, "resolve"), "need-resolve"),
    *_training.records("education/events", EventViewSet, "education-event", RECORD),
    _training(
        f"education/attendance/{ID}/",
        action(AttendanceViewSet, "destroy", "delete"),
        "education-attendance-remove",
    ),
    _training(
        "education/external-credits/",
        action(ExternalCreditViewSet, "create"),
        "education-external-credits",
    ),
    _training(
        "education/credit-requirements/",
        action(CreditViewSet, "requirement"),
        "education-credit-requirements",
    ),
    _training(
        f"education/events/{ID}/attendance/",
        action(EventViewSet, "attendance"),
        "education-attendance",
    ),
    _training("education/credits/", action(CreditViewSet, "list", "get"), "education-credits"),
    _training("education/quotas/", QuotaViewSet.as_view(COLLECTION), "education-quotas"),
    *_training.records("education/enrolments", EnrolmentViewSet, "education-enrolment", READ),
    *_training.records("programmes", ProgrammeViewSet, "programme", EDIT),
    _training(f"programmes/{ID}/cohorts/", action(ProgrammeViewSet, "cohort"), "programme-cohorts"),
    _training(f"cohorts/{ID}/", CohortViewSet.as_view(READ), "cohort"),
    _training(f"cohorts/{ID}/rounds/", action(CohortViewSet, "open_round"), "cohort-rounds"),
    _training(f"members/{ID}/", MemberViewSet.as_view(READ), "member"),
    _training(f"members/{ID}/goals/", action(MemberViewSet, "goal"), "member-goals"),
    _training(f"members/{ID}/reviews/", action(MemberViewSet, "review"), "member-reviews"),
    _training(f"members/{ID}/complete/", action(MemberViewSet, "complete"), "member-complete"),
    _training(f"members/{ID}/withdraw/", action(MemberViewSet, "withdraw"), "member-withdraw"),
    _training(f"rounds/{ID}/", RoundViewSet.as_view(READ), "round"),
    _training(f"rounds/{ID}/nominations/", action(RoundViewSet, "nominate"), "nominations"),
    _training(f"rounds/{ID}/review/", action(RoundViewSet, "review"), "round-review"),
    _training(f"rounds/{ID}/approve/", action(RoundViewSet, "approve"), "round-approve"),
    _training(f"nominations/{ID}/scores/", action(NominationViewSet, "score"), "nomination-scores"),
    _training(
        f"nominations/{ID}/decide/", action(NominationViewSet, "decide"), "nomination-decide"
    ),
    *_training.records("evaluations", EvaluationViewSet, "evaluation", READ),
    _training("talent-pool/", action(PoolViewSet, "list", "get"), "talent-pool"),
    *_training.records("career-plans", CareerPlanViewSet, "career-plan", EDIT),
    _training(f"career-plans/{ID}/goals/", action(CareerPlanViewSet, "goal"), "career-plan-goals"),
    _training(f"career-goals/{ID}/", action(CareerGoalViewSet, "destroy", "delete"), "career-goal"),
    _training(f"career-goals/{ID}/done/", action(CareerGoalViewSet, "done"), "career-goal-done"),
    _training(
        f"career-goals/{ID}/reopen/", action(CareerGoalViewSet, "reopen"), "career-goal-reopen"
    ),
]
