"""notifications' part of the scope matrix (collected by `tests.builders.app_matrices`): a
reminder of the trainee's. Everyone has their own list; a notification is its user's alone,
so anyone else following or marking it gets a 404, as for a row out of scope."""

from tests.scope_tables import everyone, only
from yicai.notifications.services import notify


def build(records, world) -> None:
    notify(
        users=[world.trainee],
        key="matrix:licence",
        kind="licence",
        title="执业证书将于2022-06-30到期",
        url=f"/people/{world.a_doctor.pk}/",
    )
    records.notification = world.trainee.notifications.get(key="matrix:licence")


_TRAINEES = {"status": 302, "others": 404}
CASES = {
    "notifications:list": everyone(),
    "notifications:go": only("trainee", **_TRAINEES),
    "notifications:read": only("trainee", **_TRAINEES, method="post"),
    "notifications:read_all": everyone(302, method="post"),
    "api-notifications-list": everyone(anonymous=401),
    "api-notifications-read-all": everyone(anonymous=401, method="post"),
    "api-notifications-row": only("trainee", others=404, anonymous=401),
    "api-notifications-read": only("trainee", others=404, anonymous=401, method="post"),
}
PAGE_KWARGS = {
    "notifications:go": lambda r: {"pk": r.notification.pk},
    "notifications:read": lambda r: {"pk": r.notification.pk},
}
KWARGS = {
    "api-notifications-row": lambda r: {"pk": r.notification.pk},
    "api-notifications-read": lambda r: {"pk": r.notification.pk},
}
