"""/api/v1/training/career-plans/ and career-goals/ writes: a plan made and changed, goals
added and deleted, research goals marked done and reopened by HR. Happy paths; hostile input
refused by field in Chinese with nothing written; other institutions' plans are 404, roles
without the permission 403."""

import datetime
import re

import pytest
from django.utils import timezone

from tests.training.api import API, signed_in
from tests.training.careers import goal, plan
from yicai.codes.queries import code_for
from yicai.training.models import CareerGoal, CareerPlan, GoalKind

PLANS = f"{API}/career-plans"
GOALS = f"{API}/career-goals"
YEAR = timezone.localdate().year
TODAY = timezone.localdate()
CHINESE = re.compile(r"[\u4e00-\u9fff]")
PATIENT_ID = "患者110101199003077777"


@pytest.fixture(name="rows")
def _rows(world) -> dict:
    """李心怡 (A) with a plan holding a research and a title goal; 陈全科 (B) with a plan."""
    a_plan = plan(world.a_doctor)
    return {
        "a_plan": a_plan,
        "research": goal(a_plan, GoalKind.RESEARCH, text="发表论文", target_papers=2),
        "title": goal(a_plan, GoalKind.TITLE, target_title=code_for("title", "233")),
        "b_plan": plan(world.b_doctor),
    }


def _counts() -> tuple:
    return CareerPlan.objects.count(), CareerGoal.objects.count()


def _refused(response, field: str) -> None:
    assert response.status_code == 400, response.content
    body = response.json()
    assert field in body, body
    messages = body[field] if isinstance(body[field], list) else [body[field]]
    assert all(CHINESE.search(text) for text in messages), messages


# --- plans -----------------------------------------------------------------------------------


def test_a_hospital_makes_a_plan_and_changes_its_direction(world, rows):
    api = signed_in(world.hospital_a)
    response = api.post(
        f"{PLANS}/", {"person": world.a_ward_nurse.pk, "direction": "专科护士"}, format="json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["person"]["id"] == world.a_ward_nurse.pk and body["goals"] == []
    response = api.patch(f"{PLANS}/{body['id']}/", {"direction": "伤口造口护理"}, format="json")
    assert response.status_code == 200, response.content
    assert CareerPlan.objects.get(pk=body["id"]).direction == "伤口造口护理"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"person": "a_doctor"}, "person"),  # already has a plan
        ({"person": "b_doctor"}, "person"),
        ({"person": "abc"}, "person"),
        ({"person": "a_ward_nurse", "direction": PATIENT_ID}, "direction"),
        ({"person": "a_ward_nurse", "direction": ["专科"]}, "direction"),
    ],
)
def test_a_hostile_plan_is_refused_by_field_and_nothing_is_written(world, rows, change, field):
    values = dict(change)
    person = getattr(world, values["person"], None)
    values["person"] = person.pk if person is not None else values["person"]
    api = signed_in(world.hospital_a)
    before = _counts()
    _refused(api.post(f"{PLANS}/", values, format="json"), field)
    assert _counts() == before


def test_a_plan_change_links_only_the_person_s_own_records(world, rows):
    api = signed_in(world.hospital_a)
    url = f"{PLANS}/{rows['a_plan'].pk}/"
    _refused(api.patch(url, {"direction": PATIENT_ID}, format="json"), "direction")
    _refused(api.patch(url, {"mentorship": 999999}, format="json"), "mentorship")
    _refused(api.patch(url, {"cohort_member": "x"}, format="json"), "cohort_member")
    assert CareerPlan.objects.get(pk=rows["a_plan"].pk).direction == "心血管介入方向"


def test_plans_are_written_only_within_the_scope(world, rows):
    a_url = f"{PLANS}/{rows['a_plan'].pk}/"
    b_api = signed_in(world.hospital_b)
    assert b_api.patch(a_url, {"direction": "改"}, format="json").status_code == 404
    assert b_api.post(f"{PLANS}/{rows['a_plan'].pk}/goals/", {}, format="json").status_code == 404
    values = {"person": world.a_ward_nurse.pk}
    _refused(b_api.post(f"{PLANS}/", values, format="json"), "person")
    for persona in ("trainee", "auditor", "nobody"):
        api = signed_in(getattr(world, persona))
        assert api.patch(a_url, {"direction": "改"}, format="json").status_code == 403, persona
        assert api.post(f"{PLANS}/", values, format="json").status_code == 403, persona
    assert CareerPlan.objects.get(pk=rows["a_plan"].pk).direction == "心血管介入方向"
    assert not CareerPlan.objects.filter(person=world.a_ward_nurse).exists()


# --- goals -----------------------------------------------------------------------------------


def test_a_hospital_adds_goals_to_a_plan_and_deletes_one(world, rows):
    api = signed_in(world.hospital_a)
    url = f"{PLANS}/{rows['a_plan'].pk}/goals/"
    response = api.post(
        url,
        {"year": YEAR, "goal_kind": "training", "text": "进修", "target_training_kind": ""},
        format="json",
    )
    assert response.status_code == 201, response.content
    title = code_for("title", "233")
    response = api.post(
        url,
        {"year": YEAR + 1, "goal_kind": "title", "text": "晋升", "target_title": title.pk},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert len(body["goals"]) == 4 and body["goal_count"] == 4
    assert api.delete(f"{GOALS}/{rows['title'].pk}/").status_code == 204
    assert not CareerGoal.objects.filter(pk=rows["title"].pk).exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"goal_kind": "title"}, "target_title"),
        ({"goal_kind": "fame"}, "goal_kind"),
        ({"year": 1900}, "year"),
        ({"text": PATIENT_ID}, "text"),
        ({"goal_kind": "research", "target_papers": 0}, "target_papers"),
        ({"goal_kind": "training", "target_training_kind": "holiday"}, "target_training_kind"),
        ({"goal_kind": "technique", "target_technique": "abc"}, "target_technique"),
        ({"goal_kind": "title", "target_title": 999999}, "target_title"),
    ],
)
def test_a_hostile_goal_is_refused_by_field_and_nothing_is_written(world, rows, change, field):
    values = {"year": YEAR, "goal_kind": "other", "text": "目标"} | change
    api = signed_in(world.hospital_a)
    before = _counts()
    _refused(api.post(f"{PLANS}/{rows['a_plan'].pk}/goals/", values, format="json"), field)
    assert _counts() == before


def test_goals_are_deleted_only_within_the_scope(world, rows):
    url = f"{GOALS}/{rows['research'].pk}/"
    assert signed_in(world.hospital_b).delete(url).status_code == 404
    assert signed_in(world.hospital_a).delete(f"{GOALS}/abc/").status_code == 404
    for persona in ("trainee", "auditor", "nobody"):
        assert signed_in(getattr(world, persona)).delete(url).status_code == 403, persona
    assert CareerGoal.objects.filter(pk=rows["research"].pk).exists()


# --- done and reopened -----------------------------------------------------------------------


def test_hr_marks_a_research_goal_done_and_reopens_it(world, rows):
    api = signed_in(world.hospital_a)
    research = rows["research"]
    response = api.post(
        f"{GOALS}/{research.pk}/done/",
        {"done_on": TODAY.isoformat(), "note": "两篇核心期刊"},
        format="json",
    )
    assert response.status_code == 200, response.content
    shown = {row["id"]: row for row in response.json()["goals"]}[research.pk]
    assert shown["done_on"] == TODAY.isoformat() and shown["progress"]["met"] is True
    response = api.post(f"{GOALS}/{research.pk}/reopen/", format="json")
    assert response.status_code == 200, response.content
    assert CareerGoal.objects.get(pk=research.pk).done_on is None
    _refused(api.post(f"{GOALS}/{research.pk}/reopen/", format="json"), "done_on")


@pytest.mark.parametrize(
    ("goal_name", "values", "field"),
    [
        ("title", {"done_on": "2024-01-01"}, "done_on"),  # derived from the records
        ("research", {"done_on": "2099-01-01"}, "done_on"),
        ("research", {"done_on": "2024-02-30"}, "done_on"),
        ("research", {}, "done_on"),
        ("research", {"done_on": "2024-01-01", "note": PATIENT_ID}, "note"),
    ],
)
def test_a_hostile_done_mark_is_refused_by_field(world, rows, goal_name, values, field):
    made = rows[goal_name]
    api = signed_in(world.hospital_a)
    _refused(api.post(f"{GOALS}/{made.pk}/done/", values, format="json"), field)
    assert CareerGoal.objects.get(pk=made.pk).done_on is None


def test_only_hr_or_the_mentor_marks_goals(world, rows):
    research = rows["research"]
    values = {"done_on": datetime.date(YEAR, 1, 1).isoformat()}
    for action in ("done", "reopen"):
        url = f"{GOALS}/{research.pk}/{action}/"
        assert signed_in(world.hospital_b).post(url, values, format="json").status_code == 404
        # The person sees their own plan but does not mark their own goals.
        assert signed_in(world.trainee).post(url, values, format="json").status_code == 403
        assert signed_in(world.nobody).post(url, values, format="json").status_code == 403
    assert CareerGoal.objects.get(pk=research.pk).done_on is None
