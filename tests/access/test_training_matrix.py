"""The scope matrix over every cultivation page, export and action: hospital A's records are
never shown to, changed by or confirmed to hospital B; roles without cultivation rights get 403
everywhere. The matrix walks the URL configuration, so a new page without an entry here fails
`test_every_training_url_is_in_the_matrix`."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import get_resolver, reverse
from django.utils import timezone

from tests import factories
from tests.conftest import login
from tests.training import helpers
from yicai.training import services
from yicai.training.models import (
    Attendance,
    CaseLog,
    CreditClass,
    EducationEvent,
    Secondment,
    TrainingKind,
    Visit,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
DAY = TODAY - datetime.timedelta(days=30)
# Strings only hospital A's records carry: none may reach B.
MARKERS = (
    "李心怡",
    "甲院独有技术",
    "甲院工作室",
    "甲院讲座",
    "甲院进修科室",
    "甲院发展方向",
    "甲院引进团队",
)


def partner_colleague(world):
    return factories.person(world.partner, "钱团队", category="external_expert")


class ARecords:
    """One of each cultivation record, all of hospital A."""

    def __init__(self, world):
        w = world
        self.mentorship = services.mentorship_create(
            mentor=w.partner_expert, apprentices=[w.a_doctor], institution=w.a, start_on=DAY
        )
        self.technique = helpers.technique(w, name="甲院独有技术")
        self.spare_technique = helpers.technique(w, name="甲院独有技术二")
        self.case_log = helpers.case(w, self.technique, on=DAY)
        self.studio = services.studio_create(
            name="甲院工作室",
            lead=w.partner_expert,
            tier="district",
            institution=w.a,
            founded_on=DAY,
            members=[w.a_doctor],
        )
        self.member = self.studio.members.get()
        self.funding = services.studio_funding_record(studio=self.studio, year=TODAY.year)
        self.visit = services.visit_record(
            expert=w.partner_expert, kind=Visit.Kind.CLINIC, institution=w.a, held_on=DAY
        )
        self.consultation = services.consultation_record(
            expert=w.partner_expert,
            requester=w.a_doctor,
            institution=w.a,
            held_on=DAY,
            summary="甲院会诊",
        )
        self.secondment = services.secondment_create(
            person=w.a_doctor,
            host=w.partner,
            host_department="甲院进修科室",
            start_on=DAY.replace(day=1),
            linked_leader=w.a_surgeon,
        )
        self.report = services.monthly_report_submit(
            secondment=self.secondment, person=w.a_doctor, month=DAY, content="甲院月报"
        )
        self.need = services.secondment_need_raise(secondment=self.secondment, content="甲院需求")
        self.event = services.event_create(
            kind=EducationEvent.Kind.LECTURE,
            title="甲院讲座",
            institution=w.a,
            held_on=DAY,
            hours=Decimal(1),
            credit_class=CreditClass.CLASS_II,
            credits=Decimal(1),
            speaker=w.a_surgeon,
        )
        (self.attendance,) = services.attendance_record(event=self.event, people=[w.a_doctor])
        self.enrolment = services.enrolment_create(
            person=w.a_doctor,
            kind=TrainingKind.SHORT_COURSE,
            provider="上海市医学会",
            programme="甲院短训",
            start_on=DAY,
        )
        from tests.training.test_programmes import admitted

        (self.cohort_member,) = admitted(w, w.a_doctor)
        self.cohort = self.cohort_member.cohort
        self.programme = self.cohort.programme
        self.round = self.cohort.rounds.get()
        self.nomination = self.round.nominations.get()
        self.member_goal = services.member_goal_add(
            member=self.cohort_member, year=TODAY.year, text="甲院培养目标"
        )
        self.plan = services.career_plan_create(person=w.a_doctor, direction="甲院发展方向")
        self.evaluation = services.evaluation_record(
            apprenticeship=self.mentorship.apprenticeships.get(),
            period="甲院评价期间",
            rating="good",
            user=w.hospital_a,
        )
        self.team = services.team_create(
            name="甲院引进团队",
            lead=w.partner_expert,
            source=w.partner,
            institution=w.a,
            introduced_on=DAY,
        )
        self.team_member = services.team_member_add(team=self.team, person=partner_colleague(w))
        self.career_goal = services.career_goal_add(
            plan=self.plan, year=TODAY.year, kind="research", text="甲院科研目标"
        )


def _pk(name):
    return lambda r: {"pk": getattr(r, name).pk}


# URL name -> the kwargs naming one of A's records (None: a page without a record).
RECORD_URLS = {
    "case_verify": _pk("case_log"),
    "case_link": _pk("case_log"),
    "case_paper": _pk("case_log"),
    "case_scan": _pk("case_log"),
    "visit_edit": _pk("visit"),
    "visit_delete": _pk("visit"),
    "consultation_edit": _pk("consultation"),
    "mentorship": _pk("mentorship"),
    "mentorship_edit": _pk("mentorship"),
    "technique_edit": _pk("technique"),
    "technique_delete": _pk("spare_technique"),
    "studio": _pk("studio"),
    "studio_edit": _pk("studio"),
    "studio_member_add": _pk("studio"),
    "studio_member_remove": lambda r: {"pk": r.studio.pk, "member_pk": r.member.pk},
    "studio_funding": _pk("studio"),
    "studio_funding_edit": lambda r: {"pk": r.studio.pk, "funding_pk": r.funding.pk},
    "secondment": _pk("secondment"),
    "secondment_edit": _pk("secondment"),
    "report_submit": _pk("secondment"),
    "need_raise": _pk("secondment"),
    "complete": _pk("secondment"),
    "withdraw": _pk("secondment"),
    "report_comment": _pk("report"),
    "need_resolve": _pk("need"),
    "education_event": _pk("event"),
    "education_event_delete": _pk("event"),
    "education_attendance": _pk("event"),
    "education_attendance_remove": _pk("attendance"),
    "education_enrolment_edit": _pk("enrolment"),
    "member": _pk("cohort_member"),
    "member_goal_add": _pk("cohort_member"),
    "member_goal_delete": _pk("member_goal"),
    "member_review": _pk("cohort_member"),
    "member_complete": _pk("cohort_member"),
    "member_withdraw": _pk("cohort_member"),
    "certificate": _pk("cohort_member"),
    "nomination_score": _pk("nomination"),
    "nomination_decide": _pk("nomination"),
    "career": _pk("plan"),
    "career_edit": _pk("plan"),
    "career_goal_add": _pk("plan"),
    "career_goal_delete": _pk("career_goal"),
    "career_goal_done": _pk("career_goal"),
    "career_goal_reopen": _pk("career_goal"),
    "visit_link": _pk("visit"),
    "evaluation_create": _pk("mentorship"),
    "evaluation_link": _pk("evaluation"),
    "team": _pk("team"),
    "team_edit": _pk("team"),
    "team_member_add": _pk("team"),
    "team_member_remove": lambda r: {"pk": r.team.pk, "member_pk": r.team_member.pk},
}
# Records of the region as a whole (programmes, their cohorts and rounds): B may see these
# pages, but not A's people on them.
REGION_URLS = {
    "programme": _pk("programme"),
    "programme_edit": _pk("programme"),
    "cohort_create": _pk("programme"),
    "cohort": _pk("cohort"),
    "cohort_finish": _pk("cohort"),
    "round_create": _pk("cohort"),
    "round": _pk("round"),
    "round_nominate": _pk("round"),
    "round_review": _pk("round"),
    "round_approve": _pk("round"),
}
PUBLIC = {"confirm"}  # the one-time link page: no login, its own token is the key


def _training_urls() -> dict[str, str]:
    resolver = get_resolver().namespace_dict["training"][1]
    return {p.name: str(p.pattern) for p in resolver.url_patterns}


def test_every_training_url_is_in_the_matrix():
    listed = set(RECORD_URLS) | set(REGION_URLS) | PUBLIC
    plain = {name for name, pattern in _training_urls().items() if "<" not in pattern}
    with_ids = set(_training_urls()) - plain
    assert with_ids - listed == set(), "add these pages to the matrix"


def _urls(records):
    for name, pattern in _training_urls().items():
        if name in PUBLIC:
            continue
        if "<" not in pattern:
            yield name, reverse(f"training:{name}")
        elif name in RECORD_URLS:
            yield name, reverse(f"training:{name}", kwargs=RECORD_URLS[name](records))
        else:
            yield name, reverse(f"training:{name}", kwargs=REGION_URLS[name](records))


def _text(response) -> str:
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    if content[:2] == b"PK":  # a workbook: its cells
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
        return " ".join(
            str(cell) for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row
        )
    return content.decode("utf-8", "replace")


def _leaks(response) -> list[str]:
    text = _text(response)
    return [marker for marker in MARKERS if marker in text]


def _snapshot():
    return (
        CaseLog.objects.filter(verified_at__isnull=False).count(),
        Visit.objects.count(),
        Secondment.objects.filter(status="active").count(),
        Attendance.objects.count(),
        list(CaseLog.objects.values_list("pk", "verified_at")),
    )


def test_hospital_b_never_sees_or_changes_a_record_of_a(client, world):
    records = ARecords(world)
    login(client, world.hospital_b)
    before = _snapshot()
    problems = []
    for name, url in _urls(records):
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            if name in RECORD_URLS and response.status_code not in (403, 404, 405):
                problems.append(f"{method.upper()} {name}: {response.status_code}")
            if response.status_code == 200 and (found := _leaks(response)):
                problems.append(f"{method.upper()} {name} shows {found}")
        if "<" not in _training_urls()[name] or name in REGION_URLS:
            for fmt in ("xlsx", "csv"):
                response = client.get(url, {"export": fmt})
                if response.status_code == 200 and (found := _leaks(response)):
                    problems.append(f"export {fmt} of {name} holds {found}")
    assert problems == []
    assert _snapshot() == before


@pytest.mark.parametrize("persona", ["auditor", "security", "nobody"])
def test_roles_without_cultivation_rights_get_403_everywhere(client, world, persona):
    records = ARecords(world)
    login(client, getattr(world, persona))
    refused = {
        name: client.get(url).status_code
        for name, url in _urls(records)
        if client.get(url).status_code not in (403, 405)
    }
    assert refused == {}


def test_the_matrix_sees_a_leak_when_there_is_one(client, world):
    """The check above can fail: A's own administrator is shown A's records."""
    records = ARecords(world)
    login(client, world.hospital_a)
    response = client.get(reverse("training:secondments"))
    assert _leaks(response)
    response = client.get(reverse("training:secondment", kwargs={"pk": records.secondment.pk}))
    assert response.status_code == 200


# -- the API: the same walk over /api/v1/training/ ---------------------------------------------

API_RECORDS = {
    "api-training-mentorship": "mentorship",
    "api-training-technique": "technique",
    "api-training-case-log": "case_log",
    "api-training-case-log-verify": "case_log",
    "api-training-case-log-unverify": "case_log",
    "api-training-case-log-paper": "case_log",
    "api-training-studio": "studio",
    "api-training-team": "team",
    "api-training-visit": "visit",
    "api-training-consultation": "consultation",
    "api-training-secondment": "secondment",
    "api-training-secondment-reports": "secondment",
    "api-training-secondment-needs": "secondment",
    "api-training-secondment-complete": "secondment",
    "api-training-secondment-withdraw": "secondment",
    "api-training-report-comment": "report",
    "api-training-need-resolve": "need",
    "api-training-education-event": "event",
    "api-training-education-attendance": "event",
    "api-training-education-enrolment": "enrolment",
    "api-training-member": "cohort_member",
    "api-training-member-goals": "cohort_member",
    "api-training-member-reviews": "cohort_member",
    "api-training-member-complete": "cohort_member",
    "api-training-member-withdraw": "cohort_member",
    "api-training-nomination-scores": "nomination",
    "api-training-nomination-decide": "nomination",
    "api-training-evaluation": "evaluation",
    "api-training-career-plan": "plan",
    "api-training-education-attendance-remove": "attendance",
    "api-training-career-plan-goals": "plan",
    "api-training-career-goal": "career_goal",
    "api-training-career-goal-done": "career_goal",
    "api-training-career-goal-reopen": "career_goal",
}
API_REGION = {
    "api-training-programme": "programme",
    "api-training-cohort": "cohort",
    "api-training-round": "round",
    "api-training-nominations": "round",
    "api-training-programme-cohorts": "programme",
    "api-training-cohort-rounds": "cohort",
    "api-training-round-review": "round",
    "api-training-round-approve": "round",
}


def _api_routes() -> dict[str, tuple[str, dict]]:
    from yicai.training import api_urls

    return {
        p.name: (str(p.pattern), list(p.callback.actions))
        for p in api_urls.urlpatterns
        if p.name and p.name.startswith("api-training")
    }


def test_every_training_endpoint_is_in_the_matrix():
    with_ids = {name for name, (pattern, _a) in _api_routes().items() if "<" in pattern}
    assert with_ids - set(API_RECORDS) - set(API_REGION) == set()


def _api_calls(records):
    for name, (_pattern, actions) in _api_routes().items():
        target = API_RECORDS.get(name) or API_REGION.get(name)
        kwargs = {"pk": getattr(records, target).pk} if target else {}
        url = reverse(name, kwargs=kwargs)
        for method in actions:
            yield name, method, url


def test_hospital_b_gets_nothing_of_a_through_the_api(client, world):
    records = ARecords(world)
    login(client, world.hospital_b)
    before = _snapshot()
    problems = []
    for name, method, url in _api_calls(records):
        response = getattr(client, method)(url, {}, content_type="application/json")
        if name in API_RECORDS and response.status_code not in (403, 404):
            problems.append(f"{method.upper()} {name}: {response.status_code}")
        if response.status_code == 200 and (found := _leaks(response)):
            problems.append(f"{method.upper()} {name} shows {found}")
    assert problems == []
    assert _snapshot() == before


@pytest.mark.parametrize("persona", ["auditor", "security", "nobody"])
def test_roles_without_cultivation_rights_get_403_from_every_endpoint(client, world, persona):
    records = ARecords(world)
    login(client, getattr(world, persona))
    answered = {
        f"{method} {name}": status
        for name, method, url in _api_calls(records)
        if (status := getattr(client, method)(url, {}, content_type="application/json").status_code)
        != 403
    }
    assert answered == {}


def test_the_api_walk_sees_a_leak_when_there_is_one(client, world):
    ARecords(world)
    login(client, world.hospital_a)
    assert _leaks(client.get(reverse("api-training-secondments")))
