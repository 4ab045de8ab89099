"""Remote consultations through the pages: the list (filters, export, empty state), record
and complete one; the case is described without the patient, the requesting doctor is of the
requesting institution, and another hospital's consultations are out of reach."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import login
from yicai.access.models import AuditEntry
from yicai.training.models import Consultation
from yicai.training.services.activity import consultation_record


def consult(world, on=datetime.date(2024, 5, 1), **extra):
    return consultation_record(
        expert=extra.pop("expert", world.partner_expert),
        requester=extra.pop("requester", world.a_doctor),
        institution=extra.pop("institution", world.a),
        held_on=on,
        summary=extra.pop("summary", "男，62 岁，反复胸痛 3 天"),
        **extra,
    )


def _form(world, **changes) -> dict:
    data = {
        "expert": world.partner_expert.pk,
        "requester": world.a_doctor.pk,
        "institution": world.a.pk,
        "held_on": "2024-05-01",
        "summary": "女，45 岁，右上腹痛伴发热 2 天",
        "advice": "完善腹部 CT",
        "outcome": "",
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def test_a_hospital_records_a_consultation_and_adds_the_outcome_later(world, client):
    login(client, world.hospital_a)
    assert client.get("/training/consultations/new/").status_code == 200
    created = client.post("/training/consultations/new/", _form(world))
    assert created.status_code == 302
    item = Consultation.objects.get()
    edited = client.post(
        f"/training/consultations/{item.pk}/edit/", _form(world, outcome="转上级医院手术")
    )
    assert edited.status_code == 302
    item.refresh_from_db()
    assert (item.outcome, item.summary) == ("转上级医院手术", "女，45 岁，右上腹痛伴发热 2 天")
    entry = AuditEntry.objects.get_for_object(item).filter(action=AuditEntry.Action.UPDATE).get()
    assert entry.actor == world.hospital_a


def test_a_refused_edit_names_the_consultation_as_it_is_saved(world, client):
    item = consult(world)
    login(client, world.hospital_a)
    response = client.post(
        f"/training/consultations/{item.pk}/edit/",
        _form(world, held_on="2024-06-30", summary="患者电话 13912345678"),
    )
    assert response.status_code == 200
    assert "summary" in response.context["form"].errors
    assert response.context["consultation"].held_on == datetime.date(2024, 5, 1)


@pytest.mark.parametrize(
    "who, changes, field",
    [
        ("hospital_a", {"summary": "患者 310113198506010011，胸痛"}, "summary"),
        ("hospital_a", {"advice": "联系家属 13800138000"}, "advice"),
        ("hospital_a", {"summary": ""}, "summary"),
        ("hospital_a", {"held_on": "2999-01-01"}, "held_on"),  # a consultation has been held
        ("hospital_a", {"requester": "b_doctor"}, "requester"),
        ("hospital_a", {"institution": "b"}, "institution"),
        ("hospital_a", {"expert": "a_doctor"}, "expert"),  # the requester themself
        ("commission", {"requester": "b_doctor"}, "requester"),  # not of institution A
    ],
)
def test_a_consultation_that_does_not_fit_is_refused_and_nothing_is_written(
    world, client, who, changes, field
):
    values = {
        name: getattr(world, value).pk if hasattr(world, value) else value
        for name, value in changes.items()
    }
    login(client, getattr(world, who))
    response = client.post("/training/consultations/new/", _form(world, **values))
    assert response.status_code == 200
    assert field in response.context["form"].errors, response.context["form"].errors
    assert not Consultation.objects.exists()


def test_a_refused_edit_keeps_the_consultation_as_it_was(world, client):
    item = consult(world)
    login(client, world.hospital_a)
    response = client.post(
        f"/training/consultations/{item.pk}/edit/",
        _form(world, summary="患者王某，身份证 310113198506010011"),
    )
    assert "不能填写身份证号、手机号等患者信息" in response.content.decode()
    item.refresh_from_db()
    assert item.summary == "男，62 岁，反复胸痛 3 天"


def test_another_hospital_cannot_open_or_post_to_a_consultation(world, client):
    item = consult(world)
    login(client, world.hospital_b)
    assert client.get(f"/training/consultations/{item.pk}/edit/").status_code == 404
    posted = client.post(
        f"/training/consultations/{item.pk}/edit/",
        _form(world, requester=world.b_doctor.pk, institution=world.b.pk),
    )
    assert posted.status_code == 404
    item.refresh_from_db()
    assert item.requester == world.a_doctor


def test_the_list_filters_exports_and_shows_an_empty_state(world, client):
    early = consult(world, datetime.date(2024, 3, 1))
    late = consult(world, datetime.date(2024, 6, 1), outcome="好转")
    consult(
        world,
        datetime.date(2024, 6, 2),
        requester=world.b_doctor,
        institution=world.b,
        summary="儿童发热",
    )
    login(client, world.hospital_a)

    def shown(**filters):
        page = client.get("/training/consultations/", filters)
        return [item.pk for item in page.context["page_obj"]]

    assert shown() == [late.pk, early.pk]
    assert shown(since="2024-04-01") == [late.pk]
    assert shown(until="2024-04-01", q="孙名") == [early.pk]
    assert shown(institution=world.a.pk) == [late.pk, early.pk]
    assert shown(institution=world.b.pk) == [late.pk, early.pk]  # not A's to ask about: ignored
    empty = client.get("/training/consultations/", {"q": "无此人"}).content.decode()
    assert "没有符合条件的远程会诊" in empty
    page = client.get("/training/consultations/").context
    assert page["editable"] == {early.pk, late.pk}

    export = client.get("/training/consultations/", {"export": "csv"})
    text = b"".join(export.streaming_content).decode("utf-8-sig")
    assert "好转" in text and "儿童发热" not in text
    assert AuditEntry.objects.filter(event="export").exists()

    login(client, world.trainee)  # the requesting doctor sees theirs, edits none
    page = client.get("/training/consultations/")
    assert shown() == [late.pk, early.pk] and page.context["editable"] == set()
    assert client.get("/training/consultations/", {"export": "csv"}).status_code == 403


def test_the_list_does_not_grow_its_queries(world, client):
    login(client, world.hospital_a)
    consult(world)

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/training/consultations/").status_code == 200
        return len(captured)

    few = count()
    for day in range(1, 12):
        consult(world, datetime.date(2024, 5, day), requester=world.a_surgeon)
    assert count() == few
