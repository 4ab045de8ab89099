"""Search and lists at a province's scale: Yicai's pages against the best hand-written SQL.

    python -m bench scale                      # PostgreSQL 1,000,000 people, SQLite 100,000
    python -m bench scale --only postgres --keep --requests 30

Each database is built once (`yicai migrate`, `yicai demo`, `yicai seed`) and reused with
--keep (PostgreSQL: the database `yicai_scale_bench`; SQLite: var/bench-scale.sqlite3); a
reused one is migrated again, so new indexes are built before measuring. PostgreSQL is then
ANALYZEd, as autovacuum would after a bulk load.

A real server, gunicorn with 2 sync workers (YICAI_DEBUG=0, as deployed), answers N requests
per page, one at a time, as the demo's commission officer (who sees the whole district), after
two warm-up requests each. In one child process with the same database, `bench.scale_probe`
logs that officer in, picks the sample values (a last-four that exists, the cursor of the row
at page 2,000), times the picker's query (`people.queries` as the picker calls it, 20 rows)
and runs the hand-written SQL of every page N times. Reported: p50 and p95 of each, and the
ratio Yicai / SQL of the p50s.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

from bench.seed import python

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432"
BENCH_DB = "yicai_scale_bench"
SQLITE_PATH = ROOT / "var" / "bench-scale.sqlite3"
DEMO_PEOPLE = 3000  # `yicai demo` makes 3,000 people; seed adds the rest


def _environment(**values: str) -> dict[str, str]:
    dropped = {"DATABASE_URL", "YICAI_SQLITE_PATH", "YICAI_DEMO_PASSWORD"}
    env = {key: value for key, value in os.environ.items() if key not in dropped}
    env.update(
        DJANGO_SETTINGS_MODULE="yicai.settings",
        YICAI_DEBUG="0",
        YICAI_SSL_REDIRECT="0",
        PYTHONPATH=str(ROOT),
        **values,
    )
    return env


def _yicai(args: list[str], env: dict[str, str]) -> str:
    return python(["-m", "yicai", *args], env)


def _people(env: dict[str, str]) -> int:
    out = _probe(env, ["count"])
    return out["people"]


def _probe(env: dict[str, str], args: list[str]) -> dict:
    return json.loads(python(["-m", "bench.scale_probe", *args], env).strip().splitlines()[-1])


def _build(label: str, env: dict[str, str], people: int, fresh: bool) -> None:
    """Migrate; on a fresh database load the demo and seed people up to `people`."""
    print(f"[{label}] migrate ...", flush=True)
    _yicai(["migrate", "--no-input", "-v0", "--skip-checks"], env)
    if fresh:
        print(f"[{label}] yicai demo ...", flush=True)
        _yicai(["demo", "--skip-checks"], env)
    have = _people(env)
    if have < people:
        print(f"[{label}] yicai seed --people {people - have:,} ...", flush=True)
        started = time.perf_counter()
        _yicai(["seed", "--people", str(people - have), "-v0"], env)
        print(f"[{label}] seeded in {time.perf_counter() - started:.0f} s", flush=True)


def _admin(server: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True, connect_timeout=5) as conn:
        conn.execute(statement)


def _pg_exists(server: str) -> bool:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True, connect_timeout=5) as conn:
        row = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DB]).fetchone()
    return row is not None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """gunicorn with 2 sync workers on a free local port, stopped on exit."""

    def __init__(self, env: dict[str, str], workers: int):
        self.port = _free_port()
        self.process = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "gunicorn",
                "yicai.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--timeout",
                "120",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise SystemExit("gunicorn did not start")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def _get(port: int, path: str, cookie: str) -> float:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{urllib.parse.quote(path, safe='/?=&%')}",
        headers={"Cookie": f"sessionid={cookie}"},
    )
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
        response.read()
        if response.status != 200 or response.geturl().endswith("/login/"):
            raise SystemExit(f"{path}: HTTP {response.status} {response.geturl()}")
    return time.perf_counter() - started


def percentiles(samples: list[float]) -> tuple[float, float]:
    """p50 and p95 in milliseconds (nearest rank)."""
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]
    return statistics.median(ordered) * 1000, p95 * 1000


def measure(label: str, env: dict[str, str], requests: int, workers: int, sql: bool) -> list:
    _yicai(["collectstatic", "--no-input", "-v0"], env)
    print(f"[{label}] probe: session, samples, picker and SQL ...", flush=True)
    probe = _probe(env, ["measure", "--requests", str(requests), *([] if sql else ["--no-sql"])])
    rows = []
    with Server(env, workers) as server:
        for page in probe["pages"]:
            for _ in range(2):  # warm-up: each worker's first request
                _get(server.port, page["path"], probe["session"])
            times = [_get(server.port, page["path"], probe["session"]) for _ in range(requests)]
            yicai = percentiles(times)
            rows.append((label, page["name"], page["path"], yicai, page.get("sql")))
            print(f"[{label}] {page['name']}: p50 {yicai[0]:.0f} ms, p95 {yicai[1]:.0f} ms")
    for picker in probe["picker"]:
        rows.append((label, picker["name"], "(in process)", picker["yicai"], picker.get("sql")))
    return rows


def report(rows: list) -> None:
    print()
    print(
        f"{'database':<10}{'what':<22}{'Yicai p50':>10}{'p95':>8}{'SQL p50':>9}{'p95':>8}"
        f"{'ratio':>7}  path"
    )
    for label, name, path, (p50, p95), sql in rows:
        if sql:
            ratio = f"{p50 / sql[0]:.1f}" if sql[0] else "–"
            sql_text = f"{sql[0]:>9.1f}{sql[1]:>8.1f}"
        else:
            ratio, sql_text = "–", f"{'–':>9}{'–':>8}"
        print(f"{label:<10}{name:<22}{p50:>10.1f}{p95:>8.1f}{sql_text}{ratio:>7}  {path}")
    print(
        f"(milliseconds; ratio = Yicai p50 / SQL p50; Yicai over HTTP through gunicorn, SQL in "
        f"process; {os.cpu_count()} CPUs, Python {platform.python_version()})"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench scale", description=__doc__)
    parser.add_argument("--only", choices=("sqlite", "postgres"))
    parser.add_argument("--pg", default=os.environ.get("BENCH_PG", DEFAULT_PG))
    parser.add_argument("--pg-people", type=int, default=1_000_000)
    parser.add_argument("--sqlite-people", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=30, help="requests per page")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--keep", action="store_true", help="keep (and reuse) the databases")
    parser.add_argument("--no-sql", action="store_true", help="skip the hand-written SQL")
    options = parser.parse_args(argv)
    # Stopped from outside: stop the server too (the `with` blocks run on SystemExit).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    rows = []
    if options.only in (None, "postgres"):
        env = _environment(DATABASE_URL=f"{options.pg}/{BENCH_DB}")
        fresh = not (options.keep and _pg_exists(options.pg))
        if fresh:
            _admin(options.pg, f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
            _admin(options.pg, f"CREATE DATABASE {BENCH_DB}")
        try:
            _build("postgres", env, options.pg_people, fresh)
            _probe(env, ["analyze"])
            rows += measure("postgres", env, options.requests, options.workers, not options.no_sql)
        finally:
            if not options.keep:
                _admin(options.pg, f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
    if options.only in (None, "sqlite"):
        env = _environment(YICAI_SQLITE_PATH=str(SQLITE_PATH))
        fresh = not (options.keep and SQLITE_PATH.exists())
        if fresh:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)
        try:
            _build("sqlite", env, options.sqlite_people, fresh)
            rows += measure("sqlite", env, options.requests, options.workers, not options.no_sql)
        finally:
            if not options.keep:
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)
    report(rows)


if __name__ == "__main__":
    main()
