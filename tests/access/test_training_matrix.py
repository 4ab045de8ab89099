"""The scope matrix over every cultivation page, export and action: hospital A's records are
never shown to, changed by or confirmed to hospital B; roles without cultivation rights get 403
everywhere. The matrix walks the URL configuration, so a new page without an entry here fails
`test_every_training_url_is_in_the_matrix`."""

import io

import openpyxl
import pytest
from django.urls import get_resolver, reverse

from tests.builders import MARKERS, RECORD_URLS, REGION_URLS, OneOfEach
from tests.conftest import login
from yicai.training.models import (
    Attendance,
    CaseLog,
    Secondment,
    Visit,
)

pytestmark = pytest.mark.django_db
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
    records = OneOfEach(world)
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
    records = OneOfEach(world)
    login(client, getattr(world, persona))
    refused = {
        name: client.get(url).status_code
        for name, url in _urls(records)
        if client.get(url).status_code not in (403, 405)
    }
    assert refused == {}


def test_the_matrix_sees_a_leak_when_there_is_one(client, world):
    """The check above can fail: A's own administrator is shown A's records."""
    records = OneOfEach(world)
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
    records = OneOfEach(world)
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
    records = OneOfEach(world)
    login(client, getattr(world, persona))
    answered = {
        f"{method} {name}": status
        for name, method, url in _api_calls(records)
        if (status := getattr(client, method)(url, {}, content_type="application/json").status_code)
        != 403
    }
    assert answered == {}


def test_the_api_walk_sees_a_leak_when_there_is_one(client, world):
    OneOfEach(world)
    login(client, world.hospital_a)
    assert _leaks(client.get(reverse("api-training-secondments")))
