"""Who may open the new cultivation pages: every persona against every page, with A's
records. Reading needs training.view and the row in scope; creating and editing need
training.edit (403 without it) and the row in the edit scope (404 outside it, so another
institution's ids are not confirmed). The oversight roles and an account without roles get
403 everywhere."""

import datetime

import pytest

from tests.builders import once_per_module
from tests.conftest import login
from tests.training.helpers import mentorship, technique
from yicai.training.services.activity import consultation_record, visit_record
from yicai.training.services.studios import studio_create, studio_funding_record

PERSONAS = (
    "commission",
    "hospital_a",
    "hospital_b",
    "dept_head",
    "mentor",
    "trainee",
    "auditor",
    "security",
    "nobody",
)
OUTSIDERS = {"auditor": 403, "security": 403, "nobody": 403}


def edit_records(world):
    pair = mentorship(world)  # 孙名医 (partner) teaches 李心怡 (A, cardiology)
    studio = studio_create(
        name="孙名医工作室",
        lead=world.partner_expert,
        tier="district",
        institution=world.a,
        founded_on=datetime.date(2023, 10, 1),
        department=world.a_surgery,
        members=[world.a_surgeon],
    )
    funding = studio_funding_record(studio=studio, year=2024)
    member = studio.members.get()
    visit = visit_record(
        expert=world.partner_expert,
        kind="clinic",
        institution=world.a,
        held_on=datetime.date(2024, 3, 1),
        department=world.a_surgery,
    )
    consultation = consultation_record(
        expert=world.partner_expert,
        requester=world.a_doctor,
        institution=world.a,
        held_on=datetime.date(2024, 3, 2),
        summary="胸痛待查",
    )
    return {
        "pair": pair.pk,
        "technique": technique(world).pk,
        "studio": studio.pk,
        "funding": funding.pk,
        "member": member.pk,
        "visit": visit.pk,
        "consultation": consultation.pk,
    }


_built, records = once_per_module(edit_records)


# Pages anyone with training.view opens: lists, the calendar, the subsidy table.
LISTS = [
    "/training/mentorships/",
    "/training/consultations/",
    "/training/visits/calendar/",
    "/training/studios/subsidies/",
]
# Pages that create: training.edit, no row.
CREATES = [
    "/training/mentorships/new/",
    "/training/techniques/new/",
    "/training/studios/new/",
    "/training/visits/new/",
    "/training/consultations/new/",
]
# Pages of one of A's rows that edit.
EDITS = [
    "/training/mentorships/{pair}/edit/",
    "/training/techniques/{technique}/edit/",
    "/training/studios/{studio}/edit/",
    "/training/studios/{studio}/members/new/",
    "/training/studios/{studio}/funding/new/",
    "/training/studios/{studio}/funding/{funding}/edit/",
    "/training/visits/{visit}/edit/",
    "/training/consultations/{consultation}/edit/",
]
# Posts that change or remove one of A's rows (with no data: the scope decides first).
POSTS = [
    "/training/techniques/{technique}/delete/",
    "/training/studios/{studio}/members/{member}/remove/",
    "/training/visits/{visit}/delete/",
]
EDITORS = {"commission": 200, "hospital_a": 200, "hospital_b": 404}

EXPECTED = {
    "lists": {**dict.fromkeys(PERSONAS, 200), **OUTSIDERS},
    "creates": {
        **dict.fromkeys(PERSONAS, 403),
        "commission": 200,
        "hospital_a": 200,
        "hospital_b": 200,
    },
    "edits": {**dict.fromkeys(PERSONAS, 403), **EDITORS},
    # A's mentorship: its mentor and apprentice see it; B and cardiology's head do not.
    "mentorship": {
        **dict.fromkeys(PERSONAS, 404),
        "commission": 200,
        "hospital_a": 200,
        "mentor": 200,
        "trainee": 200,
        **OUTSIDERS,
    },
    # A's studio in surgery: its lead sees it; cardiology's head and 李心怡 do not.
    "studio": {
        **dict.fromkeys(PERSONAS, 404),
        "commission": 200,
        "hospital_a": 200,
        "mentor": 200,
        **OUTSIDERS,
    },
}


def _urls(templates, records):
    return [template.format(**records) for template in templates]


@pytest.mark.parametrize("who", PERSONAS)
def test_each_persona_opens_what_its_role_and_scope_allow(world, client, records, who):
    login(client, getattr(world, who))
    got = {}
    for kind, urls in (
        ("lists", LISTS),
        ("creates", CREATES),
        ("edits", _urls(EDITS, records)),
        ("mentorship", [f"/training/mentorships/{records['pair']}/"]),
        ("studio", [f"/training/studios/{records['studio']}/"]),
    ):
        for url in urls:
            got[url] = (kind, client.get(url).status_code)
    wrong = {
        url: (kind, status) for url, (kind, status) in got.items() if status != EXPECTED[kind][who]
    }
    assert not wrong, wrong


@pytest.mark.parametrize("who", PERSONAS)
def test_each_persona_may_post_only_where_it_may_edit(world, client, records, who):
    """Posting changes or removals to A's rows: the editors of A may (302), hospital B gets
    404, everyone else 403, and nothing changes for them."""
    from yicai.training.models import StudioMember, Technique, Visit

    login(client, getattr(world, who))
    expected = {"commission": 302, "hospital_a": 302, "hospital_b": 404}.get(who, 403)
    statuses = {url: client.post(url).status_code for url in _urls(POSTS, records)}
    assert set(statuses.values()) == {expected}, statuses
    remaining = (
        Technique.objects.filter(pk=records["technique"]).exists(),
        StudioMember.objects.filter(pk=records["member"]).exists(),
        Visit.objects.filter(pk=records["visit"]).exists(),
    )
    assert remaining == ((False,) * 3 if expected == 302 else (True,) * 3)
