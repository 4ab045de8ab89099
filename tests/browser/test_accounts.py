"""End to end in Chromium: the security administrator opens an account for a person and
resets its password; the owner logs in with the temporary password, must change it, and
finds their own record. The auditor reads it all on a laptop screen."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import SHOTS, confirm, log_in, settled
from yicai.access.models import AuditEntry, User

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1366, "height": 768}


def bind(page, person, typed: str) -> None:
    """Find the person with the searching picker (typed: pinyin initials) and bind them."""
    panel = page.locator("#account-person")

    def searched(response) -> bool:  # the picker posts what was typed (never in a URL)
        request = response.request
        return "/pick/" in response.url and typed in (request.post_data or "")

    with page.expect_response(searched):
        panel.get_by_role("combobox", name=re.compile("^对应人员")).press_sequentially(typed)
    # A search answered after the choice would open the list again over the button.
    settled(page)
    option = page.get_by_role("option", name=re.compile(person.name))
    # Enough to tell namesakes apart, and no identity number, not even its last digits.
    expect(option).to_contain_text("男性 · 1985 年生 · 甲区中心医院 · 普外科")
    expect(option).not_to_contain_text(person.id_number[-4:])
    option.click()
    expect(panel.locator(".ts-dropdown")).to_be_hidden()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / "account-bind.png")
    panel.get_by_role("button", name="绑定").click()


def test_a_new_account_is_bound_reset_and_its_owner_finds_their_record(
    live_world, live_server, new_page
):
    world = live_world
    person = world.a_surgeon
    admin = new_page()
    log_in(admin, live_server, world.security)

    admin.goto("/accounts/users/")
    new_user = admin.locator("#new-user")
    new_user.get_by_label("用户名").fill("zhouwk")
    new_user.get_by_label("初始密码").fill("Chu-Shi-Mima-2026!")
    new_user.get_by_role("button", name="创建").click()
    expect(admin).to_have_url(re.compile(r"/accounts/users/\d+/$"))
    expect(admin.get_by_role("alert")).to_contain_text("用户 zhouwk 已创建")

    # The least by default: granting without changing anything gives 职工 · 本人.
    grant = admin.locator("#grant-role")
    expect(grant.get_by_label("角色")).to_have_value("staff")
    expect(grant.get_by_label("数据范围")).to_have_value("self")
    grant.get_by_role("button", name="授予").click()
    expect(admin.get_by_role("alert")).to_contain_text("角色已授予")
    expect(admin.locator("table").first).to_contain_text("职工")

    bind(admin, person, "zwk")
    expect(admin.get_by_role("alert")).to_contain_text(f"账号已绑定到 {person.name}")
    expect(admin.locator("#account-person")).to_contain_text("甲区中心医院 · 普外科")

    admin.get_by_role("button", name="重置密码").click()
    confirm(admin, "确定重置")
    expect(admin.get_by_role("heading", name="zhouwk 的密码已重置")).to_be_visible()
    temporary = admin.locator("#temporary-password").input_value()
    assert len(temporary) >= 10
    SHOTS.mkdir(parents=True, exist_ok=True)
    admin.screenshot(path=SHOTS / "password-reset.png")

    owner = new_page()
    owner.goto("/accounts/login/")
    owner.get_by_label("用户名", exact=True).fill("zhouwk")
    owner.get_by_label("密码", exact=True).fill(temporary)
    owner.get_by_role("button", name="登录").click()
    expect(owner).to_have_url(re.compile(r"/accounts/password/$"))
    expect(owner.locator(".alert-info")).to_contain_text("首次登录或密码已到期")
    owner.goto(f"/people/{person.pk}/")  # nothing opens before the change
    expect(owner).to_have_url(re.compile(r"/accounts/password/$"))

    chosen = "Zhou-Waike-2026#mine"
    owner.get_by_label("当前密码").fill(temporary)
    owner.get_by_label(re.compile("^新密码")).fill(chosen)
    owner.get_by_label("再次输入新密码").fill(chosen)
    owner.get_by_role("button", name="保存").click()
    expect(owner).to_have_url(f"{live_server.url}/")
    expect(owner.get_by_role("alert")).to_contain_text("密码已修改")

    owner.goto("/people/")
    results = owner.locator("#results")
    expect(results).to_contain_text(person.name)
    expect(results).not_to_contain_text("李心怡")  # their own record only
    results.get_by_role("link", name=person.name).click()
    expect(owner).to_have_url(re.compile(rf"/people/{person.pk}/$"))
    expect(owner.get_by_role("heading", level=1)).to_contain_text(person.name)

    account = User.objects.get(username="zhouwk")
    assert account.person_id == person.pk and not account.must_change_password
    assert account.check_password(chosen)
    assert AuditEntry.objects.filter(event="password_reset", actor=world.security).count() == 1


def test_the_audit_page_fits_a_laptop_and_says_what_an_export_took(
    live_world, live_server, new_page
):
    world = live_world
    hospital = new_page()
    log_in(hospital, live_server, world.hospital_a)
    hospital.goto(f"/people/?institution={world.a.pk}&title_grade=associate_senior&q=%E7%8E%8B")
    with hospital.expect_download():
        hospital.get_by_role("link", name="导出 Excel").click()

    security = new_page()
    log_in(security, live_server, world.security)
    security.goto("/accounts/policy/")
    security.get_by_label("空闲超时（分钟）").fill("20")
    security.get_by_role("button", name="保存").click()
    expect(security.get_by_role("alert")).to_contain_text("安全策略已保存")

    auditor = new_page(viewport=LAPTOP)
    log_in(auditor, live_server, world.auditor)
    auditor.goto("/accounts/audit/")
    log = auditor.locator("#audit-log")
    export = log.locator("tbody tr").filter(has_text="导出人才档案")
    expect(export).to_contain_text("筛选条件：关键词=王；机构=甲区中心医院；职称级别=副高级")
    expect(export).not_to_contain_text("institution=")

    policy = log.locator("tbody tr").filter(has_text="安全策略变更")
    expect(policy.locator("details")).to_have_count(1)  # long data folded
    expect(policy.locator("details > div").first).not_to_be_visible()
    policy.locator("summary").click()
    expect(policy.locator("details > div").first).to_contain_text("idle_minutes=20")
    expect(policy.locator("details > div").last).to_contain_text("idle_minutes=30")

    SHOTS.mkdir(parents=True, exist_ok=True)
    auditor.screenshot(path=SHOTS / "audit-laptop.png", full_page=True)
    overflow = auditor.evaluate(
        """() => {
            const wrapper = document.querySelector('#audit-log').parentElement;
            return {
                page: document.documentElement.scrollWidth - window.innerWidth,
                table: wrapper.scrollWidth - wrapper.clientWidth,
            };
        }"""
    )
    assert overflow == {"page": 0, "table": 0}, overflow
