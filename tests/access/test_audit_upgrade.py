"""An existing site upgrades: its entries, sealed with the former unkeyed SHA-256 chain, are
verified with that formula, numbered in id order and re-sealed, so the upgraded site
verifies intact; a broken old chain stops the upgrade rather than being laundered."""

import datetime
import importlib
import json
import shutil
import sqlite3
from types import SimpleNamespace

import pytest

from tests.commands import yicai

upgrade = importlib.import_module("yicai.access.migrations.0006_audit_keyed_chain_seq_triggers")


def _old_entries(database, count: int, *, broken_at: int | None = None) -> None:
    """Write entries as the site wrote them before the upgrade."""
    db = sqlite3.connect(database)
    (content_type,) = db.execute(
        "SELECT id FROM django_content_type WHERE app_label = 'access' AND model = 'auditentry'"
    ).fetchone()
    previous = "0" * 64
    start = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    for number in range(1, count + 1):
        entry = SimpleNamespace(
            event="login_failed",
            action=3,
            timestamp=start + datetime.timedelta(minutes=number),
            content_type_id=content_type,
            object_pk="",
            object_repr=f"user{number}",
            changes=None,
            actor_id=None,
            actor_institution_id=None,
            remote_addr="10.0.0.1",
            cid=f"req-{number}",
            additional_data={"username": f"user{number}"},
            prev_hash=previous,
        )
        entry.entry_hash = previous = upgrade._old_hash(entry)
        db.execute(
            "INSERT INTO access_auditentry (content_type_id, object_pk, object_repr, action,"
            " changes_text, cid, remote_addr, timestamp, additional_data, event, prev_hash,"
            " entry_hash) VALUES (?, '', ?, 3, '', ?, '10.0.0.1', ?, ?, 'login_failed', ?, ?)",
            [
                content_type,
                "forged" if number == broken_at else entry.object_repr,
                entry.cid,
                entry.timestamp.strftime("%Y-%m-%d %H:%M:%S.%f"),
                json.dumps(entry.additional_data),
                entry.prev_hash,
                entry.entry_hash,
            ],
        )
    db.commit()
    db.close()


def _site(folder) -> dict[str, str]:
    return {
        "DATABASE_URL": f"sqlite:///{folder / 'site.sqlite3'}",
        "YICAI_AUDIT_CHECKPOINT": str(folder / "checkpoint.json"),
    }


@pytest.fixture(scope="module")
def _site_at_0005(tmp_path_factory):
    """A site's audit log as the release before the keyed chain left it, built once for the
    module: `access` migrated to 0005 with what it depends on (the upgrade touches nothing
    else, and the whole schema would take six times as long). Each test upgrades a copy."""
    folder = tmp_path_factory.mktemp("before")
    done = yicai("migrate", "access", "0005", "-v0", env=_site(folder))
    assert done.returncode == 0, done.stderr
    return folder


@pytest.fixture
def site_before_the_upgrade(_site_at_0005, tmp_path):
    for name in ("site.sqlite3", "checkpoint.json"):
        if (_site_at_0005 / name).exists():
            shutil.copy(_site_at_0005 / name, tmp_path / name)
    return tmp_path / "site.sqlite3", _site(tmp_path)


def test_an_upgraded_site_verifies_intact(site_before_the_upgrade):
    database, env = site_before_the_upgrade
    _old_entries(database, 6)
    upgraded = yicai("migrate", "access", "-v0", env=env)
    assert upgraded.returncode == 0, upgraded.stderr
    verified = yicai("audit", "verify", env=env)
    assert verified.returncode == 0, verified.stderr
    assert "7 条已核对" in verified.stdout  # the six, and the re-seal recorded after them
    db = sqlite3.connect(database)
    rows = db.execute(
        "SELECT seq, object_repr, event FROM access_auditentry ORDER BY id"
    ).fetchall()
    assert [row[0] for row in rows] == [1, 2, 3, 4, 5, 6, 7]
    assert rows[-1][2] == "reseal"


def test_a_broken_old_chain_stops_the_upgrade(site_before_the_upgrade):
    database, env = site_before_the_upgrade
    _old_entries(database, 6, broken_at=4)
    refused = yicai("migrate", "access", "-v0", env=env)
    assert refused.returncode != 0
    assert "does not verify (entry 4" in refused.stderr
