"""The test database as migrations left it, put back after each test that commits for real.

Tests that commit (the browser's live server, races between connections, backups) cannot be
rolled back. Django ended each with a flush of every table (TRUNCATE on PostgreSQL, DELETE on
SQLite) and a reload of the rows migrations made (codes, regions, content types, permissions)
from their serialized JSON: about 21 s of a SQLite run and 65 s of a PostgreSQL one. Migrations
fill a dozen tables and leave the hundred others empty, so it is enough to DELETE the rows of
the empty ones and to check that the filled ones are as migrations left them. A test that
changed one fails, naming it, rather than passing its change on to the tests after it; the
table is put back so that those still start from the migrated data.
"""

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

import pytest
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorWrapper
from django.test import TransactionTestCase

# The audit table's triggers refuse DELETE unless this table has a row (access migration
# 0002): the permit is taken inside the emptying's transaction and removed last, as `yicai
# audit purge` does, so no test ever sees it.
PERMIT = "access_auditpermit"
# Django declares its foreign keys DEFERRABLE INITIALLY DEFERRED on both databases; deferring
# every key (any declared otherwise too) lets the tables be emptied in any order, the keys
# being checked once, at COMMIT.
DEFER_KEYS = {
    "postgresql": "SET CONSTRAINTS ALL DEFERRED",
    "sqlite": "PRAGMA defer_foreign_keys = ON",
}


@dataclass(frozen=True)
class Filled:
    """A table migrations filled: its rows as they left them, in primary key order."""

    name: str
    columns: tuple[str, ...]
    select: str
    rows: tuple[tuple[Any, ...], ...]
    digest: str


@dataclass(frozen=True)
class Migrated:
    empty: tuple[str, ...]
    filled: tuple[Filled, ...]


class ChangedByTest(AssertionError):
    """A test that commits changed a table migrations filled."""


def _table(cursor: CursorWrapper, connection: BaseDatabaseWrapper, table: str) -> Filled:
    introspection, quote = connection.introspection, connection.ops.quote_name
    columns = tuple(column.name for column in introspection.get_table_description(cursor, table))
    key = introspection.get_primary_key_column(cursor, table)
    order = quote(key) if key else ", ".join(map(quote, columns))
    names = ", ".join(map(quote, columns))
    select = f"SELECT {names} FROM {quote(table)} ORDER BY {order}"
    return _read(cursor, Filled(table, columns, select, (), ""))


def _read(cursor: CursorWrapper, table: Filled) -> Filled:
    cursor.execute(table.select)
    rows = tuple(tuple(row) for row in cursor.fetchall())
    # repr tells apart what == does not (1 and True, Decimal 1.0 and 1.00).
    return replace(table, rows=rows, digest=hashlib.sha256(repr(rows).encode()).hexdigest())


def record(connection: BaseDatabaseWrapper) -> Migrated:
    """The tables migrations left empty, and the rows of those they filled."""
    with connection.cursor() as cursor:
        # Not SQLite's own tables (sqlite_sequence, an ANALYZE's sqlite_stat1).
        names = [
            name
            for name in connection.introspection.table_names(cursor, include_views=False)
            if not name.startswith("sqlite_")
        ]
        tables = [_table(cursor, connection, name) for name in names]
    return Migrated(
        empty=tuple(table.name for table in tables if not table.rows),
        filled=tuple(table for table in tables if table.rows),
    )


def put_back(connection: BaseDatabaseWrapper, migrated: Migrated) -> None:
    """Empty the tables migrations left empty (DELETE: sequences go on, so PostgreSQL never
    hands out an id twice) and put back any filled one a test changed, then raise naming it."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        now = {table.name: _read(cursor, table) for table in migrated.filled}
    changed = [table for table in migrated.filled if now[table.name].digest != table.digest]
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute(DEFER_KEYS[connection.vendor])
        cursor.execute(
            f"INSERT INTO {PERMIT} (reason, created_at) VALUES ('test', CURRENT_TIMESTAMP)"
        )
        for name in migrated.empty:
            if name != PERMIT:
                cursor.execute(f"DELETE FROM {quote(name)}")
        for table in changed:
            cursor.execute(f"DELETE FROM {quote(table.name)}")
            columns = ", ".join(map(quote, table.columns))
            marks = ", ".join(["%s"] * len(table.columns))
            cursor.executemany(
                f"INSERT INTO {quote(table.name)} ({columns}) VALUES ({marks})",
                table.rows,
            )
        cursor.execute(f"DELETE FROM {PERMIT}")
    if changed:
        raise ChangedByTest(
            "A test that commits changed tables migrations filled (reference data every test "
            "starts from): "
            + "; ".join(_difference(table, now[table.name]) for table in changed)
            + ". They were put back as migrations left them; the test must not change them."
        )


def _difference(before: Filled, after: Filled) -> str:
    pairs = zip(before.rows, after.rows, strict=False)
    first = next(((was, now) for was, now in pairs if repr(was) != repr(now)), None)
    where = (
        f"first changed row {first[1]!r}, was {first[0]!r}" if first else "rows added or removed"
    )
    counts = f"{len(before.rows)} rows after migrations, {len(after.rows)} after the test"
    return f"{before.name} ({counts}, {where})"


@contextmanager
def put_back_after_committed_tests(migrated: Migrated) -> Iterator[None]:
    """While inside, every transactional test (TransactionTestCase, as pytest-django's
    transactional_db and live_server run them) ends with `put_back` instead of Django's flush."""

    def _fixture_teardown(test: TransactionTestCase) -> None:
        put_back(connections[DEFAULT_DB_ALIAS], migrated)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(TransactionTestCase, "_fixture_teardown", _fixture_teardown)
        yield
