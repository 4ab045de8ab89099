"""Release 0.1's migrations are squashed, one or two per app. A site on 0.1 upgrades without
running any of them again; a site stopped between two of 0.1's migrations is stopped by
`migrate`, naming those that never ran, where Django alone would leave the app out of
`migrate` without a word."""

import shutil
import sqlite3

import pytest
from django.db.migrations.loader import MigrationLoader

from tests.commands import yicai

pytestmark = pytest.mark.own_database  # its site is a SQLite file of its own

SQUASHED = {
    key: migration.replaces
    for key, migration in MigrationLoader(None).disk_migrations.items()
    if migration.replaces
}


def _site(folder) -> dict[str, str]:
    return {
        "DATABASE_URL": f"sqlite:///{folder / 'site.sqlite3'}",
        "YICAI_AUDIT_CHECKPOINT": str(folder / "checkpoint.json"),
    }


@pytest.fixture(scope="module")
def _migrated(tmp_path_factory):
    folder = tmp_path_factory.mktemp("migrated")
    done = yicai("migrate", "-v0", env=_site(folder))
    assert done.returncode == 0, done.stderr
    return folder / "site.sqlite3"


def _recorded(database) -> set[tuple[str, str]]:
    db = sqlite3.connect(database)
    rows = set(db.execute("SELECT app, name FROM django_migrations"))
    db.close()
    return rows


@pytest.fixture
def site_on_0_1(_migrated, tmp_path):
    """The schema as 0.1 left it (the squashed migrations build the same one), with 0.1's
    migrations recorded instead of the squashed ones; `without` leaves some out."""

    def build(without=()):
        shutil.copy(_migrated, tmp_path / "site.sqlite3")
        db = sqlite3.connect(tmp_path / "site.sqlite3")
        originals = {key for replaced in SQUASHED.values() for key in replaced}
        # Applying a squashed migration records it and the ones it replaces.
        db.executemany(
            "DELETE FROM django_migrations WHERE app = ? AND name = ?", [*SQUASHED, *originals]
        )
        db.executemany(
            "INSERT INTO django_migrations (app, name, applied) VALUES (?, ?, '2026-12-07')",
            sorted(originals - set(without)),
        )
        db.commit()
        db.close()
        return tmp_path / "site.sqlite3", _site(tmp_path)

    return build


def test_every_app_with_a_history_is_squashed():
    squashed_apps = {app for app, _ in SQUASHED}
    assert squashed_apps == {"access", "codes", "exchange", "org", "people", "training"}
    assert len(SQUASHED[("training", "0001_squashed_0_1")]) == 11


def test_a_site_on_0_1_upgrades_without_running_a_migration(site_on_0_1):
    database, env = site_on_0_1()
    upgraded = yicai("migrate", env=env)
    assert upgraded.returncode == 0, upgraded.stderr
    assert "No migrations to apply." in upgraded.stdout
    assert set(SQUASHED) <= _recorded(database)  # Django records the squashed ones as applied


def test_a_site_stopped_between_two_of_0_1s_migrations_is_stopped(site_on_0_1):
    database, env = site_on_0_1(without=[("training", "0011_backfill_history_dates")])
    before = _recorded(database)
    refused = yicai("migrate", env=env)
    assert refused.returncode != 0
    assert "yicai.E014" in refused.stderr
    assert "training.0001_squashed_0_1 squashes: 0011_backfill_history_dates never ran" in (
        refused.stderr
    )
    assert _recorded(database) == before
