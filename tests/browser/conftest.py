"""Chromium through Playwright against pytest-django's live server.

Debian's Chromium is used (Playwright's own download does not work on the hospital build
hosts); `make browser` installs it with a CJK font. Every test gets a fresh browser context
and the shared personas of tests/conftest.py, created in a database the live server can see.
"""

import os
import re
import time
from pathlib import Path

import pytest
from django.db import connections
from django_otp.oath import TOTP
from playwright.sync_api import Page, expect, sync_playwright

from tests import factories
from tests.conftest import build_world
from yicai.access import services as access_services
from yicai.access.models import SecurityPolicy

CHROMIUM = os.environ.get("YICAI_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
SHOTS = Path(os.environ.get("YICAI_BROWSER_SHOTS", "/tmp/shots"))  # noqa: S108

expect.set_options(timeout=10_000)

# Reports every Content-Security-Policy violation of a page to the test (the binding outlives
# navigations, which would wipe anything kept on window). Playwright's init scripts are not
# subject to the page's policy.
CSP_LISTENER = """
window.addEventListener("securitypolicyviolation", (event) => {
  window.yicaiCspViolation([event.violatedDirective, event.blockedURI,
    (event.sourceFile || document.URL) + ":" + event.lineNumber, event.sample].join(" | "));
}, true);
"""
# Counts the page's own requests in flight (htmx's XMLHttpRequests, the pickers' fetches), so
# a test can wait for them to end without Playwright's "networkidle", which waits for half a
# second of quiet on every page.
PENDING_COUNTER = """
window.yicaiPending = 0;
const yicaiFetch = window.fetch;
window.fetch = (...args) => {
  window.yicaiPending++;
  return yicaiFetch(...args).finally(() => { window.yicaiPending--; });
};
const yicaiSend = XMLHttpRequest.prototype.send;
XMLHttpRequest.prototype.send = function (...args) {
  window.yicaiPending++;
  this.addEventListener("loadend", () => { window.yicaiPending--; }, { once: true });
  return yicaiSend.apply(this, args);
};
"""


@pytest.fixture(scope="module")
def browser(django_db_setup):
    """Chromium for one module's tests.

    Playwright's sync API keeps an asyncio loop running in the test thread while it is up,
    so Django must be told the ORM calls the tests make are safe (DJANGO_ALLOW_ASYNC_UNSAFE).
    Both end with the module: the variable would otherwise reach subprocesses (`yicai check
    --deploy` refuses it) and the loop would break any database test that runs later."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} not found: run `make browser` (chromium, fonts-noto-cjk)")
    wrappers = {alias: connections[alias] for alias in connections}
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        # With a loop running, asgiref hands this thread new, context-local connection
        # wrappers: without the old ones the test thread would use another connection than
        # the live server's (in-memory SQLite), silently.
        for alias, wrapper in wrappers.items():
            connections[alias] = wrapper
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def world(transactional_db):
    """The personas of tests/conftest.py, committed for real (the shared, savepoint-wrapped
    world would be invisible to the live server's thread). Every test starts from the
    migrated data (codes, regions) plus these, and ends by putting that back (tests/migrated.py)."""
    return build_world()


@pytest.fixture
def live_world(transactional_db, live_server, world):
    """The personas and a live server that sees them."""
    return world


@pytest.fixture
def new_page(browser, live_server):
    """Open a page in a fresh context (own cookies): new_page() or new_page(viewport=PHONE).
    Any server error or Content-Security-Policy violation a page meets fails the test, even
    if the page looked fine."""
    contexts = []
    server_errors = []
    csp_violations = []

    def _record(response):
        if response.status >= 500:
            server_errors.append(f"{response.status} {response.request.method} {response.url}")

    def _console(message):
        # Chromium's own report ("Refused to apply inline style because it violates the
        # following Content Security Policy directive ..."), also for what the event misses.
        if "Content Security Policy" in message.text:
            csp_violations.append(f"{message.page.url if message.page else ''}: {message.text}")

    def _violation(report: str) -> None:
        csp_violations.append(report)

    def _new_page(viewport=DESKTOP) -> Page:
        context = browser.new_context(
            base_url=live_server.url,
            viewport=viewport,
            accept_downloads=True,
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
        )
        context.set_default_timeout(15_000)
        context.on("response", _record)
        context.on("console", _console)
        context.expose_function("yicaiCspViolation", _violation)
        context.add_init_script(CSP_LISTENER)
        context.add_init_script(PENDING_COUNTER)
        contexts.append(context)
        return context.new_page()

    yield _new_page
    for context in contexts:
        context.close()
    assert not server_errors, f"server errors: {server_errors}"
    assert not csp_violations, "Content-Security-Policy violations:\n" + "\n".join(csp_violations)


@pytest.fixture
def page(new_page) -> Page:
    return new_page()


def settled(page: Page) -> None:
    """Wait until the page has loaded and the requests its scripts made (a picker resolving
    its value, an htmx fragment) have ended."""
    page.wait_for_function("() => document.readyState === 'complete' && window.yicaiPending === 0")


def totp_token(device) -> str:
    """The device's current code, one the server has not accepted yet."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if totp.t() <= device.last_t:
        # This step's code was spent by an earlier login; the next one is within tolerance.
        totp.time += device.step * (device.last_t + 1 - totp.t())
    return str(totp.token()).zfill(device.digits)


def log_in(page: Page, live_server, user, *, password: str = factories.PASSWORD) -> None:
    """Sign in through the real login form, then pass the second factor when the role needs
    it, with the device the user enrolled earlier.

    The database work happens before the clicks or once a page has settled: on in-memory
    SQLite the test thread shares the live server's connection, and with it any transaction
    a request has open."""
    needs_otp = access_services.otp_required(user, SecurityPolicy.current())
    device = access_services.totp_device_ensure(user=user) if needs_otp else None
    response = page.goto(f"{live_server.url}/accounts/login/")
    assert response.ok, f"the login page answered {response.status}"
    page.get_by_label("用户名", exact=True).fill(user.username)
    page.get_by_label("密码", exact=True).fill(password)
    page.get_by_role("button", name="登录").click()
    if device is not None:
        expect(page).to_have_url(re.compile(r"/accounts/otp/$"))
        expect(page.get_by_role("heading", name="二次验证")).to_be_visible()
        page.get_by_label("动态验证码").fill(totp_token(device))
        page.get_by_role("button", name="验证").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/(login|otp)/"))


def pick(page: Page, form, name: str, typed: str, choice: str) -> None:
    """Choose a person in the searching picker of the field `name`: type as a user does, wait
    for the server's answer to what was typed, and click the person it offers."""
    wrapper = form.locator(f"select[name={name}] + .ts-wrapper")

    def answered(answer) -> bool:  # the picker posts what was typed (never in a URL)
        return "/pick/" in answer.url and typed in (answer.request.post_data or "")

    with page.expect_response(answered):
        wrapper.locator(".ts-control input").press_sequentially(typed, delay=20)
    option = wrapper.locator(".ts-dropdown .option", has_text=choice)
    option.click()
    expect(wrapper.locator(".ts-control .item")).to_contain_text(choice)


def confirm(page: Page, button: str) -> None:
    """Answer yes in the shared confirmation of an irreversible action (yicai/confirm.js)."""
    modal = page.locator("#confirm-modal")
    expect(modal).to_be_visible()
    modal.get_by_role("button", name=button).click()
    expect(modal).to_be_hidden()
