"""Recording, correcting and deleting expert visits through the pages: the links must fit
(the studio and mentorship are the expert's at that institution, the department is the
institution's), the note names no patient, and another hospital's visits are out of reach."""

import datetime

import pytest
from django.utils import timezone

from tests.conftest import login
from tests.training.helpers import mentorship
from yicai.access.models import AuditEntry
from yicai.training.models import Visit
from yicai.training.services.activity import visit_record
from yicai.training.services.mentoring import mentorship_create
from yicai.training.services.studios import studio_create

TODAY = timezone.localdate()


def _form(world, **changes) -> dict:
    data = {
        "expert": world.partner_expert.pk,
        "kind": "surgery_guidance",
        "held_on": (TODAY - datetime.timedelta(days=3)).isoformat(),
        "institution": world.a.pk,
        "department": world.a_surgery.pk,
        "patients": "0",
        "attendees": "6",
        "operations": "2",
        "note": "腹腔镜胆囊切除术带教",
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def test_a_hospital_records_corrects_and_deletes_a_visit(world, client):
    pair = mentorship(world)
    login(client, world.hospital_a)
    assert 'id="visit-create"' in client.get("/training/visits/").content.decode()
    created = client.post("/training/visits/new/", _form(world, mentorship=pair.pk))
    assert created.status_code == 302 and created.url == "/training/visits/"
    visit = Visit.objects.get()
    assert (visit.mentorship, visit.operations, visit.department) == (pair, 2, world.a_surgery)

    page = client.get(f"/training/visits/{visit.pk}/edit/")
    assert page.context["form"].initial["expert"] == world.partner_expert
    planned = (TODAY + datetime.timedelta(days=10)).isoformat()
    edited = client.post(
        f"/training/visits/{visit.pk}/edit/?next=/training/visits/calendar/",
        _form(world, held_on=planned, kind="lecture", operations="0", attendees="30"),
    )
    assert edited.status_code == 302 and edited.url == "/training/visits/calendar/"
    visit.refresh_from_db()
    assert (visit.held_on.isoformat(), visit.kind, visit.mentorship) == (planned, "lecture", None)
    entry = AuditEntry.objects.get_for_object(visit).filter(action=AuditEntry.Action.UPDATE).get()
    assert entry.actor == world.hospital_a

    deleted = client.post(f"/training/visits/{visit.pk}/delete/")
    assert deleted.status_code == 302 and not Visit.objects.exists()
    assert client.get(f"/training/visits/{visit.pk}/edit/").status_code == 404


def test_a_next_address_off_the_site_is_ignored(world, client):
    login(client, world.hospital_a)
    response = client.post("/training/visits/new/?next=https://evil.example/", _form(world))
    assert response.status_code == 302 and response.url == "/training/visits/"


@pytest.mark.parametrize(
    "who, changes, field",
    [
        ("hospital_a", {"institution": "b"}, "institution"),
        ("hospital_a", {"department": "b_medicine"}, "department"),
        ("hospital_a", {"studio": "b_studio"}, "studio"),
        ("hospital_a", {"note": "患者张某 13800138000 术后随访"}, "note"),
        ("hospital_a", {"note": "身份证 310113198506010011"}, "note"),
        ("hospital_a", {"operations": "-2"}, "operations"),
        ("hospital_a", {"held_on": "1899-12-31"}, "held_on"),
        ("hospital_a", {"held_on": "not a date"}, "held_on"),
        ("hospital_a", {"kind": "picnic"}, "kind"),
        ("hospital_a", {"mentorship": "other_pair"}, "mentorship"),  # not this expert's
        ("commission", {"department": "b_medicine"}, "department"),
        ("commission", {"studio": "b_studio"}, "studio"),
    ],
)
def test_a_visit_that_does_not_fit_is_refused_and_nothing_is_written(
    world, client, who, changes, field
):
    named = {
        "b_studio": studio_create(
            name="乙院全科工作室",
            lead=world.b_doctor,
            tier="district",
            institution=world.b,
            founded_on=datetime.date(2024, 1, 1),
        ),
        "other_pair": mentorship_create(
            mentor=world.a_surgeon,
            apprentices=[world.a_doctor],
            institution=world.a,
            start_on=datetime.date(2024, 1, 1),
        ),
    }

    def pk(value):
        if value in named:
            return named[value].pk
        return getattr(world, value).pk if hasattr(world, value) else value

    login(client, getattr(world, who))
    values = {name: pk(value) for name, value in changes.items()}
    response = client.post("/training/visits/new/", _form(world, **values))
    assert response.status_code == 200
    assert field in response.context["form"].errors, response.context["form"].errors
    assert not Visit.objects.exists()


def test_a_refused_edit_changes_nothing(world, client):
    visit = visit_record(
        expert=world.partner_expert,
        kind="clinic",
        institution=world.a,
        held_on=TODAY,
        patients=12,
    )
    login(client, world.hospital_a)
    response = client.post(
        f"/training/visits/{visit.pk}/edit/",
        _form(world, patients="40", note="患者电话 13912345678"),
    )
    assert "不能填写身份证号、手机号等患者信息" in response.content.decode()
    visit.refresh_from_db()
    assert (visit.patients, visit.kind, visit.note) == (12, "clinic", "")


def test_another_hospital_cannot_open_edit_or_delete_a_visit(world, client):
    visit = visit_record(
        expert=world.partner_expert, kind="clinic", institution=world.a, held_on=TODAY
    )
    login(client, world.hospital_b)
    assert client.get(f"/training/visits/{visit.pk}/edit/").status_code == 404
    posted = client.post(
        f"/training/visits/{visit.pk}/edit/",
        _form(world, institution=world.b.pk, department=world.b_medicine.pk),
    )
    assert posted.status_code == 404
    assert client.post(f"/training/visits/{visit.pk}/delete/").status_code == 404
    assert client.get(f"/training/visits/{visit.pk}/delete/").status_code in (404, 405)
    visit.refresh_from_db()
    assert visit.institution == world.a
    login(client, world.mentor)  # the expert sees it, but records are the hospital's to edit
    assert client.get(f"/training/visits/{visit.pk}/edit/").status_code == 403
    assert client.post(f"/training/visits/{visit.pk}/delete/").status_code == 403
    assert Visit.objects.filter(pk=visit.pk).exists()


def test_the_visit_list_links_the_rows_the_user_may_edit(world, client):
    visit = visit_record(
        expert=world.partner_expert, kind="clinic", institution=world.a, held_on=TODAY
    )
    login(client, world.hospital_a)
    page = client.get("/training/visits/")
    assert page.context["editable"] == {visit.pk}
    assert f"/training/visits/{visit.pk}/edit/" in page.content.decode()
    login(client, world.mentor)
    page = client.get("/training/visits/")
    assert [row.pk for row in page.context["page_obj"]] == [visit.pk]
    assert f"/training/visits/{visit.pk}/edit/" not in page.content.decode()
