"""End to end in Chromium, as the commission works an incentive policy through to the money
paid: an officer drafts a policy, adds a rule with its amount and publishes it; runs it for a
past year in which two doctors were promoted; reviews the run, excluding one line with a
reason; a second commission officer approves it (the preparer may not); the fund's ledger
then shows the payment and the balance after it."""

import datetime

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import confirm, log_in
from tests.retention.helpers import second_approver, talent_fund
from yicai.codes.queries import code_for
from yicai.people.services import title_add
from yicai.retention.models import AwardRun, Policy

pytestmark = pytest.mark.browser

TITLE = "卫生健康人才激励办法"
RULE = "晋升正高奖励"


def test_a_policy_is_defined_run_reviewed_approved_and_paid(live_world, live_server, new_page):
    world = live_world
    fund = talent_fund(world)  # 1,000,000.00 appropriated in 2021
    for person in (world.a_doctor, world.b_doctor):
        title_add(
            person=person, title=code_for("title", "231"), obtained_on=datetime.date(2022, 6, 15)
        )
    clerk = second_approver(world)

    page: Page = new_page()
    log_in(page, live_server, clerk)
    page.goto(f"{live_server.url}/retention/policies/")
    page.get_by_role("link", name="制定激励政策").click()
    page.get_by_label("政策名称").fill(TITLE)
    page.get_by_label("发文单位").fill("区卫健委")
    page.get_by_label("施行日期").fill("2021-01-01")
    page.get_by_label("支出资金").select_option(label=fund.name)
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#policy-status")).to_have_text("草稿")
    expect(page.locator("#publish-problems")).to_contain_text("政策还没有条款。")

    rule_form = page.locator("#rule-form")
    rule_form.get_by_label("条款名称").fill(RULE)
    rule_form.get_by_label("触发事项").select_option(label="职称晋升")
    rule_form.get_by_label("职称级别").select_option(value="senior")
    rule_form.get_by_label("标准起始日期").fill("2021-01-01")
    rule_form.get_by_label("金额（元）").fill("50000")
    rule_form.get_by_role("button", name="添加条款").click()
    expect(page.locator("#rules")).to_contain_text(RULE)
    expect(page.locator("#rules")).to_contain_text("至今")
    page.locator("#policy-actions").get_by_role("button", name="发布").click()
    confirm(page, "确定发布")
    expect(page.locator("#policy-status")).to_have_text("已发布")
    policy = Policy.objects.get(title=TITLE)

    page.goto(f"{live_server.url}/retention/runs/new/")
    page.get_by_label("激励政策").select_option(value=str(policy.pk))
    page.get_by_label("起始日期").fill("2022-01-01")
    page.get_by_label("截止日期").fill("2022-12-31")
    page.get_by_role("button", name="生成").click()
    expect(page.locator("#run-status")).to_have_text("待审批")
    expect(page.locator("#run-total")).to_have_text("100000.00")
    expect(page.locator("#approve-refusal")).to_have_text("审批人不能是该批次的经办人。")
    run = AwardRun.objects.get(policy=policy)
    b_line = run.lines.get(person=world.b_doctor)
    row = page.locator(f"#line-{b_line.pk}")
    row.get_by_label("剔除理由").fill("已调往外区")
    row.get_by_role("button", name="剔除").click()
    expect(page.locator(f"#line-{b_line.pk}")).to_contain_text("已剔除")
    expect(page.locator(f"#line-{b_line.pk}")).to_contain_text("已调往外区")
    expect(page.locator("#run-total")).to_have_text("50000.00")

    approver: Page = new_page()
    log_in(approver, live_server, world.commission)
    approver.goto(f"{live_server.url}/retention/runs/{run.pk}/")
    approver.locator("#approve-form").get_by_role("button", name="审批通过").click()
    confirm(approver, "确定审批")
    expect(approver.locator("#run-status")).to_have_text("已审批")

    approver.goto(f"{live_server.url}/retention/funds/{fund.pk}/")
    ledger = approver.locator("#entries")
    expect(ledger).to_contain_text(f"{RULE}：{world.a_doctor.name}")
    expect(ledger).not_to_contain_text(f"{RULE}：{world.b_doctor.name}")
    expect(approver.locator("#fund-balance")).to_have_text("950000.00")
