"""The scope matrix: every URL of the project (pages, /api/ and /fhir/) × every persona.

It walks the whole URL configuration (`django.urls.get_resolver()`, recursively) and fails
when a URL is in no case (`test_every_url_is_in_the_matrix`). A URL is covered by one of:
- `CASES`: what each persona gets (2xx/3xx, 403, 404) and what an anonymous visitor gets (the
  login page, 401, or the page itself), walked for every persona by `TestEveryUrl`;
- the cultivation pages and endpoints: those with an id name one of hospital A's records
  (`RECORD_URLS`, `REGION_URLS` in tests/builders.py, `API_RECORDS`, `API_REGION` here) and are
  walked with those without: hospital B never sees or changes A's records, roles without
  cultivation rights get 403 everywhere;
- `UNSCOPED`: URLs with no scope to check, each with the reason.
An app's own cases, the ids of its URLs and the records they name are in its tests folder
(`tests/<app>/matrix.py`, collected by `tests.builders.app_matrices`): recruitment's is the
example, so a new app adds its rows without editing this file.
Beside the walk, the rows: lists and exports hold exactly a persona's scope (people,
institutions, departments, FHIR resources, cultivation records), a row outside it is a 404,
a role without the permission gets 403, and a refused write writes nothing.

URLs are matched by name (by route where a route has no name), so moving a view or a viewset
changes nothing here; a new URL without a case fails until it gets one."""

import copy
import datetime
import io

import openpyxl
import pytest
from django.urls import URLResolver, get_resolver, reverse

from tests import factories
from tests.builders import (
    MARKERS,
    PAGE_KWARGS,
    RECORD_URLS,
    REGION_URLS,
    PageRecords,
    app_matrices,
    rolled_back_at_module_end,
)
from tests.conftest import login
from tests.fhir.helpers import fhir_get, fhir_search
from tests.fhir.helpers import ids as bundle_ids
from tests.scope_tables import (
    A_INSTITUTION_EDIT,
    EDITS_INSTITUTIONS,
    EDITS_PEOPLE,
    EXPORTS_INSTITUTIONS,
    EXPORTS_PEOPLE,
    HR,
    INSTITUTIONS,
    LOGIN,
    PEOPLE,
    PERSONAS,
    SEES_INSTITUTIONS,
    SEES_PEOPLE,
    Case,
    everyone,
    only,
    rows,
)
from tests.scope_tables import (
    CASES as CASE_LOGS,
)
from tests.training.api import API, ids, mentoring_records, pks, signed_in, valid_payload
from yicai.access import services as access_services
from yicai.access.models import AuditEntry, Role
from yicai.codes import services as codes_services
from yicai.codes.queries import code_for
from yicai.org.models import Department, Institution
from yicai.people import services as people_services
from yicai.people.models import Education, Person, TitleRecord
from yicai.training.models import (
    Attendance,
    CaseLog,
    Consultation,
    ExpertStudio,
    Mentorship,
    Secondment,
    Technique,
    Visit,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("untraced_templates")]

# --- the walk of the URL configuration -------------------------------------------------------


def project_urls(patterns=None, prefix: str = "", namespace: str = ""):
    """(key, route, pattern) of every URL: the key is "namespace:name", or the route where the
    pattern has no name."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from project_urls(entry.url_patterns, route, inner)
        else:
            yield (f"{namespace}{entry.name}" if entry.name else route), route, entry


DEPARTMENTS = ["a_cardiology", "a_cardio_ward", "a_surgery", "b_medicine"]
SEES_DEPARTMENTS = {
    "commission": set(DEPARTMENTS),
    "hospital_a": {"a_cardiology", "a_cardio_ward", "a_surgery"},
    "hospital_b": {"b_medicine"},
    "dept_head": {"a_cardiology", "a_cardio_ward"},
    "mentor": set(),  # the partner expert belongs to no department
    "trainee": {"a_cardiology"},
    "auditor": None,
    "security": None,
    "nobody": None,
}
EDITS_DEPARTMENTS = {key: SEES_DEPARTMENTS[key] for key in EDITS_INSTITUTIONS}
CREATES_INSTITUTIONS = {"commission"}
READERS = ("commission", "hospital_a", "hospital_b", "dept_head", "mentor", "trainee")
# The walk's records are A's: its doctor 李心怡 (a_doctor), A itself, A's cardiology.
A_PERSON = rows(SEES_PEOPLE, "a_doctor")
A_PERSON_EDIT = rows(EDITS_PEOPLE, "a_doctor")
A_PERSON_API = rows(SEES_PEOPLE, "a_doctor", anonymous=401)
A_PERSON_FHIR = rows(SEES_PEOPLE, "a_doctor", anonymous=401)
# The other helpers' pages and API name the records by these; `*` stands for a kind of a
# person's records in the API (educations, titles, licences, appointments, tags).
PERSON_RECORDS = ("educations", "titles", "licences", "appointments", "tags")
CASES: dict[str, Case] = {
    "insights:home": everyone(),
    "insights:chain": everyone(),
    "access:password_change": everyone(),
    "access:otp": everyone(),
    "access:audit": only("auditor"),
    "access:users": only("security"),
    "access:user": only("security"),
    "access:user_disable": only("security", status=302, method="post"),
    "access:user_enable": only("security", status=302, method="post"),
    "access:user_bind": only("security", method="post"),  # the form again: no person chosen
    "access:user_unbind": only("security", status=302, method="post"),
    "access:user_password_reset": only("security", method="post"),
    "access:user_otp_reset": only("security", status=302, method="post"),
    "access:role_revoke": only("security", status=302, method="post"),
    "access:policy": only("security"),
    "org:list": only(*READERS),
    "org:create": only("commission"),
    "org:detail": rows(SEES_INSTITUTIONS, "a"),
    "org:edit": A_INSTITUTION_EDIT,
    "org:department_create": A_INSTITUTION_EDIT,
    "org:department_edit": A_INSTITUTION_EDIT,
    "org:designation_create": A_INSTITUTION_EDIT,
    "org:designation_edit": A_INSTITUTION_EDIT,
    "people:list": only(*READERS),
    "people:create": only(*HR),
    "people:detail": A_PERSON,
    # Correction requests (PIPL art. 46): the trainee's own, which A's HR and the commission
    # resolve; anyone may file one and see their own.
    "people:corrections": only(*HR),
    "people:corrections_mine": everyone(),
    "people:correction_create": everyone(),
    "people:correction": only("commission", "hospital_a", "trainee", others=404),
    "people:edit": A_PERSON_EDIT,
    "people:reveal": rows(EDITS_PEOPLE, "a_doctor", method="post"),
    "people:reveal_phone": rows(EDITS_PEOPLE, "a_doctor", method="post"),
    "people:record_add": A_PERSON_EDIT,
    "people:record_edit": A_PERSON_EDIT,
    "people:record_delete": rows(EDITS_PEOPLE, "a_doctor", status=302, method="post"),
    "codes:list": only(*READERS),
    "codes:detail": only(*READERS),
    "codes:toggle": only("commission", status=302, method="post"),
    "codes:synonym_delete": only("commission", status=302, method="post"),
    "exchange:imports": only(*HR),
    # An import is reached by its token, by the user who started it (tests/exchange/
    # test_import_access.py); anyone else's token is a 404.
    "exchange:job": everyone(404),
    "exchange:commit": everyone(404, method="post"),
    "exchange:cancel": everyone(404, method="post"),
    "exchange:report": everyone(404),
    "exchange:template": only(*HR),
    "api-institutions": only(*READERS, anonymous=401),
    "api-institution": rows(SEES_INSTITUTIONS, "a", anonymous=401),
    "api-departments": only(*READERS, anonymous=401),
    "api-department": rows(SEES_DEPARTMENTS, "a_cardiology", anonymous=401),
    "api-people": only(*READERS, anonymous=401),
    "api-people-search": only(*READERS, anonymous=401, method="post"),
    "api-person": A_PERSON_API,
    **{f"api/v1/people/<str:person_id>/{kind}/": A_PERSON_API for kind in PERSON_RECORDS},
    **{f"api/v1/people/<str:person_id>/{kind}/<str:pk>/": A_PERSON_API for kind in PERSON_RECORDS},
    "api-schema": everyone(anonymous=401),
    "api-docs": everyone(),
    "fhir:practitioner-search": only(*READERS, anonymous=401),
    "fhir:practitioner-post-search": only(*READERS, anonymous=401, method="post"),
    "fhir:practitioner": A_PERSON_FHIR,
    "fhir:practitionerrole-search": only(*READERS, anonymous=401),
    "fhir:practitionerrole-post-search": only(*READERS, anonymous=401, method="post"),
    "fhir:practitionerrole": A_PERSON_FHIR,
    "fhir:organization-search": only(*READERS, anonymous=401),
    "fhir:organization-post-search": only(*READERS, anonymous=401, method="post"),
    "fhir:organization": rows(SEES_INSTITUTIONS, "a", anonymous=401),
    "fhir:unknown": everyone(404, anonymous=401),  # an unknown resource type
    "pick": only(*HR),  # org.leads: a designation's lead, for those who edit institutions
    # Each app's own URLs, declared in its tests folder (tests/<app>/matrix.py).
    **{key: case for matrix in app_matrices() for key, case in matrix.CASES.items()},
}
UNSCOPED = {
    "access:login": "the login page itself",
    "access:logout": "ends one's own session",
    "set_language": "the language of one's own session",
    "privacy": "the privacy notice, public by law",
    "fhir:metadata": "the capability statement, public as FHIR asks",
    "training:confirm": "a one-time link: its own token is the key (test_confirmation_links)",
}
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


def _training_urls() -> dict[str, str]:
    return {
        key.removeprefix("training:"): route.removeprefix("training/")
        for key, route, _pattern in project_urls()
        if key.startswith("training:")
    }


def _urls(records):
    for name, pattern in _training_urls().items():
        if f"training:{name}" in UNSCOPED:
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


def _api_routes() -> dict[str, tuple[str, list]]:
    """The cultivation endpoints by name, with the methods their viewsets answer."""
    return {
        key: (route, list(pattern.callback.actions))
        for key, route, pattern in project_urls()
        if key.startswith("api-training")
    }


def _api_calls(records):
    for name, (_pattern, actions) in _api_routes().items():
        target = API_RECORDS.get(name) or API_REGION.get(name)
        kwargs = {"pk": getattr(records, target).pk} if target else {}
        url = reverse(name, kwargs=kwargs)
        for method in actions:
            yield name, method, url


class ScopeRecords(PageRecords):
    """One of each record and page's row, all of hospital A, and what A's doctor's file and
    the code tables hold for the API's and the actions' ids."""

    def __init__(self, world):
        super().__init__(world)
        doctor = world.a_doctor
        self.education = people_services.education_add(
            person=doctor, level=code_for("education", "21"), school="某医学院"
        )
        self.licence = people_services.licence_add(
            person=doctor, number="110310000000001", category="1", scope="内科专业"
        )
        self.tag = people_services.tag_add(
            person=doctor,
            tag=code_for("talent_tag", "young_backbone"),
            valid_from=datetime.date(2022, 3, 1),
        )
        self.title = doctor.titles.get()
        self.appointment = doctor.appointments.get()
        self.code = code_for("title", "233")
        self.synonym = codes_services.synonym_add(
            table=self.code.table, text="心内主治", code=self.code
        )


def _api_person_records(kind: str) -> dict:
    attribute = {
        "educations": "education",
        "titles": "title",
        "licences": "licence",
        "appointments": "appointment",
        "tags": "tag",
    }[kind]
    person = "/api/v1/people/{r.person.pk}"
    return {
        f"api/v1/people/<str:person_id>/{kind}/": f"{person}/{kind}/",
        f"api/v1/people/<str:person_id>/{kind}/<str:pk>/": f"{person}/{kind}/{{r.{attribute}.pk}}/",
    }


# The ids of CASES' URLs (PAGE_KWARGS are the page walks'; these name rows the actions may
# change); unnamed API routes as paths.
KWARGS = {
    **PAGE_KWARGS,
    "codes:toggle": lambda r: {"key": "title", "pk": r.code.pk},
    "codes:synonym_delete": lambda r: {"key": "title", "pk": r.synonym.pk},
    "people:record_delete": lambda r: {
        "pk": r.person.pk,
        "kind": "licence",
        "record_pk": r.licence.pk,
    },
    "api-institution": lambda r: {"pk": r.institution.pk},
    "api-department": lambda r: {"pk": r.department.pk},
    "api-person": lambda r: {"pk": r.person.pk},
    "fhir:practitioner": lambda r: {"pk": r.person.pk},
    "fhir:practitionerrole": lambda r: {"pk": r.appointment.pk},
    "fhir:organization": lambda r: {"pk": r.institution.pk},
    "pick": lambda r: {"source": "org.leads"},
    **{key: kwargs for matrix in app_matrices() for key, kwargs in matrix.KWARGS.items()},
}
PATHS = {
    **{key: path for kind in PERSON_RECORDS for key, path in _api_person_records(kind).items()},
    "fhir/^.*$": "/fhir/Unknown",
}


def _url(key: str, route: str, records) -> str:
    if key in PATHS:
        return PATHS[key].format(r=records)
    if "<" not in route:
        return reverse(key)
    return reverse(key, kwargs=KWARGS[key](records))


def _uncovered(urls) -> set[str]:
    training = set(RECORD_URLS) | set(REGION_URLS)
    endpoints = set(API_RECORDS) | set(API_REGION)
    missing = set()
    for key, route, _pattern in urls:
        if key in CASES or key in UNSCOPED:
            continue
        if key.startswith("training:") and ("<" not in route or key[9:] in training):
            continue  # walked by TestEveryUrl's cultivation walk
        if key.startswith("api-training") and ("<" not in route or key in endpoints):
            continue
        missing.add(key)
    return missing


def test_every_url_is_in_the_matrix():
    assert _uncovered(project_urls()) == set(), "add these URLs to the scope matrix"


def test_the_matrix_names_no_url_that_is_gone():
    keys = {key for key, _route, _pattern in project_urls()}
    stale = (set(CASES) | set(UNSCOPED) | set(API_RECORDS) | set(API_REGION)) - keys
    stale |= {f"training:{name}" for name in {*RECORD_URLS, *REGION_URLS}} - keys
    assert stale == set()


def test_a_url_added_without_a_case_fails_the_matrix():
    """The check above can fail: a URL nobody declared is named."""
    from django.urls import path

    added = path("people/<int:pk>/new-page/", lambda request, pk: None, name="new_page")
    urls = [*project_urls(), ("people:new_page", "people/<int:pk>/new-page/", added)]
    assert _uncovered(urls) == {"people:new_page"}


@pytest.fixture(scope="class")
def _every_record(module_world, django_db_blocker):
    """One of each record, built once for the class."""
    with rolled_back_at_module_end(django_db_blocker):
        yield ScopeRecords(module_world)


class TestEveryUrl:
    """Every declared URL × every persona and an anonymous visitor; then hospital A's
    cultivation records against hospital B and the roles without the rights, on every page,
    export, action and endpoint."""

    @pytest.fixture(name="records")
    def _records(self, _every_record, shared_world):
        return copy.deepcopy(_every_record)

    @pytest.mark.parametrize("persona", [*PERSONAS, "anonymous"])
    def test_each_url_answers_each_persona_as_declared(self, client, world, records, persona):
        if persona != "anonymous":
            login(client, getattr(world, persona))
        urls = [(key, route) for key, route, _pattern in project_urls() if key in CASES]
        # Reads first: the actions after them change the rows they name.
        urls.sort(key=lambda url: CASES[url[0]].method == "post")
        answered = {}
        for key, route in urls:
            case = CASES[key]
            url = _url(key, route, records)
            # The API reads a JSON body; pages and FHIR's _search a form.
            json = {"content_type": "application/json"} if url.startswith("/api/") else {}
            response = getattr(client, case.method)(url, **json)
            status = response.status_code
            if status == 302 and response["Location"].startswith("/accounts/login/"):
                status = LOGIN
            if status != case.expected(persona):
                answered[key] = f"{status}, declared {case.expected(persona)}"
        assert answered == {}

    def test_hospital_b_never_sees_or_changes_a_record_of_a(self, client, world, records):
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
    def test_roles_without_cultivation_rights_get_403_everywhere(
        self, client, world, records, persona
    ):
        login(client, getattr(world, persona))
        refused = {
            name: client.get(url).status_code
            for name, url in _urls(records)
            if client.get(url).status_code not in (403, 405)
        }
        assert refused == {}

    def test_the_matrix_sees_a_leak_when_there_is_one(self, client, world, records):
        """The check above can fail: A's own administrator is shown A's records."""
        login(client, world.hospital_a)
        response = client.get(reverse("training:secondments"))
        assert _leaks(response)
        response = client.get(reverse("training:secondment", kwargs={"pk": records.secondment.pk}))
        assert response.status_code == 200

    def test_hospital_b_gets_nothing_of_a_through_the_api(self, client, world, records):
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
    def test_roles_without_cultivation_rights_get_403_from_every_endpoint(
        self, client, world, records, persona
    ):
        login(client, getattr(world, persona))
        answered = {
            f"{method} {name}": status
            for name, method, url in _api_calls(records)
            if (
                status := getattr(client, method)(
                    url, {}, content_type="application/json"
                ).status_code
            )
            != 403
        }
        assert answered == {}

    def test_the_api_walk_sees_a_leak_when_there_is_one(self, client, world, records):
        login(client, world.hospital_a)
        assert _leaks(client.get(reverse("api-training-secondments")))


# --- people and organisations: pages -------------------------------------------------------


def _expected(allowed: set | None, key: str, ok: int = 200) -> int:
    if allowed is None:
        return 403
    return ok if key in allowed else 404


def _names(world, keys):
    return {getattr(world, key).name for key in keys}


def _sheet_column(response, header: str) -> list:
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.active.iter_rows(values_only=True))
    column = rows[0].index(header)
    return [row[column] for row in rows[1:]]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("target", PEOPLE)
def test_person_record_is_shown_only_within_scope(world, client, persona, target):
    login(client, getattr(world, persona))
    allowed = SEES_PEOPLE[persona]
    person = getattr(world, target)
    response = client.get(f"/people/{person.pk}/")
    assert response.status_code == _expected(allowed, target)
    if response.status_code != 200:
        assert person.name not in response.content.decode()


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("target", PEOPLE)
def test_person_edit_form_opens_only_for_editors_within_scope(world, client, persona, target):
    login(client, getattr(world, persona))
    person = getattr(world, target)
    response = client.get(f"/people/{person.pk}/edit/")
    editable = EDITS_PEOPLE.get(persona)
    assert response.status_code == _expected(editable, target)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("target", PEOPLE)
def test_identity_reveal_is_refused_outside_editors_scope(world, client, persona, target):
    login(client, getattr(world, persona))
    person = getattr(world, target)
    response = client.post(f"/people/{person.pk}/reveal/")
    editable = EDITS_PEOPLE.get(persona)
    assert response.status_code == _expected(editable, target)
    assert (person.id_number in response.content.decode()) == (response.status_code == 200)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("target", PEOPLE)
def test_phone_reveal_is_refused_outside_editors_scope(world, client, persona, target):
    person = getattr(world, target)
    phone = "13912345678"
    people_services.person_update(person=person, phone=phone)
    login(client, getattr(world, persona))
    response = client.post(f"/people/{person.pk}/reveal-phone/")
    editable = EDITS_PEOPLE.get(persona)
    assert response.status_code == _expected(editable, target)
    assert (phone in response.content.decode()) == (response.status_code == 200)
    reveals = AuditEntry.objects.filter(event="reveal_phone", object_id=person.pk)
    assert reveals.count() == (1 if response.status_code == 200 else 0)


@pytest.mark.parametrize("persona", PERSONAS)
def test_person_list_shows_exactly_the_scope(world, client, persona):
    login(client, getattr(world, persona))
    response = client.get("/people/")
    allowed = SEES_PEOPLE[persona]
    if allowed is None:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    page = response.content.decode()
    for key in PEOPLE:
        assert (getattr(world, key).name in page) == (key in allowed), key


@pytest.mark.parametrize("persona", PERSONAS)
def test_person_export_has_exactly_the_scope_and_masks_numbers(world, client, persona):
    login(client, getattr(world, persona))
    response = client.get("/people/?export=xlsx")
    allowed = EXPORTS_PEOPLE.get(persona)
    if allowed is None:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    assert set(_sheet_column(response, "姓名")) == _names(world, allowed)
    numbers = _sheet_column(client.get("/people/?export=xlsx"), "身份证号码")
    full = {getattr(world, key).id_number for key in PEOPLE}
    assert numbers and all("*" in number and number not in full for number in numbers)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("target", INSTITUTIONS)
def test_institution_page_is_shown_only_within_scope(world, client, persona, target):
    login(client, getattr(world, persona))
    allowed = SEES_INSTITUTIONS[persona]
    institution = getattr(world, target)
    response = client.get(f"/org/{institution.pk}/")
    assert response.status_code == _expected(allowed, target)


@pytest.mark.parametrize("persona", PERSONAS)
def test_institution_list_and_export_show_exactly_the_scope(world, client, persona):
    login(client, getattr(world, persona))
    allowed = SEES_INSTITUTIONS[persona]
    response = client.get("/org/")
    if allowed is None:
        assert response.status_code == 403
    else:
        page = response.content.decode()
        for key in INSTITUTIONS:
            assert (getattr(world, key).name in page) == (key in allowed), key
    export = client.get("/org/?export=xlsx")
    exportable = EXPORTS_INSTITUTIONS.get(persona)
    if exportable is None:
        assert export.status_code == 403
    else:
        assert set(_sheet_column(export, "机构名称")) == _names(world, exportable)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    ("url", "who"),
    [
        ("/accounts/audit/", {"auditor"}),
        ("/accounts/audit/?export=xlsx", {"auditor"}),
        ("/accounts/users/", {"security"}),
        ("/accounts/policy/", {"security"}),
        ("/people/new/", {"commission", "hospital_a", "hospital_b"}),
    ],
)
def test_administration_pages_open_only_for_their_role(world, client, persona, url, who):
    login(client, getattr(world, persona))
    response = client.get(url)
    assert response.status_code == (200 if persona in who else 403)


def test_an_anonymous_visitor_is_sent_to_the_login_page(world, client):
    for url in ["/", "/people/", f"/people/{world.a_doctor.pk}/", "/org/", "/accounts/audit/"]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_a_user_with_several_roles_sees_the_union(world, client):
    access_services.role_assign(
        user=world.hospital_b, role=Role.DEPARTMENT_HEAD, department=world.a_surgery
    )
    login(client, world.hospital_b)
    page = client.get("/people/").content.decode()
    assert "陈全科" in page and "周外科" in page
    assert "李心怡" not in page


# A correction request (PIPL art. 46) about a_doctor, filed by the trainee who is a_doctor:
# HR who may edit a_doctor (hospital A, the commission) see and resolve it, the person sees it,
# nobody else learns it exists.
SEES_CORRECTION = {"commission", "hospital_a", "trainee"}
RESOLVES_CORRECTION = {"commission", "hospital_a"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_correction_request_is_seen_and_resolved_only_within_scope(world, client, persona):
    correction = people_services.correction_request_file(
        user=world.trainee, topic="education", wrong="毕业院校有误", correct="上海交通大学"
    )
    url = f"/people/corrections/{correction.pk}/"
    login(client, getattr(world, persona))
    response = client.get(url)
    assert response.status_code == (200 if persona in SEES_CORRECTION else 404)
    listing = client.get("/people/corrections/")
    if persona in EDITS_PEOPLE:
        shown = f'id="correction-{correction.pk}"' in listing.content.decode()
        assert shown == (persona in RESOLVES_CORRECTION)
    else:
        assert listing.status_code == 403
    response = client.post(url, {"decision": "reject", "resolution": "不符"})
    if persona in RESOLVES_CORRECTION:
        assert response.status_code == 302
    else:
        assert response.status_code == (403 if persona == "trainee" else 404)
    correction.refresh_from_db()
    assert correction.status == ("rejected" if persona in RESOLVES_CORRECTION else "pending")


# --- people and organisations: the API -------------------------------------------------------


def _expected(allowed: set | None, key: str, ok: int = 200) -> int:
    if allowed is None:
        return 403
    return ok if key in allowed else 404


def _world_pks(world, keys) -> set[int]:
    return {getattr(world, key).pk for key in keys}


# --- lists -----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    ("url", "expected", "keys"),
    [
        ("/api/v1/people/", SEES_PEOPLE, PEOPLE),
        ("/api/v1/institutions/", SEES_INSTITUTIONS, INSTITUTIONS),
        ("/api/v1/departments/", SEES_DEPARTMENTS, DEPARTMENTS),
    ],
    ids=["people", "institutions", "departments"],
)
def test_each_list_holds_exactly_the_scope(world, as_api, persona, url, expected, keys):
    api = as_api(getattr(world, persona))
    response = api.get(url)
    allowed = expected[persona]
    if allowed is None:
        assert response.status_code == 403
        return
    assert ids(response) == _world_pks(world, allowed)


@pytest.mark.parametrize("persona", PERSONAS)
def test_filters_cannot_reach_past_the_scope(world, as_api, persona):
    """Filtering by another institution's id is refused, never answered with its rows."""
    api = as_api(getattr(world, persona))
    allowed = SEES_PEOPLE[persona]
    for key in INSTITUTIONS:
        response = api.get(f"/api/v1/people/?institution={getattr(world, key).pk}")
        if allowed is None:
            assert response.status_code == 403
        elif key in SEES_INSTITUTIONS[persona]:
            assert ids(response) <= _world_pks(world, allowed)
        else:
            assert response.status_code == 400
    for key in DEPARTMENTS:
        response = api.get(f"/api/v1/departments/?institution={getattr(world, key).pk}")
        if allowed is not None:
            assert ids(response) <= _world_pks(world, SEES_DEPARTMENTS[persona])


# --- reads of one row ------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("target", PEOPLE)
def test_a_person_and_their_records_are_read_only_within_scope(world, as_api, persona, target):
    api = as_api(getattr(world, persona))
    person = getattr(world, target)
    title = TitleRecord.objects.get(person=person)
    expected = _expected(SEES_PEOPLE[persona], target)
    for url in (
        f"/api/v1/people/{person.pk}/",
        f"/api/v1/people/{person.pk}/titles/",
        f"/api/v1/people/{person.pk}/titles/{title.pk}/",
        f"/api/v1/people/{person.pk}/appointments/",
    ):
        response = api.get(url)
        assert response.status_code == expected, url
        if expected != 200:
            assert person.name not in response.content.decode()


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("target", INSTITUTIONS)
def test_an_institution_is_read_only_within_scope(world, as_api, persona, target):
    api = as_api(getattr(world, persona))
    institution = getattr(world, target)
    response = api.get(f"/api/v1/institutions/{institution.pk}/")
    assert response.status_code == _expected(SEES_INSTITUTIONS[persona], target)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("target", DEPARTMENTS)
def test_a_department_is_read_only_within_scope(world, as_api, persona, target):
    api = as_api(getattr(world, persona))
    department = getattr(world, target)
    response = api.get(f"/api/v1/departments/{department.pk}/")
    assert response.status_code == _expected(SEES_DEPARTMENTS[persona], target)


# --- writes ----------------------------------------------------------------------------------


def _person_snapshot(person) -> tuple:
    person = Person.objects.get(pk=person.pk)
    return (person.position, person.updated_at, person.educations.count(), person.titles.count())


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("target", PEOPLE)
def test_a_person_is_edited_only_within_the_editors_scope(world, as_api, persona, target):
    api = as_api(getattr(world, persona))
    person = getattr(world, target)
    before = _person_snapshot(person)
    expected = _expected(EDITS_PEOPLE.get(persona), target)
    response = api.patch(f"/api/v1/people/{person.pk}/", {"position": "改"}, format="json")
    assert response.status_code == expected
    if expected != 200:
        assert _person_snapshot(person) == before


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("target", PEOPLE)
def test_records_are_added_and_removed_only_within_the_editors_scope(
    world, as_api, persona, target
):
    api = as_api(getattr(world, persona))
    person = getattr(world, target)
    title = TitleRecord.objects.get(person=person)
    before = _person_snapshot(person)
    expected = _expected(EDITS_PEOPLE.get(persona), target)
    response = api.post(
        f"/api/v1/people/{person.pk}/educations/",
        {
            "level": code_for("education", "21").pk,
            "school": "某医学院",
            "graduated_on": "2005-07-01",
        },
        format="json",
    )
    assert response.status_code == _expected(EDITS_PEOPLE.get(persona), target, 201)
    response = api.delete(f"/api/v1/people/{person.pk}/titles/{title.pk}/")
    assert response.status_code == _expected(EDITS_PEOPLE.get(persona), target, 204)
    if expected != 200:
        assert _person_snapshot(person) == before
        assert TitleRecord.objects.filter(pk=title.pk).exists()
        assert not Education.objects.filter(person=person).exists()


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("target", INSTITUTIONS)
def test_a_person_is_created_only_in_an_institution_the_user_edits(world, as_api, persona, target):
    api = as_api(getattr(world, persona))
    institution = getattr(world, target)
    birth = datetime.date(1992, 2, 2)
    count = Person.objects.count()
    response = api.post(
        "/api/v1/people/",
        {
            "name": "新同事",
            "sex": code_for("sex", "1").pk,
            "birth_date": birth.isoformat(),
            "id_number": factories.id_number(birth),
            "category": "staff",
            "institution": institution.pk,
        },
        format="json",
    )
    editable = EDITS_INSTITUTIONS.get(persona)
    if editable is None:
        assert response.status_code == 403
    elif target in editable:
        assert response.status_code == 201
        assert Person.objects.get(pk=response.json()["id"]).institution == institution
        return
    else:
        assert response.status_code == 400
        assert "institution" in response.json()
    assert Person.objects.count() == count


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("target", PEOPLE)
def test_a_person_cannot_be_moved_into_an_institution_outside_the_scope(
    world, as_api, persona, target
):
    editable = EDITS_PEOPLE.get(persona)
    if editable is None or target not in editable:
        return  # covered above: 403 or 404
    api = as_api(getattr(world, persona))
    person = getattr(world, target)
    for key in INSTITUTIONS:
        institution = getattr(world, key)
        response = api.patch(
            f"/api/v1/people/{person.pk}/",
            {"institution": institution.pk, "department": None},
            format="json",
        )
        may = key in EDITS_INSTITUTIONS[persona]
        assert response.status_code == (200 if may else 400), key
        if not may:
            assert Person.objects.get(pk=person.pk).institution_id != institution.pk


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("target", INSTITUTIONS)
def test_an_institution_is_edited_only_within_scope(world, as_api, persona, target):
    api = as_api(getattr(world, persona))
    institution = getattr(world, target)
    response = api.patch(
        f"/api/v1/institutions/{institution.pk}/", {"affiliation": "改"}, format="json"
    )
    expected = _expected(EDITS_INSTITUTIONS.get(persona), target)
    assert response.status_code == expected
    stored = Institution.objects.get(pk=institution.pk).affiliation
    assert (stored == "改") == (expected == 200)


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_commission_creates_institutions(world, as_api, persona):
    api = as_api(getattr(world, persona))
    district = factories.region("310113")
    count = Institution.objects.count()
    response = api.post(
        "/api/v1/institutions/",
        {
            "name": "新设机构",
            "kind": "other",
            "region": district.pk,
            "commission_region": district.pk,
        },
        format="json",
    )
    created = persona in CREATES_INSTITUTIONS
    assert response.status_code == (201 if created else 403)
    assert Institution.objects.count() == count + created


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("target", INSTITUTIONS)
def test_a_department_is_created_only_in_an_institution_the_user_edits(
    world, as_api, persona, target
):
    api = as_api(getattr(world, persona))
    institution = getattr(world, target)
    count = Department.objects.count()
    response = api.post(
        "/api/v1/departments/", {"institution": institution.pk, "name": "新科室"}, format="json"
    )
    editable = EDITS_INSTITUTIONS.get(persona)
    if editable is None:
        assert response.status_code == 403
    elif target in editable:
        assert response.status_code == 201
        return
    else:
        assert response.status_code == 400
        assert "institution" in response.json()
    assert Department.objects.count() == count


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("target", DEPARTMENTS)
def test_a_department_is_edited_only_within_scope(world, as_api, persona, target):
    api = as_api(getattr(world, persona))
    department = getattr(world, target)
    response = api.patch(
        f"/api/v1/departments/{department.pk}/", {"clinical": False}, format="json"
    )
    expected = _expected(EDITS_DEPARTMENTS.get(persona), target)
    assert response.status_code == expected
    assert Department.objects.get(pk=department.pk).clinical == (expected != 200)


# --- FHIR ---------------------------------------------------------------------------------


# Appointments made by the factories: everyone with a department has one.
WITH_APPOINTMENT = ["a_doctor", "a_ward_nurse", "a_surgeon", "b_doctor"]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("target", PEOPLE)
def test_practitioner_read_is_limited_to_the_scope(world, client, persona, target):
    login(client, getattr(world, persona))
    person = getattr(world, target)
    status = _expected(SEES_PEOPLE[persona], target)
    response = client.get(f"/fhir/Practitioner/{person.pk}")
    body = fhir_get(client, f"/fhir/Practitioner/{person.pk}", status=status)
    if status == 200:
        assert body["id"] == str(person.pk)
    else:
        assert person.name not in response.content.decode()


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("target", WITH_APPOINTMENT)
def test_practitioner_role_read_is_limited_to_the_scope(world, client, persona, target):
    login(client, getattr(world, persona))
    appointment = getattr(world, target).appointments.get()
    status = _expected(SEES_PEOPLE[persona], target)
    body = fhir_get(client, f"/fhir/PractitionerRole/{appointment.pk}", status=status)
    if status == 200:
        assert body["practitioner"]["reference"] == f"Practitioner/{getattr(world, target).pk}"


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("target", INSTITUTIONS)
def test_organization_read_is_limited_to_the_scope(world, client, persona, target):
    login(client, getattr(world, persona))
    institution = getattr(world, target)
    status = _expected(SEES_INSTITUTIONS[persona], target)
    body = fhir_get(client, f"/fhir/Organization/{institution.pk}", status=status)
    if status == 200:
        assert body["name"] == institution.name


@pytest.mark.parametrize("persona", PERSONAS)
def test_practitioner_search_returns_exactly_the_scope(world, client, persona):
    login(client, getattr(world, persona))
    allowed = SEES_PEOPLE[persona]
    if allowed is None:
        fhir_get(client, "/fhir/Practitioner", status=403)
        return
    bundle = fhir_get(client, "/fhir/Practitioner?_count=100")
    assert bundle_ids(bundle) == {getattr(world, key).pk for key in allowed}
    assert bundle["total"] == len(allowed)


@pytest.mark.parametrize("persona", PERSONAS)
def test_practitioner_role_search_returns_exactly_the_scope(world, client, persona):
    login(client, getattr(world, persona))
    allowed = SEES_PEOPLE[persona]
    if allowed is None:
        fhir_get(client, "/fhir/PractitionerRole", status=403)
        return
    bundle = fhir_get(client, "/fhir/PractitionerRole?_count=100")
    expected = {
        getattr(world, key).appointments.get().pk for key in WITH_APPOINTMENT if key in allowed
    }
    assert bundle_ids(bundle) == expected
    assert bundle["total"] == len(expected)


@pytest.mark.parametrize("persona", PERSONAS)
def test_organization_search_returns_exactly_the_scope(world, client, persona):
    login(client, getattr(world, persona))
    allowed = SEES_INSTITUTIONS[persona]
    if allowed is None:
        fhir_get(client, "/fhir/Organization", status=403)
        return
    bundle = fhir_get(client, "/fhir/Organization?_count=100")
    assert bundle_ids(bundle) == {getattr(world, key).pk for key in allowed}
    assert bundle["total"] == len(allowed)


@pytest.mark.parametrize("persona", PERSONAS)
def test_search_filters_cannot_reach_past_the_scope(world, client, persona):
    """Asking for another institution's people by organization or identifier finds nothing."""
    login(client, getattr(world, persona))
    allowed = SEES_PEOPLE[persona]
    if allowed is None:
        return
    for key in PEOPLE:
        person = getattr(world, key)
        for url in (
            f"/fhir/Practitioner?organization={person.institution_id}&_count=100",
            f"/fhir/Practitioner?identifier={person.id_number}",
            f"/fhir/PractitionerRole?practitioner={person.pk}",
        ):
            # A full identity number is searched by POST _search, never in a URL.
            search = fhir_search if "identifier" in url else fhir_get
            found = bundle_ids(search(client, url))
            assert found <= {getattr(world, k).pk for k in allowed} | {
                a.pk for k in allowed for a in getattr(world, k).appointments.all()
            }, url
            if "identifier" in url:
                assert found == ({person.pk} if key in allowed else set())


# --- the cultivation API's rows ------------------------------------------------------------


MENTORSHIPS = {
    "commission": {"pair", "surgeon_pair", "ward_pair", "b_pair"},
    "hospital_a": {"pair", "surgeon_pair", "ward_pair"},
    "hospital_b": {"b_pair"},
    "dept_head": {"ward_pair"},  # the one with a department: cardiology
    "mentor": {"pair", "surgeon_pair"},  # the ones they lead
    "trainee": {"pair"},  # the one they are an apprentice in
}
TECHNIQUES = {
    "commission": {"a_item", "surgery_item", "cardio_item", "b_item"},
    "hospital_a": {"a_item", "surgery_item", "cardio_item"},
    "hospital_b": {"b_item"},
    "dept_head": {"cardio_item"},
    "mentor": {"a_item"},  # registered under their mentorship
    "trainee": {"a_item"},  # they logged a case of it
}
STUDIOS = {
    "commission": {"a_studio", "cardio_studio", "b_studio"},
    "hospital_a": {"a_studio", "cardio_studio"},
    "hospital_b": {"b_studio"},
    "dept_head": {"cardio_studio"},
    "mentor": {"a_studio"},  # they lead it
    "trainee": {"a_studio"},  # they are a member
}
VISITS = {
    "commission": {"pair_visit", "cardio_visit", "b_visit", "partner_free"},
    "hospital_a": {"pair_visit", "cardio_visit"},
    "hospital_b": {"b_visit", "partner_free"},
    "dept_head": {"cardio_visit"},
    "mentor": {"pair_visit", "partner_free"},  # their own, at A and at B
    "trainee": {"pair_visit"},  # made for their mentorship
}
CONSULTATIONS = {
    "commission": {"a_consult", "surgery_consult", "b_consult"},
    "hospital_a": {"a_consult", "surgery_consult"},
    "hospital_b": {"b_consult"},
    "dept_head": {"a_consult"},  # asked by a cardiologist
    "mentor": {"a_consult"},  # they gave it
    "trainee": {"a_consult"},  # they asked for it
}
LISTS = {
    "mentorships": (Mentorship, MENTORSHIPS),
    "techniques": (Technique, TECHNIQUES),
    "case-logs": (CaseLog, CASE_LOGS),
    "studios": (ExpertStudio, STUDIOS),
    "visits": (Visit, VISITS),
    "consultations": (Consultation, CONSULTATIONS),
}
WITHOUT_TRAINING = ("auditor", "security", "nobody")


# --- verification ----------------------------------------------------------------------------

VERIFIES = {key: CASE_LOGS[key] for key in ("commission", "hospital_a", "hospital_b", "dept_head")}
VERIFIES["mentor"] = CASE_LOGS["mentor"]


# --- writes ----------------------------------------------------------------------------------


def _technique_payload(institution) -> dict:
    return {
        "institution": institution.pk,
        "name": "经导管主动脉瓣置换术",
        "technique_category": "intervention",
        "origin": "own",
    }


# Each foreign key a hospital may name only within its scope: the message is the scope's
# (the service's own check, where there is one, would say something else).
OUT_OF_SCOPE = [
    ("mentorships", "mentor", "b_doctor", "所选导师不存在或不在您的管辖范围内。"),
    ("mentorships", "apprentices", "b_doctor", "所选徒弟不存在或不在您的管辖范围内。"),
    ("mentorships", "department", "b_medicine", "所选科室不存在或不在您的管辖范围内。"),
    ("techniques", "mentorship", "b_pair", "所选师带徒关系不存在或不在您的管辖范围内。"),
    ("techniques", "department", "b_medicine", "所选科室不存在或不在您的管辖范围内。"),
    ("studios", "lead", "b_doctor", "所选领衔专家不存在或不在您的管辖范围内。"),
    ("studios", "members", "b_doctor", "所选成员不存在或不在您的管辖范围内。"),
    ("visits", "expert", "b_doctor", "所选专家不存在或不在您的管辖范围内。"),
    ("visits", "studio", "b_studio", "所选工作室不存在或不在您的管辖范围内。"),
    ("visits", "mentorship", "b_pair", "所选师带徒关系不存在或不在您的管辖范围内。"),
    ("consultations", "expert", "b_doctor", "所选会诊专家不存在或不在您的管辖范围内。"),
    ("consultations", "requester", "b_doctor", "所选申请医生不存在或不在您的管辖范围内。"),
]


CASE_OUT_OF_SCOPE = [
    ("technique", "b_item", "记录人所在机构没有登记这项技术，请先在新技术新项目中登记。"),
    ("supervisor", "b_doctor", "指导/审核人须是记录人的导师或同科室人员。"),
    ("mentorship", "surgeon_pair", "所选师带徒关系不存在或本人不是其徒弟。"),
]


@pytest.fixture(scope="class")
def _mentoring_rows(module_world, django_db_blocker):
    """Mentoring rows in A, B and for the partner expert, built once for the class."""
    with rolled_back_at_module_end(django_db_blocker):
        yield mentoring_records(module_world)


class TestCultivationApiRows:
    """Every /api/v1/training/ list × every persona: exactly the rows of the pages' scope (a
    mentor their mentorships, visits and apprentices' cases; a trainee their own), 403 for
    roles without training.view, 404 for a row outside the scope on read and on verify, and
    writes only into the institutions the user records for, with foreign keys only among the
    rows they may use."""

    @pytest.fixture(name="records")
    def _records(self, _mentoring_rows, shared_world):
        return copy.deepcopy(_mentoring_rows)

    def test_the_matrix_names_every_row_of_the_records(self, records):
        for model, expected in LISTS.values():
            named = {key for key, row in records.items() if isinstance(row, model)}
            assert expected["commission"] == named, model

    @pytest.mark.parametrize("persona", PERSONAS)
    @pytest.mark.parametrize("collection", list(LISTS))
    def test_each_list_holds_exactly_the_personas_scope(self, world, records, persona, collection):
        response = signed_in(getattr(world, persona)).get(f"{API}/{collection}/")
        if persona in WITHOUT_TRAINING:
            assert response.status_code == 403
            assert "detail" in response.json()
            return
        assert ids(response) == pks(records, *LISTS[collection][1][persona])

    @pytest.mark.parametrize("persona", PERSONAS)
    @pytest.mark.parametrize("collection", list(LISTS))
    def test_each_row_is_read_only_within_the_scope(self, world, records, persona, collection):
        api = signed_in(getattr(world, persona))
        model, expected = LISTS[collection]
        for key, row in records.items():
            if not isinstance(row, model):
                continue
            response = api.get(f"{API}/{collection}/{row.pk}/")
            if persona in WITHOUT_TRAINING:
                assert response.status_code == 403, key
            elif key in expected[persona]:
                assert response.status_code == 200, key
                assert response.json()["id"] == row.pk
            else:
                assert response.status_code == 404, key
                assert set(response.json()) == {"detail"}

    @pytest.mark.parametrize("persona", PERSONAS)
    def test_the_figures_and_counts_need_training_view_and_count_only_the_scope(
        self, world, records, persona
    ):
        api = signed_in(getattr(world, persona))
        figures = api.get(f"{API}/studios/figures/?year=2024")
        counts = api.get(f"{API}/visits/counts/")
        if persona in WITHOUT_TRAINING:
            assert (figures.status_code, counts.status_code) == (403, 403)
            return
        assert figures.json()["studios"] == len(STUDIOS[persona])
        assert counts.json()["total"] == len(VISITS[persona])

    @pytest.mark.parametrize("persona", PERSONAS)
    @pytest.mark.parametrize("target", ["own", "surgeon", "nurse", "b_case"])
    def test_a_case_is_verified_only_within_the_verifiers_scope(
        self, world, records, persona, target
    ):
        api = signed_in(getattr(world, persona))
        row = records[target]
        response = api.post(f"{API}/case-logs/{row.pk}/verify/")
        if persona not in VERIFIES:
            expected = 403  # the trainee, the oversight roles, an account without roles
        else:
            expected = 200 if target in VERIFIES[persona] else 404
        assert response.status_code == expected
        assert CaseLog.objects.get(pk=row.pk).verified == (expected == 200)
        if expected == 200:
            response = api.post(f"{API}/case-logs/{row.pk}/unverify/")
            assert response.status_code == 200
            assert not CaseLog.objects.get(pk=row.pk).verified
        else:
            assert api.post(f"{API}/case-logs/{row.pk}/unverify/").status_code == expected

    def test_a_verification_is_withdrawn_only_within_the_scope(self, world, records):
        from yicai.training.services.mentoring import case_log_verify

        case_log_verify(case_log=records["b_case"], user=world.hospital_b)
        response = signed_in(world.hospital_a).post(
            f"{API}/case-logs/{records['b_case'].pk}/unverify/"
        )
        assert response.status_code == 404
        assert CaseLog.objects.get(pk=records["b_case"].pk).verified

    def test_verifying_needs_the_verify_scope_not_only_the_view_scope(self, world, records):
        """李心怡 (trainee) also heads surgery: she sees her own case as staff but may verify only
        surgery's; her own case is a 404 before the rule against self-verification is reached."""
        from yicai.access import services as access_services

        access_services.role_assign(
            user=world.trainee, role=Role.DEPARTMENT_HEAD, department=world.a_surgery
        )
        api = signed_in(world.trainee)
        assert ids(api.get(f"{API}/case-logs/")) == pks(records, "own", "surgeon")
        assert api.post(f"{API}/case-logs/{records['own'].pk}/verify/").status_code == 404
        assert api.post(f"{API}/case-logs/{records['surgeon'].pk}/verify/").status_code == 200
        assert not CaseLog.objects.get(pk=records["own"].pk).verified

    @pytest.mark.parametrize("persona", PERSONAS)
    @pytest.mark.parametrize("target", ["a", "b", "partner"])
    def test_a_technique_is_registered_only_in_an_institution_the_user_records_for(
        self, world, persona, target
    ):
        api = signed_in(getattr(world, persona))
        count = Technique.objects.count()
        response = api.post(
            f"{API}/techniques/", _technique_payload(getattr(world, target)), format="json"
        )
        if persona not in EDITS_INSTITUTIONS:
            assert response.status_code == 403
        elif target in EDITS_INSTITUTIONS[persona]:
            assert response.status_code == 201
            assert Technique.objects.count() == count + 1
            return
        else:
            assert response.status_code == 400
            assert response.json()["institution"] == ["所选机构不存在或不在您的管辖范围内。"]
        assert Technique.objects.count() == count

    @pytest.mark.parametrize("persona", PERSONAS)
    def test_each_kind_of_record_is_added_only_by_those_who_record(self, world, records, persona):
        """training.edit for mentorships, techniques, studios, visits and consultations;
        training.log (and a person of one's own) for case logs."""
        api = signed_in(getattr(world, persona))
        payloads = {
            "mentorships": {
                "mentor": world.partner_expert.pk,
                "apprentices": [world.a_surgeon.pk],
                "institution": world.a.pk,
                "start_on": "2025-01-01",
            },
            "studios": {
                "name": "新工作室",
                "lead": world.partner_expert.pk,
                "tier": "district",
                "institution": world.a.pk,
                "founded_on": "2025-01-01",
            },
            "visits": {
                "expert": world.partner_expert.pk,
                "visit_kind": "clinic",
                "institution": world.a.pk,
                "held_on": "2025-01-01",
            },
            "consultations": {
                "expert": world.partner_expert.pk,
                "requester": world.a_surgeon.pk,
                "institution": world.a.pk,
                "held_on": "2025-01-01",
                "summary": "术后随访",
            },
            "case-logs": {
                "technique": records["a_item"].pk,
                "performed_on": "2025-01-01",
                "role": "observed",
            },
        }
        models = {
            "mentorships": Mentorship,
            "studios": ExpertStudio,
            "visits": Visit,
            "consultations": Consultation,
            "case-logs": CaseLog,
        }
        for collection, payload in payloads.items():
            count = models[collection].objects.count()
            response = api.post(f"{API}/{collection}/", payload, format="json")
            if collection == "case-logs":
                allowed = persona == "trainee"
            else:
                allowed = persona in ("commission", "hospital_a")
            if persona == "hospital_b" and collection != "case-logs":
                assert response.status_code == 400, collection  # A's institution is not theirs
            else:
                assert response.status_code == (201 if allowed else 403), collection
            assert models[collection].objects.count() == count + allowed, collection

    def test_an_account_without_a_person_cannot_log_a_case(self, world, records):
        from tests import factories

        staff = factories.user("no_person", roles=[(Role.STAFF, {})])
        count = CaseLog.objects.count()
        response = signed_in(staff).post(
            f"{API}/case-logs/",
            {"technique": records["a_item"].pk, "performed_on": "2025-01-01", "role": "observed"},
            format="json",
        )
        assert response.status_code == 403
        assert "人员档案" in response.json()["detail"]
        assert CaseLog.objects.count() == count

    @pytest.mark.parametrize(
        ("collection", "field", "target", "message"),
        OUT_OF_SCOPE,
        ids=[f"{case[0]}-{case[1]}" for case in OUT_OF_SCOPE],
    )
    def test_a_foreign_key_outside_the_scope_is_a_400_naming_the_field(
        self, world, records, collection, field, target, message
    ):
        row = getattr(world, target, None) or records[target]
        value = [row.pk] if field in ("apprentices", "members") else row.pk
        payload = {**valid_payload(world, collection), field: value}
        model = {
            "mentorships": Mentorship,
            "techniques": Technique,
            "studios": ExpertStudio,
            "visits": Visit,
            "consultations": Consultation,
        }[collection]
        count = model.objects.count()
        api = signed_in(world.hospital_a)
        response = api.post(f"{API}/{collection}/", payload, format="json")
        assert response.status_code == 400, response.content
        assert message in str(response.json()[field])
        assert model.objects.count() == count
        # The same payload without the stranger is accepted: the field alone was refused.
        response = api.post(f"{API}/{collection}/", valid_payload(world, collection), format="json")
        assert response.status_code == 201, response.content

    @pytest.mark.parametrize(("field", "target", "message"), CASE_OUT_OF_SCOPE)
    def test_a_trainee_names_only_their_institutions_techniques_mentors_and_colleagues(
        self, world, records, field, target, message
    ):
        row = getattr(world, target, None) or records[target]
        payload = {
            "technique": records["a_item"].pk,
            "performed_on": "2025-01-01",
            "role": "observed",
        }
        count = CaseLog.objects.count()
        api = signed_in(world.trainee)
        response = api.post(f"{API}/case-logs/", {**payload, field: row.pk}, format="json")
        assert response.status_code == 400
        assert response.json()[field] == [message]
        assert CaseLog.objects.count() == count
        assert api.post(f"{API}/case-logs/", payload, format="json").status_code == 201

    @pytest.mark.parametrize("collection", ["mentorships", "techniques", "studios"])
    @pytest.mark.parametrize(
        "persona", ["hospital_a", "hospital_b", "dept_head", "mentor", "trainee"]
    )
    def test_filtering_by_an_institution_outside_the_scope_is_refused(
        self, world, records, collection, persona
    ):
        api = signed_in(getattr(world, persona))
        seen = {"hospital_a": "a", "hospital_b": "b", "dept_head": "a", "mentor": "partner"}
        seen["trainee"] = "a"
        for key in ("a", "b", "partner"):
            response = api.get(f"{API}/{collection}/?institution={getattr(world, key).pk}")
            if key == seen[persona]:
                assert response.status_code == 200
            else:
                assert response.status_code == 400
                assert "institution" in response.json()

    def test_a_new_mentorship_may_name_a_partner_expert_but_not_a_partner_outside_the_region(
        self, world
    ):
        from tests import factories

        elsewhere = factories.institution("外省合作医院", relation="partner", commission="310104")
        stranger = factories.person(elsewhere, "钱专家", category="external_expert")
        api = signed_in(world.hospital_a)
        count = Mentorship.objects.count()
        payload = valid_payload(world, "mentorships")
        response = api.post(
            f"{API}/mentorships/", {**payload, "mentor": stranger.pk}, format="json"
        )
        assert response.status_code == 400
        assert "mentor" in response.json()
        assert Mentorship.objects.count() == count
        response = api.post(f"{API}/mentorships/", payload, format="json")
        assert response.status_code == 201
        assert response.json()["mentor"]["id"] == world.partner_expert.pk
        assert datetime.date.fromisoformat(response.json()["start_on"]) == datetime.date(2025, 1, 1)
