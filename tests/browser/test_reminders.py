"""End to end in Chromium: `yicai remind` finds the doctor's licence about to expire; she sees
the count under the bell, opens her notifications, follows the reminder to her file, and the
count is gone."""

import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.conftest import log_in, settled
from yicai.people.services import licence_add

pytestmark = pytest.mark.browser


def test_a_reminder_in_the_header_is_followed(live_world, live_server, page):
    world = live_world
    licence_add(
        person=world.a_doctor,
        number="110310113000009",
        category="1",
        expires_on=datetime.date(2023, 7, 15),
    )
    call_command("remind", "--today", "2023-06-10", stdout=io.StringIO())
    call_command("remind", "--today", "2023-06-10", stdout=io.StringIO())  # still one

    log_in(page, live_server, world.trainee)
    page.goto("/")
    settled(page)
    expect(page.locator("#notification-count")).to_have_text("1")
    page.locator("#notification-bell").click()
    expect(page).to_have_url(re.compile(r"/notifications/"))
    reminder = page.get_by_role("link", name="李心怡的临床执业证书将于2023-07-15到期")
    expect(reminder).to_have_count(1)
    reminder.click()
    person = reverse("people:detail", args=[world.a_doctor.pk])
    expect(page).to_have_url(re.compile(re.escape(person) + "$"))
    expect(page.locator("#notification-count")).to_have_count(0)
    page.locator("#notification-bell").click()
    expect(page.locator("#notifications")).to_contain_text("已读")
