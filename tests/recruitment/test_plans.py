"""Recruitment plans through the services: Sixian's 2022 plan entered with its real dates reads
105 = 59 + 46 by procedure, institution and specialty, also after a return, an edit and a
deletion; each step once and in order; every problem named by field in Chinese; who sees,
edits and approves which."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from tests.recruitment.scenarios import COUNTY_POSTS, TCM_POSTS, plan_of, sixian_2022
from yicai import todo
from yicai.recruitment import queries, services
from yicai.recruitment.models import Post, RecruitmentPlan

pytestmark = pytest.mark.django_db

D = datetime.date
SIMPLIFIED, OPEN = Post.Procedure.SIMPLIFIED, Post.Procedure.OPEN
WAITING = "计划正在等待卫健委审批，不能修改；退回后才能修改。"


@pytest.fixture
def sixian(world):
    return sixian_2022(world)


def _lines(lines):
    return {line["label"]: (line["simplified"], line["open"], line["total"]) for line in lines}


def test_sixians_2022_plan_reads_105_places_59_simplified_and_46_open(world, sixian):
    figures = queries.plan_figures(world.commission, year=2022)
    assert (figures.places, figures.by_procedure, figures.plans) == (
        105,
        {"simplified": 59, "open": 46},
        2,
    )
    assert _lines(figures.by_institution) == {
        "甲区中心医院": (49, 30, 79),
        "县中医医院": (10, 16, 26),
    }
    assert _lines(figures.by_specialty) == {
        "临床医学": (42, 20, 62),
        "护理学": (0, 18, 18),
        "口腔医学": (7, 0, 7),
        "医学影像学": (10, 0, 10),
        "医学检验技术": (0, 5, 5),
        "预防医学": (0, 3, 3),
    }
    # The list page's own counts agree.
    listed = {plan.institution.name: plan.places for plan in queries.plan_list(world.commission)}
    assert listed == {"甲区中心医院": 79, "县中医医院": 26}


def test_only_approved_plans_count_and_a_return_an_edit_and_a_deletion_show(world, sixian):
    county, _tcm_plan, tcm = sixian
    # A draft and a submitted plan count nowhere.
    plan_of(world, world.b, [("全科医师", "临床医学", 4, OPEN)])
    waiting = plan_of(
        world,
        world.b,
        [("全科医师", "临床医学", 4, OPEN), ("护士", "护理学", 3, OPEN)],
        title="补充招聘",
    )
    services.plan_submit(plan=waiting, on=D(2022, 6, 1))
    assert queries.plan_figures(world.commission, year=2022).places == 105
    # Returned; one post cut from 4 to 2, the other deleted; approved: 105 + 2.
    services.plan_return(plan=waiting, by=world.commission, reason="人数超出核定", on=D(2022, 6, 5))
    doctors, nurses = waiting.posts.order_by("id")
    services.post_update(post=doctors, places=2)
    services.post_delete(post=nurses)
    services.plan_submit(plan=waiting, on=D(2022, 6, 8))
    services.plan_approve(plan=waiting, by=world.commission, on=D(2022, 6, 9))
    figures = queries.plan_figures(world.commission, year=2022)
    assert (figures.places, figures.by_procedure["open"]) == (107, 48)
    assert _lines(figures.by_specialty)["护理学"] == (0, 18, 18)  # the deleted 3 are not there
    assert queries.plan_figures(world.commission, year=2022, institution=tcm).places == 26
    assert queries.plan_figures(world.commission, year=2023).places == 0
    # Each hospital counts its own.
    assert queries.plan_figures(world.hospital_a, year=2022).places == 79
    assert queries.plan_figures(world.hospital_b, year=2022).places == 2
    assert county.status == RecruitmentPlan.Status.PUBLISHED


def test_sent_again_after_a_return_not_before_it_and_the_old_decision_is_over(world):
    plan = plan_of(world, world.a, COUNTY_POSTS[:1])
    services.plan_submit(plan=plan, on=D(2022, 3, 1))
    services.plan_return(plan=plan, by=world.commission, reason="补充条件", on=D(2022, 3, 10))
    with pytest.raises(ValidationError) as early:
        services.plan_submit(plan=plan, on=D(2022, 2, 1))
    assert early.value.message_dict == {
        "submitted_on": ["日期不能早于上一步的日期（2022-03-10）。"]
    }
    again = services.plan_submit(plan=plan, on=D(2022, 3, 12))
    again.refresh_from_db()
    assert (again.decided_on, again.decided_by, again.return_reason) == (None, None, "")
    with pytest.raises(ValidationError) as both:  # every problem at once
        services.plan_return(plan=services.plan_approve(plan=plan, by=None), by=None, reason="")
    assert both.value.message_dict == {
        "reason": ["请填写退回原因。"],
        "status": ["只有待审批的计划可以审批（该计划已批准）。"],
    }


def test_a_plan_with_posts_keeps_its_institution_and_a_deleted_post_stays_deleted(world):
    plan = plan_of(world, world.a, COUNTY_POSTS[:1])
    with pytest.raises(ValidationError) as moved:
        services.plan_update(plan=plan, by=world.commission, institution=world.b)
    assert moved.value.message_dict == {"institution": ["计划已有岗位，不能更换招聘单位。"]}
    post = plan.posts.get()
    stale = Post.objects.get(pk=post.pk)  # open in another tab
    services.post_delete(post=post)
    with pytest.raises(ValidationError) as gone:
        services.post_update(post=stale, places=9)
    assert gone.value.message_dict == {"status": ["该岗位已被删除。"]}
    assert not Post.objects.filter(pk=post.pk).exists()
    empty = services.plan_update(plan=plan, by=world.commission, institution=world.b)
    assert empty.institution == world.b


def test_each_step_once_in_order_with_its_real_date(world):
    plan = plan_of(world, world.a, COUNTY_POSTS[:1])
    with pytest.raises(ValidationError) as early:
        services.plan_approve(plan=plan, by=world.commission)
    assert early.value.message_dict == {"status": ["只有待审批的计划可以审批（该计划草稿）。"]}
    services.plan_submit(plan=plan, on=D(2022, 3, 1))
    with pytest.raises(ValidationError) as locked:
        services.post_add(plan=plan, name="护士", specialty="护理学", places=1, procedure=OPEN)
    assert locked.value.message_dict == {
        "status": ["计划正在等待卫健委审批，不能修改；退回后才能修改。"]
    }
    with pytest.raises(ValidationError) as before:
        services.plan_approve(plan=plan, by=world.commission, on=D(2022, 2, 28))
    assert before.value.message_dict == {"decided_on": ["日期不能早于上一步的日期（2022-03-01）。"]}
    approved = services.plan_approve(plan=plan, by=world.commission, on=D(2022, 3, 10))
    assert (approved.decided_on, approved.decided_by) == (D(2022, 3, 10), world.commission)
    with pytest.raises(ValidationError) as twice:  # a double click approves once
        services.plan_approve(plan=plan, by=world.commission)
    assert twice.value.message_dict == {"status": ["只有待审批的计划可以审批（该计划已批准）。"]}
    with pytest.raises(ValidationError):
        services.plan_close(plan=plan)  # not published yet
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as future:
        services.plan_publish(plan=plan, on=tomorrow)
    assert future.value.message_dict == {"published_on": ["日期不能晚于今天。"]}
    services.plan_publish(plan=plan, on=D(2022, 3, 20))
    closed = services.plan_close(plan=plan, on=D(2022, 12, 30))
    closed.refresh_from_db()
    assert (closed.status, closed.submitted_on, closed.published_on, closed.closed_on) == (
        RecruitmentPlan.Status.CLOSED,
        D(2022, 3, 1),
        D(2022, 3, 20),
        D(2022, 12, 30),
    )


def test_a_plan_without_posts_is_not_submitted_and_a_return_says_why(world):
    plan = services.plan_create(by=world.hospital_a, institution=world.a, year=2026, title="计划")
    with pytest.raises(ValidationError) as empty:
        services.plan_submit(plan=plan)
    assert empty.value.message_dict == {"status": ["计划还没有岗位，不能报送。"]}
    services.post_add(plan=plan, name="护士", specialty="护理学", places=3, procedure=OPEN)
    services.plan_submit(plan=plan)
    with pytest.raises(ValidationError) as silent:
        services.plan_return(plan=plan, by=world.commission, reason="  ")
    assert silent.value.message_dict == {"reason": ["请填写退回原因。"]}
    returned = services.plan_return(plan=plan, by=world.commission, reason="请补充岗位条件")
    assert (returned.status, returned.return_reason) == ("returned", "请补充岗位条件")
    # Returned, it is corrected and sent again; approving clears the reason.
    services.plan_update(plan=returned, by=world.hospital_a, note="已补充")
    services.plan_submit(plan=returned)
    assert services.plan_approve(plan=returned, by=world.commission).return_reason == ""


def test_every_problem_of_a_plan_or_a_post_is_named_by_field(world):
    with pytest.raises(ValidationError) as plan_errors:
        services.plan_create(
            by=world.hospital_a,
            institution=world.b,
            year=1999,
            title=" ",
            written_weight=50,
            interview_weight=60,
        )
    assert plan_errors.value.message_dict == {
        "institution": ["所选机构不存在或不在您的管辖范围内。"],
        "interview_weight": ["笔试与面试成绩占比之和须为 100%。"],
        "year": ["不能小于 2000。"],
        "title": ["此项不能为空。"],
    }
    plan = services.plan_create(by=None, institution=world.a, year=2026, title="计划")
    with pytest.raises(ValidationError) as post_errors:
        services.post_add(
            plan=plan,
            name="",
            specialty="临床医学",
            places=0,
            procedure="lottery",
            department=world.b_medicine,
            max_age=70,
        )
    assert post_errors.value.message_dict == {
        "department": ["科室不属于招聘单位。"],
        "name": ["此项不能为空。"],
        "places": ["不能小于 1。"],
        "procedure": ["值 'lottery' 不是有效选项。"],
        "max_age": ["不能大于 65。"],
    }
    assert not plan.posts.exists()
    services.post_add(plan=plan, name="护士", specialty="护理学", places=1, procedure=OPEN)
    with pytest.raises(ValidationError) as again:
        services.post_add(plan=plan, name="护士", specialty="护理学", places=2, procedure=OPEN)
    assert again.value.message_dict == {"__all__": ["本计划已有同名岗位。"]}


def test_only_a_draft_never_submitted_is_deleted(world):
    draft = plan_of(world, world.a, COUNTY_POSTS[:2])
    services.plan_delete(plan=draft)
    assert not RecruitmentPlan.objects.filter(pk=draft.pk).exists()
    assert not Post.objects.filter(plan_id=draft.pk).exists()
    sent = plan_of(world, world.a, COUNTY_POSTS[:1])
    services.plan_submit(plan=sent)
    services.plan_return(plan=sent, by=world.commission, reason="重做")
    with pytest.raises(ValidationError) as kept:
        services.plan_delete(plan=sent)
    assert kept.value.message_dict == {"status": ["只能删除从未报送的草稿计划。"]}


def test_who_sees_edits_and_approves_which(world):
    a_plan = plan_of(world, world.a, COUNTY_POSTS[:1])
    b_plan = plan_of(world, world.b, TCM_POSTS[:1])
    seen = {
        persona: set(queries.plans_for(getattr(world, persona)).values_list("pk", flat=True))
        for persona in ("commission", "hospital_a", "hospital_b", "dept_head", "trainee")
    }
    assert seen == {
        "commission": {a_plan.pk, b_plan.pk},
        "hospital_a": {a_plan.pk},
        "hospital_b": {b_plan.pk},
        "dept_head": set(),  # a plan is the HR office's, not a department's
        "trainee": set(),
    }
    assert list(queries.plans_for(world.hospital_a, queries.APPROVE)) == []
    services.plan_submit(plan=a_plan)
    assert list(queries.to_approve(world.commission)) == [a_plan]
    with pytest.raises(ValidationError) as elsewhere:
        services.plan_create(by=world.hospital_b, institution=world.a, year=2026, title="越权")
    assert elsewhere.value.message_dict == {"institution": ["所选机构不存在或不在您的管辖范围内。"]}


def test_the_commission_is_told_what_to_approve_and_a_hospital_what_was_returned(world):
    plan = plan_of(world, world.a, COUNTY_POSTS[:1])
    services.plan_submit(plan=plan)

    def items(user):
        return {item.key: item.count for item in todo.items_for(user) if "recruitment" in item.key}

    assert items(world.commission) == {"recruitment.plans_to_approve": 1}
    assert items(world.hospital_a) == {}
    services.plan_return(plan=plan, by=world.commission, reason="请补充")
    assert items(world.commission) == {}
    assert items(world.hospital_a) == {"recruitment.plans_returned": 1}
    assert items(world.hospital_b) == {}
