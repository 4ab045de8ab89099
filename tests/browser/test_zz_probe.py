import re
from playwright.sync_api import expect
from tests.browser.conftest import log_in, SHOTS

def test_probe(live_world, live_server, new_page):
    page = new_page()
    log_in(page, live_server, live_world.hospital_a)
    page.goto(f"/people/{live_world.a_doctor.pk}/edit/")
    print("BIRTH HTML:", page.locator("#id_birth_date").evaluate("e => e.outerHTML"))
    page.locator("#id_birth_date").fill("1985-06-01")
    page.get_by_label("职务/岗位").fill("X岗位")
    page.get_by_role("button", name="保存").click()
    r = page.goto(f"/people/{live_world.b_doctor.pk}/")
    print("404:", r.status, repr(page.locator("body").inner_text()))
    page.screenshot(path=SHOTS / "probe_404.png")
    page.goto(f"/people/{live_world.a_doctor.pk}/")
    page.screenshot(path=SHOTS / "probe_detail.png", full_page=True)
    a = new_page()
    log_in(a, live_server, live_world.auditor)
    a.goto("/accounts/audit/")
    print("AUDIT:", a.locator("tbody tr").filter(has_text="X岗位").inner_text())
    a.screenshot(path=SHOTS / "probe_audit.png", full_page=True)
    # anonymous access to a record
    p2 = new_page()
    r = p2.goto(f"/people/{live_world.a_doctor.pk}/")
    print("ANON:", r.status, p2.url)
