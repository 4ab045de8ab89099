"""The expert network over the API (/api/v1/recruitment/events/, /invitees/, /network/,
/referrals/) and the signed documents uploaded with an agreement or an introduction
(multipart/form-data): the services the pages use, so the same refusals in the same words;
an expert's network as their page tells it; another institution's a 404, a department head
seeing no event; lists that cost the same for few or many rows."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import login
from tests.recruitment.helpers import agreement
from yicai.recruitment import services
from yicai.recruitment.models import Invitee, Referral
from yicai.training.services import mentoring as training

pytestmark = pytest.mark.django_db
D = datetime.date
API = "/api/v1/recruitment"
PDF = b"%PDF-1.4\n%fake but starts right\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 20


def _upload(name, content):
    return SimpleUploadedFile(name, content)


def test_an_event_its_invitees_and_an_experts_network(world, as_api, client):
    api = as_api(world.hospital_a)
    new = {"institution": world.a.pk, "title": "名医专家聘请大会", "held_on": "2022-05-20"}
    elsewhere = api.post(f"{API}/events/", {**new, "institution": world.b.pk}, format="json")
    assert elsewhere.json() == {"institution": ["所选机构不存在或不在您的管辖范围内。"]}
    created = api.post(f"{API}/events/", new, format="json")
    assert created.status_code == 201, created.json()
    event = created.json()
    assert (event["institution"], event["invited"], event["came"], event["invitees"]) == (
        {"id": world.a.pk, "name": world.a.name},
        0,
        0,
        [],
    )
    same_day = api.post(f"{API}/events/", new, format="json")
    assert same_day.json() == {"non_field_errors": ["本单位这一天已有同名的邀请活动。"]}
    row = f"{API}/events/{event['id']}/"
    for person, attended in ((world.partner_expert, True), (world.a_surgeon, False)):
        added = api.post(
            row + "invitees/", {"person": person.pk, "attended": attended}, format="json"
        )
        assert added.status_code == 201, added.json()
    shown = added.json()
    assert (shown["invited"], shown["came"]) == (2, 1)
    assert [(line["person"]["id"], line["attended"]) for line in shown["invitees"]] == [
        (world.partner_expert.pk, True),
        (world.a_surgeon.pk, False),
    ]
    # Twice, or someone of another hospital: refused as on the page.
    page = login(client, world.hospital_a)
    twice = api.post(row + "invitees/", {"person": world.partner_expert.pk}, format="json")
    assert twice.json() == {"non_field_errors": ["该专家已在本次邀请名单中。"]}
    form = page.post(
        f"/recruitment/events/{event['id']}/invitees/",
        {"person": world.partner_expert.pk, "attended": "1"},
    )
    assert "该专家已在本次邀请名单中。" in form.content.decode()
    outside = api.post(row + "invitees/", {"person": world.b_doctor.pk}, format="json")
    assert outside.json() == {"person": ["所选受邀专家不在可选范围内。"]}
    form = page.post(
        f"/recruitment/events/{event['id']}/invitees/",
        {"person": world.b_doctor.pk, "attended": "1"},
    )
    assert "所选受邀专家不在可选范围内。" in form.content.decode()
    assert Invitee.objects.count() == 2
    changed = api.patch(row, {"note": "第一批"}, format="json")
    assert (changed.status_code, changed.json()["note"], changed.json()["invited"]) == (
        200,
        "第一批",
        2,
    )
    # The expert came, brought the surgeon, and leads a mentorship since.
    expert = world.partner_expert
    network = f"{API}/network/{expert.pk}/"
    brought = api.post(
        network + "referrals/",
        {"referred": world.a_surgeon.pk, "institution": world.a.pk, "referred_on": "2022-06-01"},
        format="json",
    )
    assert brought.status_code == 201, brought.json()
    again = api.post(
        network + "referrals/",
        {"referred": world.a_surgeon.pk, "institution": world.a.pk, "referred_on": "2022-07-01"},
        format="json",
    )
    assert again.json() == {"non_field_errors": ["已登记过这次引荐。"]}
    oneself = api.post(
        network + "referrals/",
        {"referred": expert.pk, "institution": world.a.pk, "referred_on": "2022-07-01"},
        format="json",
    )
    assert oneself.json() == {"non_field_errors": ["引荐人与被引荐人不能是同一人。"]}
    mentorship = training.mentorship_create(
        mentor=expert,
        institution=world.a,
        department=world.a_cardiology,
        start_on=D(2022, 7, 1),
        apprentices=[world.a_doctor],
    )
    shown = api.get(network).json()
    assert shown["person"] == {
        "id": expert.pk,
        "name": expert.name,
        "institution": {"id": world.partner.pk, "name": world.partner.name},
    }
    assert [(line["event"]["title"], line["attended"]) for line in shown["invitations"]] == [
        ("名医专家聘请大会", True)
    ]
    assert [line["referred"]["id"] for line in shown["brought"]] == [world.a_surgeon.pk]
    assert (shown["brought_by"], shown["introductions"], shown["visits"]) == ([], [], 0)
    assert [line["id"] for line in shown["mentorships"]] == [mentorship.pk]
    surgeon = api.get(f"{API}/network/{world.a_surgeon.pk}/").json()
    assert [line["referrer"]["name"] for line in surgeon["brought_by"]] == [expert.name]
    assert [line["attended"] for line in surgeon["invitations"]] == [False]
    listed = {line["id"]: line for line in api.get(f"{API}/network/").json()["results"]}
    assert (listed[expert.pk]["mentorships"], listed[expert.pk]["studios"]) == (1, 0)
    assert set(listed) == {expert.pk, world.a_surgeon.pk}
    # Hospital B's network holds none of A's; it removes nothing of A's.
    hospital_b = as_api(world.hospital_b)
    referral = Referral.objects.get()
    invitee = Invitee.objects.get(person=expert)
    assert hospital_b.get(network).status_code == 404
    assert hospital_b.get(f"{API}/network/").json()["results"] == []
    assert hospital_b.get(row).status_code == 404
    assert hospital_b.get(f"{API}/events/").json()["results"] == []
    assert hospital_b.delete(f"{API}/referrals/{referral.pk}/").status_code == 404
    assert hospital_b.delete(f"{API}/invitees/{invitee.pk}/").status_code == 404
    assert (
        hospital_b.post(row + "invitees/", {"person": world.b_doctor.pk}, format="json").status_code
        == 404
    )
    # A's surgeon is no expert B may name (the partner hospital's expert is: as on the page).
    surgeons = f"{API}/network/{world.a_surgeon.pk}/referrals/"
    assert hospital_b.post(surgeons, {}, format="json").status_code == 404
    # An event is the HR office's: the cardiology head sees none, and removes nothing.
    head = as_api(world.dept_head)
    assert head.get(f"{API}/events/").json()["results"] == []
    assert head.get(row).status_code == 404
    assert head.delete(f"{API}/invitees/{invitee.pk}/").status_code == 403
    assert head.post(row + "invitees/", {"person": expert.pk}, format="json").status_code == 403
    for user in (world.trainee, world.mentor, world.auditor):
        assert as_api(user).get(f"{API}/network/").status_code == 403
    # A's own removes them.
    assert api.get(f"{API}/invitees/{invitee.pk}/").json()["person"]["id"] == expert.pk
    assert api.delete(f"{API}/invitees/{invitee.pk}/").status_code == 204
    assert api.get(row).json()["invited"] == 1
    assert api.get(f"{API}/referrals/{referral.pk}/").json()["referrer"]["id"] == expert.pk
    assert api.delete(f"{API}/referrals/{referral.pk}/").status_code == 204
    assert not Referral.objects.exists()
    assert api.get(network).status_code == 404  # no longer in A's network


def test_the_lists_cost_the_same_for_few_or_many(world, as_api):
    api = as_api(world.commission)
    event = services.event_create(by=None, institution=world.a, title="邀请", held_on=D(2022, 5, 1))
    services.invitee_add(by=None, event=event, person=world.partner_expert)

    def count(url):
        with CaptureQueriesContext(connection) as captured:
            answer = api.get(url)
        assert answer.status_code == 200
        return len(captured), len(answer.json()["results"])

    few_people = count(f"{API}/network/")
    few_events = count(f"{API}/events/")
    assert (few_people[1], few_events[1]) == (1, 1)
    people = (world.a_doctor, world.a_surgeon, world.a_ward_nurse, world.b_doctor)
    for person in people:
        services.invitee_add(by=None, event=event, person=person)
    for number in range(4):
        other = services.event_create(
            by=None, institution=world.b, title=f"邀请{number}", held_on=D(2022, 6, number + 1)
        )
        services.invitee_add(by=None, event=other, person=world.b_doctor, attended=False)
    training.mentorship_create(
        mentor=world.partner_expert,
        institution=world.a,
        department=world.a_cardiology,
        start_on=D(2022, 7, 1),
        apprentices=[world.a_doctor],
    )
    assert count(f"{API}/network/") == (few_people[0], 5)
    assert count(f"{API}/events/") == (few_events[0], 5)
    events = api.get(f"{API}/events/", {"institution": world.b.pk}).json()["results"]
    assert {(line["invited"], line["came"]) for line in events} == {(1, 0)} and len(events) == 4
    assert [
        line["title"] for line in api.get(f"{API}/events/", {"q": "邀请2"}).json()["results"]
    ] == ["邀请2"]
    bad = api.get(f"{API}/events/", {"since": "2022-06-01", "until": "2022-05-01"})
    assert (bad.status_code, bad.json()) == (400, {"until": ["截止日期不能早于起始日期。"]})
    assert api.get(f"{API}/events/", {"institution": "99999999999999999999"}).status_code == 400
    named = api.get(f"{API}/network/", {"q": world.b_doctor.name}).json()["results"]
    assert [line["id"] for line in named] == [world.b_doctor.pk]
    # No identity number of anyone in the network is answered.
    for url in (
        f"{API}/network/",
        f"{API}/network/{world.a_doctor.pk}/",
        f"{API}/events/{event.pk}/",
    ):
        body = api.get(url).content
        assert not any(
            getattr(world, key).id_number.encode() in body for key in ("a_doctor", "b_doctor")
        )


def test_signed_documents_come_as_multipart_and_are_served_within_scope(world, as_api, client):
    kept = agreement(world, by=world.hospital_a)
    api = as_api(world.hospital_a)
    row = f"{API}/agreements/{kept.pk}/"
    assert api.get(row).json()["document"] is None
    refused = api.patch(row, {"document": _upload("协议.pdf", b"MZ not a pdf")}, format="multipart")
    assert (refused.status_code, refused.json()) == (
        400,
        {"document": ["协议文本须是 PDF、JPG 或 PNG 文件。"]},
    )
    kept.refresh_from_db()
    assert not kept.document
    saved = api.patch(
        row,
        {"terms": "专家坐诊、手术带教", "document": _upload("协议.pdf", PDF)},
        format="multipart",
    )
    assert saved.status_code == 200, saved.json()
    link = saved.json()["document"]
    assert link == f"/recruitment/agreements/{kept.pk}/document/"
    kept.refresh_from_db()
    assert kept.terms == "专家坐诊、手术带教" and "协议" not in kept.document.name
    login(client, world.hospital_a)
    assert b"".join(client.get(link).streaming_content) == PDF
    login(client, world.hospital_b)
    assert client.get(link).status_code == 404
    # An introduction recorded with its signed agreement (a PNG), in one multipart request.
    made = api.post(
        f"{API}/introductions/",
        {
            "person": world.a_doctor.pk,
            "institution": world.a.pk,
            "department": "",
            "introduced_on": "2021-09-01",
            "introduction_mode": "full_time",
            "introduction_category": "shortage",
            "document": _upload("引进协议.png", PNG),
        },
        format="multipart",
    )
    assert made.status_code == 201, made.json()
    body = made.json()
    assert (body["department"], body["document"]) == (
        None,
        f"/recruitment/introductions/{body['id']}/document/",
    )
    assert body["document"] not in str(api.get(f"{API}/introductions/").json())  # the list's rows
    assert as_api(world.hospital_b).get(f"{API}/introductions/{body['id']}/").status_code == 404
    login(client, world.hospital_a)
    assert b"".join(client.get(body["document"]).streaming_content) == PNG
    wrong = api.post(
        f"{API}/introductions/",
        {
            "person": world.a_surgeon.pk,
            "institution": world.a.pk,
            "introduced_on": "2021-09-01",
            "introduction_mode": "full_time",
            "introduction_category": "shortage",
            "document": _upload("引进协议.pdf", b"<html>"),
        },
        format="multipart",
    )
    assert wrong.json() == {"document": ["协议文本须是 PDF、JPG 或 PNG 文件。"]}
    # JSON still does for everything but the file.
    plain = api.patch(f"{API}/introductions/{body['id']}/", {"tier": "B类"}, format="json")
    assert (plain.json()["tier"], plain.json()["document"]) == ("B类", body["document"])
