"""The completion certificate (结业证书): a real PDF that names the person, the programme,
the cohort, the period, the number and the issuing commission; every download is audited,
and only those who see the member may download it, once they have completed."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import login
from tests.pdf import page_text
from tests.training.programmes import admitted
from yicai.access.models import AuditEntry
from yicai.training.certificates import certificate_pdf
from yicai.training.services.programmes import member_complete

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def completed(world):
    member = admitted(world, world.a_doctor)[0]
    return member_complete(member=member, completed_on=TODAY)


def test_the_certificate_is_a_pdf_with_the_person_programme_and_number(world, completed):
    pdf = certificate_pdf(completed)
    assert pdf.startswith(b"%PDF-")
    assert pdf.rstrip().endswith(b"%%EOF")
    text = page_text(pdf)
    flat = text.replace("\n", "")
    assert "结业证书" in text
    assert world.a_doctor.name in flat
    assert "育才计划" in flat
    assert "第一期" in flat
    assert completed.certificate_number in flat
    region = completed.cohort.programme.region.name
    assert f"{region}卫生健康委员会" in flat
    entered = completed.entered_on
    assert f"{entered.year}年{entered.month}月{entered.day}日" in flat


def test_a_member_who_has_not_completed_has_no_certificate(world):
    member = admitted(world, world.a_doctor)[0]
    with pytest.raises(ValueError):
        certificate_pdf(member)


def test_the_download_is_a_pdf_attachment_and_is_audited(client, world, completed):
    login(client, world.commission)
    before = AuditEntry.objects.filter(event=AuditEntry.Event.EXPORT).count()
    response = client.get(reverse("training:certificate", args=[completed.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert world.a_doctor.name in page_text(response.content).replace("\n", "")
    entries = AuditEntry.objects.filter(event=AuditEntry.Event.EXPORT).order_by("-pk")
    assert entries.count() == before + 1
    entry = entries.first()
    assert entry.actor == world.commission
    assert entry.object_pk == str(completed.pk)
    assert completed.certificate_number in entry.object_repr


def test_the_member_downloads_their_own_certificate(client, world, completed):
    login(client, world.trainee)  # 李心怡 herself
    assert client.get(reverse("training:certificate", args=[completed.pk])).status_code == 200


@pytest.mark.parametrize(
    ("who", "status"),
    [("hospital_b", 404), ("dept_head", 200), ("mentor", 404), ("auditor", 403), ("nobody", 403)],
)
def test_who_may_download_a_certificate(client, world, completed, who, status):
    login(client, getattr(world, who))
    before = AuditEntry.objects.filter(event=AuditEntry.Event.EXPORT).count()
    response = client.get(reverse("training:certificate", args=[completed.pk]))
    assert response.status_code == status
    after = AuditEntry.objects.filter(event=AuditEntry.Event.EXPORT).count()
    assert after == before + (1 if status == 200 else 0)


def test_no_certificate_before_completion(client, world):
    member = admitted(world, world.a_doctor)[0]
    login(client, world.commission)
    response = client.get(reverse("training:certificate", args=[member.pk]))
    assert response.status_code == 403
    assert not AuditEntry.objects.filter(
        event=AuditEntry.Event.EXPORT, object_pk=str(member.pk)
    ).exists()
