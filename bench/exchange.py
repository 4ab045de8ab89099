"""Import and export benchmark: Yicai's import against django-import-export's, side by side.

    python -m bench exchange [--rows 100000] [--only sqlite|postgres] [--roster FILE]

For each database: a fresh one (SQLite: a temporary file; PostgreSQL: `yicai_bench_import`,
dropped and created again), migrated, with the demo district (`yicai demo`). The roster
(`bench.roster`, made once in the first database and shared) is then imported twice from the
same starting point: the database after the demo is copied first (SQLite: the file;
PostgreSQL: CREATE DATABASE ... TEMPLATE), Yicai imports into one copy (`yicai import people
FILE --commit`: preview then commit, in one process), django-import-export into the other
(`python -m bench.baseline FILE`). Then 100,000 people (--rows) are exported, as .xlsx and,
when yicai.exchange has it, as CSV (`python -m bench.export`). Every step is its own process
with a time limit, measured by bench.child (wall time, peak RSS).
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import shutil
import sqlite3
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bench import child

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432"
BENCH_DB = "yicai_bench_import"
DEMO_PEOPLE_TABLE = "people_person"


@dataclass
class Row:
    database: str
    tool: str
    rows: int
    run: child.Child | None
    added: int | None = None  # people in the database afterwards minus before
    note: str = ""

    @property
    def seconds(self) -> float | None:
        return self.run.seconds if self.run and self.run.ok else None

    @property
    def rate(self) -> float | None:
        return self.rows / self.seconds if self.seconds else None


def _environment(**values: str) -> dict[str, str]:
    dropped = {"DATABASE_URL", "YICAI_SQLITE_PATH", "YICAI_DEMO_PASSWORD"}
    env = {key: value for key, value in os.environ.items() if key not in dropped}
    # As deployed: DEBUG off (with it on, Django keeps the text of every query).
    env.update(DJANGO_SETTINGS_MODULE="yicai.settings", YICAI_DEBUG="0", **values)
    return env


def _say(database: str, message: str) -> None:
    print(f"[{database}] {message}", flush=True)


def _step(database: str, label: str, args: list[str], env, timeout: float) -> child.Child:
    _say(database, f"{label} ...")
    result = child.run([sys.executable, *args], env=env, cwd=ROOT, timeout=timeout)
    if result.timed_out:
        _say(database, f"{label}: stopped after the {timeout:.0f} s limit")
    elif result.returncode != 0:
        _say(database, f"{label}: failed (exit {result.returncode})")
        sys.stderr.write(result.stdout[-2000:] + result.stderr[-3000:] + "\n")
    else:
        _say(
            database,
            f"{label}: {result.seconds:.1f} s, peak {result.peak_mb:.0f} MB"
            + (
                f" (process tree {result.tree_mb:.0f} MB)"
                if result.tree_mb > result.peak_mb * 1.05
                else ""
            ),
        )
    return result


def _required(database: str, label: str, args: list[str], env, timeout: float) -> child.Child:
    result = _step(database, label, args, env, timeout)
    if not result.ok:
        raise SystemExit(f"[{database}] {label} failed: the bench cannot go on")
    return result


def yicai_import_available(env: dict[str, str]) -> bool:
    """Whether `yicai import` exists yet (the import engine is being written)."""
    result = child.run(
        [sys.executable, "-m", "yicai", "help", "import"], env=env, cwd=ROOT, timeout=120
    )
    return result.ok and "Unknown command" not in result.stdout + result.stderr


class Database:
    """One benchmark database and its copy for the second import."""

    name: str

    def env(self, copy: bool = False) -> dict[str, str]:
        raise NotImplementedError

    def snapshot(self) -> None:
        raise NotImplementedError

    def people(self, copy: bool = False) -> int:
        raise NotImplementedError

    def drop(self) -> None:
        raise NotImplementedError


class SqliteDatabase(Database):
    name = "sqlite"

    def __init__(self, folder: Path):
        self.paths = (folder / "bench.sqlite3", folder / "copy.sqlite3")

    def env(self, copy: bool = False) -> dict[str, str]:
        return _environment(YICAI_SQLITE_PATH=str(self.paths[copy]))

    def snapshot(self) -> None:
        source, target = self.paths
        with sqlite3.connect(source) as conn:  # fold the WAL into the file before copying
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        shutil.copyfile(source, target)

    def people(self, copy: bool = False) -> int:
        with sqlite3.connect(self.paths[copy]) as conn:
            return conn.execute(f"SELECT count(*) FROM {DEMO_PEOPLE_TABLE}").fetchone()[0]  # noqa: S608

    def drop(self) -> None:
        pass  # the temporary folder goes


class PostgresDatabase(Database):
    name = "postgres"

    def __init__(self, server: str):
        self.server = server
        self.names = (BENCH_DB, f"{BENCH_DB}_copy")

    def _admin(self, statement: str) -> None:
        import psycopg

        with psycopg.connect(f"{self.server}/postgres", autocommit=True, connect_timeout=5) as c:
            c.execute(statement)

    def create(self) -> None:
        self.drop()
        self._admin(f"CREATE DATABASE {self.names[0]}")

    def env(self, copy: bool = False) -> dict[str, str]:
        return _environment(DATABASE_URL=f"{self.server}/{self.names[copy]}")

    def snapshot(self) -> None:
        self._admin(f"CREATE DATABASE {self.names[1]} TEMPLATE {self.names[0]}")

    def people(self, copy: bool = False) -> int:
        import psycopg

        with psycopg.connect(f"{self.server}/{self.names[copy]}", connect_timeout=5) as c:
            return c.execute(f"SELECT count(*) FROM {DEMO_PEOPLE_TABLE}").fetchone()[0]  # noqa: S608

    def drop(self) -> None:
        for name in self.names:
            self._admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def measure(db: Database, roster: Path, rows: int, options) -> list[Row]:
    timeout, name = options.timeout, db.name
    env, copy_env = db.env(), db.env(copy=True)
    _required(
        name,
        "migrate",
        ["-m", "yicai", "migrate", "--no-input", "-v0", "--skip-checks"],
        env,
        timeout,
    )
    _required(name, "yicai demo", ["-m", "yicai", "demo", "--skip-checks"], env, timeout)
    if not roster.exists():
        made = _required(
            name,
            f"roster of {rows:,} rows",
            ["-m", "bench.roster", "--rows", str(rows), "--out", str(roster)],
            env,
            timeout,
        )
        print(made.stderr.strip(), flush=True)
    db.snapshot()
    before = db.people()
    results: list[Row] = []

    if options.skip_yicai:
        results.append(Row(name, "Yicai", rows, None, note="skipped (--skip-yicai)"))
    elif not yicai_import_available(env):
        _say(name, "`yicai import` does not exist yet: Yicai's import not measured")
        results.append(Row(name, "Yicai", rows, None, note="`yicai import` not available"))
    else:
        run = _step(
            name,
            "Yicai: yicai import people --commit",
            ["-m", "yicai", "import", "people", str(roster), "--commit"],
            env,
            timeout,
        )
        summary = run.stdout.strip().splitlines()[-6:] if run.stdout.strip() else []
        for line in summary:
            _say(name, f"  | {line}")
        results.append(Row(name, "Yicai", rows, run, added=db.people() - before))

    if options.skip_baseline:
        results.append(Row(name, "django-import-export", rows, None, note="skipped"))
    else:
        run = _step(
            name,
            "django-import-export (bench.baseline)",
            ["-m", "bench.baseline", str(roster)],
            copy_env,
            timeout,
        )
        for line in (run.stderr.strip().splitlines() + run.stdout.strip().splitlines())[-7:]:
            _say(name, f"  | {line}")
        results.append(
            Row(name, "django-import-export", rows, run, added=db.people(copy=True) - before)
        )

    # Export from whichever copy holds the imported people.
    yicai = results[0]
    export_env = env if yicai.run is not None and yicai.run.ok else copy_env
    formats = ["xlsx", "csv"]
    for fmt in formats:
        run = _step(
            name,
            f"export {options.export_rows:,} people as {fmt}",
            ["-m", "bench.export", "--rows", str(options.export_rows), "--format", fmt],
            export_env,
            timeout,
        )
        if run.ok:
            _say(name, f"  | {run.stdout.strip()}")
        note = "" if run.ok else "no CSV export yet" if "no CSV" in run.stdout + run.stderr else ""
        results.append(Row(name, f"export .{fmt}", options.export_rows, run, note=note))
    return results


def _mb(value: float | None) -> str:
    return f"{value:,.0f}" if value is not None else "–"


def report(results: list[Row]) -> None:
    print()
    print(
        f"{'database':<10}{'tool':<24}{'rows':>9}{'wall s':>9}{'rows/s':>9}"
        f"{'peak MB':>9}{'tree MB':>9}{'ratio':>8}  note"
    )
    for item in results:
        run = item.run
        ratio = ""
        if item.tool == "django-import-export":
            yicai = next(
                (r for r in results if r.database == item.database and r.tool == "Yicai"), None
            )
            if yicai and yicai.seconds and item.seconds:
                ratio = f"{item.seconds / yicai.seconds:.1f}x"
        note = item.note
        if run is not None and not run.ok:
            note = note or ("timed out" if run.timed_out else f"failed (exit {run.returncode})")
        if item.added is not None and item.added != item.rows:
            note = (note + "; " if note else "") + f"{item.added:,} people added"
        print(
            f"{item.database:<10}{item.tool:<24}{item.rows:>9,}"
            f"{(f'{item.seconds:.1f}' if item.seconds else '–'):>9}"
            f"{(f'{item.rate:,.0f}' if item.rate else '–'):>9}"
            f"{_mb(run.peak_mb if run and run.ok else None):>9}"
            f"{_mb(run.tree_mb if run and run.ok else None):>9}"
            f"{ratio:>8}  {note}"
        )
    print(
        f"(ratio: django-import-export's wall time / Yicai's. Whole processes, start-up included; "
        f"peak MB = largest process, tree MB = sampled sum over the process tree; "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}, {datetime.date.today()})"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench exchange", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--rows", type=int, default=100_000, help="roster rows (100,000)")
    parser.add_argument(
        "--export-rows", type=int, default=None, help="people to export (default: --rows)"
    )
    parser.add_argument("--only", choices=("sqlite", "postgres"))
    parser.add_argument("--roster", type=Path, help="use (or keep) this roster file")
    parser.add_argument(
        "--pg",
        default=os.environ.get("BENCH_PG", DEFAULT_PG),
        help=f"PostgreSQL server URL without a database (default {DEFAULT_PG})",
    )
    parser.add_argument("--timeout", type=float, default=1800, help="seconds per step")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL databases")
    parser.add_argument("--skip-yicai", action="store_true")
    parser.add_argument("--skip-baseline", action="store_true")
    options = parser.parse_args(argv)
    if options.export_rows is None:
        options.export_rows = options.rows
    folder = Path(tempfile.mkdtemp(prefix="yicai-bench-exchange-"))
    roster = options.roster or folder / f"roster-{options.rows}.xlsx"
    results: list[Row] = []
    try:
        if options.only in (None, "sqlite"):
            sqlite_folder = folder / "sqlite"
            sqlite_folder.mkdir()
            results += measure(SqliteDatabase(sqlite_folder), roster, options.rows, options)
        if options.only in (None, "postgres"):
            db = PostgresDatabase(options.pg)
            try:
                db.create()
            except Exception as error:  # no server: say so and carry on
                print(f"[postgres] skipped: cannot reach {options.pg} ({error})", flush=True)
            else:
                try:
                    results += measure(db, roster, options.rows, options)
                finally:
                    if not options.keep:
                        db.drop()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        report(results)
