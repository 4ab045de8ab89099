"""The recruitment app's API routes (collected by `yicai.api.urls`)."""

from yicai.api.routes import EDIT, ID, RECORD, Routes, action
from yicai.recruitment.api import (
    AgreementViewSet,
    IntroductionViewSet,
    PlanViewSet,
    PostViewSet,
    TalentGrowthViewSet,
)

_recruitment = Routes("v1/recruitment", "api-recruitment")
_STEPS = {"submit": "submit", "approve": "approve", "return": "send_back", "publish": "publish"}

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
]
