"""The career plan pages: HR writes a plan and its goals, the page shows each goal's progress
as the records show it, the mentor marks research and other goals done, the person reads
their own plan; the list shows progress and exports one row per goal."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.conftest import login
from tests.training.careers import goal, plan
from yicai.access.models import AuditEntry
from yicai.codes.queries import code_for
from yicai.people import services as people_services
from yicai.training.models import CareerGoal, CareerPlan, GoalKind
from yicai.training.services.mentoring import mentorship_create

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def mentored(world):
    """孙名医 (the mentor persona) mentors 李心怡 (the trainee persona)."""
    return mentorship_create(
        mentor=world.partner_expert,
        apprentices=[world.a_doctor],
        institution=world.a,
        start_on=TODAY - datetime.timedelta(days=90),
    )


def test_hr_creates_a_plan_for_their_own_staff_only(client, world):
    login(client, world.hospital_a)
    page = client.get(reverse("training:career_create"))
    people = page.context["form"].fields["person"].queryset
    assert world.a_doctor in people and world.b_doctor not in people
    url = reverse("training:career_create")
    response = client.post(url, {"person": world.b_doctor.pk, "direction": "越权"})
    assert response.status_code == 200
    assert response.context["form"].errors["person"]
    assert not CareerPlan.objects.exists()
    response = client.post(url, {"person": world.a_doctor.pk, "direction": "冠心病介入"})
    made = CareerPlan.objects.get()
    assert response.url == reverse("training:career", args=[made.pk])
    login(client, world.trainee)
    assert client.get(url).status_code == 403


def test_a_goal_without_its_target_is_shown_again_with_the_error(client, world):
    made = plan(world.a_doctor)
    login(client, world.hospital_a)
    response = client.post(
        reverse("training:career_goal_add", args=[made.pk]),
        {"year": TODAY.year, "kind": "title", "text": "晋升副主任医师"},
    )
    assert response.status_code == 400
    assert "职称目标须选择目标职称" in response.content.decode()
    assert not CareerGoal.objects.exists()
    response = client.post(
        reverse("training:career_goal_add", args=[made.pk]),
        {
            "year": TODAY.year,
            "kind": "title",
            "text": "晋升副主任医师",
            "target_title": code_for("title", "232").pk,
        },
    )
    assert response.status_code == 302


def test_the_plan_page_shows_a_title_goal_met_once_recorded(client, world):
    made = plan(world.b_doctor)
    goal(made, GoalKind.TITLE, text="晋升主治医师", target_title=code_for("title", "233"))
    login(client, world.hospital_b)
    url = reverse("training:career", args=[made.pk])
    assert client.get(url).context["met"] == 0
    people_services.title_add(
        person=world.b_doctor, title=code_for("title", "233"), obtained_on=TODAY
    )
    page = client.get(url)
    assert page.context["met"] == 1
    assert "已取得主治医师" in page.content.decode()
    assert "goal-met" in page.content.decode()


def test_the_mentor_marks_a_research_goal_done_but_cannot_edit(client, world, mentored):
    made = plan(world.a_doctor)
    research = goal(made, GoalKind.RESEARCH, text="发表论文", target_papers=1)
    login(client, world.mentor)
    page = client.get(reverse("training:career", args=[made.pk]))
    assert page.status_code == 200
    assert page.context["can_mark"] and not page.context["can_edit"]
    response = client.post(
        reverse("training:career_goal_done", args=[research.pk]),
        {"done_on": TODAY.isoformat(), "note": "已发表"},
    )
    assert response.status_code == 302
    research.refresh_from_db()
    assert research.done_on == TODAY and research.done_by == world.mentor
    response = client.post(
        reverse("training:career_goal_add", args=[made.pk]),
        {"year": TODAY.year, "kind": "other", "text": "x"},
    )
    assert response.status_code == 403


def test_the_person_reads_their_plan_but_marks_nothing(client, world):
    made = plan(world.a_doctor)
    other = goal(made, GoalKind.OTHER, text="担任教学秘书")
    login(client, world.trainee)
    page = client.get(reverse("training:careers"))
    assert page.context["own_plan"] == made
    assert client.get(reverse("training:career", args=[made.pk])).status_code == 200
    response = client.post(
        reverse("training:career_goal_done", args=[other.pk]), {"done_on": TODAY.isoformat()}
    )
    assert response.status_code == 403
    other.refresh_from_db()
    assert other.done_on is None


@pytest.mark.parametrize(("who", "status"), [("hospital_b", 404), ("dept_head", 403)])
def test_others_cannot_mark_a_goal(client, world, who, status):
    made = plan(world.a_doctor)
    other = goal(made, GoalKind.OTHER)
    login(client, getattr(world, who))
    response = client.post(
        reverse("training:career_goal_done", args=[other.pk]), {"done_on": TODAY.isoformat()}
    )
    assert response.status_code == status
    other.refresh_from_db()
    assert other.done_on is None


def test_marking_a_derived_goal_is_refused_on_the_page(client, world):
    made = plan(world.a_doctor)
    title = goal(made, GoalKind.TITLE, target_title=code_for("title", "232"))
    login(client, world.hospital_a)
    response = client.post(
        reverse("training:career_goal_done", args=[title.pk]), {"done_on": TODAY.isoformat()}
    )
    assert response.status_code == 400
    assert "由记录自动得出" in response.content.decode()


def test_the_list_shows_progress_and_exports_a_row_per_goal(client, world):
    made = plan(world.a_surgeon)
    goal(made, GoalKind.TITLE, text="保持副高", target_title=code_for("title", "233"))
    goal(made, GoalKind.OTHER, text="带教两名住院医师")
    plan(world.b_doctor)
    login(client, world.hospital_a)
    page = client.get(reverse("training:careers"))
    assert [(p.person, met, total) for p, met, total in page.context["rows"]] == [
        (world.a_surgeon, 1, 2)
    ]
    response = client.get(reverse("training:careers"), {"export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[4], r[6]) for r in rows] == [
        (world.a_surgeon.name, "保持副高", "已达成"),
        (world.a_surgeon.name, "带教两名住院医师", "未达成"),
    ]
    assert AuditEntry.objects.filter(
        event=AuditEntry.Event.EXPORT, object_repr__contains="导出职业生涯规划"
    ).exists()


def test_an_empty_list_says_so(client, world):
    login(client, world.hospital_b)
    assert "没有符合条件的职业生涯规划" in client.get(reverse("training:careers")).content.decode()


def test_the_list_filters_by_year_and_name(client, world):
    first = plan(world.a_surgeon)
    goal(first, GoalKind.OTHER, year=TODAY.year + 1)
    plan(world.a_doctor)
    login(client, world.commission)
    url = reverse("training:careers")
    persons = lambda page: [p.person for p, _m, _t in page.context["rows"]]  # noqa: E731
    assert persons(client.get(url, {"year": TODAY.year + 1})) == [world.a_surgeon]
    assert persons(client.get(url, {"q": "李"})) == [world.a_doctor]
    assert client.get(url, {"year": "明年"}).status_code == 400  # named on the page


def test_the_list_and_plan_query_counts_do_not_grow(client, world, django_assert_max_num_queries):
    first = plan(world.a_doctor)
    goal(first, GoalKind.TITLE, target_title=code_for("title", "232"))
    goal(first, GoalKind.TRAINING)  # each kind of record is read once, whatever the goals
    login(client, world.commission)
    urls = [reverse("training:careers"), reverse("training:career", args=[first.pk])]
    counts = {}
    for url in urls:
        with django_assert_max_num_queries(40) as few:
            client.get(url)
        counts[url] = len(few.captured_queries)
    for i in range(4):
        person = factories.person(world.a, f"规划{i}", title="233")
        made = plan(person)
        goal(made, GoalKind.TITLE, target_title=code_for("title", "232"))
        goal(made, GoalKind.TRAINING)
    for kind in (GoalKind.TRAINING, GoalKind.OTHER, GoalKind.RESEARCH):
        goal(first, kind)
    for url in urls:
        with django_assert_max_num_queries(counts[url]):
            client.get(url)


def test_hr_edits_a_plan_with_the_person_s_own_links_only(client, world, mentored):
    made = plan(world.a_doctor)
    login(client, world.hospital_a)
    url = reverse("training:career_edit", args=[made.pk])
    page = client.get(url)
    assert list(page.context["form"].fields["mentorship"].queryset) == [mentored]
    response = client.post(url, {"direction": "介入心脏病学", "mentorship": mentored.pk})
    assert response.status_code == 302
    made.refresh_from_db()
    assert (made.direction, made.mentorship) == ("介入心脏病学", mentored)
    stranger = mentorship_create(
        mentor=world.partner_expert,
        apprentices=[world.a_surgeon],
        institution=world.a,
        start_on=TODAY - datetime.timedelta(days=5),
    )
    response = client.post(url, {"direction": "x", "mentorship": stranger.pk})
    assert response.status_code == 200
    made.refresh_from_db()
    assert made.mentorship == mentored
    login(client, world.hospital_b)
    assert client.get(url).status_code == 404
