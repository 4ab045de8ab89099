"""The expert network and the signed documents: an invitation event with who came; an
expert's page saying how they came (introduced, brought by a colleague, invited) and what
they did since (a mentorship they lead, visits they made), whom they brought; the network
list counting those in two queries whatever the page holds; an agreement's and an
introduction's signed text uploaded (a PDF kept, anything else refused by its content) and
downloaded by those who see the record only."""

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import login
from tests.recruitment.helpers import agreement
from yicai.access.models import AuditEntry
from yicai.recruitment import services
from yicai.recruitment.models import InvitationEvent, Invitee
from yicai.training.services import mentoring as training

pytestmark = pytest.mark.django_db
D = datetime.date
PDF = b"%PDF-1.4\n%fake but starts right\n"


def test_an_event_its_invitees_and_an_experts_page(client, world):
    login(client, world.hospital_a)
    created = client.post(
        "/recruitment/events/new/",
        {"institution": world.a.pk, "title": "名医专家聘请大会", "held_on": "2022-05-20"},
    )
    event = InvitationEvent.objects.get()
    assert created["Location"] == f"/recruitment/events/{event.pk}/"
    page = f"/recruitment/events/{event.pk}/"
    for person, attended in ((world.partner_expert, "1"), (world.a_surgeon, "0")):
        added = client.post(page + "invitees/", {"person": person.pk, "attended": attended})
        assert added.status_code == 302
    again = client.post(page + "invitees/", {"person": world.partner_expert.pk, "attended": "1"})
    assert again.status_code == 400 and "该专家已在本次邀请名单中。" in again.content.decode()
    # Another hospital's person is not offered, and refused when posted.
    outside = client.post(page + "invitees/", {"person": world.b_doctor.pk, "attended": "1"})
    assert outside.status_code == 400 and Invitee.objects.count() == 2
    listed = client.get("/recruitment/events/").content.decode()
    assert "名医专家聘请大会" in listed
    # The expert came, brought the surgeon, and leads a mentorship since.
    expert = world.partner_expert
    referred = client.post(
        f"/recruitment/network/{expert.pk}/referrals/",
        {"referred": world.a_surgeon.pk, "institution": world.a.pk, "referred_on": "2022-06-01"},
    )
    assert referred.status_code == 302, referred.content.decode()[-3000:]
    mentorship = training.mentorship_create(
        mentor=expert,
        institution=world.a,
        department=world.a_cardiology,
        start_on=D(2022, 7, 1),
        apprentices=[world.a_doctor],
    )
    shown = client.get(f"/recruitment/network/{expert.pk}/").content.decode()
    assert "受邀参加" in shown and "名医专家聘请大会" in shown
    assert world.a_surgeon.name in shown
    assert f"/training/mentorships/{mentorship.pk}/" in shown
    surgeon = client.get(f"/recruitment/network/{world.a_surgeon.pk}/").content.decode()
    assert f"由{expert.name}引荐至{world.a.name}" in surgeon and "（未到场）" in surgeon
    # Hospital B's network holds none of A's.
    login(client, world.hospital_b)
    assert client.get(f"/recruitment/network/{expert.pk}/").status_code == 404
    assert expert.name not in client.get("/recruitment/network/").content.decode()


def test_the_network_list_reads_the_same_queries_for_few_or_many_experts(client, world):
    event = services.event_create(by=None, institution=world.a, title="邀请", held_on=D(2022, 5, 1))
    services.invitee_add(by=None, event=event, person=world.partner_expert)
    login(client, world.commission)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/recruitment/network/").status_code == 200
        return len(captured)

    few = queries()
    for person in (world.a_doctor, world.a_surgeon, world.a_ward_nurse, world.b_doctor):
        services.invitee_add(by=None, event=event, person=person)
    assert queries() == few
    # The export: a line an expert, with their counts; audited.
    sheet = client.get("/recruitment/network/?export=xlsx")
    rows = list(openpyxl.load_workbook(io.BytesIO(sheet.getvalue())).active.values)
    assert rows[0] == ("专家", "所在单位", "带教", "工作室", "下沉服务") and len(rows) == 6
    assert AuditEntry.objects.filter(event="export", object_repr__contains="专家网络").exists()


def test_signed_documents_are_kept_checked_and_served_within_scope(client, world):
    login(client, world.hospital_a)
    kept = agreement(world, by=world.hospital_a)
    edit = f"/recruitment/agreements/{kept.pk}/edit/"
    values = {
        "institution": world.a.pk,
        "partner": world.partner.pk,
        "kind": "co_building",
        "title": kept.title,
        "signed_on": "2021-03-20",
        "starts_on": "2021-04-01",
        "terms": "心血管专科共建：专家坐诊、手术带教",
    }
    refused = client.post(
        edit, {**values, "document": SimpleUploadedFile("协议.pdf", b"MZ not a pdf")}
    )
    assert "协议文本须是 PDF、JPG 或 PNG 文件。" in refused.content.decode()
    kept.refresh_from_db()
    assert not kept.document
    saved = client.post(edit, {**values, "document": SimpleUploadedFile("协议.pdf", PDF)})
    assert saved.status_code == 302
    kept.refresh_from_db()
    assert kept.terms.startswith("心血管") and kept.document.name.endswith(".pdf")
    assert "协议" not in kept.document.name  # kept under a random name
    download = client.get(f"/recruitment/agreements/{kept.pk}/document/")
    assert b"".join(download.streaming_content) == PDF
    login(client, world.hospital_b)
    assert client.get(f"/recruitment/agreements/{kept.pk}/document/").status_code == 404
    # An introduction's agreement likewise.
    introduction = services.introduction_create(
        by=None,
        person=world.a_doctor,
        institution=world.a,
        introduced_on=D(2021, 9, 1),
        mode="full_time",
        category="shortage",
        document=SimpleUploadedFile("引进协议.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20),
    )
    assert introduction.document.name.endswith(".png")
    login(client, world.hospital_a)
    page = client.get(f"/recruitment/introductions/{introduction.pk}/").content.decode()
    assert f"/recruitment/introductions/{introduction.pk}/document/" in page
