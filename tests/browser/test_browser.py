"""End to end in Chromium: the pages as the personas really use them (login, htmx search,
record and timeline, edit, audit, export, scope, first login, reveal, phone layout)."""

import re

import openpyxl
import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import PHONE, SHOTS, log_in
from yicai.access.models import AuditEntry

pytestmark = pytest.mark.browser

NEW_POSITION = "主治医师（测试）"


def test_institution_admin_finds_edits_a_person_and_the_auditor_sees_the_change(
    live_world, live_server, new_page
):
    world = live_world
    page = new_page()
    log_in(page, live_server, world.hospital_a)

    page.goto("/people/")
    results = page.locator("#results")
    expect(results).to_contain_text("周外科")  # the whole institution before searching
    with page.expect_response(lambda response: "q=lxy" in response.url) as searched:
        page.get_by_label("姓名 / 拼音首字母 / 身份证后四位").press_sequentially("lxy")
    assert searched.value.request.all_headers().get("hx-request") == "true"
    expect(page).to_have_url(re.compile(r"/people/\?.*q=lxy"))  # hx-push-url
    expect(results).to_contain_text("李心怡")
    expect(results).not_to_contain_text("周外科")
    expect(results).not_to_contain_text("陈全科")
    expect(page.locator("#result-count")).to_contain_text("共 1 人")

    results.get_by_role("link", name="李心怡").click()
    expect(page).to_have_url(re.compile(rf"/people/{world.a_doctor.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("李心怡")
    timeline = page.locator("#timeline")
    expect(timeline.locator(".timeline-item").filter(has_text="职称")).not_to_have_count(0)

    page.get_by_role("link", name="编辑").click()
    expect(page).to_have_url(re.compile(rf"/people/{world.a_doctor.pk}/edit/$"))
    # The stored date must come back in the ISO form <input type=date> accepts.
    expect(page.get_by_label(re.compile("^出生日期"))).to_have_value("1985-06-01")
    page.get_by_label("职务/岗位").fill(NEW_POSITION)
    page.get_by_role("button", name="保存").click()
    expect(page).to_have_url(re.compile(rf"/people/{world.a_doctor.pk}/$"))
    expect(page.get_by_role("alert")).to_contain_text("已保存")
    expect(page.locator("main")).to_contain_text(NEW_POSITION)

    auditor_page = new_page()
    log_in(auditor_page, live_server, world.auditor)
    auditor_page.goto("/accounts/audit/")
    expect(auditor_page.get_by_role("heading", name="审计日志")).to_be_visible()
    change = (
        auditor_page.locator("tbody tr").filter(has_text="李心怡").filter(has_text=NEW_POSITION)
    )
    expect(change).to_have_count(1)
    expect(change).to_contain_text("hospital_a")


def test_institution_admin_sees_own_figures_and_exports_own_people_with_masked_numbers(
    live_world, live_server, page, tmp_path
):
    world = live_world
    log_in(page, live_server, world.hospital_a)
    SHOTS.mkdir(parents=True, exist_ok=True)

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("您好，hospital_a")
    expect(page.locator("#fig-total")).to_have_text("3")  # institution A only
    for chart in ("#chart-institutions", "#chart-ages"):  # ECharts drew, from local files
        expect(page.locator(f"{chart} canvas")).to_have_count(1)
    page.screenshot(path=SHOTS / "home.png", full_page=True)

    page.goto("/people/")
    expect(page.get_by_role("heading", name="人才档案")).to_be_visible()
    expect(page.locator("#results tbody tr")).to_have_count(3)
    page.screenshot(path=SHOTS / "people.png", full_page=True)

    with page.expect_download() as downloading:
        page.get_by_role("link", name="导出 Excel").click()
    download = downloading.value
    assert download.suggested_filename == "人才档案.xlsx"

    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    sheet = openpyxl.load_workbook(saved, read_only=True).active
    header, *rows = list(sheet.iter_rows(values_only=True))
    assert "姓名" in header
    assert "身份证号码" in header
    names = {row[header.index("姓名")] for row in rows}
    assert names == {"李心怡", "赵护士", "周外科"}
    assert {row[header.index("所在机构")] for row in rows} == {"甲区中心医院"}
    full_numbers = {p.id_number for p in (world.a_doctor, world.a_ward_nurse, world.a_surgeon)}
    for row in rows:
        masked = row[header.index("身份证号码")]
        assert "*" in masked
        assert not re.search(r"\d{17}[\dX]", masked)
        assert masked not in full_numbers


def test_commission_admin_sees_every_institution_and_person_of_the_district(
    live_world, live_server, page
):
    world = live_world
    log_in(page, live_server, world.commission)

    page.goto("/org/")
    institutions = page.locator("table tbody")
    for name in ("甲区中心医院", "乙社区卫生服务中心", "沪上合作医院"):
        expect(institutions.get_by_role("link", name=name)).to_be_visible()

    page.goto("/people/")
    people = page.locator("#results")
    for name in ("李心怡", "周外科", "陈全科"):
        expect(people.get_by_role("link", name=name)).to_be_visible()


def test_another_institutions_record_is_not_found_by_url(live_world, live_server, page):
    world = live_world
    log_in(page, live_server, world.hospital_a)
    response = page.goto(f"/people/{world.b_doctor.pk}/")
    assert response.status == 404
    expect(page.locator("body")).not_to_contain_text("陈全科")
    expect(page.locator("#timeline")).to_have_count(0)


def test_first_login_forces_a_password_change_that_rejects_weak_passwords(
    live_world, live_server, page
):
    newcomer = factories.user("newcomer")
    newcomer.must_change_password = True
    newcomer.save(update_fields=["must_change_password"])

    log_in(page, live_server, newcomer)
    expect(page).to_have_url(re.compile(r"/accounts/password/$"))
    expect(page.locator(".alert-info")).to_contain_text("首次登录")

    page.get_by_label("当前密码").fill(factories.PASSWORD)
    page.get_by_label(re.compile("^新密码")).fill("abc12345")
    page.get_by_label("再次输入新密码").fill("abc12345")
    page.get_by_role("button", name="保存").click()
    expect(page).to_have_url(re.compile(r"/accounts/password/$"))
    expect(page.locator(".invalid-feedback")).to_contain_text("密码至少需要")

    page.goto("/")  # still owed: every page leads back to the change
    expect(page).to_have_url(re.compile(r"/accounts/password/$"))

    strong = "Xin-Mima-2026#ok"
    page.get_by_label("当前密码").fill(factories.PASSWORD)
    page.get_by_label(re.compile("^新密码")).fill(strong)
    page.get_by_label("再次输入新密码").fill(strong)
    page.get_by_role("button", name="保存").click()
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("alert")).to_contain_text("密码已修改")
    newcomer.refresh_from_db()
    assert not newcomer.must_change_password
    assert newcomer.check_password(strong)


def test_revealing_an_identity_number_shows_it_and_writes_an_audit_entry(
    live_world, live_server, page
):
    world = live_world
    person = world.a_doctor
    log_in(page, live_server, world.hospital_a)
    page.goto(f"/people/{person.pk}/")
    number = page.locator("#id-number")
    expect(number).not_to_contain_text(person.id_number)
    expect(number).to_contain_text("*")

    page.get_by_role("button", name=re.compile("查看完整号码")).click()
    expect(number).to_contain_text(person.id_number)
    expect(page.get_by_role("button", name=re.compile("查看完整号码"))).to_have_count(0)
    expect(page).to_have_url(re.compile(rf"/people/{person.pk}/$"))  # swapped, not navigated

    reveals = AuditEntry.objects.filter(event="reveal", object_id=person.pk)
    assert reveals.count() == 1
    assert reveals.get().actor == world.hospital_a


def test_person_list_fits_a_phone_screen(live_world, live_server, new_page):
    page = new_page(viewport=PHONE)
    log_in(page, live_server, live_world.hospital_a)
    page.goto("/people/")
    expect(page.locator("#results")).to_contain_text("李心怡")
    overflow = page.evaluate("document.body.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"body is {overflow}px wider than the 390px screen"

    toggler = page.locator(".navbar-toggler")
    expect(toggler).to_be_visible()
    expect(page.locator("#mainnav")).not_to_be_visible()
    toggler.click()
    expect(page.locator("#mainnav")).to_have_class(re.compile(r"\bshow\b"))  # animation done
    expect(page.locator("#mainnav").get_by_role("button", name="退出")).to_be_visible()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / "people_phone.png", full_page=True)
