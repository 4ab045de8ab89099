"""The audit chain becomes an HMAC keyed outside the database over every stored field, with a
sequence number; existing rows are re-sealed (after their old SHA-256 chain is verified); the
content type no longer cascades; database triggers refuse UPDATE, DELETE and TRUNCATE of audit
rows unless our purge or re-key holds a permit in its own transaction."""

import hashlib
import json
import os

import django.db.models.deletion
from django.db import migrations, models

TABLE, PERMIT = "access_auditentry", "access_auditpermit"
GENESIS = "0" * 64

SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER access_auditentry_no_{op.lower()} BEFORE {op} ON {TABLE}
    WHEN NOT EXISTS (SELECT 1 FROM {PERMIT})
    BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END"""
    for op in ("UPDATE", "DELETE")
]
SQLITE_DROP = [f"DROP TRIGGER IF EXISTS access_auditentry_no_{op}" for op in ("update", "delete")]

POSTGRESQL_TRIGGERS = [
    f"""CREATE OR REPLACE FUNCTION access_auditentry_append_only() RETURNS trigger AS $$
    BEGIN
        IF EXISTS (SELECT 1 FROM {PERMIT}) THEN
            IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
            RETURN NEW;
        END IF;
        RAISE EXCEPTION 'audit entries are append-only (%)', TG_OP
            USING ERRCODE = 'restrict_violation';
    END $$ LANGUAGE plpgsql""",
    f"""CREATE TRIGGER access_auditentry_no_change BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION access_auditentry_append_only()""",
    f"""CREATE TRIGGER access_auditentry_no_truncate BEFORE TRUNCATE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION access_auditentry_append_only()""",
]
POSTGRESQL_DROP = [
    f"DROP TRIGGER IF EXISTS access_auditentry_no_change ON {TABLE}",
    f"DROP TRIGGER IF EXISTS access_auditentry_no_truncate ON {TABLE}",
    "DROP FUNCTION IF EXISTS access_auditentry_append_only()",
]


def _run(schema_editor, statements):
    for sql in statements:
        schema_editor.execute(sql, params=None)


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    _run(schema_editor, {"sqlite": SQLITE_TRIGGERS, "postgresql": POSTGRESQL_TRIGGERS}[vendor])


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    _run(schema_editor, {"sqlite": SQLITE_DROP, "postgresql": POSTGRESQL_DROP}[vendor])


def _old_hash(entry) -> str:
    """The chain before this migration: unkeyed SHA-256 over some of the fields (frozen)."""
    canonical = json.dumps(
        [
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
        ],
        ensure_ascii=False,
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _old_chain_break(AuditEntry):
    anchors = {GENESIS} | {
        data.get("last_hash")
        for data in AuditEntry.objects.filter(event="purge").values_list(
            "additional_data", flat=True
        )
        if data
    }
    previous = None
    for entry in AuditEntry.objects.order_by("pk").iterator(chunk_size=2000):
        if previous is None and entry.prev_hash not in anchors:
            return entry.pk, "the oldest entries were removed unrecorded"
        if previous is not None and entry.prev_hash != previous:
            return entry.pk, "prev_hash does not match the entry before"
        if _old_hash(entry) != entry.entry_hash:
            return entry.pk, "entry was altered after it was written"
        previous = entry.entry_hash
    return None


def reseal(apps, schema_editor):
    from django.utils import timezone

    from yicai.access import audit

    AuditEntry = apps.get_model("access", "AuditEntry")
    if not AuditEntry.objects.exists():
        return
    broken = _old_chain_break(AuditEntry)
    if broken and os.environ.get("YICAI_AUDIT_RESEAL_BROKEN") != "1":
        raise RuntimeError(
            f"The audit chain does not verify (entry {broken[0]}: {broken[1]}); re-sealing "
            "it would hide that. Investigate, then set YICAI_AUDIT_RESEAL_BROKEN=1 to re-seal "
            "anyway (the break is recorded in the re-seal entry)."
        )
    key = audit.chain_key()
    count = audit.reseal(AuditEntry.objects.order_by("pk"), key)
    last = AuditEntry.objects.order_by("-seq").values_list("seq", "entry_hash").first()
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _ = ContentType.objects.get_or_create(app_label="access", model="auditentry")
    entry = AuditEntry(
        event="reseal",
        action=3,
        timestamp=timezone.now(),
        content_type_id=content_type.pk,
        object_pk="",
        object_repr=f"re-sealed {count} entries (HMAC-SHA256, sequence numbers)",
        additional_data={"count": count, "old_chain_break": broken and list(broken)},
        seq=last[0] + 1,
        prev_hash=last[1],
    )
    entry.entry_hash = audit.seal(entry, key)
    entry.save()


class Migration(migrations.Migration):
    atomic = True

    dependencies = [
        ("access", "0005_audit_events_for_account_administration"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.CreateModel(
            name="AuditPermit",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("reason", models.CharField(max_length=40)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
            ],
        ),
        migrations.AddField(
            model_name="auditentry",
            name="seq",
            field=models.PositiveBigIntegerField(editable=False, null=True, verbose_name="序号"),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="content_type",
            field=models.ForeignKey(
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="contenttypes.contenttype",
                verbose_name="对象类型",
            ),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="event",
            field=models.CharField(choices=[("change", "数据变更"), ("reveal", "查看完整证件号"), ("reveal_phone", "查看完整手机号"), ("export", "导出"), ("import", "导入"), ("confirm", "链接确认"), ("login", "登录"), ("login_failed", "登录失败"), ("logout", "退出"), ("password_change", "修改密码"), ("password_reset", "重置密码"), ("otp_reset", "重置二次验证"), ("role_change", "角色变更"), ("user_change", "用户变更"), ("policy_change", "安全策略变更"), ("purge", "日志清理"), ("reseal", "日志重新封存"), ("rekey", "审计密钥轮换"), ("restore", "从备份恢复")], default="change", max_length=20, verbose_name="事件"),
        ),
        migrations.AlterModelOptions(
            name="auditentry",
            options={"base_manager_name": "objects", "get_latest_by": "timestamp", "ordering": ["-timestamp"], "verbose_name": "审计日志", "verbose_name_plural": "审计日志"},
        ),
        migrations.RunPython(reseal, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="auditentry",
            name="seq",
            field=models.PositiveBigIntegerField(editable=False, unique=True, verbose_name="序号"),
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
