"""Fast row writing for imports and generated data: primary keys allocated up front, then
multi-row INSERTs (SQLite) or COPY (PostgreSQL) straight into the tables.

It skips model instances, save() and signals on purpose, so callers validate every row first
and audit the batch themselves. Use inside a transaction: on SQLite its write lock is what
keeps the allocated keys free; on PostgreSQL the keys come from the table's sequence.
"""

import sqlite3
from collections.abc import Callable, Sequence
from itertools import chain

from django.db import connection, transaction

ROWS_PER_STATEMENT = 1000
SQLITE_VARIABLES = sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER


class BulkWriter:
    def __init__(self, *, batch_size: int = 5000, on_rows: Callable[[int], None] | None = None):
        if connection.vendor not in ("sqlite", "postgresql"):
            raise NotImplementedError(f"bulk writing is not supported on {connection.vendor}")
        self.sqlite = connection.vendor == "sqlite"
        self.batch_size = batch_size
        self.on_rows = on_rows  # called with each batch's row count (progress bars)
        self.analysed: set[str] = set()

    def allocate_ids(self, model, count: int) -> list[int]:
        if count == 0:
            return []
        table = model._meta.db_table
        with connection.cursor() as cursor:
            if self.sqlite:
                quoted = connection.ops.quote_name(table)
                cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {quoted}")  # noqa: S608
                highest = cursor.fetchone()[0]
                cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
                row = cursor.fetchone()
                first = max(highest, row[0] if row else 0) + 1
                return list(range(first, first + count))
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
            return [row[0] for row in cursor.fetchall()]

    def insert(self, model, fields: Sequence[str], rows: Sequence[tuple]) -> int:
        if not rows:
            return 0
        quote = connection.ops.quote_name
        table = quote(model._meta.db_table)
        columns = ", ".join(quote(model._meta.get_field(name).column) for name in fields)
        with connection.cursor() as cursor:
            if self.sqlite:
                self._analyse_after_commit(table)
                # Index pages of a big table do not fit SQLite's default 2 MB cache; random
                # blind-index keys then cost a page read per row.
                cursor.execute("PRAGMA cache_size = -262144")
                for start in range(0, len(rows), self.batch_size):
                    batch = rows[start : start + self.batch_size]
                    self._insert_sqlite(table, columns, len(fields), batch)
                    self._report(len(batch))
            else:
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for start in range(0, len(rows), self.batch_size):
                        batch = rows[start : start + self.batch_size]
                        for row in batch:
                            copy.write_row(row)
                        self._report(len(batch))
        return len(rows)

    @staticmethod
    def _insert_sqlite(table: str, columns: str, width: int, rows: Sequence[tuple]) -> None:
        """Many rows a statement: a statement per row costs SQLite a step, a reset and an
        update of the AUTOINCREMENT counter each, more than a third of the insert time. The
        statements go to the sqlite3 connection itself, with its own ? marks: Django's cursor
        would rewrite a statement of 20,000 marks on every call."""
        raw = connection.connection
        per = max(1, min(ROWS_PER_STATEMENT, raw.getlimit(SQLITE_VARIABLES) // width))
        values = "(" + ", ".join(["?"] * width) + ")"
        whole = len(rows) - len(rows) % per
        if whole:
            sql = f"INSERT INTO {table} ({columns}) VALUES {', '.join([values] * per)}"  # noqa: S608
            flat = chain.from_iterable
            raw.executemany(sql, [tuple(flat(rows[i : i + per])) for i in range(0, whole, per)])
        if whole < len(rows):
            sql = f"INSERT INTO {table} ({columns}) VALUES {values}"  # noqa: S608
            raw.executemany(sql, rows[whole:])

    def _analyse_after_commit(self, table: str) -> None:
        """SQLite keeps no statistics unless told to, and without them its planner reads a
        big table the slow way round (the person list of 100,000 people took a second, led
        by the institutions of the scope instead of the name index). After the transaction
        that bulk-wrote a table, its statistics are refreshed: a sample (analysis_limit), a
        few milliseconds. PostgreSQL's autovacuum does the same on its own."""
        if table in self.analysed:
            return
        self.analysed.add(table)

        def analyse() -> None:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA analysis_limit = 10000")
                cursor.execute(f"ANALYZE {table}")

        transaction.on_commit(analyse)

    def _report(self, count: int) -> None:
        if self.on_rows is not None:
            self.on_rows(count)

    def existing(self, model, field: str, values: Sequence) -> dict:
        """value -> primary key, for the values of one unique column already stored."""
        return dict(self.rows_where_in(model, (field, "id"), field, values))

    def rows_where_in(self, model, fields: Sequence[str], field: str, values: Sequence) -> list:
        """Rows (as tuples of `fields`) whose `field` is among `values`: 5,000 at a time, and on
        PostgreSQL as one array parameter rather than 5,000; the whole table when it has fewer
        rows than there are values (compared in Python then: give values of the column's own
        type, and no None)."""
        quote, meta = connection.ops.quote_name, model._meta
        columns = ", ".join(quote(meta.get_field(name).column) for name in fields)
        column, table = quote(meta.get_field(field).column), quote(meta.db_table)
        found: list = []
        with connection.cursor() as cursor:
            if len(values) > 5000:
                cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608
                if cursor.fetchone()[0] < len(values):  # read the smaller side whole
                    cursor.execute(f"SELECT {columns}, {column} FROM {table}")  # noqa: S608
                    wanted = set(values)
                    return [row[:-1] for row in cursor.fetchall() if row[-1] in wanted]
            for start in range(0, len(values), 5000):
                chunk = list(values[start : start + 5000])
                if self.sqlite:  # the sqlite3 connection itself, as in _insert_sqlite
                    marks = ", ".join(["?"] * len(chunk))
                    sql = f"SELECT {columns} FROM {table} WHERE {column} IN ({marks})"  # noqa: S608
                    found.extend(connection.connection.execute(sql, chunk).fetchall())
                else:
                    sql = f"SELECT {columns} FROM {table} WHERE {column} = ANY(%s)"  # noqa: S608
                    cursor.execute(sql, [chunk])
                    found.extend(cursor.fetchall())
        return found
