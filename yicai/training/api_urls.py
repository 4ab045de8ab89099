"""The training app's API routes (collected by `yicai.api.urls`)."""

from django.urls import path
from rest_framework.parsers import MultiPartParser

from yicai.api.routes import COLLECTION, ID, READ
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
TRAINING = "v1/training"
urlpatterns = [
    path(
        f"{TRAINING}/mentorships/",
        MentorshipViewSet.as_view(COLLECTION),
        name="api-training-mentorships",
    ),
    path(
        f"{TRAINING}/mentorships/{ID}/",
        MentorshipViewSet.as_view({"get": "retrieve", "patch": "partial_update"}),
        name="api-training-mentorship",
    ),
    path(
        f"{TRAINING}/techniques/",
        TechniqueViewSet.as_view(COLLECTION),
        name="api-training-techniques",
    ),
    path(
        f"{TRAINING}/techniques/{ID}/",
        TechniqueViewSet.as_view(
            {"get": "retrieve", "patch": "partial_update", "delete": "destroy"}
        ),
        name="api-training-technique",
    ),
    path(
        f"{TRAINING}/case-logs/", CaseLogViewSet.as_view(COLLECTION), name="api-training-case-logs"
    ),
    path(f"{TRAINING}/case-logs/{ID}/", CaseLogViewSet.as_view(READ), name="api-training-case-log"),
    path(
        f"{TRAINING}/case-logs/{ID}/verify/",
        CaseLogViewSet.as_view({"post": "verify"}),
        name="api-training-case-log-verify",
    ),
    path(
        f"{TRAINING}/case-logs/{ID}/unverify/",
        CaseLogViewSet.as_view({"post": "unverify"}),
        name="api-training-case-log-unverify",
    ),
    path(
        f"{TRAINING}/case-logs/{ID}/paper/",
        # The scan comes as a file (multipart); a reference alone may come as JSON.
        CaseLogViewSet.as_view({"post": "paper"}, parser_classes=[JSONParser, MultiPartParser]),
        name="api-training-case-log-paper",
    ),
    path(
        f"{TRAINING}/studios/figures/",
        StudioViewSet.as_view({"get": "figures"}),
        name="api-training-studio-figures",
    ),
    path(f"{TRAINING}/studios/", StudioViewSet.as_view(COLLECTION), name="api-training-studios"),
    path(
        f"{TRAINING}/studios/{ID}/",
        StudioViewSet.as_view({"get": "retrieve", "patch": "partial_update"}),
        name="api-training-studio",
    ),
    path(f"{TRAINING}/teams/", TeamViewSet.as_view(COLLECTION), name="api-training-teams"),
    path(f"{TRAINING}/teams/{ID}/", TeamViewSet.as_view(READ), name="api-training-team"),
    path(
        f"{TRAINING}/visits/counts/",
        VisitViewSet.as_view({"get": "counts"}),
        name="api-training-visit-counts",
    ),
    path(f"{TRAINING}/visits/", VisitViewSet.as_view(COLLECTION), name="api-training-visits"),
    path(
        f"{TRAINING}/visits/{ID}/",
        VisitViewSet.as_view({"get": "retrieve", "patch": "partial_update", "delete": "destroy"}),
        name="api-training-visit",
    ),
    path(
        f"{TRAINING}/consultations/",
        ConsultationViewSet.as_view(COLLECTION),
        name="api-training-consultations",
    ),
    path(
        f"{TRAINING}/consultations/{ID}/",
        ConsultationViewSet.as_view({"get": "retrieve", "patch": "partial_update"}),
        name="api-training-consultation",
    ),
]


def _training(route: str, view, name: str):
    return path(f"{TRAINING}/{route}", view, name=f"api-training-{name}")


def _action(viewset, action: str, method: str = "post"):
    return viewset.as_view({method: action})


# The overview; secondments with their reports and needs; continuing education and quotas;
# programmes, cohorts, rounds and the talent pool; career plans.
urlpatterns += [
    _training("overview/", _action(OverviewViewSet, "retrieve", "get"), "overview"),
    _training("secondment-batches/", BatchViewSet.as_view(COLLECTION), "secondment-batches"),
    _training("secondments/", SecondmentViewSet.as_view(COLLECTION), "secondments"),
    _training(
        f"secondments/{ID}/",
        SecondmentViewSet.as_view({"get": "retrieve", "patch": "partial_update"}),
        "secondment",
    ),
    _training(
        f"secondments/{ID}/reports/", _action(SecondmentViewSet, "report"), "secondment-reports"
    ),
    _training(f"secondments/{ID}/needs/", _action(SecondmentViewSet, "need"), "secondment-needs"),
    _training(
        f"secondments/{ID}/complete/",
        _action(SecondmentViewSet, "complete"),
        "secondment-complete",
    ),
    _training(
        f"secondments/{ID}/withdraw/",
        _action(SecondmentViewSet, "withdraw"),
        "secondment-withdraw",
    ),
    _training(f"reports/{ID}/comment/", _action(ReportViewSet, "comment"), "report-comment"),
    _training(f"needs/{ID}/resolve/", _action(NeedViewSet, "resolve"), "need-resolve"),
    _training("education/events/", EventViewSet.as_view(COLLECTION), "education-events"),
    _training(
        f"education/events/{ID}/",
        EventViewSet.as_view({"get": "retrieve", "patch": "partial_update", "delete": "destroy"}),
        "education-event",
    ),
    _training(
        f"education/attendance/{ID}/",
        _action(AttendanceViewSet, "destroy", "delete"),
        "education-attendance-remove",
    ),
    _training(
        "education/external-credits/",
        _action(ExternalCreditViewSet, "create"),
        "education-external-credits",
    ),
    _training(
        "education/credit-requirements/",
        _action(CreditViewSet, "requirement"),
        "education-credit-requirements",
    ),
    _training(
        f"education/events/{ID}/attendance/",
        _action(EventViewSet, "attendance"),
        "education-attendance",
    ),
    _training("education/credits/", _action(CreditViewSet, "list", "get"), "education-credits"),
    _training("education/quotas/", QuotaViewSet.as_view(COLLECTION), "education-quotas"),
    _training(
        "education/enrolments/", EnrolmentViewSet.as_view(COLLECTION), "education-enrolments"
    ),
    _training(f"education/enrolments/{ID}/", EnrolmentViewSet.as_view(READ), "education-enrolment"),
    _training("programmes/", ProgrammeViewSet.as_view(COLLECTION), "programmes"),
    _training(
        f"programmes/{ID}/",
        ProgrammeViewSet.as_view({"get": "retrieve", "patch": "partial_update"}),
        "programme",
    ),
    _training(
        f"programmes/{ID}/cohorts/", _action(ProgrammeViewSet, "cohort"), "programme-cohorts"
    ),
    _training(f"cohorts/{ID}/", CohortViewSet.as_view(READ), "cohort"),
    _training(f"cohorts/{ID}/rounds/", _action(CohortViewSet, "open_round"), "cohort-rounds"),
    _training(f"members/{ID}/", MemberViewSet.as_view(READ), "member"),
    _training(f"members/{ID}/goals/", _action(MemberViewSet, "goal"), "member-goals"),
    _training(f"members/{ID}/reviews/", _action(MemberViewSet, "review"), "member-reviews"),
    _training(f"members/{ID}/complete/", _action(MemberViewSet, "complete"), "member-complete"),
    _training(f"members/{ID}/withdraw/", _action(MemberViewSet, "withdraw"), "member-withdraw"),
    _training(f"rounds/{ID}/", RoundViewSet.as_view(READ), "round"),
    _training(f"rounds/{ID}/nominations/", _action(RoundViewSet, "nominate"), "nominations"),
    _training(f"rounds/{ID}/review/", _action(RoundViewSet, "review"), "round-review"),
    _training(f"rounds/{ID}/approve/", _action(RoundViewSet, "approve"), "round-approve"),
    _training(
        f"nominations/{ID}/scores/", _action(NominationViewSet, "score"), "nomination-scores"
    ),
    _training(
        f"nominations/{ID}/decide/", _action(NominationViewSet, "decide"), "nomination-decide"
    ),
    _training("evaluations/", EvaluationViewSet.as_view(COLLECTION), "evaluations"),
    _training(f"evaluations/{ID}/", EvaluationViewSet.as_view(READ), "evaluation"),
    _training("talent-pool/", _action(PoolViewSet, "list", "get"), "talent-pool"),
    _training("career-plans/", CareerPlanViewSet.as_view(COLLECTION), "career-plans"),
    _training(
        f"career-plans/{ID}/",
        CareerPlanViewSet.as_view({"get": "retrieve", "patch": "partial_update"}),
        "career-plan",
    ),
    _training(f"career-plans/{ID}/goals/", _action(CareerPlanViewSet, "goal"), "career-plan-goals"),
    _training(
        f"career-goals/{ID}/", _action(CareerGoalViewSet, "destroy", "delete"), "career-goal"
    ),
    _training(f"career-goals/{ID}/done/", _action(CareerGoalViewSet, "done"), "career-goal-done"),
    _training(
        f"career-goals/{ID}/reopen/", _action(CareerGoalViewSet, "reopen"), "career-goal-reopen"
    ),
]
