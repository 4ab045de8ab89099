"""The cultivation pages' person pickers (yicai/training/pickers.py): whom each field offers,
in which order, to whom; the trainee's case form opens on their own mentor; what a form
posts is checked against the same people; and a form page costs the same however many people
there are."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from tests.conftest import login
from tests.training.helpers import mentorship
from yicai import picker
from yicai.training.models import CreditClass, EducationEvent, Mentorship
from yicai.training.services.activity import visit_record
from yicai.training.services.education import event_create
from yicai.training.services.mentoring import mentorship_create, mentorship_update

pytestmark = pytest.mark.django_db
TRAINING_SOURCES = sorted(name for name in picker._SOURCES if name.startswith("training."))
# Everyone of hospital A: none may reach B through any picker.
A_PEOPLE = ("李心怡", "赵护士", "周外科")


def names(client, source, **params) -> list[str]:
    response = client.get(f"/pick/{source}/", params)
    assert response.status_code == 200, (source, response.status_code)
    return [row["name"] for row in response.json()["results"]]


def colleague(world, name, **extra):
    return factories.person(world.a, name, department=world.a_cardiology, **extra)


def an_event(world, **extra):
    return event_create(
        kind=EducationEvent.Kind.LECTURE,
        title="心电图判读",
        institution=world.a,
        department=extra.pop("department", world.a_surgery),
        held_on=datetime.date(2025, 3, 1),
        hours=Decimal(2),
        credit_class=CreditClass.CLASS_II,
        credits=Decimal(1),
        speaker_name="外院讲者",
    )


# --- scope -----------------------------------------------------------------------------------


def test_every_cultivation_source_is_registered():
    assert TRAINING_SOURCES == [
        "training.backfill_people",
        "training.backfill_supervisors",
        "training.experts",
        "training.leaders",
        "training.learners",
        "training.nominees",
        "training.planned",
        "training.seconded",
        "training.speakers",
        "training.staff",
        "training.supervisors",
        "training.visiting_experts",
    ]


def test_hospital_b_never_gets_a_person_of_a_from_any_picker(client, world):
    event = an_event(world)
    visit_record(expert=world.a_surgeon, kind="clinic", institution=world.a, held_on=event.held_on)
    login(client, world.hospital_b)
    for source in TRAINING_SOURCES:
        if source == "training.supervisors":
            continue  # a trainee's own; hospital B has no training.log
        offered = names(client, source, event=event.pk)
        offered += [
            row["name"]
            for row in client.post(
                f"/pick/{source}/?event={event.pk}", {"names": " ".join(A_PEOPLE)}
            ).json()["results"]
        ]
        assert not set(offered) & set(A_PEOPLE), source


@pytest.mark.parametrize("persona", ["auditor", "security", "nobody"])
def test_roles_without_cultivation_rights_get_403_from_every_picker(client, world, persona):
    login(client, getattr(world, persona))
    refused = {source: client.get(f"/pick/{source}/").status_code for source in TRAINING_SOURCES}
    assert set(refused.values()) == {403}


def test_a_trainee_may_search_only_their_supervisors(client, world):
    login(client, world.trainee)
    assert client.get("/pick/training.experts/").status_code == 403
    assert client.get("/pick/training.supervisors/").status_code == 200


# --- order and defaults ------------------------------------------------------------------------


def test_a_trainees_supervisors_are_their_mentors_first_then_their_department(client, world):
    colleague(world, "安同事")
    former = factories.person(world.partner, "钱前任", category="external_expert")
    ended = mentorship_create(
        mentor=former,
        apprentices=[world.a_doctor],
        institution=world.a,
        start_on=datetime.date(2022, 1, 1),
    )
    mentorship_update(mentorship=ended, status=Mentorship.Status.COMPLETED)
    mentorship(world)  # 孙名医, current
    login(client, world.trainee)
    assert names(client, "training.supervisors") == ["孙名医", "钱前任", "安同事"]
    assert names(client, "training.supervisors", q="antong") == ["安同事"]


def test_the_case_form_opens_on_the_trainees_own_mentor(client, world):
    colleague(world, "安同事")
    mentorship(world)
    login(client, world.trainee)
    response = client.get("/training/cases/new/")
    assert response.context["form"]["supervisor"].value() == world.partner_expert.pk
    html = response.content.decode()
    assert f'<option value="{world.partner_expert.pk}" selected' in html
    assert "安同事" not in html  # offered by the search, not on the page


def test_of_several_current_mentors_the_case_form_opens_on_the_first(client, world):
    second = factories.person(world.partner, "艾导师", category="external_expert")
    mentorship(world)
    mentorship_create(
        mentor=second,
        apprentices=[world.a_doctor],
        institution=world.a,
        start_on=datetime.date(2024, 9, 1),
    )
    login(client, world.trainee)
    form = client.get("/training/cases/new/").context["form"]
    assert form["supervisor"].value() == second.pk  # 艾 before 孙
    assert names(client, "training.supervisors")[:2] == ["艾导师", "孙名医"]


def test_without_a_mentor_the_case_form_opens_on_nobody(client, world):
    login(client, world.trainee)
    form = client.get("/training/cases/new/").context["form"]
    assert form["supervisor"].value() is None


def test_an_events_attendance_offers_its_department_then_its_institution_first(client, world):
    event = an_event(world, department=world.a_surgery)
    login(client, world.commission)
    offered = names(client, "training.learners", event=event.pk)
    assert offered[:2] == ["周外科", "李心怡"]  # its department, then A by name
    assert "陈全科" in offered  # B's staff follow, for the commission
    assert offered.index("陈全科") > offered.index("赵护士")


# --- what a form posts --------------------------------------------------------------------------


def test_a_visit_naming_an_expert_outside_the_picker_is_refused_in_chinese(client, world):
    login(client, world.hospital_b)
    response = client.post(
        "/training/visits/new/",
        {
            "expert": world.a_surgeon.pk,
            "kind": "clinic",
            "held_on": "2025-03-01",
            "institution": world.b.pk,
            "patients": 0,
            "attendees": 0,
            "operations": 0,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["expert"] == ["所选专家不在可选范围内。"]
    assert "周外科" not in response.content.decode()


def test_attendance_takes_a_pasted_column_of_names_without_javascript(client, world):
    event = an_event(world)
    login(client, world.hospital_a)
    response = client.post(
        f"/training/education/{event.pk}/attendance/",
        {"people__names": "李心怡\n周外科\n赵护士"},
    )
    assert response.status_code == 302
    attended = set(event.attendances.values_list("person__name", flat=True))
    assert attended == {"李心怡", "周外科", "赵护士"}


def test_an_edited_visit_keeps_an_expert_no_longer_offered(client, world):
    outsider = factories.person(world.b, "吴外院", category="external_expert")
    visit = visit_record(
        expert=outsider, kind="clinic", institution=world.a, held_on=datetime.date(2025, 3, 1)
    )
    login(client, world.hospital_a)
    assert names(client, "training.experts", q="吴外院") == []
    page = client.get(f"/training/visits/{visit.pk}/edit/")
    assert "吴外院" in page.content.decode()
    response = client.post(
        f"/training/visits/{visit.pk}/edit/",
        {
            "expert": outsider.pk,
            "kind": "lecture",
            "held_on": "2025-03-01",
            "institution": world.a.pk,
            "patients": 0,
            "attendees": 30,
            "operations": 0,
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    visit.refresh_from_db()
    assert (visit.expert, visit.kind) == (outsider, "lecture")


# --- cost ------------------------------------------------------------------------------------


FORM_PAGES = [
    "/training/mentorships/new/",
    "/training/visits/new/",
    "/training/consultations/new/",
    "/training/studios/new/",
    "/training/teams/new/",
    "/training/secondments/new/",
    "/training/education/new/",
    "/training/education/credits/external/new/",
    "/training/education/enrolments/new/",
    "/training/careers/new/",
]


@pytest.mark.parametrize("url", FORM_PAGES)
def test_a_form_pages_queries_and_size_do_not_grow_with_the_people(client, world, url):
    login(client, world.hospital_a)
    client.get(url)

    def measured():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        return len(captured), len(response.content)

    few = measured()
    for index in range(30):
        colleague(world, f"新同事{index:02d}")
    assert measured() == few


def test_the_case_and_attendance_pages_cost_the_same_however_many_people(
    client, world, django_assert_max_num_queries
):
    mentorship(world)
    pages = [
        (world.trainee, "/training/cases/new/"),
        (world.hospital_a, f"/training/education/{an_event(world).pk}/"),
    ]

    def queries():
        counts = []
        for user, url in pages:
            login(client, user)
            client.get(url)  # the session and the user's roles, read once
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            counts.append(len(captured))
        return counts

    few = queries()
    for index in range(30):
        colleague(world, f"新同事{index:02d}")
    assert queries() == few
