"""How fast `yicai seed` writes people, on SQLite and on PostgreSQL.

    python -m bench seed                      # 100,000 people on each database
    python -m bench seed --people 1000000 --only postgres

Each database starts empty: SQLite in a temporary file, PostgreSQL in a database `yicai_bench`
that is dropped and created again (and dropped at the end unless --keep). Both are migrated and
get the demo district (its load time is reported too), then `yicai seed` adds the people. Every
step runs as its own `python -m yicai` process with a time limit, so the bench always ends.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432"
BENCH_DB = "yicai_bench"


@dataclass
class Outcome:
    backend: str
    demo_seconds: float
    seed_seconds: float
    people: int

    @property
    def rate(self) -> float:
        return self.people / self.seed_seconds


def python(args: list[str], env: dict[str, str], timeout: float = 3600) -> str:
    """Run `python ARGS` in the repository with a time limit; its output, or exit with its end."""
    completed = subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        timeout=timeout,
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        sys.stderr.write(completed.stdout[-2000:] + completed.stderr[-4000:])
        raise SystemExit(f"`{' '.join(args)}` failed (exit {completed.returncode})")
    return completed.stdout


def _run(args: list[str], env: dict[str, str], timeout: float) -> float:
    started = time.perf_counter()
    python(["-m", "yicai", *args], env, timeout)
    return time.perf_counter() - started


def _environment(**values: str) -> dict[str, str]:
    # The demo generates its own password (and prints it into the captured output).
    dropped = {"DATABASE_URL", "YICAI_SQLITE_PATH", "YICAI_DEMO_PASSWORD"}
    env = {key: value for key, value in os.environ.items() if key not in dropped}
    env.update(DJANGO_SETTINGS_MODULE="yicai.settings", **values)
    return env


def _measure(backend: str, env: dict[str, str], people: int, timeout: float) -> Outcome:
    print(f"[{backend}] migrate ...", flush=True)
    _run(["migrate", "--no-input", "-v0", "--skip-checks"], env, timeout)
    print(f"[{backend}] yicai demo ...", flush=True)
    demo = _run(["demo", "--skip-checks"], env, timeout)
    print(f"[{backend}] yicai seed --people {people:,} ...", flush=True)
    seed = _run(["seed", "--people", str(people), "-v0"], env, timeout)
    outcome = Outcome(backend, demo, seed, people)
    print(
        f"[{backend}] {people:,} people in {seed:.1f} s = {outcome.rate:,.0f} people/s", flush=True
    )
    return outcome


def bench_sqlite(people: int, timeout: float) -> Outcome:
    folder = tempfile.mkdtemp(prefix="yicai-bench-")
    try:
        env = _environment(YICAI_SQLITE_PATH=str(Path(folder) / "bench.sqlite3"))
        return _measure("sqlite", env, people, timeout)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _admin(server: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True, connect_timeout=5) as conn:
        conn.execute(statement)


def bench_postgres(people: int, timeout: float, server: str, keep: bool) -> Outcome | None:
    try:
        _admin(server, f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        _admin(server, f"CREATE DATABASE {BENCH_DB}")
    except Exception as error:  # no server: say so and carry on
        print(f"[postgres] skipped: cannot reach {server} ({error})", flush=True)
        return None
    try:
        env = _environment(DATABASE_URL=f"{server}/{BENCH_DB}")
        return _measure("postgres", env, people, timeout)
    finally:
        if not keep:
            _admin(server, f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench seed", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--only", choices=("sqlite", "postgres"))
    parser.add_argument(
        "--pg",
        default=os.environ.get("BENCH_PG", DEFAULT_PG),
        help=f"PostgreSQL server URL without a database (default {DEFAULT_PG})",
    )
    parser.add_argument("--timeout", type=float, default=1800, help="seconds per step")
    parser.add_argument("--keep", action="store_true", help=f"keep the {BENCH_DB} database")
    options = parser.parse_args(argv)
    outcomes = []
    if options.only in (None, "sqlite"):
        outcomes.append(bench_sqlite(options.people, options.timeout))
    if options.only in (None, "postgres"):
        outcome = bench_postgres(options.people, options.timeout, options.pg, options.keep)
        if outcome is not None:
            outcomes.append(outcome)
    print()
    print(f"{'database':<10}{'demo load':>12}{'people':>12}{'seed wall':>12}{'people/s':>12}")
    for item in outcomes:
        print(
            f"{item.backend:<10}{item.demo_seconds:>11.1f}s{item.people:>12,}"
            f"{item.seed_seconds:>11.1f}s{item.rate:>12,.0f}"
        )
    print(
        "(wall times of whole `python -m yicai ...` processes, start-up included; "
        f"{os.cpu_count()} CPUs)"
    )


if __name__ == "__main__":
    main()
