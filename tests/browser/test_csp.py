"""The Content-Security-Policy: every page answers with it (also with DEBUG off, as in
production), and every page of the menu of a commission and a hospital administrator, the
login, the second factor, the password change and the API docs run under it in Chromium
without one violation (the `new_page` fixture fails a test on any)."""

import os
import re
import subprocess
import sys

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests import factories
from tests.browser.conftest import log_in, settled
from tests.conftest import login
from tests.insights import waiting
from yicai.menu import menu_for

pytestmark = pytest.mark.browser

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
    "base-uri": "'self'",
    "object-src": "'none'",
}


def directives(header: str) -> dict[str, str]:
    parts = (part.strip().split(" ", 1) for part in header.split(";") if part.strip())
    return {part[0]: part[1] if len(part) > 1 else "" for part in parts}


def menu_urls(user) -> list[str]:
    return [item.url for section in menu_for(user) for item in section.items]


def detail_urls(world, work) -> list[str]:
    """Pages outside the menu that draw something of their own (a tree, progress bars, a
    calendar, a job's progress)."""
    return [
        reverse("people:detail", args=[world.a_doctor.pk]),
        reverse("people:edit", args=[world.a_doctor.pk]),
        reverse("org:detail", args=[world.a.pk]),
        reverse("training:mentorship", args=[work.mentorship.pk]),
        reverse("training:secondment", args=[work.secondment.pk]),
        reverse("training:visit_calendar"),
        reverse("exchange:job", args=[work.job.token]),
        reverse("access:password_change"),
    ]


def test_every_page_answers_with_the_policy_when_debug_is_off(client, world, settings):
    settings.DEBUG = False
    work = waiting.build(world)
    assert directives(client.get(reverse("access:login"))["Content-Security-Policy"]) == POLICY
    commission = [
        *menu_urls(world.commission),
        *detail_urls(world, work),
        reverse("api-docs"),
        reverse("api-docs") + "?script=",  # the docs' own script (a split view, no inline)
        "/no-such-page/",
    ]
    for user, urls in (
        (world.commission, commission),
        (world.hospital_a, menu_urls(world.hospital_a)),
    ):
        login(client, user)
        for url in urls:
            response = client.get(url)
            assert response.status_code in (200, 404), (url, response.status_code)
            assert directives(response.get("Content-Security-Policy", "")) == POLICY, url


def test_production_settings_keep_the_policy():
    """The settings module as production loads it (YICAI_DEBUG=0) has the middleware and the
    same policy."""
    env = {
        **os.environ,
        "YICAI_DEBUG": "0",
        "SECRET_KEY": "x" * 50,
        "DJANGO_SETTINGS_MODULE": "yicai.settings",
    }
    code = (
        "from django.conf import settings as s; "
        "print('csp.middleware.CSPMiddleware' in s.MIDDLEWARE, s.DEBUG); "
        "print(s.CONTENT_SECURITY_POLICY['DIRECTIVES'])"
    )
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert out[0] == "True False"
    from django.conf import settings

    assert out[1] == str(settings.CONTENT_SECURITY_POLICY["DIRECTIVES"])


def visit(page: Page, url: str) -> None:
    response = page.goto(url)
    assert response.status < 400, (url, response.status)
    assert "Content-Security-Policy" in {name.title() for name in response.headers}, url
    settled(page)


def hover_charts(page: Page) -> None:
    """Show a chart's tooltip: ECharts draws it as HTML unless told otherwise."""
    for chart in ("institutions", "ages"):
        element = page.locator(f"#chart-{chart}")
        if not element.count():
            continue
        element.scroll_into_view_if_needed()
        # The charts' script may still be loading (a deferred file): wait for this chart.
        page.wait_for_function(
            "id => window.echarts && echarts.getInstanceByDom(document.getElementById(id))",
            arg=f"chart-{chart}",
        )
        point = page.evaluate(
            "id => { const chart = echarts.getInstanceByDom(document.getElementById(id));"
            " const option = chart.getOption(); const first = option.series[0].data[0];"
            " const horizontal = option.xAxis[0].type === 'value';"
            " return chart.convertToPixel({seriesIndex: 0},"
            " horizontal ? [first / 2, 0] : [0, first / 2]); }",
            f"chart-{chart}",
        )
        box = element.bounding_box()
        page.mouse.move(box["x"] + point[0], box["y"] + point[1])
        page.wait_for_timeout(300)


@pytest.mark.parametrize("persona", ["commission", "hospital_a"])
def test_every_menu_page_runs_under_the_policy(live_world, live_server, page, persona):
    world = live_world
    work = waiting.build(world)
    user = getattr(world, persona)
    log_in(page, live_server, user)
    hover_charts(page)
    urls = menu_urls(user) + detail_urls(world, work)
    assert len(urls) > 15
    for url in urls:
        visit(page, url)
    # An htmx search swaps its results in (and shows its indicator).
    visit(page, reverse("people:list"))
    with page.expect_response(lambda response: "q=" in response.url):
        page.get_by_label("姓名 / 拼音首字母 / 身份证后四位").press_sequentially("li")
    expect(page.locator("#results")).to_be_visible()
    # The language switch submits itself (base.html's select, no inline handler).
    page.locator("select[name=language]").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_login_second_factor_and_the_api_docs_run_under_the_policy(
    live_world, live_server, new_page
):
    world = live_world
    page = new_page()
    visit(page, reverse("access:login"))
    # A security administrator without an authenticator enrols one: the QR code page.
    page.get_by_label("用户名", exact=True).fill(world.security.username)
    page.get_by_label("密码", exact=True).fill(factories.PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/accounts/otp/$"))
    expect(page.locator(".otp-qr svg")).to_be_visible()

    docs = new_page()
    log_in(docs, live_server, world.commission)
    visit(docs, reverse("api-docs"))
    operation = docs.locator(".opblock").first
    expect(operation).to_be_visible()
    operation.locator(".opblock-summary").click()
    expect(operation.locator(".opblock-body")).to_be_visible()
