"""The recruitment plans' pages: a hospital drafts a plan and its posts, submits it, the
commission returns it with a reason and then approves it, the hospital publishes it; the year's
figures page and the exports (.xlsx that open, audited); refusals shown, not half-written; and
query counts that do not grow with the plans or the posts."""

import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import login
from tests.recruitment.helpers import THIS_YEAR
from tests.recruitment.helpers import plan as _plan
from yicai.access.models import AuditEntry
from yicai.recruitment import services
from yicai.recruitment.models import RecruitmentPlan

pytestmark = pytest.mark.django_db
LIST = "/recruitment/plans/"


def _post(**fields):
    return {"name": "临床医师", "specialty": "临床医学", "places": "3", "procedure": "open"} | {
        "organiser": "hr_bureau",
        **fields,
    }


def test_a_hospital_drafts_the_commission_returns_then_approves_the_hospital_publishes(
    client, world
):
    login(client, world.hospital_a)
    created = client.post(
        LIST + "new/",
        {
            "institution": world.a.pk,
            "year": THIS_YEAR,
            "title": "公开招聘计划",
            "written_weight": "40",
            "interview_weight": "60",
        },
    )
    plan = RecruitmentPlan.objects.get(title="公开招聘计划")
    assert created.status_code == 302 and created["Location"] == f"{LIST}{plan.pk}/"
    page = f"{LIST}{plan.pk}/"
    refused = client.post(page + "posts/", _post(places="0", department=world.b_medicine.pk))
    assert refused.status_code == 400
    text = refused.content.decode()
    assert "不能小于 1。" in text and "所选科室不存在或不在您的管辖范围内。" in text
    assert not plan.posts.exists()
    assert client.post(page + "posts/", _post(department=world.a_cardiology.pk)).status_code == 302
    assert client.post(page + "submit/", {"on": ""}).status_code == 302
    plan.refresh_from_db()
    assert plan.status == "submitted"
    # A hospital may not approve, even by posting the form.
    assert client.post(page + "approve/").status_code == 403
    edit = client.get(page + "edit/", follow=True)
    assert "计划正在等待卫健委审批，不能修改；退回后才能修改。" in edit.content.decode()

    login(client, world.commission)
    assert f"{page}" in client.get(LIST, {"status": "submitted"}).content.decode()
    silent = client.post(page + "return/", {"reason": ""}, follow=True)
    assert "请填写退回原因。" in silent.content.decode()
    plan.refresh_from_db()
    assert plan.status == "submitted"
    client.post(page + "return/", {"reason": "请写明年龄上限"})
    plan.refresh_from_db()
    assert (plan.status, plan.return_reason) == ("returned", "请写明年龄上限")

    login(client, world.hospital_a)
    text = client.get(page).content.decode()
    assert "请写明年龄上限" in text and 'id="post-form"' in text
    post = plan.posts.get()
    assert (
        client.post(f"/recruitment/posts/{post.pk}/edit/", _post(max_age="35")).status_code == 302
    )
    client.post(page + "submit/")
    login(client, world.commission)
    client.post(page + "approve/")
    login(client, world.hospital_a)
    client.post(page + "publish/")
    plan.refresh_from_db()
    assert (plan.status, plan.posts.get().max_age) == ("published", 35)
    text = client.get(page).content.decode()
    assert 'id="post-form"' not in text and "结束招聘" in text


def test_the_year_s_figures_page_counts_approved_plans_and_exports_them(client, world):
    approved = _plan(world, places=(5, 7))
    services.plan_submit(plan=approved)
    services.plan_approve(plan=approved, by=world.commission)
    _plan(world, world.b, places=(9,))  # a draft counts nowhere
    login(client, world.commission)
    page = client.get("/recruitment/plans/figures/")
    text = page.content.decode()
    assert page.status_code == 200
    assert 'data-figure="places"' in text
    figures = page.context["figures"]
    assert (figures.places, figures.by_procedure) == (12, {"simplified": 5, "open": 7})
    download = client.get("/recruitment/plans/figures/", {"export": "xlsx", "year": THIS_YEAR})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    rows = [list(row) for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert ["招聘单位", "甲区中心医院", 5, 7, 12, 0] in rows
    assert rows[-1] == ["合计", "", 5, 7, 12, 0]
    assert AuditEntry.objects.filter(event="export").count() == 1
    empty = client.get("/recruitment/plans/figures/", {"year": "2001"}).content.decode()
    assert "该年度还没有已批准的招聘计划。" in empty
    assert client.get("/recruitment/plans/figures/", {"year": "yesterday"}).status_code == 400


def test_the_list_exports_what_the_user_sees(client, world):
    _plan(world, places=(2, 3), title="甲院计划")
    _plan(world, world.b, title="乙中心计划")
    login(client, world.hospital_a)
    download = client.get(LIST, {"export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [(row[1], row[2], row[3], row[4], row[5]) for row in rows] == [
        ("甲区中心医院", "甲院计划", "草稿", 2, 5)
    ]
    assert "没有符合条件的招聘计划。" in client.get(LIST, {"year": "2001"}).content.decode()


def test_a_department_head_sees_no_plan_and_others_are_refused(client, world):
    plan = _plan(world)
    login(client, world.dept_head)
    assert client.get(f"{LIST}{plan.pk}/").status_code == 404
    assert "没有符合条件的招聘计划。" in client.get(LIST).content.decode()
    for user in (world.trainee, world.mentor, world.auditor):
        assert login(client, user).get(LIST).status_code == 403


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_list_and_a_plan_s_page_cost_the_same_however_many_rows(client, world):
    plans = [_plan(world, title=f"计划{n}", places=(1, 2)) for n in range(3)]
    login(client, world.commission)
    few = (_queries(client, LIST), _queries(client, f"{LIST}{plans[0].pk}/"))
    for n in range(3, 12):
        _plan(world, title=f"计划{n}")
    big = _plan(world, title="大计划", places=tuple(range(1, 16)))
    many = (_queries(client, LIST), _queries(client, f"{LIST}{big.pk}/"))
    assert many == few
