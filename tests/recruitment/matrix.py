"""recruitment's part of the scope matrix (collected by `tests.builders.app_matrices`): A's
agreement with a partner, kept by A's cardiology (its head reads it); A's draft recruitment plan
with a post (A's HR office's: no department head sees it; only the commission approves); A's
published plan of 2022 whose candidate is on the public notice with an objection open, so
that every step posted to it is refused the same way for everyone who reaches it."""

import datetime
from decimal import Decimal

from tests import factories
from tests.recruitment.helpers import notice_of_2022
from tests.scope_tables import A_INSTITUTION_EDIT, EDITS_INSTITUTIONS, HR, only, rows
from yicai.recruitment import services

D = datetime.date


def build(records, world) -> None:
    records.agreement = services.agreement_create(
        by=None,
        institution=world.a,
        department=world.a_cardiology,
        partner_name="复旦大学附属中山医院",
        kind="specialty_alliance",
        title="心血管专科联盟协议",
        signed_on=datetime.date(2021, 4, 1),
        starts_on=datetime.date(2021, 4, 1),
    )
    records.plan = services.plan_create(
        by=None, institution=world.a, year=2026, title="2026年度公开招聘计划"
    )
    records.introduction = services.introduction_create(
        by=None,
        person=world.a_doctor,
        institution=world.a,
        department=world.a_cardiology,
        introduced_on=datetime.date(2021, 9, 1),
        mode="full_time",
        category="shortage",
    )
    records.post = services.post_add(
        plan=records.plan, name="临床医师", specialty="临床医学", places=2, procedure="open"
    )
    _candidate_on_notice(records, world)
    _introduction_left(records, world)
    _directed_breached(records, world)
    records.event = services.event_create(
        by=None, institution=world.a, title="专家聘请大会", held_on=D(2022, 5, 20)
    )
    records.invitee = services.invitee_add(
        by=None, event=records.event, person=world.partner_expert
    )
    records.referral = services.referral_create(
        by=None,
        institution=world.a,
        referrer=world.partner_expert,
        referred=world.a_surgeon,
        referred_on=D(2022, 6, 1),
    )


def _directed_breached(records, world) -> None:
    """An order-directed student of A's who left A before the six years owed: every step
    posted to the contract is refused (400), the breach waits for the commission."""
    from yicai.recruitment.models import DirectedKind

    contract = services.directed_contract_create(
        by=None,
        kind=DirectedKind.objects.get(code="order_directed"),
        name="定向医学生",
        id_number=factories.id_number(D(1994, 3, 3)),
        school="安徽医科大学",
        major="临床医学",
        enrolled_year=2012,
        sponsor=world.a,
        fees_covered=Decimal(60000),
    )
    services.directed_graduate(contract=contract, on=D(2017, 6, 30))
    services.directed_start(contract=contract, on=D(2017, 8, 1), service_place=world.a)
    records.contract = services.directed_leave(contract=contract, on=D(2019, 1, 1))
    records.breach = records.contract.breach


def _introduction_left(records, world) -> None:
    """The surgeon, introduced in 2021 for five years, left in 2023 owing back a share of
    the settlement allowance paid; the second tranche was cancelled."""
    introduction = services.introduction_create(
        by=None,
        person=world.a_surgeon,
        institution=world.a,
        department=world.a_surgery,
        introduced_on=D(2021, 7, 1),
        mode="full_time",
        category="high_level",
        service_years=5,
    )
    entitlement = services.entitlement_add(
        introduction=introduction,
        kind="settlement",
        amount=Decimal(200000),
        tranches=[(Decimal(100000), D(2021, 7, 15), ""), (Decimal(100000), D(2023, 7, 1), "")],
    )
    first, second = entitlement.tranches.order_by("number")
    services.tranche_pay(tranche=first, by=None, paid_on=D(2021, 7, 20))
    [records.clawback] = services.introduction_leave(
        introduction=introduction, left_on=D(2023, 2, 28)
    )
    records.cancelled_tranche = second


def _candidate_on_notice(records, world) -> None:
    records.notice = notice = notice_of_2022(world)
    application = notice.applications.get()
    plan, post = notice.plan, application.post
    records.objection = services.objection_record(
        application=application, received_on=D(2022, 6, 2), content="反映学历存疑"
    )
    records.hiring_plan, records.hiring_post, records.application = plan, post, application


_STEPS = ("posts", "submit", "approve", "return", "publish", "close")
_PLAN = rows({**EDITS_INSTITUTIONS, "dept_head": set()}, "a")
_A_PLAN_STEP = rows(EDITS_INSTITUTIONS, "a", status=302, method="post")
_OF_PLAN = (
    "plan",
    "plan_edit",
    "post_add",
    "plan_submit",
    "plan_approve",
    "plan_return",
    "plan_publish",
    "plan_close",
    "plan_delete",
)
_STEPS_OF_APPLICATION = ("decide", "score", "shortlist", "check", "out", "object", "hire")
_OF_APPLICATION = (
    "application",
    "application_edit",
    "application_delete",
    *(f"application_{step}" for step in _STEPS_OF_APPLICATION),
)
_OF_NOTICE = ("notice", "notice_xlsx", "notice_pdf")
_CONTRACT_STEPS = ("graduate", "assign", "start", "leave", "fulfil")
_OF_CONTRACT = ("contract", "contract_edit", *(f"contract_{step}" for step in _CONTRACT_STEPS))
# An institution's applicants: its HR office's and the commission's, no department head's.
_APPLICANTS = rows({**EDITS_INSTITUTIONS, "dept_head": set()}, "a")
_API_APPLICANTS = rows({**EDITS_INSTITUTIONS, "dept_head": set()}, "a", anonymous=401)
_API_STEPS_OF_APPLICATION = ("decide", "scores", "shortlist", "check", "out", "objections", "hire")
# The same candidate over the API: every step posted (an empty body) is refused, 400.
_API_A_STEP = rows(EDITS_INSTITUTIONS, "a", status=400, method="post", anonymous=401)
# A's introduction to its cardiology, which the cardiology head reads too.
_API_INTRODUCTION = rows({**EDITS_INSTITUTIONS, "dept_head": {"a"}}, "a", anonymous=401)
# An empty decision (neither approved nor waived): refused, 400; the commission's alone.
_API_COMMISSION_DECIDES = only("commission", status=400, method="post", anonymous=401)
PAGE_KWARGS = {
    "recruitment:agreement_edit": lambda r: {"pk": r.agreement.pk},
    **{f"recruitment:{name}": (lambda r: {"pk": r.plan.pk}) for name in _OF_PLAN},
    "recruitment:post_edit": lambda r: {"pk": r.post.pk},
    "recruitment:post_delete": lambda r: {"pk": r.post.pk},
    "recruitment:introduction_edit": lambda r: {"pk": r.introduction.pk},
    **{f"recruitment:{name}": (lambda r: {"pk": r.contract.pk}) for name in _OF_CONTRACT},
    "recruitment:breach_decide": lambda r: {"pk": r.breach.pk},
    "recruitment:introduction": lambda r: {"pk": r.introduction.pk},
    "recruitment:introduction_document": lambda r: {"pk": r.introduction.pk},
    "recruitment:agreement_document": lambda r: {"pk": r.agreement.pk},
    "recruitment:event": lambda r: {"pk": r.event.pk},
    "recruitment:event_edit": lambda r: {"pk": r.event.pk},
    "recruitment:invitee_add": lambda r: {"pk": r.event.pk},
    "recruitment:invitee_remove": lambda r: {"pk": r.invitee.pk},
    # A's cardiologist is in the network by her introduction.
    "recruitment:expert": lambda r: {"pk": r.introduction.person_id},
    "recruitment:referral_add": lambda r: {"pk": r.introduction.person_id},
    "recruitment:referral_delete": lambda r: {"pk": r.referral.pk},
    "recruitment:entitlement_add": lambda r: {"pk": r.introduction.pk},
    "recruitment:introduction_leave": lambda r: {"pk": r.introduction.pk},
    "recruitment:tranche_pay": lambda r: {"pk": r.cancelled_tranche.pk},
    "recruitment:clawback_decide": lambda r: {"pk": r.clawback.pk},
    "recruitment:post": lambda r: {"pk": r.hiring_post.pk},
    "recruitment:post_shortlist": lambda r: {"pk": r.hiring_post.pk},
    "recruitment:application_create": lambda r: {"post": r.hiring_post.pk},
    **{f"recruitment:{name}": (lambda r: {"pk": r.application.pk}) for name in _OF_APPLICATION},
    "recruitment:objection_resolve": lambda r: {"pk": r.objection.pk},
    "recruitment:notice_create": lambda r: {"pk": r.hiring_plan.pk},
    **{f"recruitment:{name}": (lambda r: {"pk": r.notice.pk}) for name in _OF_NOTICE},
}
CASES = {
    "recruitment:agreements": only(*HR, "dept_head"),
    "recruitment:agreement_create": only(*HR),
    "recruitment:agreement_edit": A_INSTITUTION_EDIT,
    "recruitment:plans": only(*HR, "dept_head"),
    "recruitment:plan_figures": only(*HR, "dept_head"),
    "recruitment:talent_growth": only(*HR, "dept_head"),
    "recruitment:introductions": only(*HR, "dept_head"),
    "recruitment:introduction_figures": only(*HR, "dept_head"),
    "recruitment:introduction_create": only(*HR),
    "recruitment:introduction_edit": A_INSTITUTION_EDIT,
    "api-recruitment-introductions": only(*HR, "dept_head", anonymous=401),
    "api-recruitment-introduction-figures": only(*HR, "dept_head", anonymous=401),
    # A's cardiology head reads the introduction to their department.
    "api-recruitment-introduction": rows(
        {**EDITS_INSTITUTIONS, "dept_head": {"a"}}, "a", anonymous=401
    ),
    "api-recruitment-talent-growth": only(*HR, "dept_head", anonymous=401),
    "recruitment:plan_create": only(*HR),
    "recruitment:plan": _PLAN,
    "recruitment:plan_edit": A_INSTITUTION_EDIT,
    "recruitment:post_edit": A_INSTITUTION_EDIT,
    # An empty post: the plan's page again, with the form's errors.
    "recruitment:post_add": rows(EDITS_INSTITUTIONS, "a", status=400, method="post"),
    "recruitment:plan_submit": _A_PLAN_STEP,
    "recruitment:plan_approve": only("commission", status=302, method="post"),
    "recruitment:plan_return": only("commission", status=302, method="post"),
    "recruitment:plan_publish": _A_PLAN_STEP,
    "recruitment:plan_close": _A_PLAN_STEP,
    "recruitment:plan_delete": _A_PLAN_STEP,
    "recruitment:post_delete": _A_PLAN_STEP,
    "api-recruitment-plans": only(*HR, "dept_head", anonymous=401),
    "api-recruitment-plan-figures": only(*HR, "dept_head", anonymous=401),
    "api-recruitment-plan": rows({**EDITS_INSTITUTIONS, "dept_head": set()}, "a", anonymous=401),
    # Walked with the reads (before any step): an empty change of A's draft's post.
    "api-recruitment-post": rows(EDITS_INSTITUTIONS, "a", method="patch", anonymous=401),
    # After the pages' steps (the commission's plan is closed, A's submitted): each step is
    # refused as out of turn, a post as empty; B gets 404, who lacks the permission 403.
    **{
        f"api-recruitment-plan-{step}": rows(
            EDITS_INSTITUTIONS, "a", status=400, method="post", anonymous=401
        )
        for step in _STEPS[:2] + _STEPS[4:]
    },
    **{
        f"api-recruitment-plan-{step}": only("commission", status=400, method="post", anonymous=401)
        for step in _STEPS[2:4]
    },
    "recruitment:overview": only(*HR, "dept_head"),
    "api-recruitment-overview": only(*HR, "dept_head", anonymous=401),
    "recruitment:applications": only(*HR, "dept_head"),
    # A's cardiology head reads the introduction to their department; the forms posted empty
    # (or paying a cancelled tranche, approving without a decision) are refused: 400.
    "recruitment:introduction": rows({**EDITS_INSTITUTIONS, "dept_head": {"a"}}, "a"),
    "recruitment:entitlement_add": rows(EDITS_INSTITUTIONS, "a", status=400, method="post"),
    "recruitment:introduction_leave": rows(EDITS_INSTITUTIONS, "a", status=400, method="post"),
    "recruitment:tranche_pay": rows(EDITS_INSTITUTIONS, "a", status=400, method="post"),
    "recruitment:payments_due": only(*HR, "dept_head"),
    # No document was uploaded with these: those who see the record get a 404 for it.
    "recruitment:agreement_document": rows(
        {**EDITS_INSTITUTIONS, "dept_head": {"a"}}, "a", status=404
    ),
    "recruitment:introduction_document": rows(
        {**EDITS_INSTITUTIONS, "dept_head": {"a"}}, "a", status=404
    ),
    # The expert network: events are the inviting institution's HR office's; the network and
    # an expert's page hold what the records one sees show (the cardiology head sees A's
    # cardiologist by her introduction).
    "recruitment:events": only(*HR, "dept_head"),
    "recruitment:event_create": only(*HR),
    "recruitment:event": _APPLICANTS,
    "recruitment:event_edit": A_INSTITUTION_EDIT,
    "recruitment:invitee_add": rows(EDITS_INSTITUTIONS, "a", status=400, method="post"),
    "recruitment:invitee_remove": _A_PLAN_STEP,
    "recruitment:network": only(*HR, "dept_head"),
    "recruitment:expert": rows({**EDITS_INSTITUTIONS, "dept_head": {"a"}}, "a"),
    "recruitment:referral_add": rows(EDITS_INSTITUTIONS, "a", status=400, method="post"),
    "recruitment:referral_delete": _A_PLAN_STEP,
    # Directed students' contracts are the sponsor's HR office's (no department's); the
    # breached contract refuses every step (400), the breach waits for the commission.
    "recruitment:contracts": only(*HR, "dept_head"),
    "recruitment:contract_create": only(*HR),
    "recruitment:contract": _APPLICANTS,
    "recruitment:contract_edit": A_INSTITUTION_EDIT,
    **{
        f"recruitment:contract_{step}": rows(EDITS_INSTITUTIONS, "a", status=400, method="post")
        for step in _CONTRACT_STEPS
    },
    "recruitment:breach_decide": only("commission", status=400, method="post"),
    "recruitment:clawback_decide": only("commission", status=400, method="post"),
    "recruitment:post": _APPLICANTS,
    "recruitment:application": _APPLICANTS,
    "recruitment:notice": _APPLICANTS,
    "recruitment:notice_xlsx": A_INSTITUTION_EDIT,
    "recruitment:notice_pdf": A_INSTITUTION_EDIT,
    "recruitment:application_create": A_INSTITUTION_EDIT,
    "recruitment:application_edit": A_INSTITUTION_EDIT,
    "recruitment:notice_create": A_INSTITUTION_EDIT,
    # The candidate is on the notice with an objection open: every step is refused, on the
    # page again with the form's errors (400); a one-click action says so and goes back.
    **{
        f"recruitment:application_{step}": rows(EDITS_INSTITUTIONS, "a", status=400, method="post")
        for step in _STEPS_OF_APPLICATION
    },
    "recruitment:objection_resolve": rows(EDITS_INSTITUTIONS, "a", status=400, method="post"),
    "recruitment:application_delete": _A_PLAN_STEP,
    "recruitment:post_shortlist": _A_PLAN_STEP,
    "api-recruitment-agreements": only(*HR, "dept_head", anonymous=401),
    "api-recruitment-agreement": rows(
        {**EDITS_INSTITUTIONS, "dept_head": {"a"}}, "a", anonymous=401
    ),
    # A department head lists none (200, empty); A's application is a 404 to them and to B.
    "api-recruitment-applications": only(*HR, "dept_head", anonymous=401),
    "api-recruitment-application": _API_APPLICANTS,
    "api-recruitment-post-ranking": _API_APPLICANTS,
    "api-recruitment-notice": _API_APPLICANTS,
    # The candidate holds the post's one place, so nobody is shortlisted; the notice needs
    # its dates; the objection's resolution its conclusion.
    **{f"api-recruitment-application-{step}": _API_A_STEP for step in _API_STEPS_OF_APPLICATION},
    "api-recruitment-post-shortlist": _API_A_STEP,
    "api-recruitment-plan-notice": _API_A_STEP,
    "api-recruitment-objection-resolve": _API_A_STEP,
    # An introduction's entitlements are read as the introduction is (A's cardiology head
    # reads them); the steps posted empty, or paying the cancelled tranche, are refused (400);
    # deciding a clawback or a breach is the commission's alone.
    "api-recruitment-introduction-entitlements": _API_INTRODUCTION,
    "api-recruitment-introduction-leave": _API_A_STEP,
    "api-recruitment-tranche-pay": _API_A_STEP,
    "api-recruitment-clawback-decide": _API_COMMISSION_DECIDES,
    "api-recruitment-payments-due": only(*HR, "dept_head", anonymous=401),
    # Directed students' contracts are the sponsor's HR office's: a department head lists
    # none; the breached contract refuses every step (400).
    "api-recruitment-directed": only(*HR, "dept_head", anonymous=401),
    "api-recruitment-directed-figures": only(*HR, "dept_head", anonymous=401),
    "api-recruitment-directed-kinds": only(*HR, "dept_head", anonymous=401),
    "api-recruitment-contract": _API_APPLICANTS,
    **{f"api-recruitment-contract-{step}": _API_A_STEP for step in _CONTRACT_STEPS},
    "api-recruitment-breach-decide": _API_COMMISSION_DECIDES,
    # The expert network: events and referrals are the institution's HR office's (read here,
    # removed in tests/recruitment/test_network_api.py: a removal walked here would leave the
    # pages' own removal nothing to remove); an empty invitee or referral is refused (400).
    "api-recruitment-events": only(*HR, "dept_head", anonymous=401),
    "api-recruitment-event": _API_APPLICANTS,
    "api-recruitment-event-invitees": _API_A_STEP,
    "api-recruitment-invitee": _API_APPLICANTS,
    "api-recruitment-network": only(*HR, "dept_head", anonymous=401),
    "api-recruitment-expert": _API_INTRODUCTION,
    "api-recruitment-expert-referrals": _API_A_STEP,
    "api-recruitment-referral": _API_APPLICANTS,
}
_API_OF_PLAN = ("plan", *(f"plan-{step}" for step in _STEPS))
KWARGS = {
    "api-recruitment-agreement": lambda r: {"pk": r.agreement.pk},
    "api-recruitment-introduction": lambda r: {"pk": r.introduction.pk},
    **{f"api-recruitment-{name}": (lambda r: {"pk": r.plan.pk}) for name in _API_OF_PLAN},
    "api-recruitment-post": lambda r: {"pk": r.post.pk},
    **{
        f"api-recruitment-{name}": (lambda r: {"pk": r.application.pk})
        for name in (
            "application",
            *(f"application-{step}" for step in _API_STEPS_OF_APPLICATION),
        )
    },
    "api-recruitment-post-ranking": lambda r: {"pk": r.hiring_post.pk},
    "api-recruitment-post-shortlist": lambda r: {"pk": r.hiring_post.pk},
    "api-recruitment-plan-notice": lambda r: {"pk": r.hiring_plan.pk},
    "api-recruitment-notice": lambda r: {"pk": r.notice.pk},
    "api-recruitment-objection-resolve": lambda r: {"pk": r.objection.pk},
    "api-recruitment-introduction-entitlements": lambda r: {"pk": r.introduction.pk},
    "api-recruitment-introduction-leave": lambda r: {"pk": r.introduction.pk},
    "api-recruitment-tranche-pay": lambda r: {"pk": r.cancelled_tranche.pk},
    "api-recruitment-clawback-decide": lambda r: {"pk": r.clawback.pk},
    **{
        f"api-recruitment-{name}": (lambda r: {"pk": r.contract.pk})
        for name in ("contract", *(f"contract-{step}" for step in _CONTRACT_STEPS))
    },
    "api-recruitment-breach-decide": lambda r: {"pk": r.breach.pk},
    "api-recruitment-event": lambda r: {"pk": r.event.pk},
    "api-recruitment-event-invitees": lambda r: {"pk": r.event.pk},
    "api-recruitment-invitee": lambda r: {"pk": r.invitee.pk},
    # A's cardiologist is in the network by her introduction.
    "api-recruitment-expert": lambda r: {"pk": r.introduction.person_id},
    "api-recruitment-expert-referrals": lambda r: {"pk": r.introduction.person_id},
    "api-recruitment-referral": lambda r: {"pk": r.referral.pk},
}
