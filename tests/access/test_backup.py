"""`yicai backup` then `yicai restore` into a fresh database gives back every table's rows,
the people's identity numbers, the uploaded files and an audit chain that verifies."""

import json
import uuid
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection

from tests.commands import yicai
from tests.conftest import build_world
from yicai.access import audit
from yicai.access.models import AuditEntry
from yicai.people.models import Person

# pg_dump and the SQLite backup read committed rows: every test here uses `committed_db`.

READ_BACK = """
import json
from django.db import connection
from yicai.people.models import Person
with connection.cursor() as cursor:
    counts = {}
    for table in connection.introspection.table_names(cursor):
        cursor.execute("SELECT COUNT(*) FROM " + connection.ops.quote_name(table))
        counts[table] = cursor.fetchone()[0]
ids = {str(person.pk): person.id_number for person in Person.objects.all()}
print("RESULT " + json.dumps({"counts": counts, "ids": ids}))
"""


def table_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for table in connection.introspection.table_names(cursor):
            cursor.execute("SELECT COUNT(*) FROM " + connection.ops.quote_name(table))
            counts[table] = cursor.fetchone()[0]
    return counts


@pytest.fixture
def fresh_database(committed_db, tmp_path):
    """The URL of a new, empty database: a new SQLite file, or a PostgreSQL database created
    for the test and dropped after it."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    db = connection.settings_dict
    name = f"{db['NAME']}_restored_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
        yield f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{name}"
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_backup_restores_into_a_fresh_database_identically(
    committed_db, tmp_path, fresh_database, capsys
):
    build_world()  # people with identity numbers through the services, accounts, audit entries
    audit.record(AuditEntry.Event.LOGIN_FAILED, summary="someone")
    default_storage.save("imports/roster.xlsx", ContentFile(b"uploaded sheet"))
    identities = {str(p.pk): p.id_number for p in Person.objects.all()}
    assert len(identities) >= 5 and all(len(number) == 18 for number in identities.values())
    counts = table_counts()

    call_command("backup", str(tmp_path / "backup"))
    said = capsys.readouterr().out
    assert "YICAI_FIELD_KEY" in said and "YICAI_AUDIT_KEY" in said and "分开" in said

    env = {
        "DATABASE_URL": fresh_database,
        "YICAI_MEDIA_ROOT": str(tmp_path / "restored-media"),
        "YICAI_AUDIT_CHECKPOINT": str(tmp_path / "restored-checkpoint.json"),
    }
    restored = yicai("restore", str(tmp_path / "backup"), env=env)
    assert restored.returncode == 0, restored.stderr + restored.stdout
    assert "恢复完成" in restored.stdout

    read = yicai("shell", "--no-imports", "-c", READ_BACK, env=env)
    assert read.returncode == 0, read.stderr
    back = json.loads(read.stdout.split("RESULT ", 1)[1])
    # The restore itself is one more audit entry; every other table is as it was.
    counts[AuditEntry._meta.db_table] += 1
    assert back["counts"] == counts
    assert back["ids"] == identities
    media = Path(env["YICAI_MEDIA_ROOT"]) / "imports" / "roster.xlsx"
    assert media.read_bytes() == b"uploaded sheet"

    verified = yicai("audit", "verify", env=env)
    assert verified.returncode == 0, verified.stderr
    assert "审计日志完整" in verified.stdout

    again = yicai("restore", str(tmp_path / "backup"), env=env)
    assert again.returncode != 0
    assert "目标数据库不是空的" in again.stderr


def test_restore_refuses_a_database_that_is_not_empty(committed_db, tmp_path):
    build_world()
    call_command("backup", str(tmp_path / "backup"))
    count = AuditEntry.objects.count()
    with pytest.raises(CommandError, match="目标数据库不是空的"):
        call_command("restore", str(tmp_path / "backup"))
    assert AuditEntry.objects.count() == count


def test_a_damaged_backup_is_refused(committed_db, tmp_path, fresh_database):
    build_world()
    call_command("backup", str(tmp_path / "backup"))
    with (tmp_path / "backup" / "media.tar").open("ab") as tar:
        tar.write(b"\0" * 512)
    refused = yicai("restore", str(tmp_path / "backup"), env={"DATABASE_URL": fresh_database})
    assert refused.returncode != 0
    assert "media.tar 缺失或已损坏" in refused.stderr


def test_a_database_its_statistics_were_gathered_in_restores_too(
    committed_db, tmp_path, fresh_database
):
    """An import runs ANALYZE, which gives SQLite a table of its own (sqlite_stat1): the
    restore must count the same tables the backup counted, not refuse the site's backup."""
    build_world()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    call_command("backup", str(tmp_path / "backup"))
    env = {
        "DATABASE_URL": fresh_database,
        "YICAI_MEDIA_ROOT": str(tmp_path / "restored-media"),
        "YICAI_AUDIT_CHECKPOINT": str(tmp_path / "restored-checkpoint.json"),
    }
    restored = yicai("restore", str(tmp_path / "backup"), env=env)
    assert restored.returncode == 0, restored.stderr + restored.stdout
    assert "恢复完成" in restored.stdout
