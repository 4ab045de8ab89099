"""The recruitment app's API routes (collected by `yicai.api.urls`)."""

from yicai.api.routes import EDIT, ID, RECORD, Routes, action
from yicai.recruitment.api import (
    AgreementViewSet,
    ApplicationViewSet,
    IntroductionViewSet,
    NoticeViewSet,
    ObjectionViewSet,
    PlanViewSet,
    PostRankingViewSet,
    PostViewSet,
    TalentGrowthViewSet,
)

_recruitment = Routes("v1/recruitment", "api-recruitment")
_STEPS = {"submit": "submit", "approve": "approve", "return": "send_back", "publish": "publish"}
# An application's steps, each POSTed to applications/<id>/<step>/ (the action's name).
_APPLICATION_STEPS = ("decide", "scores", "shortlist", "check", "out", "objections", "hire")

urlpatterns = [
    *_recruitment.records("agreements", AgreementViewSet, "agreement", EDIT),
    _recruitment("plans/figures/", action(PlanViewSet, "figures", "get"), "plan-figures"),
    *_recruitment.records("plans", PlanViewSet, "plan", RECORD),
    _recruitment(f"plans/{ID}/posts/", action(PlanViewSet, "post"), "plan-posts"),
    *(
        _recruitment(f"plans/{ID}/{step}/", action(PlanViewSet, method), f"plan-{step}")
        for step, method in {**_STEPS, "close": "close"}.items()
    ),
    _recruitment(
        "introductions/figures/",
        action(IntroductionViewSet, "figures", "get"),
        "introduction-figures",
    ),
    *_recruitment.records("introductions", IntroductionViewSet, "introduction", RECORD),
    _recruitment("talent-growth/", action(TalentGrowthViewSet, "figures", "get"), "talent-growth"),
    _recruitment(
        f"posts/{ID}/",
        PostViewSet.as_view({"patch": "partial_update", "delete": "destroy"}),
        "post",
    ),
    *_recruitment.records("applications", ApplicationViewSet, "application", RECORD),
    *(
        _recruitment(
            f"applications/{ID}/{step}/", action(ApplicationViewSet, step), f"application-{step}"
        )
        for step in _APPLICATION_STEPS
    ),
    _recruitment(
        f"posts/{ID}/ranking/", action(PostRankingViewSet, "ranking", "get"), "post-ranking"
    ),
    _recruitment(
        f"posts/{ID}/shortlist/", action(PostRankingViewSet, "shortlist"), "post-shortlist"
    ),
    _recruitment(f"plans/{ID}/notice/", action(NoticeViewSet, "publish"), "plan-notice"),
    _recruitment(f"notices/{ID}/", action(NoticeViewSet, "retrieve", "get"), "notice"),
    _recruitment(
        f"objections/{ID}/resolve/", action(ObjectionViewSet, "resolve"), "objection-resolve"
    ),
]
