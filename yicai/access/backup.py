"""`yicai backup` and `yicai restore`: the database (SQLite's online backup API, or pg_dump's
custom format inside one snapshot), the uploaded files, and a manifest of what was copied
(row counts per table, the audit chain's head) that a restore checks against.

The field key and the audit key are never in a backup: without them, identity numbers
cannot be read and the chain cannot be verified, so they are kept apart from it."""

import datetime
import hashlib
import json
import os
import sqlite3
import subprocess
import tarfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.backends.utils import CursorWrapper
from django.utils.translation import gettext as _

from yicai.access import audit

MANIFEST, MEDIA = "manifest.json", "media.tar"
DATABASE_FILE = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
AUDIT_TABLE = "access_auditentry"


class BackupError(Exception):
    """A backup or restore refused or failed; the message is for the operator, in Chinese."""


def keys_reminder() -> str:
    return _(
        "提醒：备份中不含 YICAI_FIELD_KEY 和 YICAI_AUDIT_KEY。请将两个密钥与备份分开妥善保管："
        "没有字段密钥，证件号无法解密；没有审计密钥，审计链无法验证。"
    )


@dataclass
class Snapshot:
    counts: dict[str, int]
    head_seq: int
    head_hash: str


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _count_rows(
    cursor: CursorWrapper | sqlite3.Cursor, tables: Iterable[str], quote: Callable[[str], str]
) -> Snapshot:
    counts: dict[str, int] = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 - our own names
        counts[table] = cursor.fetchone()[0]
    head = (0, audit.GENESIS)
    if AUDIT_TABLE in counts:
        cursor.execute("SELECT seq, entry_hash FROM access_auditentry ORDER BY seq DESC LIMIT 1")
        head = cursor.fetchone() or head
    return Snapshot(counts, head[0], head[1])


def _postgresql_environment() -> dict[str, str]:
    """libpq's variables for pg_dump / pg_restore: no password on a command line."""
    db = connection.settings_dict
    values = {
        "PGDATABASE": db["NAME"],
        "PGUSER": db.get("USER"),
        "PGPASSWORD": db.get("PASSWORD"),
        "PGHOST": db.get("HOST"),
        "PGPORT": str(db.get("PORT") or ""),
    }
    return {**os.environ, **{name: value for name, value in values.items() if value}}


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(
            _("%(tool)s 失败：%(error)s") % {"tool": command[0], "error": done.stderr.strip()}
        )


def backup(target: Path) -> dict[str, Any]:
    """Write a backup into the directory `target` (new or empty); return the manifest."""
    vendor = connection.vendor
    if vendor not in DATABASE_FILE:
        raise BackupError(_("不支持的数据库：%(vendor)s") % {"vendor": vendor})
    if target.exists() and any(target.iterdir()):
        raise BackupError(_("备份目录 %(path)s 不是空的，请指定新目录") % {"path": target})
    target.mkdir(parents=True, exist_ok=True)
    database = target / DATABASE_FILE[vendor]
    if vendor == "sqlite":
        snapshot = _backup_sqlite(database)
    else:
        snapshot = _backup_postgresql(database)
    media = target / MEDIA
    _archive_media(Path(settings.MEDIA_ROOT), media)
    manifest = {
        "format": 1,
        "created": datetime.datetime.now(datetime.UTC).isoformat(),
        "vendor": vendor,
        "database": connection.settings_dict["NAME"],
        "files": {
            database.name: _sha256(database),
            media.name: _sha256(media),
        },
        "tables": snapshot.counts,
        "audit": {"head_seq": snapshot.head_seq, "head_hash": snapshot.head_hash},
        "keys": "YICAI_FIELD_KEY and YICAI_AUDIT_KEY are not in this backup",
    }
    (target / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
    return manifest


def _site_tables(names: list[str]) -> list[str]:
    """The tables a backup counts: the site's own, not SQLite's (sqlite_sequence, and the
    sqlite_stat1 an import's ANALYZE creates), which the engine keeps by itself."""
    return [name for name in names if not name.startswith("sqlite_")]


def _backup_sqlite(database: Path) -> Snapshot:
    # The online backup API copies a consistent image while the site keeps running; the
    # counts are then taken from the copy itself.
    connection.ensure_connection()
    copy = sqlite3.connect(database)
    try:
        connection.connection.backup(copy)
        tables = _site_tables(
            [row[0] for row in copy.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        )
        return _count_rows(copy.cursor(), tables, lambda name: f'"{name}"')
    finally:
        copy.close()


def _backup_postgresql(database: Path) -> Snapshot:
    # pg_dump and the counts read the same snapshot, exported by this transaction.
    if connection.in_atomic_block:
        raise BackupError(_("备份不能在事务中运行"))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot_id = cursor.fetchone()[0]
        _run(
            ["pg_dump", "--format=custom", f"--snapshot={snapshot_id}", f"--file={database}"],
            _postgresql_environment(),
        )
        tables = connection.introspection.table_names(cursor)
        return _count_rows(cursor, tables, connection.ops.quote_name)


def _archive_media(root: Path, archive: Path) -> None:
    with tarfile.open(archive, "w") as tar:
        if root.exists():
            for path in sorted(root.rglob("*")):
                tar.add(path, arcname=str(path.relative_to(root)), recursive=False)


def read_manifest(source: Path) -> dict[str, Any]:
    try:
        manifest: dict[str, Any] = json.loads((source / MANIFEST).read_text())
    except (OSError, ValueError):
        raise BackupError(
            _("%(path)s 中没有可读的 manifest.json：不是 yicai backup 写的备份") % {"path": source}
        ) from None
    for name, digest in manifest["files"].items():
        if not (source / name).exists() or _sha256(source / name) != digest:
            raise BackupError(_("备份文件 %(name)s 缺失或已损坏（校验值不符）") % {"name": name})
    return manifest


def restore(source: Path) -> tuple[dict[str, Any], audit.VerifyResult]:
    """Restore the backup in `source` into this (empty) database and MEDIA_ROOT, check it,
    record the restore in the audit log and write a fresh checkpoint."""
    manifest = read_manifest(source)
    vendor = connection.vendor
    if manifest["vendor"] != vendor:
        raise BackupError(
            _("备份来自 %(backup)s 数据库，不能恢复到 %(here)s 数据库")
            % {"backup": manifest["vendor"], "here": vendor}
        )
    tables = connection.introspection.table_names()
    if tables:
        raise BackupError(
            _("目标数据库不是空的（已有 %(count)s 张表）：恢复只能写入新建的空数据库")
            % {"count": len(tables)}
        )
    media_root = Path(settings.MEDIA_ROOT)
    if media_root.exists() and any(media_root.iterdir()):
        raise BackupError(
            _("上传文件目录 %(path)s 不是空的：恢复只能写入空目录") % {"path": media_root}
        )
    database = source / DATABASE_FILE[vendor]
    if vendor == "sqlite":
        _restore_sqlite(database)
    else:
        _run(
            [
                "pg_restore",
                "--no-owner",
                "--exit-on-error",
                "--single-transaction",
                "--dbname",
                connection.settings_dict["NAME"],
                str(database),
            ],
            _postgresql_environment(),
        )
    connection.close()
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(source / MEDIA) as tar:
        _extract_files(tar, media_root)
    with connection.cursor() as cursor:
        counts = _count_rows(
            cursor,
            _site_tables(connection.introspection.table_names(cursor)),
            connection.ops.quote_name,
        )
    differ = {
        table: (manifest["tables"].get(table), counts.counts.get(table))
        for table in set(manifest["tables"]) | set(counts.counts)
        if manifest["tables"].get(table) != counts.counts.get(table)
    }
    if differ:
        raise BackupError(
            _("恢复后的行数与备份清单不符：%(tables)s")
            % {"tables": "；".join(f"{t} {a}→{b}" for t, (a, b) in sorted(differ.items()))}
        )
    result = audit.verify(against_checkpoint=False)
    if not result.ok or result.head_seq != manifest["audit"]["head_seq"]:
        raise BackupError(
            _("恢复后的审计链未通过验证：%(reason)s")
            % {"reason": result.reason or _("最新序号与备份清单不符")}
        )
    from yicai.access.models import AuditEntry

    audit.record(
        AuditEntry.Event.RESTORE,
        summary=f"restored from {source.name} ({manifest['created']})",
        data={
            "backup": str(source),
            "created": manifest["created"],
            "head_seq": manifest["audit"]["head_seq"],
            "head_hash": manifest["audit"]["head_hash"],
        },
    )
    audit.write_checkpoint()
    return manifest, result


def _restore_sqlite(database: Path) -> None:
    name = connection.settings_dict["NAME"]
    connection.close()
    source, target = sqlite3.connect(database), sqlite3.connect(name)
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()


def _extract_files(tar: tarfile.TarFile, root: Path) -> None:
    """Only plain files and folders, only below `root` (what tarfile's "data" filter does; it
    is missing from Debian 12's Python 3.11.2)."""
    root = root.resolve()
    for member in tar.getmembers():
        target = (root / member.name).resolve()
        if not (member.isfile() or member.isdir()) or not target.is_relative_to(root):
            raise BackupError(
                _("备份中的文件 %(name)s 不安全，已拒绝恢复。") % {"name": member.name}
            )
    if hasattr(tarfile, "data_filter"):
        tar.extractall(root, filter="data")
    else:  # the members were checked above
        tar.extractall(root)  # noqa: S202
