"""The notification centre: created once per user and key, counted under the bell, listed,
followed (read, then its page), marked read; the API the same, each user's own only; e-mail
once, when the site sends it."""

import datetime

import pytest
from django.urls import reverse

from tests.conftest import login
from yicai.notifications.models import Notification
from yicai.notifications.services import Message, email_pending, mark_all_read, notify, notify_many

pytestmark = pytest.mark.django_db


def _notify(user, key, *, url="/people/", kind="licence", title=None):
    return notify(users=[user], key=key, kind=kind, title=title or f"提醒 {key}", url=url)


def test_notifying_again_creates_nothing(world):
    both = [world.trainee, world.hospital_a]
    first = notify(users=both, key="licence:1", kind="licence", title="证书到期")
    again = notify(users=both, key="licence:1", kind="licence", title="证书到期")
    assert (first.created, first.existing) == (2, 0)
    assert (again.created, again.existing) == (0, 2)
    assert Notification.objects.filter(key="licence:1").count() == 2


def test_a_read_notification_is_not_created_again(world):
    _notify(world.trainee, "k")
    mark_all_read(user=world.trainee)
    assert _notify(world.trainee, "k").created == 0
    assert world.trainee.notifications.get().read_at is not None


def test_a_dry_run_counts_and_writes_nothing(world):
    _notify(world.trainee, "there")
    messages = [
        Message(user_id=world.trainee.pk, key=key, kind="licence", title="t")
        for key in ("there", "new")
    ]
    outcome = notify_many(messages=messages, dry_run=True)
    assert (outcome.created, outcome.existing) == (1, 1)
    assert world.trainee.notifications.count() == 1


def test_the_bell_counts_the_unread(client, world, django_assert_max_num_queries):
    login(client, world.trainee)
    page = client.get(reverse("insights:home")).content.decode()
    assert 'id="notification-bell"' in page
    assert 'id="notification-count"' not in page
    _notify(world.trainee, "a")
    _notify(world.trainee, "b")
    _notify(world.hospital_a, "c")  # someone else's
    with django_assert_max_num_queries(100) as captured:
        page = client.get(reverse("insights:home")).content.decode()
    assert 'id="notification-count">2</span>' in page
    counted = [q for q in captured.captured_queries if "notifications_notification" in q["sql"]]
    assert len(counted) == 1  # one query, however often the page shows it


def test_no_bell_for_a_visitor_signed_out(client):
    page = client.get(reverse("privacy")).content.decode()
    assert "notification-bell" not in page


def test_following_reads_and_goes_to_its_page(client, world):
    _notify(world.trainee, "go", url=reverse("people:detail", args=[world.a_doctor.pk]))
    notification = world.trainee.notifications.get()
    login(client, world.trainee)
    response = client.get(reverse("notifications:go", args=[notification.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("people:detail", args=[world.a_doctor.pk])
    notification.refresh_from_db()
    assert notification.read_at is not None
    page = client.get(reverse("insights:home")).content.decode()
    assert 'id="notification-count"' not in page


def test_another_users_notification_is_a_404(client, world):
    _notify(world.trainee, "mine")
    notification = world.trainee.notifications.get()
    login(client, world.commission)
    assert client.get(reverse("notifications:go", args=[notification.pk])).status_code == 404
    assert client.post(reverse("notifications:read", args=[notification.pk])).status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_a_link_off_the_site_goes_to_the_list(client, world):
    _notify(world.trainee, "away", url="https://example.com/phish")
    notification = world.trainee.notifications.get()
    login(client, world.trainee)
    response = client.get(reverse("notifications:go", args=[notification.pk]))
    assert response["Location"] == reverse("notifications:list")


def test_the_list_shows_ones_own_filtered(client, world):
    _notify(world.trainee, "licence:1", title="证书一")
    _notify(world.trainee, "tranche:1", kind="tranche", title="待遇一")
    _notify(world.hospital_a, "licence:2", title="别人的证书")
    mark_all_read(user=world.trainee)
    _notify(world.trainee, "licence:3", title="证书三")
    login(client, world.trainee)
    listed = client.get(reverse("notifications:list")).content.decode()
    assert "证书一" in listed and "待遇一" in listed and "证书三" in listed
    assert "别人的证书" not in listed
    unread = client.get(reverse("notifications:list"), {"unread": "1"}).content.decode()
    assert "证书三" in unread and "证书一" not in unread
    kind = client.get(reverse("notifications:list"), {"kind": "tranche"}).content.decode()
    assert "待遇一" in kind and "证书" not in kind.split('id="notifications"')[1]
    assert client.get(reverse("notifications:list"), {"kind": "nonsense"}).status_code == 400


def test_the_list_costs_the_same_for_many(client, world, django_assert_max_num_queries):
    login(client, world.trainee)
    for n in range(3):
        _notify(world.trainee, f"few:{n}")
    with django_assert_max_num_queries(40) as few:
        client.get(reverse("notifications:list"))
    for n in range(30):
        _notify(world.trainee, f"many:{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("notifications:list"))


def test_marking_all_read(client, world):
    _notify(world.trainee, "a")
    _notify(world.trainee, "b")
    _notify(world.hospital_a, "c")
    login(client, world.trainee)
    response = client.post(reverse("notifications:read_all"))
    assert response.status_code == 302
    assert not world.trainee.notifications.filter(read_at__isnull=True).exists()
    assert world.hospital_a.notifications.filter(read_at__isnull=True).count() == 1


def test_the_api_lists_and_reads_ones_own(as_api, world):
    _notify(world.trainee, "api:1", title="接口提醒")
    _notify(world.hospital_a, "api:2", title="别人的")
    mine = world.trainee.notifications.get()
    theirs = world.hospital_a.notifications.get()
    api = as_api(world.trainee)
    listed = api.get("/api/v1/notifications/").json()
    assert [row["title"] for row in listed["results"]] == ["接口提醒"]
    assert listed["results"][0]["kind_display"] == "执业证书到期"
    assert api.get("/api/v1/notifications/", {"unread": "1"}).json()["results"]
    assert api.get(f"/api/v1/notifications/{theirs.pk}/").status_code == 404
    assert api.post(f"/api/v1/notifications/{theirs.pk}/read/").status_code == 404
    read = api.post(f"/api/v1/notifications/{mine.pk}/read/")
    assert read.status_code == 200 and read.json()["read_at"]
    assert api.get("/api/v1/notifications/", {"unread": "1"}).json()["results"] == []
    _notify(world.trainee, "api:3")
    assert api.post("/api/v1/notifications/read-all/").json() == {"marked": 1}


def test_email_is_sent_once_when_the_site_sends_it(
    world, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.YICAI_NOTIFY_EMAIL = True
    settings.YICAI_SITE_URL = "https://yicai.example.local"
    world.trainee.email = "lixinyi@example.com"
    world.trainee.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        _notify(world.trainee, "mail:1", url="/people/", title="执业证书将于2022-06-30到期")
        _notify(world.hospital_a, "mail:1")  # no address: nothing sent
    with django_capture_on_commit_callbacks(execute=True):
        _notify(world.trainee, "mail:1")
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["lixinyi@example.com"]
    assert "执业证书将于2022-06-30到期" in mailoutbox[0].subject
    assert "https://yicai.example.local/people/" in mailoutbox[0].body
    assert world.trainee.notifications.get().emailed_at is not None
    assert email_pending(keys=["mail:1"]) == 0  # sent once, whoever asks again


def test_no_email_unless_the_site_says_so(world, mailoutbox, django_capture_on_commit_callbacks):
    world.trainee.email = "lixinyi@example.com"
    world.trainee.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        _notify(world.trainee, "quiet")
    assert mailoutbox == []
    assert world.trainee.notifications.get().emailed_at is None


def test_due_dates_are_kept(world):
    notify(
        users=[world.trainee],
        key="dated",
        kind="licence",
        title="t",
        due_on=datetime.date(2022, 6, 30),
    )
    assert world.trainee.notifications.get().due_on == datetime.date(2022, 6, 30)
