"""The retention app's API routes (collected by `yicai.api.urls`)."""

from yicai.api.routes import EDIT, ID, READ, RECORD, Actions, Routes, action
from yicai.retention.api.awards import ClawbackViewSet, LineViewSet, RunViewSet
from yicai.retention.api.care import CareEnrolmentViewSet, CareTaskViewSet
from yicai.retention.api.funds import EntryViewSet, FundViewSet
from yicai.retention.api.policies import PolicyViewSet, RuleViewSet
from yicai.retention.api.promotions import PromotionApplicationViewSet, PromotionRoundViewSet

_retention = Routes("v1/retention", "api-retention")
_LIST: Actions = {"get": "list"}
_CREATE: Actions = {"post": "create"}

urlpatterns = [
    _retention("care/enrolments/", CareEnrolmentViewSet.as_view(_LIST), "care-enrolments"),
    _retention(f"care/enrolments/{ID}/", CareEnrolmentViewSet.as_view(READ), "care-enrolment"),
    _retention("care/tasks/", CareTaskViewSet.as_view(_LIST), "care-tasks"),
    _retention(f"care/tasks/{ID}/", CareTaskViewSet.as_view(READ), "care-task"),
    _retention(
        f"care/tasks/{ID}/complete/", action(CareTaskViewSet, "complete"), "care-task-complete"
    ),
    _retention("care/figures/", action(CareTaskViewSet, "figures", "get"), "care-figures"),
    *_retention.records("funds", FundViewSet, "fund", EDIT),
    _retention(f"funds/{ID}/balance/", action(FundViewSet, "balance", "get"), "fund-balance"),
    *_retention.records("entries", EntryViewSet, "entry", READ),
    _retention(f"entries/{ID}/reverse/", action(EntryViewSet, "reverse"), "entry-reverse"),
    *_retention.records("policies", PolicyViewSet, "policy", EDIT),
    *(
        _retention(f"policies/{ID}/{step}/", action(PolicyViewSet, step), f"policy-{step}")
        for step in ("publish", "copy", "repeal")
    ),
    _retention("rules/", RuleViewSet.as_view(_CREATE), "rules"),
    _retention(f"rules/{ID}/", RuleViewSet.as_view(RECORD), "rule"),
    _retention(f"rules/{ID}/amounts/", action(RuleViewSet, "amounts"), "rule-amounts"),
    *_retention.records("award-runs", RunViewSet, "award-run", READ),
    _retention(f"award-runs/{ID}/approve/", action(RunViewSet, "approve"), "award-run-approve"),
    _retention("award-lines/", LineViewSet.as_view(_LIST), "award-lines"),
    _retention(f"award-lines/{ID}/", LineViewSet.as_view(READ), "award-line"),
    *(
        _retention(f"award-lines/{ID}/{step}/", action(LineViewSet, step), f"award-line-{step}")
        for step in ("exclude", "include")
    ),
    _retention("award-clawbacks/", ClawbackViewSet.as_view(_LIST), "award-clawbacks"),
    _retention(f"award-clawbacks/{ID}/", ClawbackViewSet.as_view(READ), "award-clawback"),
    _retention(
        f"award-clawbacks/{ID}/decide/",
        action(ClawbackViewSet, "decide"),
        "award-clawback-decide",
    ),
    *_retention.records("rounds", PromotionRoundViewSet, "round", READ),
    _retention(
        f"rounds/{ID}/figures/", action(PromotionRoundViewSet, "figures", "get"), "round-figures"
    ),
    _retention(f"rounds/{ID}/results/", action(PromotionRoundViewSet, "results"), "round-results"),
    *_retention.records(
        "promotion-applications",
        PromotionApplicationViewSet,
        "promotion-application",
        READ,
    ),
    _retention(
        f"promotion-applications/{ID}/result/",
        action(PromotionApplicationViewSet, "result"),
        "promotion-application-result",
    ),
]
