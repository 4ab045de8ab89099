"""Each attack on the audit log found in issue 11, as someone with the application's or the
database's rights would try it; `yicai audit verify` must report each, exactly."""

import hashlib
import json

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, models, transaction

from tests.access.tampering import tamper
from yicai.access import audit
from yicai.access.models import AuditEntry
from yicai.org.models import Department

TABLE = AuditEntry._meta.db_table


def verify_problems() -> str:
    with pytest.raises(CommandError) as refused:
        call_command("audit", "verify")
    return str(refused.value)


def newest_seq() -> int:
    return AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first()


def test_auditlogflush_is_refused_and_the_log_kept(world):
    count = AuditEntry.objects.count()
    for arguments in (["--yes", "--truncate"], ["--yes"], ["-y", "-b", "2100-01-01"]):
        with pytest.raises(CommandError, match="只可追加"):
            call_command("auditlogflush", *arguments)
    assert AuditEntry.objects.count() == count > 0


def test_the_project_command_wins_over_auditlogs(world):
    from django.core.management import get_commands

    assert get_commands()["auditlogflush"] == "yicai.access"


def test_the_database_refuses_truncate_delete_and_update_of_audit_rows(world):
    statements = [f"DELETE FROM {TABLE}", f"UPDATE {TABLE} SET object_repr = 'x'"]
    if connection.vendor == "postgresql":
        statements.append(f"TRUNCATE {TABLE}")
    for sql in statements:
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert AuditEntry.objects.filter(object_repr="x").count() == 0


def test_emptying_the_table_is_reported_against_the_checkpoint(world):
    call_command("audit", "verify")  # writes the checkpoint
    count, seq = AuditEntry.objects.count(), newest_seq()
    tamper(f"DELETE FROM {TABLE}")
    report = verify_problems()
    assert f"记有 {count:,} 条、至序号 {seq:,}，表中现有 0 条" in report


def test_deleting_the_newest_entries_is_reported_with_their_numbers(world):
    call_command("audit", "verify")
    seq = newest_seq()
    tamper(f"DELETE FROM {TABLE} WHERE seq > %s", [seq - 3])
    report = verify_problems()
    assert f"序号 {seq - 2:,}–{seq:,} 的最新记录缺失" in report


def test_deleting_the_newest_entries_then_writing_new_ones_is_reported(world):
    call_command("audit", "verify")
    seq = newest_seq()
    tamper(f"DELETE FROM {TABLE} WHERE seq > %s", [seq - 3])
    for name in ("a", "b", "c", "d"):  # the numbers are used again, the hashes differ
        audit.record(AuditEntry.Event.LOGIN_FAILED, summary=name)
    assert f"第 {seq} 条" in verify_problems()


def test_deleting_entries_in_the_middle_names_the_missing_range(world):
    seq = newest_seq()
    tamper(f"DELETE FROM {TABLE} WHERE seq IN (%s, %s)", [seq - 5, seq - 4])
    assert f"序号 {seq - 5:,}–{seq - 4:,} 的记录缺失" in verify_problems()


def _sha256_without_key(entry) -> str:
    """The chain's formula before release 0.1 keyed it: unkeyed SHA-256 over some of the
    fields, which anyone could recompute."""
    fields = [
        entry.event,
        entry.action,
        entry.timestamp.isoformat(),
        entry.content_type_id,
        str(entry.object_pk or ""),
        entry.object_repr,
        entry.changes,
        entry.actor_id,
        entry.actor_institution_id,
        entry.remote_addr,
        entry.cid,
        entry.additional_data,
        entry.prev_hash,
    ]
    canonical = json.dumps(fields, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _rechain(from_seq: int, compute) -> None:
    """Recompute the chain from an entry on, as a forger without the key would."""
    previous = AuditEntry.objects.get(seq=from_seq - 1).entry_hash
    for entry in AuditEntry.objects.filter(seq__gte=from_seq).order_by("seq"):
        entry.prev_hash = previous
        previous = compute(entry)
        tamper(
            f"UPDATE {TABLE} SET prev_hash = %s, entry_hash = %s WHERE id = %s",
            [entry.prev_hash, previous, entry.pk],
        )


@pytest.mark.parametrize(
    "compute",
    [_sha256_without_key, lambda entry: audit.seal(entry, b"w" * 32)],
    ids=["public-sha256", "wrong-key"],
)
def test_a_rewritten_row_with_a_recomputed_chain_is_reported(world, compute):
    victim = AuditEntry.objects.order_by("seq")[3]
    tamper(f"UPDATE {TABLE} SET object_repr = %s WHERE id = %s", ["forged", victim.pk])
    _rechain(victim.seq, compute)
    report = verify_problems()
    assert f"第 {victim.seq} 条（id {victim.pk}）内容被改动：HMAC 不符" in report


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("object_id", 999999),
        ("actor_email", "someone@else.example"),
        ("changes_text", "nothing happened"),
        ("serialized_data", '{"fields": {"name": "x"}}'),
        ("remote_port", 4444),
        ("timestamp", "2020-01-01 00:00:00"),
        ("seq", 999999),
    ],
)
def test_changing_any_stored_field_is_reported(world, column, value):
    victim = AuditEntry.objects.order_by("seq")[2]
    tamper(f"UPDATE {TABLE} SET {column} = %s WHERE id = %s", [value, victim.pk])
    report = verify_problems()
    assert f"id {victim.pk}）内容被改动" in report


def test_base_manager_and_plain_querysets_cannot_delete_or_update(world):
    count = AuditEntry.objects.count()
    with pytest.raises(PermissionDenied):
        AuditEntry._base_manager.all().delete()
    with pytest.raises(PermissionDenied):
        AuditEntry._base_manager.all().update(object_repr="x")
    for attempt in (
        lambda: models.QuerySet(AuditEntry).delete(),
        lambda: models.QuerySet(AuditEntry).update(object_repr="x"),
    ):
        with pytest.raises(DatabaseError), transaction.atomic():
            attempt()
    assert AuditEntry.objects.count() == count
    call_command("audit", "verify")


def test_deleting_a_content_type_leaves_the_audit_rows(world):
    content_type = ContentType.objects.get_for_model(Department)
    logged = AuditEntry.objects.filter(content_type=content_type).count()
    assert logged > 0
    count, type_id = AuditEntry.objects.count(), content_type.pk
    try:
        content_type.delete()
        assert AuditEntry.objects.count() == count
        assert AuditEntry.objects.filter(content_type_id=type_id).count() == logged
        call_command("audit", "verify")
    finally:
        ContentType.objects.clear_cache()  # the deleted type is rolled back with the test


def test_a_tampered_checkpoint_is_reported(world, settings):
    from pathlib import Path

    call_command("audit", "verify")
    seq = newest_seq()
    tamper(f"DELETE FROM {TABLE} WHERE seq > %s", [seq - 2])
    path = Path(settings.AUDIT_CHECKPOINT)
    point = json.loads(path.read_text())
    point.update(seq=seq - 2, count=point["count"] - 2)  # hide the deletion, cannot re-sign
    path.write_text(json.dumps(point))
    assert "签名不符" in verify_problems()


def test_the_checkpoint_is_not_moved_over_a_tail_deletion(world):
    call_command("audit", "verify")
    seq = newest_seq()
    tamper(f"DELETE FROM {TABLE} WHERE seq > %s", [seq - 2])
    with pytest.raises(CommandError, match=f"第 {seq} 条记录已不在"):
        call_command("audit", "checkpoint")
    assert f"序号 {seq - 1:,}–{seq:,} 的最新记录缺失" in verify_problems()


def test_a_leftover_permit_is_reported(world):
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO access_auditpermit (reason, created_at) VALUES ('x', %s)", ["2026-01-01"]
        )
    assert "放行表" in verify_problems()


def test_loading_fixtures_writes_no_audit_entries(world, tmp_path):
    department = Department.objects.create(institution=world.a, name="临时科室")
    fixture = tmp_path / "department.json"
    fixture.write_text(serializers.serialize("json", [department]))
    department.delete()
    count = AuditEntry.objects.count()
    call_command("loaddata", str(fixture), verbosity=0)
    assert Department.objects.filter(name="临时科室").exists()
    assert AuditEntry.objects.count() == count
    call_command("audit", "verify")


def test_rekeying_reseals_under_the_new_key_and_is_recorded(world, settings, monkeypatch):
    old = audit.chain_key()
    settings.AUDIT_KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="
    monkeypatch.setenv("YICAI_AUDIT_OLD_KEY", "not a key")
    with pytest.raises(CommandError, match="YICAI_AUDIT_OLD_KEY"):
        call_command("audit", "rekey")
    assert not audit.verify(against_checkpoint=False).ok  # under the new key, not yet sealed
    call_command("audit", "rekey", "--old-derived")
    assert AuditEntry.objects.latest("seq").event == "rekey"
    call_command("audit", "verify")
    assert not audit.verify(key=old, against_checkpoint=False).ok


def test_the_checkpoint_follows_commits_and_stops_at_a_tail_deletion(
    world, settings, django_capture_on_commit_callbacks
):
    settings.AUDIT_CHECKPOINT_SECONDS = 0
    with django_capture_on_commit_callbacks(execute=True):
        first = audit.record(AuditEntry.Event.LOGIN_FAILED, summary="a")
        audit.record(AuditEntry.Event.LOGIN_FAILED, summary="b")
    point, problem = audit.read_checkpoint()
    assert problem == "" and point.seq == first.seq + 1
    tamper(f"DELETE FROM {TABLE} WHERE seq > %s", [first.seq])
    with django_capture_on_commit_callbacks(execute=True):
        audit.record(AuditEntry.Event.LOGIN_FAILED, summary="c")  # takes the deleted number
    assert audit.read_checkpoint()[0].seq == first.seq + 1  # not moved over the deletion
    assert f"第 {first.seq + 1} 条" in verify_problems()
