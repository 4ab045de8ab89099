"""The recruitment app's API routes (collected by `yicai.api.urls`)."""

from yicai.api.routes import EDIT, ID, RECORD, Actions, Routes, action
from yicai.recruitment.api import (
    AgreementViewSet,
    ApplicationViewSet,
    BreachViewSet,
    ClawbackViewSet,
    ContractViewSet,
    DirectedKindViewSet,
    EntitlementViewSet,
    IntroductionViewSet,
    InvitationEventViewSet,
    InviteeViewSet,
    NetworkViewSet,
    NoticeViewSet,
    ObjectionViewSet,
    OverviewViewSet,
    PaymentsDueViewSet,
    PlanViewSet,
    PostRankingViewSet,
    PostViewSet,
    ReferralViewSet,
    TalentGrowthViewSet,
    TrancheViewSet,
)

_recruitment = Routes("v1/recruitment", "api-recruitment")
_STEPS = {"submit": "submit", "approve": "approve", "return": "send_back", "publish": "publish"}
# An application's steps, each POSTed to applications/<id>/<step>/ (the action's name).
_APPLICATION_STEPS = ("decide", "scores", "shortlist", "check", "out", "objections", "hire")
# A directed student's contract's steps, each POSTed to directed/<id>/<step>/.
_CONTRACT_STEPS = ("graduate", "assign", "start", "leave", "fulfil")
# Read, and removed (a row of a list kept on another record's page).
_READ_REMOVE: Actions = {"get": "retrieve", "delete": "destroy"}

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
    _recruitment(
        f"introductions/{ID}/entitlements/",
        EntitlementViewSet.as_view({"get": "entitlements", "post": "grant"}),
        "introduction-entitlements",
    ),
    _recruitment(
        f"introductions/{ID}/leave/", action(EntitlementViewSet, "leave"), "introduction-leave"
    ),
    _recruitment(f"tranches/{ID}/pay/", action(TrancheViewSet, "pay"), "tranche-pay"),
    _recruitment(f"clawbacks/{ID}/decide/", action(ClawbackViewSet, "decide"), "clawback-decide"),
    _recruitment("payments-due/", action(PaymentsDueViewSet, "list", "get"), "payments-due"),
    _recruitment("talent-growth/", action(TalentGrowthViewSet, "figures", "get"), "talent-growth"),
    _recruitment("overview/", action(OverviewViewSet, "figures", "get"), "overview"),
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
    # Directed students.
    _recruitment(
        "directed/figures/", action(ContractViewSet, "figures", "get"), "directed-figures"
    ),
    *_recruitment.records("directed", ContractViewSet, "contract", EDIT),
    *(
        _recruitment(f"directed/{ID}/{step}/", action(ContractViewSet, step), f"contract-{step}")
        for step in _CONTRACT_STEPS
    ),
    _recruitment("directed-kinds/", action(DirectedKindViewSet, "kinds", "get"), "directed-kinds"),
    _recruitment(f"breaches/{ID}/decide/", action(BreachViewSet, "decide"), "breach-decide"),
    # The expert network.
    *_recruitment.records("events", InvitationEventViewSet, "event", EDIT),
    _recruitment(
        f"events/{ID}/invitees/", action(InvitationEventViewSet, "invitees"), "event-invitees"
    ),
    _recruitment(f"invitees/{ID}/", InviteeViewSet.as_view(_READ_REMOVE), "invitee"),
    _recruitment("network/", action(NetworkViewSet, "list", "get"), "network"),
    _recruitment(f"network/{ID}/", action(NetworkViewSet, "retrieve", "get"), "expert"),
    _recruitment(
        f"network/{ID}/referrals/", action(NetworkViewSet, "referrals"), "expert-referrals"
    ),
    _recruitment(f"referrals/{ID}/", ReferralViewSet.as_view(_READ_REMOVE), "referral"),
]
