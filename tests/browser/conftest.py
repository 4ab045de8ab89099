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
from django.db import DEFAULT_DB_ALIAS, connections
from django_otp.oath import TOTP
from playwright.sync_api import Page, expect, sync_playwright

from tests import factories
from yicai.access import services as access_services
from yicai.access.models import SecurityPolicy

# Playwright's sync API keeps an asyncio loop running in the test thread; without this the
# ORM calls the tests make (fixtures, audit checks) raise SynchronousOnlyOperation.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

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


@pytest.fixture(scope="session")
def browser(django_db_setup):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} not found: run `make browser` (chromium, fonts-noto-cjk)")
    serialized = {
        alias: getattr(connections[alias], "_test_serialized_contents", None)
        for alias in connections
    }
    with sync_playwright() as playwright:
        # The sync API keeps an asyncio loop running in this thread from now on, and asgiref
        # then hands the thread new, context-local connection wrappers. Give them the copy of
        # the migrated data Django keeps for serialized rollback, or it is silently skipped.
        for alias, contents in serialized.items():
            if contents is not None:
                connections[alias]._test_serialized_contents = contents
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module", autouse=True)
def _reference_data_restored(django_db_setup, django_db_blocker):
    """Put the migrated rows (codes, regions, content types) back after the module.

    The live server needs a transactional database, which Django empties after each test;
    serialized rollback refills it before the next one, and this does so after the last, so
    a database test that happens to run later still finds the code tables."""
    yield
    contents = getattr(connections[DEFAULT_DB_ALIAS], "_test_serialized_contents", None)
    if contents:
        with django_db_blocker.unblock():
            connections[DEFAULT_DB_ALIAS].creation.deserialize_db_from_string(contents)


@pytest.fixture
def live_world(django_db_serialized_rollback, transactional_db, live_server, world):
    """The personas, committed where the live server's thread can read them; every test
    starts from the migrated data (codes, regions) plus these."""
    return world


@pytest.fixture
def new_page(browser, live_server):
    """Open a page in a fresh context (own cookies): new_page() or new_page(viewport=PHONE)."""
    contexts = []

    def _new_page(viewport=DESKTOP) -> Page:
        context = browser.new_context(
            base_url=live_server.url,
            viewport=viewport,
            accept_downloads=True,
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield _new_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page) -> Page:
    return new_page()


def totp_token(user) -> str:
    """The current code of the user's confirmed device, one the server has not used yet."""
    device = access_services.totp_device_ensure(user=user)
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if totp.t() <= device.last_t:
        # This step's code was spent by an earlier login; the next one is within tolerance.
        totp.time += device.step * (device.last_t + 1 - totp.t())
    return str(totp.token()).zfill(device.digits)


def log_in(page: Page, live_server, user, *, password: str = factories.PASSWORD) -> None:
    """Sign in through the real login form, then pass the second factor when the role needs it."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名", exact=True).fill(user.username)
    page.get_by_label("密码", exact=True).fill(password)
    page.get_by_role("button", name="登录").click()
    if access_services.otp_required(user, SecurityPolicy.current()):
        expect(page).to_have_url(re.compile(r"/accounts/otp/"))
        page.get_by_label("动态验证码").fill(totp_token(user))
        page.get_by_role("button", name="验证").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/(login|otp)/"))
