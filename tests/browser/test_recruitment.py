"""End to end in Chromium: a hospital drafts a recruitment plan with a post by each procedure
and submits it; the commission finds it in 我的待办, returns it with a reason; the hospital
corrects a post and submits again; the commission approves it and the year's figures count its
places; hospital B cannot open it."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import SHOTS, log_in, settled
from yicai.recruitment.models import RecruitmentPlan

pytestmark = pytest.mark.browser


def _add_post(page, name, specialty, places, procedure, organiser):
    form = page.locator("#post-form")
    form.get_by_label("岗位名称").fill(name)
    form.locator("[name=specialty]").fill(specialty)
    form.get_by_label("招聘人数").fill(str(places))
    form.get_by_label("招聘程序").select_option(label=procedure)
    form.get_by_label("组织实施").select_option(label=organiser)
    form.get_by_role("button", name="添加岗位").click()
    expect(page.locator("#posts")).to_contain_text(name)


def test_a_hospital_drafts_a_plan_and_the_commission_approves_it(live_world, live_server, new_page):
    world = live_world
    year = timezone.localdate().year
    hospital = new_page()
    log_in(hospital, live_server, world.hospital_a)
    hospital.goto("/recruitment/plans/")
    expect(hospital.locator("#plans")).to_contain_text("没有符合条件的招聘计划。")
    hospital.get_by_role("link", name="新建招聘计划").click()
    hospital.get_by_label("年度").fill(str(year))
    hospital.get_by_label("计划名称").fill("卫生专业技术人员招聘计划")
    hospital.get_by_role("button", name="保存").click()
    expect(hospital.locator("#plan-status")).to_have_text("草稿")
    _add_post(hospital, "临床医师", "临床医学", 5, "简易程序", "招聘单位")
    _add_post(hospital, "护士", "护理学", 4, "公开招聘", "县（区）人力资源和社会保障局")
    hospital.get_by_role("button", name="报送审批").click()
    expect(hospital.locator("#plan-status")).to_have_text("待审批")
    expect(hospital.locator("#post-form")).to_have_count(0)

    commission = new_page()
    log_in(commission, live_server, world.commission)
    commission.goto("/")
    commission.get_by_role("link", name="待审批的招聘计划").click()
    commission.get_by_role("link", name="卫生专业技术人员招聘计划").click()
    commission.locator("#return-form").get_by_label("退回原因").fill("护士岗位请写明年龄上限")
    commission.get_by_role("button", name="退回", exact=True).click()
    expect(commission.locator("#plan-status")).to_have_text("已退回")

    hospital.reload()
    expect(hospital.locator("#return-reason")).to_contain_text("护士岗位请写明年龄上限")
    hospital.locator("#posts tr", has_text="护士").get_by_role("link", name="修改").click()
    hospital.get_by_label("年龄上限").fill("35")
    hospital.get_by_role("button", name="保存").click()
    expect(hospital.locator("#posts")).to_contain_text("35 周岁以下")
    hospital.get_by_role("button", name="报送审批").click()
    expect(hospital.locator("#plan-status")).to_have_text("待审批")

    commission.reload()
    commission.get_by_role("button", name="批准").click()
    expect(commission.locator("#plan-status")).to_have_text("已批准")
    settled(commission)
    SHOTS.mkdir(parents=True, exist_ok=True)
    commission.screenshot(path=SHOTS / "recruitment_plan.png", full_page=True)
    commission.goto("/recruitment/plans/figures/")
    expect(commission.locator('[data-figure="places"]')).to_contain_text("9")
    expect(commission.locator('[data-figure="simplified"]')).to_contain_text("5")
    expect(commission.locator('[data-figure="open"]')).to_contain_text("4")

    plan = RecruitmentPlan.objects.get(title="卫生专业技术人员招聘计划")
    assert (plan.status, plan.decided_by) == ("approved", world.commission)
    other = new_page()
    log_in(other, live_server, world.hospital_b)
    assert other.goto(f"{live_server.url}/recruitment/plans/{plan.pk}/").status == 404
