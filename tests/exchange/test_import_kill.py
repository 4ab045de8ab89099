"""Killing an import in the middle of its commit leaves the database as it was.

The import runs as its own process against a database of its own (a file for SQLite, a new
database on the PostgreSQL server), stops itself right after writing the people of a
3,000-row sheet inside the commit's transaction, and is killed there with SIGKILL.
"""

import json
import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def own_database(tmp_path):
    """Environment for child processes pointing at a new, empty database."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "yicai.settings", "PYTHONPATH": str(ROOT)}
    env["YICAI_MEDIA_ROOT"] = str(tmp_path / "media")
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        env.pop("DATABASE_URL", None)
        env["YICAI_SQLITE_PATH"] = str(tmp_path / "kill.sqlite3")
        yield env
        return
    server = {key: settings.DATABASES["default"][key] for key in ("HOST", "PORT", "USER")}
    name = f"yicai_kill_{uuid.uuid4().hex[:12]}"
    admin = f"host={server['HOST']} port={server['PORT']} user={server['USER']} dbname=postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    env["DATABASE_URL"] = f"postgres://{server['USER']}@{server['HOST']}:{server['PORT']}/{name}"
    yield env
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _child(env, *args, **kwargs):
    return subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "tests.exchange.kill_child", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
        **kwargs,
    )


def test_killing_the_import_halfway_through_its_commit_changes_nothing(own_database, tmp_path):
    env = own_database
    _child(env, "prepare", str(tmp_path))
    before = json.loads(_child(env, "count").stdout)
    assert before["Person"] == 1

    child = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "tests.exchange.kill_child", "import", str(tmp_path)],
        env=env,
        cwd=ROOT,
    )
    _pid, status = os.waitpid(child.pid, os.WUNTRACED)
    assert os.WIFSTOPPED(status), "the import finished before it could be stopped"
    # Inside the transaction the people were there: the kill lands mid-commit.
    assert int((tmp_path / "stopped").read_text()) == 1 + 3000
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL

    after = json.loads(_child(env, "count").stdout)
    assert after == before
