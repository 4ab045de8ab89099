"""The programme writes of /api/v1/training/: the commission sets up programmes, opens
cohorts and rounds, scores, decides and approves (training.configure); an institution adds
goals and annual reviews of its members (training.edit); the commission completes and
withdraws members. Hostile input is a 400 by field in Chinese with nothing written."""

import datetime

import pytest
from django.utils import timezone

from tests.training.api import API, assert_refused, signed_in
from tests.training.programmes import admitted, cohort, nominate, programme, selection
from yicai.training.models import (
    AnnualReview,
    Cohort,
    CohortMember,
    MemberGoal,
    Nomination,
    Programme,
    ReviewScore,
    SelectionRound,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
YEAR = TODAY.year

PROGRAMME = {
    "name": "青苗计划",
    "programme_kind": Programme.Kind.RISING,
    "duration_years": 2,
    "quota": 5,
    "requires_internal_mentor": True,
    "max_age": 40,
}


def _post(user, url, payload):
    return signed_in(user).post(f"{API}/{url}", payload, format="json")


# --- programmes and cohorts ------------------------------------------------------------------


def test_the_commission_creates_a_programme_and_changes_its_rules(world):
    response = _post(world.commission, "programmes/", PROGRAMME)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["name"] == "青苗计划" and body["programme_kind"] == "rising"
    stored = Programme.objects.get(pk=body["id"])
    assert stored.region == world.a.commission_region and stored.max_age == 40
    response = signed_in(world.commission).patch(
        f"{API}/programmes/{stored.pk}/", {"quota": 8, "active": False}, format="json"
    )
    assert response.status_code == 200, response.content
    stored.refresh_from_db()
    assert (stored.quota, stored.active, stored.name) == (8, False, "青苗计划")


HOSTILE_PROGRAMMES = [
    ("no name", {"name": ""}, "name"),
    ("an unknown kind", {"programme_kind": "gold"}, "programme_kind"),
    ("a quota as text", {"quota": "many"}, "quota"),
    ("a list as the duration", {"duration_years": [3]}, "duration_years"),
]


@pytest.mark.parametrize(
    ("case", "change", "field"), HOSTILE_PROGRAMMES, ids=[c[0] for c in HOSTILE_PROGRAMMES]
)
def test_a_hostile_programme_is_refused_by_field_and_nothing_is_written(world, case, change, field):
    response = _post(world.commission, "programmes/", {**PROGRAMME, **change})
    assert_refused(response, field)
    assert not Programme.objects.exists()


def test_the_quota_cannot_fall_below_the_members_already_admitted(world):
    members = admitted(world, world.a_doctor, world.a_surgeon)
    rising = members[0].cohort.programme
    response = signed_in(world.commission).patch(
        f"{API}/programmes/{rising.pk}/", {"quota": 1, "name": "改名"}, format="json"
    )
    assert_refused(response, "quota", "名额不能少于已入选人数")
    rising.refresh_from_db()
    assert (rising.quota, rising.name) == (25, "育才计划")


@pytest.mark.parametrize("persona", ["hospital_a", "hospital_b", "mentor", "trainee", "auditor"])
def test_only_the_commission_configures_programmes(world, persona):
    rising = programme(world)
    user = getattr(world, persona)
    assert _post(user, "programmes/", PROGRAMME).status_code == 403
    patched = signed_in(user).patch(f"{API}/programmes/{rising.pk}/", {"quota": 1}, format="json")
    assert patched.status_code == 403
    cohort_payload = {"year": YEAR, "name": "第二期", "start_on": str(TODAY)}
    assert _post(user, f"programmes/{rising.pk}/cohorts/", cohort_payload).status_code == 403
    assert Programme.objects.count() == 1 and not Cohort.objects.exists()


def test_a_cohort_and_its_round_are_opened(world):
    rising = programme(world)
    response = _post(
        world.commission,
        f"programmes/{rising.pk}/cohorts/",
        {"year": YEAR, "name": "第二期", "start_on": str(TODAY)},
    )
    assert response.status_code == 201, response.content
    made = Cohort.objects.get(pk=response.json()["id"])
    assert made.programme == rising and made.end_on is not None
    assert response.json()["places_taken"] == 0
    response = _post(
        world.commission,
        f"cohorts/{made.pk}/rounds/",
        {
            "name": "首轮遴选",
            "opens_on": str(TODAY),
            "closes_on": str(TODAY + datetime.timedelta(days=10)),
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["round_status"] == "open"
    assert SelectionRound.objects.get(pk=response.json()["id"]).cohort == made


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"year": YEAR, "name": "第二期", "start_on": "2025-02-30"}, "start_on"),
        ({"year": "今年", "name": "第二期", "start_on": str(TODAY)}, "year"),
        ({"year": YEAR, "name": "", "start_on": str(TODAY)}, "name"),
    ],
    ids=["an impossible date", "a year as text", "no name"],
)
def test_a_hostile_cohort_is_refused_by_field(world, payload, field):
    rising = programme(world)
    response = _post(world.commission, f"programmes/{rising.pk}/cohorts/", payload)
    assert_refused(response, field)
    assert not Cohort.objects.exists()


def test_a_second_round_while_one_is_open_is_refused(world):
    made = cohort(world)
    selection(made)
    response = _post(
        world.commission,
        f"cohorts/{made.pk}/rounds/",
        {"name": "再次遴选", "opens_on": str(TODAY), "closes_on": str(TODAY)},
    )
    assert_refused(response, "name", "尚未批准的遴选")
    assert made.rounds.count() == 1


# --- a round from review to approval ---------------------------------------------------------


def test_a_round_is_reviewed_scored_decided_and_approved(world):
    made = cohort(world)
    selection_round = selection(made)
    chosen = nominate(selection_round, world.a_surgeon)
    refused = nominate(selection_round, world.b_doctor)
    commission = world.commission
    response = _post(commission, f"rounds/{selection_round.pk}/review/", {})
    assert response.status_code == 200, response.content
    assert response.json()["round_status"] == "reviewing"
    response = _post(
        commission,
        f"nominations/{chosen.pk}/scores/",
        {"reviewer_name": "王专家", "score": "90.5", "comment": "扎实"},
    )
    assert response.status_code == 201, response.content
    assert response.json()["average"] == "90.50"
    for nomination, decision in ((chosen, "approved"), (refused, "rejected")):
        response = _post(
            commission, f"nominations/{nomination.pk}/decide/", {"nomination_status": decision}
        )
        assert response.status_code == 200, response.content
        assert response.json()["nomination_status"] == decision
    response = _post(
        commission, f"rounds/{selection_round.pk}/approve/", {"approved_on": str(TODAY)}
    )
    assert response.status_code == 200, response.content
    assert response.json()["round_status"] == "approved"
    assert list(CohortMember.objects.values_list("person__name", flat=True)) == [
        world.a_surgeon.name
    ]


def test_an_undecided_nomination_holds_the_approval_back(world):
    selection_round = selection(cohort(world))
    nominate(selection_round, world.a_surgeon)
    assert _post(world.commission, f"rounds/{selection_round.pk}/review/", {}).status_code == 200
    response = _post(
        world.commission, f"rounds/{selection_round.pk}/approve/", {"approved_on": str(TODAY)}
    )
    assert_refused(response, "status", "未决定")
    assert not CohortMember.objects.exists()
    assert SelectionRound.objects.get().status == SelectionRound.Status.REVIEWING


@pytest.mark.parametrize(
    ("url", "payload", "field"),
    [
        ("scores/", {"reviewer_name": "王专家", "score": "101"}, "score"),
        ("scores/", {"reviewer_name": "王专家", "score": "高"}, "score"),
        (
            "scores/",
            {"reviewer_name": "王专家", "score": "80", "comment": "身份证 110101199003071234"},
            "comment",
        ),
        ("decide/", {"nomination_status": "nominated"}, "nomination_status"),
    ],
    ids=["a score over 100", "a score as text", "an id number in the comment", "undecided"],
)
def test_hostile_scores_and_decisions_are_refused_by_field(world, url, payload, field):
    selection_round = selection(cohort(world))
    nomination = nominate(selection_round, world.a_surgeon)
    _post(world.commission, f"rounds/{selection_round.pk}/review/", {})
    response = _post(world.commission, f"nominations/{nomination.pk}/{url}", payload)
    assert_refused(response, field)
    assert not ReviewScore.objects.exists()
    assert Nomination.objects.get().status == Nomination.Status.NOMINATED


def test_scores_are_refused_while_the_round_is_still_open(world):
    nomination = nominate(selection(cohort(world)), world.a_surgeon)
    response = _post(
        world.commission,
        f"nominations/{nomination.pk}/scores/",
        {"reviewer_name": "王专家", "score": "80"},
    )
    assert_refused(response, "score", "评审阶段")
    assert not ReviewScore.objects.exists()


def test_hospitals_cannot_review_score_or_approve(world):
    selection_round = selection(cohort(world))
    nomination = nominate(selection_round, world.a_surgeon)
    for url in (
        f"rounds/{selection_round.pk}/review/",
        f"rounds/{selection_round.pk}/approve/",
        f"nominations/{nomination.pk}/scores/",
        f"nominations/{nomination.pk}/decide/",
    ):
        assert _post(world.hospital_a, url, {}).status_code == 403, url
    assert SelectionRound.objects.get().status == SelectionRound.Status.OPEN


# --- members ---------------------------------------------------------------------------------


def test_a_hospital_adds_goals_and_reviews_of_its_member(world):
    (member,) = admitted(world, world.a_surgeon)
    response = _post(
        world.hospital_a,
        f"members/{member.pk}/goals/",
        {"year": YEAR, "goal_kind": "research", "text": "发表论文一篇"},
    )
    assert response.status_code == 201, response.content
    assert [goal["text"] for goal in response.json()["goals"]] == ["发表论文一篇"]
    response = _post(
        world.hospital_a,
        f"members/{member.pk}/reviews/",
        {"year": YEAR, "rating": "excellent", "reviewer": "院人事科", "reviewed_on": str(TODAY)},
    )
    assert response.status_code == 201, response.content
    assert AnnualReview.objects.get(member=member).rating == "excellent"


@pytest.mark.parametrize(
    ("url", "payload", "field"),
    [
        ("goals/", {"year": YEAR + 30, "text": "发表论文"}, "year"),
        ("goals/", {"year": YEAR, "goal_kind": "fame", "text": "出名"}, "goal_kind"),
        ("goals/", {"year": YEAR, "text": "电话 13800138000"}, "text"),
        (
            "reviews/",
            {"year": YEAR, "rating": "best", "reviewer": "科", "reviewed_on": "x"},
            "rating",
        ),
        (
            "reviews/",
            {"year": YEAR, "rating": "pass", "reviewer": "科", "reviewed_on": "2025-13-01"},
            "reviewed_on",
        ),
    ],
    ids=["a year outside", "an unknown kind", "a phone", "an unknown rating", "a bad date"],
)
def test_hostile_goals_and_reviews_are_refused_by_field(world, url, payload, field):
    (member,) = admitted(world, world.a_surgeon)
    response = _post(world.hospital_a, f"members/{member.pk}/{url}", payload)
    assert_refused(response, field)
    assert not MemberGoal.objects.exists() and not AnnualReview.objects.exists()


def test_hospital_b_gets_404_on_a_s_members(world):
    (member,) = admitted(world, world.a_surgeon)
    response = _post(world.hospital_b, f"members/{member.pk}/goals/", {"year": YEAR, "text": "x"})
    assert response.status_code == 404
    assert not MemberGoal.objects.exists()


def test_the_commission_completes_and_withdraws_members(world):
    done, left = admitted(world, world.a_surgeon, world.a_doctor)
    response = _post(world.commission, f"members/{done.pk}/complete/", {"completed_on": str(TODAY)})
    assert response.status_code == 200, response.content
    assert response.json()["member_status"] == "completed"
    response = _post(
        world.commission, f"members/{left.pk}/withdraw/", {"on": str(TODAY), "reason": "调离"}
    )
    assert response.status_code == 200, response.content
    left.refresh_from_db()
    assert left.status == CohortMember.Status.WITHDRAWN and left.exit_reason == "调离"


def test_a_hospital_cannot_complete_or_withdraw_and_bad_input_is_refused(world):
    (member,) = admitted(world, world.a_surgeon)
    payload = {"completed_on": str(TODAY)}
    assert _post(world.hospital_a, f"members/{member.pk}/complete/", payload).status_code == 403
    response = _post(world.commission, f"members/{member.pk}/withdraw/", {"on": str(TODAY)})
    assert_refused(response, "reason")
    member.refresh_from_db()
    assert member.status == CohortMember.Status.ACTIVE
