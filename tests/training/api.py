"""The training API in tests: signed-in clients, mentoring rows in A, B and for the partner
expert (`mentoring_records`), and the checks of a list's ids and of a refusal."""

import datetime
import io
import re

from django.core.management import call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.conftest import login
from tests.training.helpers import DAY, case, technique
from yicai.training.models import CaseLog, Visit
from yicai.training.services.activity import consultation_record, visit_record
from yicai.training.services.mentoring import mentorship_create
from yicai.training.services.studios import studio_create

CHINESE = re.compile(r"[\u4e00-\u9fff]")
API = "/api/v1/training"


def signed_in(user) -> APIClient:
    """An API client signed in as a persona, the way a finished browser session is."""
    return login(APIClient(), user)


def token_client(user) -> APIClient:
    call_command("token", user.username, stdout=io.StringIO())
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get(user=user).key}")
    return client


def pair(world, mentor, *apprentices, institution=None, department=None):
    return mentorship_create(
        mentor=mentor,
        apprentices=apprentices,
        institution=institution or world.a,
        department=department,
        start_on=datetime.date(2024, 9, 1),
        target_visits=12,
        target_lectures=4,
        target_operations=20,
    )


def studio(world, name, lead, *, institution=None, department=None, tier="district", members=()):
    return studio_create(
        name=name,
        lead=lead,
        tier=tier,
        institution=institution or world.a,
        department=department,
        founded_on=datetime.date(2023, 10, 1),
        members=members,
    )


def visit(world, expert, on, *, institution=None, kind=Visit.Kind.CLINIC, **extra):
    return visit_record(
        expert=expert, kind=kind, institution=institution or world.a, held_on=on, **extra
    )


def consultation(world, expert, requester, *, institution=None, on=DAY):
    return consultation_record(
        expert=expert,
        requester=requester,
        institution=institution or requester.institution,
        held_on=on,
        summary="男，62 岁，反复胸痛三月，冠脉 CTA 示前降支狭窄。",
        advice="建议择期行冠脉造影。",
    )


def mentoring_records(world) -> dict:
    """Rows of every kind: A's (some in cardiology), B's, and the partner expert's.

    孙名医 (partner_expert, the `mentor` persona) mentors 李心怡 (a_doctor, the `trainee`)
    and 周外科 (a_surgeon) and 赵护士 at A; 周外科 mentors 赵护士 in A's cardiology and 陈全科
    at B."""
    w = world
    pairs = {
        "pair": pair(w, w.partner_expert, w.a_doctor),
        "surgeon_pair": pair(w, w.partner_expert, w.a_surgeon, w.a_ward_nurse),
        "ward_pair": pair(w, w.a_surgeon, w.a_ward_nurse, department=w.a_cardiology),
        "b_pair": pair(w, w.a_surgeon, w.b_doctor, institution=w.b),
    }
    techniques = {
        "a_item": technique(w, mentorship=pairs["pair"]),
        "surgery_item": technique(w, "经皮肾镜取石术"),
        "cardio_item": technique(w, "PICC置管术", department=w.a_cardiology),
        "b_item": technique(w, "胃镜下息肉切除术", institution=w.b),
    }
    cases = {
        "own": case(w, techniques["a_item"], mentorship=pairs["pair"]),
        "surgeon": case(
            w,
            techniques["surgery_item"],
            role=CaseLog.Role.ASSISTED,
            apprentice=w.a_surgeon,
            supervisor=None,
        ),
        "nurse": case(w, techniques["cardio_item"], apprentice=w.a_ward_nurse),
        "b_case": case(w, techniques["b_item"], apprentice=w.b_doctor, supervisor=None),
    }
    studios = {
        "a_studio": studio(
            w, "孙名医工作室", w.partner_expert, tier="national", members=[w.a_doctor]
        ),
        "cardio_studio": studio(w, "心内工作室", w.a_surgeon, department=w.a_cardiology),
        "b_studio": studio(w, "全科工作室", w.b_doctor, institution=w.b, tier="provincial"),
    }
    visits = {
        "pair_visit": visit(
            w, w.partner_expert, datetime.date(2025, 1, 10), mentorship=pairs["pair"]
        ),
        "cardio_visit": visit(
            w,
            w.a_surgeon,
            datetime.date(2025, 2, 14),
            kind=Visit.Kind.LECTURE,
            department=w.a_cardiology,
            attendees=40,
        ),
        "b_visit": visit(w, w.b_doctor, datetime.date(2025, 2, 20), institution=w.b),
        "partner_free": visit(
            w,
            w.partner_expert,
            datetime.date(2025, 3, 8),
            institution=w.b,
            kind=Visit.Kind.FREE_CLINIC,
            patients=80,
        ),
    }
    consultations = {
        "a_consult": consultation(w, w.partner_expert, w.a_doctor),
        "surgery_consult": consultation(w, w.b_doctor, w.a_surgeon, on=datetime.date(2025, 2, 1)),
        "b_consult": consultation(w, w.a_surgeon, w.b_doctor, on=datetime.date(2025, 1, 5)),
    }
    return {**pairs, **techniques, **cases, **studios, **visits, **consultations}


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def ids(response) -> set[int]:
    return {row["id"] for row in results(response)}


def pks(records, *names) -> set[int]:
    return {records[name].pk for name in names}


def assert_refused(response, field: str, message: str | None = None) -> None:
    assert response.status_code == 400, response.content
    body = response.json()
    assert field in body, body
    messages = body[field] if isinstance(body[field], list) else [body[field]]
    assert all(CHINESE.search(str(text)) for text in messages), messages
    if message is not None:
        assert message in " ".join(str(text) for text in messages), messages


PATIENT_DATA = "不能填写身份证号、手机号等患者信息"


VALID = {
    "mentorships": {
        "mentor": "partner_expert",
        "apprentices": ["a_surgeon"],
        "institution": "a",
        "start_on": "2025-01-01",
    },
    "techniques": {
        "institution": "a",
        "name": "新项目",
        "technique_category": "other",
        "origin": "own",
    },
    "studios": {
        "name": "新工作室",
        "lead": "partner_expert",
        "tier": "district",
        "institution": "a",
        "founded_on": "2025-01-01",
    },
    "visits": {
        "expert": "partner_expert",
        "visit_kind": "clinic",
        "institution": "a",
        "held_on": "2025-01-01",
    },
    "consultations": {
        "expert": "partner_expert",
        "requester": "a_surgeon",
        "institution": "a",
        "held_on": "2025-01-01",
        "summary": "术后随访",
    },
}
REFERENCES = {"mentor", "apprentices", "institution", "lead", "members", "expert", "requester"}


def valid_payload(world, collection: str, **overrides) -> dict:
    """A payload the hospital A administrator may post; names of world's rows become ids."""
    payload = {**VALID[collection], **overrides}

    def resolve(field, value):
        if field not in REFERENCES:
            return value
        if isinstance(value, list):
            return [resolve(field, item) for item in value]
        if isinstance(value, str) and hasattr(world, value):
            return getattr(world, value).pk
        return value  # hostile input, as it is

    return {field: resolve(field, value) for field, value in payload.items()}
