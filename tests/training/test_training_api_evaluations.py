"""Mentor evaluations (带教评价) through /api/v1/training/evaluations/: read within the
mentorships the user may see, recorded by the mentorship's institution (training.edit) for
one of its apprentices, once a period; hostile input is a 400 by field with nothing written."""

import datetime

import pytest
from django.utils import timezone

from tests.training.api import API, assert_refused, signed_in
from yicai.training.models import MentorEvaluation
from yicai.training.services.evaluations import evaluation_record
from yicai.training.services.mentoring import mentorship_create

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture(name="pairs")
def _pairs(world):
    """A's pair (the mentor persona's person leads 李心怡) and B's pair."""
    start = TODAY - datetime.timedelta(days=30)
    a_pair = mentorship_create(
        mentor=world.a_surgeon, apprentices=[world.a_doctor], institution=world.a, start_on=start
    )
    b_pair = mentorship_create(
        mentor=world.partner_expert,
        apprentices=[world.b_doctor],
        institution=world.b,
        start_on=start,
    )
    return a_pair, b_pair


def _link(mentorship):
    return mentorship.apprenticeships.get()


def _payload(mentorship, **change):
    return {
        "apprenticeship": _link(mentorship).pk,
        "period": "2025年上半年",
        "evaluation_rating": "good",
        "comments": "进步明显",
        **change,
    }


def test_a_hospital_records_an_evaluation_and_reads_it_back(world, pairs):
    a_pair, _b = pairs
    api = signed_in(world.hospital_a)
    response = api.post(f"{API}/evaluations/", _payload(a_pair), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["apprentice"]["name"] == world.a_doctor.name
    assert body["mentorship"] == a_pair.pk and body["evaluation_rating"] == "good"
    assert body["confirmed"] is False
    stored = MentorEvaluation.objects.get(pk=body["id"])
    assert stored.recorded_by == world.hospital_a
    assert api.get(f"{API}/evaluations/{stored.pk}/").json()["period"] == "2025年上半年"
    listed = api.get(f"{API}/evaluations/", {"mentorship": a_pair.pk}).json()["results"]
    assert [row["id"] for row in listed] == [stored.pk]


def test_the_list_holds_only_the_users_scope(world, pairs):
    a_pair, b_pair = pairs
    for pair in pairs:
        evaluation_record(
            apprenticeship=_link(pair), period="2025年", rating="pass", user=world.commission
        )

    def mentorships(user):
        rows = signed_in(user).get(f"{API}/evaluations/").json()["results"]
        return {row["mentorship"] for row in rows}

    assert mentorships(world.commission) == {a_pair.pk, b_pair.pk}
    assert mentorships(world.hospital_a) == {a_pair.pk}
    assert mentorships(world.hospital_b) == {b_pair.pk}
    a_row = MentorEvaluation.objects.get(apprenticeship__mentorship=a_pair)
    assert signed_in(world.hospital_b).get(f"{API}/evaluations/{a_row.pk}/").status_code == 404
    response = signed_in(world.hospital_b).get(f"{API}/evaluations/", {"mentorship": a_pair.pk})
    assert_refused(response, "mentorship")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"evaluation_rating": "superb"}, "evaluation_rating"),
        ({"period": ""}, "period"),
        ({"comments": "身份证 110101199003071234"}, "comments"),
        ({"apprenticeship": "一号"}, "apprenticeship"),
        ({"apprenticeship": [1]}, "apprenticeship"),
    ],
    ids=["an unknown rating", "no period", "an id number", "a word as id", "a list as id"],
)
def test_a_hostile_evaluation_is_refused_by_field_and_nothing_is_written(
    world, pairs, change, field
):
    a_pair, _b = pairs
    response = signed_in(world.hospital_a).post(
        f"{API}/evaluations/", _payload(a_pair, **change), format="json"
    )
    assert_refused(response, field)
    assert not MentorEvaluation.objects.exists()


def test_another_institutions_apprentice_is_refused(world, pairs):
    _a, b_pair = pairs
    response = signed_in(world.hospital_a).post(
        f"{API}/evaluations/", _payload(b_pair), format="json"
    )
    assert_refused(response, "apprenticeship", "所选徒弟")
    assert not MentorEvaluation.objects.exists()


def test_a_period_is_evaluated_once(world, pairs):
    a_pair, _b = pairs
    api = signed_in(world.hospital_a)
    assert api.post(f"{API}/evaluations/", _payload(a_pair), format="json").status_code == 201
    response = api.post(f"{API}/evaluations/", _payload(a_pair), format="json")
    assert response.status_code == 400
    assert "已登记" in str(response.json())
    assert MentorEvaluation.objects.count() == 1


@pytest.mark.parametrize("persona", ["mentor", "trainee", "auditor", "security", "nobody"])
def test_roles_without_training_edit_cannot_record(world, pairs, persona):
    a_pair, _b = pairs
    response = signed_in(getattr(world, persona)).post(
        f"{API}/evaluations/", _payload(a_pair), format="json"
    )
    assert response.status_code == 403
    assert not MentorEvaluation.objects.exists()


def test_the_list_does_not_grow_in_queries_with_rows(world, pairs, django_assert_max_num_queries):
    a_pair, _b = pairs
    api = signed_in(world.commission)
    evaluation_record(
        apprenticeship=_link(a_pair), period="第1期", rating="pass", user=world.commission
    )
    with django_assert_max_num_queries(12) as few:
        api.get(f"{API}/evaluations/")
    for number in range(2, 8):
        evaluation_record(
            apprenticeship=_link(a_pair), period=f"第{number}期", rating="pass", user=None
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        rows = api.get(f"{API}/evaluations/").json()["results"]
    assert len(rows) == 7
