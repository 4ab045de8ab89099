"""Recruitment plans over the API: the same steps, refusals and figures as the pages and the
services give, in the same words."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.conftest import login
from tests.recruitment.helpers import THIS_YEAR
from tests.recruitment.helpers import plan as _plan
from yicai.codes.queries import code_for
from yicai.recruitment import services
from yicai.recruitment.models import RecruitmentPlan

pytestmark = pytest.mark.django_db
PLANS = "/api/v1/recruitment/plans/"


def _post(**fields):
    return {"name": "临床医师", "specialty": "临床医学", "places": 4, "post_procedure": "open"} | (
        fields
    )


def test_a_plan_goes_from_draft_to_close_over_the_api(world, as_api):
    hospital = as_api(world.hospital_a)
    created = hospital.post(
        PLANS, {"institution": world.a.pk, "year": THIS_YEAR, "title": "API计划"}, format="json"
    )
    assert created.status_code == 201, created.data
    assert (created.data["plan_status"], created.data["written_weight"]) == ("draft", 40)
    plan = f"{PLANS}{created.data['id']}/"
    education = code_for("education", "20")  # 大学本科
    added = hospital.post(
        plan + "posts/",
        _post(department=world.a_cardiology.pk, min_education=education.pk, max_age=35),
        format="json",
    )
    assert added.status_code == 201, added.data
    (post,) = added.data["posts"]
    assert (post["post_procedure_display"], post["post_organiser"], post["min_education"]) == (
        "公开招聘",
        "institution",
        {"id": education.pk, "name": education.name, "code": "20"},
    )
    assert added.data["places"] == 4
    assert hospital.post(plan + "submit/", {}, format="json").data["plan_status"] == "submitted"
    assert hospital.post(plan + "approve/", {}, format="json").status_code == 403

    commission = as_api(world.commission)
    silent = commission.post(plan + "return/", {"reason": ""}, format="json")
    assert (silent.status_code, silent.data) == (400, {"reason": ["请填写退回原因。"]})
    approved = commission.post(plan + "approve/", {"on": None}, format="json")
    assert (approved.status_code, approved.data["plan_status"]) == (200, "approved")
    again = commission.post(plan + "approve/", {}, format="json")
    assert (again.status_code, again.data) == (
        400,
        {"status": ["只有待审批的计划可以审批（该计划已批准）。"]},
    )
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    early = hospital.post(plan + "publish/", {"on": tomorrow}, format="json")
    assert (early.status_code, early.data) == (400, {"on": ["日期不能晚于今天。"]})
    assert hospital.post(plan + "publish/", {}, format="json").data["plan_status"] == "published"
    closed = hospital.post(plan + "close/", {}, format="json")
    assert closed.data["plan_status"] == "closed" and closed.data["closed_on"]


def test_refusals_name_the_fields_as_the_service_does(world, as_api):
    hospital = as_api(world.hospital_a)
    refused = hospital.post(
        PLANS,
        {
            "institution": world.b.pk,
            "year": THIS_YEAR,
            "title": "越权",
            "written_weight": 50,
            "interview_weight": 60,
        },
        format="json",
    )
    assert refused.status_code == 400
    assert refused.data == {"institution": ["所选机构不存在或不在您的管辖范围内。"]}
    weights = hospital.post(
        PLANS,
        {
            "institution": world.a.pk,
            "year": THIS_YEAR,
            "title": "权重",
            "written_weight": 50,
            "interview_weight": 60,
        },
        format="json",
    )
    assert weights.data == {"interview_weight": ["笔试与面试成绩占比之和须为 100%。"]}
    plan = _plan(world)
    wrong = hospital.post(
        f"{PLANS}{plan.pk}/posts/",
        _post(places=0, department=world.b_medicine.pk, staffing=999999),
        format="json",
    )
    assert wrong.status_code == 400
    assert wrong.data == {
        "places": ["不能小于 1。"],
        "department": ["所选科室不存在或不在您的管辖范围内。"],
        "staffing": ["用人方式：所选代码不存在或不可用。"],
    }
    services.plan_submit(plan=plan)
    post = plan.posts.first()
    locked = hospital.patch(f"/api/v1/recruitment/posts/{post.pk}/", {"places": 9}, format="json")
    assert (locked.status_code, locked.data) == (
        400,
        {"status": ["计划正在等待卫健委审批，不能修改；退回后才能修改。"]},
    )
    assert hospital.delete(f"{PLANS}{plan.pk}/").status_code == 400
    assert RecruitmentPlan.objects.filter(pk=plan.pk).exists()


def test_a_draft_s_posts_change_and_go_and_a_draft_is_deleted(world, as_api):
    plan = _plan(world, places=(3, 5))
    hospital = as_api(world.hospital_a)
    first, second = plan.posts.order_by("id")
    changed = hospital.patch(f"/api/v1/recruitment/posts/{first.pk}/", {"places": 6}, format="json")
    assert (changed.status_code, changed.data["places"]) == (200, 6)
    assert hospital.delete(f"/api/v1/recruitment/posts/{second.pk}/").status_code == 204
    assert (
        as_api(world.hospital_b).delete(f"/api/v1/recruitment/posts/{first.pk}/").status_code == 404
    )
    assert hospital.get(f"{PLANS}{plan.pk}/").data["places"] == 6
    assert hospital.delete(f"{PLANS}{plan.pk}/").status_code == 204
    assert not RecruitmentPlan.objects.filter(pk=plan.pk).exists()


def test_the_figures_endpoint_reads_as_the_page(client, world, as_api):
    for places in ((5, 7), (2,)):
        plan = _plan(world, places=places, title=f"计划{places}")
        services.plan_submit(plan=plan)
        services.plan_approve(plan=plan, by=world.commission)
    _plan(world, world.b, places=(9,))
    answer = as_api(world.commission).get(f"{PLANS}figures/", {"year": THIS_YEAR}).data
    assert (answer["places"], answer["plans"], answer["by_procedure"]) == (
        14,
        2,
        {"simplified": 7, "open": 7},
    )
    # Ties (7 and 7) in the order of their names.
    assert answer["by_specialty"] == [
        {
            "key": "临床医学",
            "label": "临床医学",
            "total": 7,
            "simplified": 0,
            "open": 7,
            "filled": 0,
        },
        {"key": "护理学", "label": "护理学", "total": 7, "simplified": 7, "open": 0, "filled": 0},
    ]
    assert as_api(world.commission).get(f"{PLANS}figures/", {"year": "x"}).status_code == 400
    page = login(client, world.commission).get("/recruitment/plans/figures/").context["figures"]
    assert (page.places, page.by_procedure, page.by_specialty) == (
        answer["places"],
        answer["by_procedure"],
        answer["by_specialty"],
    )


def test_the_list_filters_and_costs_the_same_however_many_plans(world, as_api):
    commission = as_api(world.commission)
    sent = _plan(world, title="已报送")
    services.plan_submit(plan=sent)
    _plan(world, title="草稿")
    listed = commission.get(PLANS, {"status": "submitted"}).data["results"]
    assert [row["title"] for row in listed] == ["已报送"]
    assert commission.get(PLANS, {"year": "soon"}).status_code == 400

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert commission.get(PLANS).status_code == 200
        return len(captured)

    few = count()
    for n in range(8):
        _plan(world, title=f"计划{n}", places=(1, 2))
    assert count() == few
