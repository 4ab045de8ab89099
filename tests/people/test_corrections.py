"""Correction requests (PIPL art. 46): a person asks for their own record to be corrected,
HR of their institution accepts or rejects it with a reason, the person sees the outcome, and
every step is in the audit log."""

import pytest
from django.contrib.contenttypes.models import ContentType

from tests.conftest import login
from yicai import todo
from yicai.access import audit
from yicai.access.models import AuditEntry
from yicai.people import services
from yicai.people.models import CorrectionRequest

NEW = "/people/corrections/new/"


def _file(world, **values):
    fields = {"topic": "education", "wrong": "毕业院校：复旦大学", "correct": "上海交通大学"}
    return services.correction_request_file(user=world.trainee, **{**fields, **values})


def _entries(correction):
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(CorrectionRequest),
        object_pk=str(correction.pk),
    ).order_by("pk")


def test_a_person_files_a_request_about_their_own_record_and_it_is_audited(world, client):
    login(client, world.trainee)
    own = client.get(f"/people/{world.a_doctor.pk}/").content.decode()
    assert f'id="own-correction" href="{NEW}"' in own  # from their own record
    page = client.get(NEW).content.decode()
    assert "更正事项" in page and "应更正为" in page
    response = client.post(
        NEW, {"topic": "title", "wrong": "职称：主治医师", "correct": "副主任医师（2025 年取得）"}
    )
    assert response.status_code == 302 and response.url == "/people/corrections/mine/"
    correction = CorrectionRequest.objects.get()
    assert correction.person == world.a_doctor and correction.requested_by == world.trainee
    assert correction.status == "pending"
    entry = _entries(correction).get()
    assert entry.action == 0 and entry.actor == world.trainee
    mine = client.get("/people/corrections/mine/").content.decode()
    assert "专业技术职称" in mine and "待处理" in mine
    assert audit.verify().ok


def test_a_request_names_each_missing_field_and_refuses_full_numbers(world, client):
    login(client, world.trainee)
    page = client.post(NEW, {"topic": "identity", "wrong": "", "correct": ""}).content.decode()
    # Both fields named, under each and in the list at the top.
    assert page.count("请填写此项。") >= 2
    assert 'href="#id_wrong"' in page and 'href="#id_correct"' in page
    page = client.post(
        NEW, {"topic": "identity", "wrong": "身份证号 310113199001011234", "correct": "尾号 1235"}
    ).content.decode()
    assert "请勿填写完整的身份证号或手机号" in page
    assert "310113199001011234" not in str(list(AuditEntry.objects.values("changes")))
    assert not CorrectionRequest.objects.exists()


def test_an_account_without_a_person_cannot_file(world, client):
    login(client, world.hospital_a)
    page = client.get(NEW).content.decode()
    assert "您的账号未关联人员档案" in page and "<textarea" not in page
    client.post(NEW, {"topic": "basic", "wrong": "a", "correct": "b"})
    assert not CorrectionRequest.objects.exists()
    mine = client.get("/people/corrections/mine/").content.decode()
    assert "您的账号未关联人员档案" in mine


def test_hr_of_the_institution_finds_it_in_the_to_do_and_the_list(world, client):
    assert [i for i in todo.items_for(world.hospital_a) if i.key == "people.corrections"] == []
    correction = _file(world)
    [item] = [i for i in todo.items_for(world.hospital_a) if i.key == "people.corrections"]
    assert item.count == 1 and item.url == "/people/corrections/"
    for other in (world.hospital_b, world.trainee, world.dept_head):
        assert all(i.key != "people.corrections" for i in todo.items_for(other))
    login(client, world.hospital_a)
    assert "待处理的信息更正申请" in client.get("/").content.decode()
    listing = client.get("/people/corrections/").content.decode()
    assert f'id="correction-{correction.pk}"' in listing and "李心怡" in listing


def test_hr_exports_the_requests_of_its_scope_and_a_wrong_status_is_refused(world, client):
    _file(world)
    login(client, world.hospital_a)
    page = client.get("/people/corrections/").content.decode()
    assert 'id="export-link"' in page
    response = client.get("/people/corrections/", {"status": "all", "export": "csv"})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "李心怡" in text and "上海交通大学" in text and "待处理" in text
    assert AuditEntry.objects.filter(event=AuditEntry.Event.EXPORT).exists()
    login(client, world.hospital_b)
    response = client.get("/people/corrections/", {"status": "all", "export": "csv"})
    assert "李心怡" not in b"".join(response.streaming_content).decode("utf-8-sig")
    response = client.get("/people/corrections/", {"status": "nonsense"})
    assert response.status_code == 400
    assert "status" in response.content.decode()


def test_a_rejection_needs_a_reason_and_the_person_sees_it(world, client):
    correction = _file(world)
    url = f"/people/corrections/{correction.pk}/"
    login(client, world.hospital_a)
    page = client.post(url, {"decision": "reject", "resolution": ""}).content.decode()
    assert "未采纳时请填写处理意见" in page
    response = client.post(url, {"decision": "reject", "resolution": "学历证书写的是复旦大学。"})
    assert response.status_code == 302
    correction.refresh_from_db()
    assert correction.status == "rejected" and correction.resolved_by == world.hospital_a
    update = _entries(correction).last()
    assert update.action == 1 and update.actor == world.hospital_a
    assert update.changes["status"] == ["pending", "rejected"]
    # Resolved once: no form, and a second POST is refused.
    assert 'id="resolve"' not in client.get(url).content.decode()
    assert client.post(url, {"decision": "accept"}).status_code == 403

    login(client, world.trainee)
    mine = client.get("/people/corrections/mine/").content.decode()
    assert "未采纳" in mine and "学历证书写的是复旦大学。" in mine
    assert "学历证书写的是复旦大学。" in client.get(url).content.decode()
    assert audit.verify().ok


def test_an_accepted_request_leads_hr_to_the_record(world, client):
    correction = _file(world)
    login(client, world.hospital_a)
    url = f"/people/corrections/{correction.pk}/"
    client.post(url, {"decision": "accept", "resolution": "已更正毕业院校。"})
    correction.refresh_from_db()
    assert correction.status == "accepted" and correction.resolved_at is not None
    page = client.get(url).content.decode()
    assert f'href="/people/{world.a_doctor.pk}/"' in page and 'id="edit-person"' in page


def test_nobody_resolves_a_request_about_themselves(world, client):
    world.hospital_a.person = world.a_surgeon
    world.hospital_a.save()
    correction = services.correction_request_file(
        user=world.hospital_a, topic="basic", wrong="民族：汉族", correct="回族"
    )
    assert all(i.key != "people.corrections" for i in todo.items_for(world.hospital_a))
    login(client, world.hospital_a)
    url = f"/people/corrections/{correction.pk}/"
    assert 'id="resolve"' not in client.get(url).content.decode()
    assert client.post(url, {"decision": "accept"}).status_code == 403
    correction.refresh_from_db()
    assert correction.status == "pending"


def test_lists_page_and_their_queries_do_not_grow(world, client, django_assert_max_num_queries):
    login(client, world.hospital_a)
    empty = client.get("/people/corrections/").content.decode()
    assert "没有待处理的更正申请。" in empty
    _file(world)
    with django_assert_max_num_queries(40) as few:
        client.get("/people/corrections/")
    for n in range(29):
        _file(world, correct=f"第 {n} 项")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get("/people/corrections/").content.decode()
    assert page.count('id="correction-') == 25 and "第 1 / 2 页" in page
    assert client.get("/people/corrections/?page=2").content.decode().count('id="correction-') == 5
    assert (
        "没有符合条件的更正申请。"
        in client.get("/people/corrections/?status=accepted").content.decode()
    )
    login(client, world.trainee)
    mine = client.get("/people/corrections/mine/?page=2").content.decode()
    assert mine.count('id="correction-') == 5


@pytest.mark.parametrize(
    ("persona", "entries"),
    [
        ("hospital_a", {"信息更正申请"}),
        ("commission", {"信息更正申请"}),
        ("trainee", {"我的信息更正"}),
        ("dept_head", set()),
        ("auditor", set()),
    ],
)
def test_the_menu_offers_the_pages_to_whom_they_serve(world, client, persona, entries):
    login(client, getattr(world, persona))
    page = client.get("/privacy/").content.decode()
    shown = {label for label in ("信息更正申请", "我的信息更正") if f">{label}</a>" in page}
    assert shown == entries
