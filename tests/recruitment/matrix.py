"""recruitment's part of the scope matrix (collected by `tests.builders.app_matrices`): A's
agreement with a partner, kept by A's cardiology (its head reads it); A's draft recruitment plan
with a post (A's HR office's: no department head sees it; only the commission approves); A's
published plan of 2022 whose candidate is on the public notice with an objection open, so
that every step posted to it is refused the same way for everyone who reaches it."""

import datetime
from decimal import Decimal

from tests import factories
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


def _candidate_on_notice(records, world) -> None:
    plan = services.plan_create(by=None, institution=world.a, year=2022, title="2022年度招聘")
    post = services.post_add(
        plan=plan,
        name="心内科医师",
        specialty="临床医学",
        places=1,
        procedure="simplified",
        department=world.a_cardiology,
    )
    services.plan_submit(plan=plan, on=D(2022, 3, 1))
    services.plan_approve(plan=plan, by=None, on=D(2022, 3, 10))
    services.plan_publish(plan=plan, on=D(2022, 4, 1))
    application = services.application_create(
        by=None,
        post=post,
        name="应聘者",
        id_number=factories.id_number(D(1995, 1, 1)),
        major="临床医学",
        applied_on=D(2022, 4, 10),
    )
    services.application_scores(
        application=application, written_score=Decimal(80), interview_score=Decimal(85)
    )
    services.post_shortlist(post=post)
    services.application_check(application=application, passed=True)
    services.application_check(application=application, passed=True)
    records.notice = services.notice_publish(
        plan=plan, by=None, starts_on=D(2022, 6, 1), ends_on=D(2022, 6, 7)
    )
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
# An institution's applicants: its HR office's and the commission's, no department head's.
_APPLICANTS = rows({**EDITS_INSTITUTIONS, "dept_head": set()}, "a")
_API_APPLICANTS = rows({**EDITS_INSTITUTIONS, "dept_head": set()}, "a", anonymous=401)
_API_STEPS_OF_APPLICATION = ("decide", "scores", "shortlist", "check", "out", "objections", "hire")
# The same candidate over the API: every step posted (an empty body) is refused, 400.
_API_A_STEP = rows(EDITS_INSTITUTIONS, "a", status=400, method="post", anonymous=401)
PAGE_KWARGS = {
    "recruitment:agreement_edit": lambda r: {"pk": r.agreement.pk},
    **{f"recruitment:{name}": (lambda r: {"pk": r.plan.pk}) for name in _OF_PLAN},
    "recruitment:post_edit": lambda r: {"pk": r.post.pk},
    "recruitment:post_delete": lambda r: {"pk": r.post.pk},
    "recruitment:introduction_edit": lambda r: {"pk": r.introduction.pk},
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
    "recruitment:applications": only(*HR, "dept_head"),
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
}
