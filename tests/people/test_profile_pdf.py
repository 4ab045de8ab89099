"""A person's profile as PDF (个人档案, issue 15): the record the person page shows, on paper.

The PDF names the person, their post, title, education, licence, appointments and talent
tags with their dates, masks the identity and phone numbers as the page does, prints the
timeline other apps add to (引's introduction, 育's credits), says 未登记 for what is missing,
and carries its title, the day it was printed and page numbers. Whoever may see the page may
download it (person.view, same scope: 404 outside it); every download is in the audit log;
the API answers the same PDF; the queries do not grow with the timeline."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.builders import once_per_module
from tests.conftest import login
from tests.pdf import page_text
from yicai.access.models import AuditEntry
from yicai.codes.queries import code_for
from yicai.people import services
from yicai.recruitment import services as recruitment
from yicai.training.services.education import external_credit_record

pytestmark = pytest.mark.django_db
D = datetime.date
PHONE = "13912345678"


def _profiled(world, name: str, credits: int):
    """A cardiologist of hospital A with one of each record, introduced in 2020 (引) and
    with `credits` courses of CME credits (育) on the timeline."""
    person = factories.person(
        world.a,
        name,
        department=world.a_cardiology,
        birth=D(1986, 4, 12),
        title="233",
        phone=PHONE,
    )
    services.education_add(
        person=person,
        level=code_for("education", "21"),
        degree=code_for("degree", "410"),
        school="福建医科大学",
        major="临床医学",
        graduated_on=D(2009, 7, 1),
    )
    services.appointment_add(
        person=person,
        institution=world.a,
        department=world.a_cardiology,
        position="心内科副主任",
        start_on=D(2021, 3, 1),
    )
    services.tag_add(
        person=person,
        tag=code_for("talent_tag", "young_backbone"),
        valid_from=D(2022, 3, 1),
        valid_to=D(2025, 2, 28),
    )
    recruitment.introduction_create(
        by=None,
        person=person,
        institution=world.a,
        department=world.a_cardiology,
        introduced_on=D(2020, 9, 1),
        mode="full_time",
        category="shortage",
    )
    for number in range(credits):
        external_credit_record(
            person=person,
            earned_on=D(2023, 1, 1) + datetime.timedelta(days=7 * number),
            title=f"心血管介入进展第{number + 1}讲",
            provider="省医学会",
            credit_class="class_i",
            credits="2",
        )
    person.refresh_from_db()
    return person


def _build(world):
    return {
        "one": _profiled(world, "吴档案", credits=1),
        "twenty": _profiled(world, "郑档案", credits=20),
    }


_built, records = once_per_module(_build)


def _url(person) -> str:
    return reverse("people:profile_pdf", args=[person.pk])


def _flat(pdf: bytes) -> str:
    return page_text(pdf).replace("\n", "")


def test_the_pdf_holds_the_record_the_page_shows(client, world, records):
    person = records["one"]
    login(client, world.hospital_a)
    response = client.get(_url(person))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content.startswith(b"%PDF-")
    text = _flat(response.content)
    today = timezone.localdate()
    assert "个人档案 — 吴档案" in text
    assert f"打印日期：{today.isoformat()}" in text
    assert "第 1 页，共 2 页" in text and "第 2 页，共 2 页" in text
    # The card: institution, department, post, category, title and its grade, education,
    # birth with the age on the day printed (born 12 April 1986).
    age = today.year - 1986 - ((today.month, today.day) < (4, 12))
    for shown in (
        "甲区中心医院",
        "心血管内科",
        "心内科副主任",
        "在编在岗职工",
        "主治医师",
        "中级",
        "大学本科毕业",
        "男",
        f"1986-04-12（{age} 岁）",
    ):
        assert shown in text, shown
    # Numbers masked as on the page: the last four digits only.
    full = person.id_number
    assert f"{'*' * 14}{full[-4:]}" in text
    assert full not in text and full[:10] not in text
    assert f"{'*' * 7}5678" in text and PHONE not in text
    # The records, with their dates.
    assert "福建医科大学" in text and "医学学士学位" in text and "2009-07-01" in text
    assert "2018-01-01" in text  # the title obtained
    assert "2021-03-01" in text and "至今" in text  # the appointment, still held
    assert "2015-07-01" in text  # the post before it
    assert "青年骨干" in text and "2022-03-01" in text and "2025-02-28" in text
    # What the record lacks says so (no ethnicity, no political status, no licence dates).
    assert "未登记" in text
    assert "暂无记录" in text  # no licence
    # The timeline: 引's introduction and 育's credits, as the page shows them.
    assert "全职引进至甲区中心医院" in text
    assert "2020-09-01" in text
    assert "心血管介入进展第1讲（省医学会）" in text
    assert "取得 主治医师" in text  # people's own event
    page = client.get(reverse("people:detail", args=[person.pk])).content.decode()
    assert "全职引进至甲区中心医院" in page and "导出个人档案（PDF）" in page
    assert _url(person) in page


def test_every_download_is_audited_with_who_printed_whose_profile(client, world, records):
    person = records["one"]
    login(client, world.hospital_a)
    exports = AuditEntry.objects.filter(event=AuditEntry.Event.EXPORT)
    before = exports.count()
    assert client.get(_url(person)).status_code == 200
    assert exports.count() == before + 1
    entry = exports.latest("pk")
    assert entry.actor == world.hospital_a
    assert entry.content_type.model_class() is type(person)
    assert entry.object_pk == str(person.pk)
    assert entry.object_repr == "打印 吴档案 的个人档案（PDF）"
    assert person.id_number not in str(entry.additional_data)


@pytest.mark.parametrize(
    ("who", "status"),
    [("hospital_b", 404), ("mentor", 404), ("trainee", 404), ("auditor", 403), ("nobody", 403)],
)
def test_outside_the_pages_scope_there_is_no_pdf_and_nothing_is_audited(
    client, world, records, who, status
):
    login(client, getattr(world, who))
    exports = AuditEntry.objects.filter(event=AuditEntry.Event.EXPORT)
    before = exports.count()
    assert client.get(_url(records["one"])).status_code == status
    assert exports.count() == before


def test_a_person_prints_their_own_profile_and_a_department_head_their_staffs(client, world):
    # Staff hold person.view only: their own record is theirs to print (PIPL art. 45).
    login(client, world.trainee)
    own = client.get(_url(world.a_doctor))
    assert own.status_code == 200 and "个人档案 — 李心怡" in _flat(own.content)
    login(client, world.dept_head)
    assert client.get(_url(world.a_doctor)).status_code == 200


def test_the_api_answers_the_same_pdf(client, world, records, as_api):
    person = records["one"]
    login(client, world.hospital_a)
    page = client.get(_url(person))
    exports = AuditEntry.objects.filter(event=AuditEntry.Event.EXPORT)
    before = exports.count()
    answer = as_api(world.hospital_a).get(
        reverse("api-people-profile-pdf", kwargs={"pk": person.pk})
    )
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/pdf"
    assert page_text(answer.content) == page_text(page.content)
    assert answer.content == page.content  # drawn without a time stamp: the same bytes
    assert exports.count() == before + 1
    refused = as_api(world.hospital_b).get(
        reverse("api-people-profile-pdf", kwargs={"pk": person.pk})
    )
    assert refused.status_code == 404
    assert refused["Content-Type"].startswith("application/json")


def test_special_characters_print_as_written(client, world, records):
    person = records["one"]
    services.education_add(
        person=person, level=code_for("education", "14"), school="A&B <医学院>", major="内科"
    )
    login(client, world.hospital_a)
    text = _flat(client.get(_url(person)).content)
    assert "A&B <医学院>" in text
    assert "档案不完整" in text  # a school without its graduation date


def test_the_queries_do_not_grow_with_the_timeline(client, world, records):
    login(client, world.hospital_a)
    counts, texts = {}, {}
    for key in ("one", "twenty"):
        url = _url(records[key])
        client.get(url)  # warm: the session, content types
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        counts[key] = len(captured.captured_queries)
        texts[key] = _flat(response.content)
    assert "心血管介入进展第20讲（省医学会）" in texts["twenty"]
    assert counts["one"] == counts["twenty"], counts
    # 36 today: the session and roles, the person, each kind of record, each timeline
    # provider (about twenty, one query each), the audit entry; room for a few providers more.
    assert counts["one"] <= 45
