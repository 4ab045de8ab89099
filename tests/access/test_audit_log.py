"""The audit log is append-only, hash-chained and records every kind of event."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.utils import timezone

from tests.access.tampering import tamper
from tests.conftest import login
from yicai.access import audit
from yicai.access.models import AuditEntry


def test_an_entry_cannot_be_updated_or_deleted_through_the_orm(world):
    entry = AuditEntry.objects.latest("pk")
    entry.object_repr = "forged"
    with pytest.raises(PermissionDenied):
        entry.save()
    with pytest.raises(PermissionDenied):
        entry.delete()
    with pytest.raises(PermissionDenied):
        AuditEntry.objects.filter(pk=entry.pk).update(object_repr="forged")
    with pytest.raises(PermissionDenied):
        AuditEntry.objects.all().delete()


def test_the_chain_verifies_and_detects_an_altered_row(world, capsys):
    call_command("audit", "verify")
    assert "审计日志完整" in capsys.readouterr().out
    victim = AuditEntry.objects.order_by("pk")[3]
    tamper(  # what someone with database access could do
        f"UPDATE {AuditEntry._meta.db_table} SET object_repr = %s WHERE id = %s",
        ["tampered", victim.pk],
    )
    result = audit.verify()
    assert not result.ok and result.broken_at == victim.pk
    with pytest.raises(CommandError, match="不完整"):
        call_command("audit", "verify")


def test_the_chain_detects_a_deleted_row(world):
    victim = AuditEntry.objects.order_by("pk")[5]
    tamper(f"DELETE FROM {AuditEntry._meta.db_table} WHERE id = %s", [victim.pk])
    result = audit.verify()
    assert not result.ok and result.problems[0].kind == "missing"


def test_purge_refuses_entries_younger_than_180_days(world):
    with pytest.raises(CommandError, match="180"):
        call_command("audit", "purge", "--older-than", "179")


def test_purge_removes_only_old_entries_and_keeps_the_chain_verifiable(world):
    old = audit.record(AuditEntry.Event.LOGIN_FAILED, summary="old")
    tamper(  # age the entries up to it, as time would
        f"UPDATE {AuditEntry._meta.db_table} SET timestamp = %s WHERE id <= %s",
        [timezone.now() - datetime.timedelta(days=400), old.pk],
    )
    audit.record(AuditEntry.Event.LOGIN_FAILED, summary="new")
    remaining = AuditEntry.objects.filter(pk__gt=old.pk).count()
    call_command("audit", "purge", "--older-than", "200")
    assert AuditEntry.objects.filter(pk__lte=old.pk).count() == 0
    assert AuditEntry.objects.count() == remaining + 1
    assert AuditEntry.objects.latest("pk").event == "purge"
    call_command("audit", "verify")  # the oldest left links to what the purge recorded


def test_purge_keeps_the_newest_entry_so_the_sequence_goes_on(world):
    newest = audit.record(AuditEntry.Event.LOGIN_FAILED, summary="newest")
    tamper(
        f"UPDATE {AuditEntry._meta.db_table} SET timestamp = %s",
        [timezone.now() - datetime.timedelta(days=400)],
    )
    call_command("audit", "purge", "--older-than", "200")
    assert list(AuditEntry.objects.order_by("seq").values_list("seq", "event")) == [
        (newest.seq, "login_failed"),
        (newest.seq + 1, "purge"),
    ]


def test_a_reveal_is_audited_with_who_and_from_where(world, client):
    login(client, world.hospital_a)
    client.post(
        f"/people/{world.a_doctor.pk}/reveal/", REMOTE_ADDR="10.1.2.3", HTTP_X_REQUEST_ID="req-42"
    )
    entry = AuditEntry.objects.filter(event="reveal").get()
    assert entry.actor == world.hospital_a
    assert entry.actor_institution_id == world.a.pk
    assert entry.remote_addr == "10.1.2.3" and entry.cid == "req-42"
    assert entry.object_pk == str(world.a_doctor.pk)
    assert audit.verify().ok


def test_exports_logins_and_failed_logins_are_audited(world, client):
    from tests.factories import PASSWORD

    client.post("/accounts/login/", {"username": "hospital_a", "password": "wrong"})
    assert AuditEntry.objects.filter(
        event="login_failed", additional_data__username="hospital_a"
    ).exists()
    client.post("/accounts/login/", {"username": "hospital_a", "password": PASSWORD})
    assert AuditEntry.objects.filter(event="login", actor=world.hospital_a).exists()
    b"".join(client.get("/people/?export=xlsx").streaming_content)
    assert AuditEntry.objects.filter(event="export", actor=world.hospital_a).exists()
    client.post("/accounts/logout/")
    assert AuditEntry.objects.filter(event="logout", actor=world.hospital_a).exists()


def test_the_auditor_searches_filters_and_exports_the_log(world, client):
    login(client, world.hospital_a)
    client.post(f"/people/{world.a_doctor.pk}/reveal/")
    login(client, world.auditor)
    page = client.get("/accounts/audit/?event=reveal").content.decode()
    assert "李心怡" in page and "hospital_a" in page
    assert "创建用户" not in page  # filtered to reveals only
    response = client.get("/accounts/audit/?event=reveal&export=xlsx")
    assert response.status_code == 200
    assert AuditEntry.objects.filter(event="export", actor=world.auditor).exists()


def test_the_security_admin_cannot_read_the_audit_log_or_person_data(world, client):
    login(client, world.security)
    assert client.get("/accounts/audit/").status_code == 403
    assert client.get("/people/").status_code == 403
    assert client.get(f"/people/{world.a_doctor.pk}/").status_code == 403


def test_the_audit_page_reads_in_words_and_its_queries_do_not_grow(world, client):
    from django.db import connection as db
    from django.test.utils import CaptureQueriesContext

    from yicai.codes.queries import code_for
    from yicai.people import services

    login(client, world.auditor)
    client.get("/accounts/audit/")
    with CaptureQueriesContext(db) as few:
        client.get("/accounts/audit/")
    for name in ("甲", "乙", "丙"):
        services.person_update(
            person=world.a_surgeon,
            name=f"周外科{name}",
            ethnicity=code_for("ethnicity", "03" if name == "乙" else "01"),
        )
    with CaptureQueriesContext(db) as many:
        page = client.get("/accounts/audit/").content.decode()
    assert len(few) == len(many)
    assert "姓名</b>：周外科甲 → 周外科乙" in page
    assert "汉族 → 回族" in page  # foreign keys by name, not id
    assert "修改" in page


def test_removing_the_oldest_entries_without_a_purge_is_detected(world):
    oldest = AuditEntry.objects.order_by("pk").first()
    tamper(f"DELETE FROM {AuditEntry._meta.db_table} WHERE id = %s", [oldest.pk])
    result = audit.verify()
    assert not result.ok and result.problems[0].kind == "head"
    assert "序号 1 的最早记录被删除" in result.reason


def test_an_export_asked_with_a_nul_is_audited_without_it(world):
    """The API reads its query string itself: a NUL reaches the audit, where PostgreSQL's
    JSON cannot hold it. The filters are kept as asked, less the NUL, a number masked."""
    audit.record_export("导出", {"q\x00": "王\x00五", "id": "110105199003071234", "export": "x"})
    entry = AuditEntry.objects.filter(event=AuditEntry.Event.EXPORT).latest("seq")
    assert entry.additional_data["filters"] == {"q": "王五", "id": "**************1234"}
