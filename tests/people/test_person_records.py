"""Adding and removing the records a profile is made of, through the pages."""

import pytest

from tests.conftest import login
from yicai.access.models import AuditEntry
from yicai.codes.queries import code_for
from yicai.people.models import TitleRecord


def test_adding_a_title_updates_the_profile_and_the_timeline(world, client):
    login(client, world.hospital_a)
    person = world.a_doctor
    response = client.post(
        f"/people/{person.pk}/records/title/new/",
        {"title": code_for("title", "232").pk, "obtained_on": "2024-12-01"},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.current_title.name == "副主任医师" and person.title_grade == "associate_senior"
    page = client.get(f"/people/{person.pk}/").content.decode()
    assert "取得 副主任医师" in page


def test_removing_the_latest_title_falls_back_to_the_one_before(world, client):
    login(client, world.hospital_a)
    person = world.a_doctor
    client.post(
        f"/people/{person.pk}/records/title/new/",
        {"title": code_for("title", "232").pk, "obtained_on": "2024-12-01"},
    )
    latest = TitleRecord.objects.filter(person=person).latest("obtained_on")
    response = client.post(f"/people/{person.pk}/records/title/{latest.pk}/delete/")
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.current_title.name == "主治医师"
    assert (
        AuditEntry.objects.get_for_object(latest).filter(action=AuditEntry.Action.DELETE).exists()
    )


def test_a_title_series_header_is_not_a_title(world, client):
    login(client, world.hospital_a)
    response = client.post(
        f"/people/{world.a_doctor.pk}/records/title/new/",
        {"title": code_for("title", "230").pk, "obtained_on": "2024-12-01"},
    )
    assert "title" in response.context["form"].errors


@pytest.mark.parametrize(
    ("kind", "data", "field", "message"),
    [
        (
            "appointment",
            {"start_on": "2020-01-01", "end_on": "2019-01-01"},
            "end_on",
            "截止日期不能早于起始日期",
        ),
        (
            "tag",
            {"valid_from": "2024-01-01", "valid_to": "2023-01-01"},
            "valid_to",
            "有效期不能早于认定日期",
        ),
        (
            "licence",
            {
                "number": "X1",
                "category": "1",
                "issued_on": "2024-01-01",
                "expires_on": "2020-01-01",
            },
            "expires_on",
            "有效期不能早于发证日期",
        ),
        (
            "education",
            {"school": "复旦大学", "graduated_on": "2999-01-01"},
            "graduated_on",
            "不能晚于今天",
        ),
    ],
)
def test_records_with_dates_out_of_order_are_refused(world, client, kind, data, field, message):
    login(client, world.hospital_a)
    defaults = {
        "appointment": {"institution": world.a.pk},
        "tag": {"tag": code_for("talent_tag", "shortage").pk},
        "licence": {},
        "education": {"level": code_for("education", "21").pk},
    }
    response = client.post(
        f"/people/{world.a_doctor.pk}/records/{kind}/new/", {**defaults[kind], **data}
    )
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])


def test_a_new_current_appointment_moves_the_person(world, client):
    login(client, world.commission)
    person = world.a_surgeon
    client.post(
        f"/people/{person.pk}/records/appointment/new/",
        {
            "institution": world.b.pk,
            "department": world.b_medicine.pk,
            "position": "全科医师",
            "start_on": "2025-01-01",
        },
    )
    person.refresh_from_db()
    # Both appointments are open; the latest start is the current post.
    assert person.institution == world.b and person.department == world.b_medicine
    login(client, world.hospital_a)
    assert client.get(f"/people/{person.pk}/").status_code == 404


def test_records_of_people_outside_the_scope_cannot_be_added_or_removed(world, client):
    login(client, world.hospital_a)
    other = world.b_doctor
    record = other.titles.get()
    data = {"title": code_for("title", "231").pk, "obtained_on": "2024-01-01"}
    assert client.post(f"/people/{other.pk}/records/title/new/", data).status_code == 404
    assert client.post(f"/people/{other.pk}/records/title/{record.pk}/delete/").status_code == 404
    mine = world.a_doctor
    assert client.post(f"/people/{mine.pk}/records/title/{record.pk}/delete/").status_code == 404
    assert TitleRecord.objects.filter(pk=record.pk).exists()
    login(client, world.dept_head)  # may see, may not edit
    assert client.post(f"/people/{mine.pk}/records/title/new/", data).status_code == 403
