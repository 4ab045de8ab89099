"""The dashboard, the home page and the annual report at a province's scale, beside a baseline.

    python -m bench dashboard                    # 1,000,000 people, 5,000,000 activity records
    python -m bench dashboard --people 200000 --activities 1000000 --base-people 20000 \\
        --base-activities 100000 --requests 3    # a quick check
    python -m bench dashboard --keep             # keep (and reuse) both databases

On PostgreSQL, two databases: the baseline `yicai_bench_dashboard_base` is migrated, gets the
demo district (`yicai demo`: 3,000 people) and is seeded up to --base-people people and
--base-activities activity records (`yicai seed --people N --activities M`); the large one,
`yicai_bench_dashboard`, starts as a copy of it (CREATE DATABASE ... TEMPLATE) and is seeded
up to --people and --activities. Both are dropped at the end unless --keep; a kept one is
reused (migrated again, so new indexes are built, and seeded only up to what is asked).
Each is VACUUM ANALYZEd, as autovacuum would after a bulk load, then measured in a child process
(`bench.dashboard_probe`, run by `bench.child`, which also reports its wall time and peak
memory): the dashboard of the commission (all institutions) and of one hospital, today and as
of a past day, counted and as the page shows it; the home page's figures; the annual report.
The report puts the baseline and the large database side by side, with the ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

from bench.child import run as run_child
from bench.seed import python

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432"
BENCH_DB = "yicai_bench_dashboard"
BASE_DB = f"{BENCH_DB}_base"


def _environment(database: str, server: str) -> dict[str, str]:
    dropped = {"DATABASE_URL", "YICAI_SQLITE_PATH", "YICAI_DEMO_PASSWORD"}
    env = {key: value for key, value in os.environ.items() if key not in dropped}
    env.update(
        DJANGO_SETTINGS_MODULE="yicai.settings",
        YICAI_DEBUG="0",
        YICAI_SSL_REDIRECT="0",
        PYTHONPATH=str(ROOT),
        DATABASE_URL=f"{server}/{database}",
    )
    return env


def _admin(server: str, *statements: str) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True, connect_timeout=5) as conn:
        for statement in statements:
            conn.execute(statement)


def _exists(server: str, database: str) -> bool:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True, connect_timeout=5) as conn:
        row = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone()
    return row is not None


def _probe(env: dict[str, str], *args: str) -> dict:
    return json.loads(python(["-m", "bench.dashboard_probe", *args], env).strip().splitlines()[-1])


def _step(label: str, env: dict[str, str], args: list[str], timeout: float) -> float:
    print(f"[{label}] yicai {' '.join(args)} ...", flush=True)
    started = time.perf_counter()
    python(["-m", "yicai", *args], env, timeout)
    seconds = time.perf_counter() - started
    print(f"[{label}]   {seconds:.0f} s", flush=True)
    return seconds


def build(label: str, env: dict[str, str], people: int, activities: int, timeout: float) -> dict:
    """Migrate (again: new indexes), seed up to the sizes asked, ANALYZE; what it took."""
    took = {
        "migrate": _step(label, env, ["migrate", "--no-input", "-v0", "--skip-checks"], timeout)
    }
    have = _probe(env, "count")
    if have["people"] == 0:
        took["demo"] = _step(label, env, ["demo", "--skip-checks"], timeout)
        have = _probe(env, "count")
    more_people = max(0, people - have["people"])
    more_activities = max(0, activities - have["activities"])
    if more_people or more_activities:
        args = ["seed", "--people", str(more_people), "--activities", str(more_activities)]
        took["seed"] = _step(label, env, [*args, "-v0"], timeout)
        took["seeded"] = {"people": more_people, "activities": more_activities}
    started = time.perf_counter()
    _probe(env, "analyze")
    took["analyze"] = time.perf_counter() - started
    took["size"] = _probe(env, "count")
    return took


def measure(label: str, env: dict[str, str], requests: int, timeout: float) -> dict:
    python(["-m", "yicai", "collectstatic", "--no-input", "-v0"], env, timeout)
    print(f"[{label}] measuring ({requests} runs a case) ...", flush=True)
    child = run_child(
        [sys.executable, "-m", "bench.dashboard_probe", "measure", "--requests", str(requests)],
        env=env,
        cwd=ROOT,
        timeout=timeout,
    )
    if not child.ok:
        raise SystemExit(
            f"[{label}] probe failed (exit {child.returncode}, timed out {child.timed_out}):\n"
            + child.stdout[-2000:]
            + child.stderr[-4000:]
        )
    result = json.loads(child.stdout.strip().splitlines()[-1])
    result["child"] = {"seconds": child.seconds, "peak_mb": child.peak_mb}
    for case in result["cases"]:
        print(
            f"[{label}] {case['name']}: p50 {case['p50']:.0f} ms, p95 {case['p95']:.0f} ms, "
            f"{case['queries']} queries",
            flush=True,
        )
    return result


def report(base: dict, large: dict) -> None:
    size = (base["build"]["size"], large["build"]["size"])
    print()
    print(
        f"baseline: {size[0]['people']:,} people, {size[0]['activities']:,} activity records; "
        f"large: {size[1]['people']:,} people, {size[1]['activities']:,} activity records"
    )
    print(
        f"{'case':<40}{'base p50':>9}{'p95':>8}{'q':>5}{'large p50':>11}{'p95':>8}{'q':>5}"
        f"{'×p50':>7}"
    )
    cases = {case["name"]: case for case in large["measured"]["cases"]}
    for case in base["measured"]["cases"]:
        other = cases.get(case["name"])
        if other is None:
            continue
        ratio = other["p50"] / case["p50"] if case["p50"] else 0
        print(
            f"{case['name']:<40}{case['p50']:>9.0f}{case['p95']:>8.0f}{case['queries']:>5}"
            f"{other['p50']:>11.0f}{other['p95']:>8.0f}{other['queries']:>5}{ratio:>7.1f}"
        )
    for label, part in (("baseline", base), ("large", large)):
        build_ = part["build"]
        print(
            f"{label}: seed {build_.get('seed', 0):.0f} s {build_.get('seeded', '')}, analyze "
            f"{build_['analyze']:.0f} s; probe child {part['measured']['child']['seconds']:.0f} s, "
            f"peak {part['measured']['child']['peak_mb']:.0f} MB"
        )
    print(
        f"(milliseconds, in process; q = queries of one run; {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()})"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench dashboard", description=__doc__)
    parser.add_argument("--pg", default=os.environ.get("BENCH_PG", DEFAULT_PG))
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--activities", type=int, default=5_000_000)
    parser.add_argument("--base-people", type=int, default=100_000)
    parser.add_argument("--base-activities", type=int, default=500_000)
    parser.add_argument("--requests", type=int, default=5, help="timed runs a case")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds a step")
    parser.add_argument("--keep", action="store_true", help="keep (and reuse) the databases")
    parser.add_argument(
        "--build-only", action="store_true", help="build (or bring up to size) and stop"
    )
    options = parser.parse_args(argv)
    server = options.pg
    base_env = _environment(BASE_DB, server)
    large_env = _environment(BENCH_DB, server)
    fresh_base = not (options.keep and _exists(server, BASE_DB))
    fresh_large = not (options.keep and _exists(server, BENCH_DB))
    try:
        if fresh_base:
            _admin(server, f"DROP DATABASE IF EXISTS {BASE_DB} WITH (FORCE)")
            _admin(server, f"CREATE DATABASE {BASE_DB}")
        base = {
            "build": build(
                "base", base_env, options.base_people, options.base_activities, options.timeout
            )
        }
        if fresh_large:
            print(f"[large] CREATE DATABASE {BENCH_DB} TEMPLATE {BASE_DB} ...", flush=True)
            _admin(
                server,
                f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)",
                f"CREATE DATABASE {BENCH_DB} TEMPLATE {BASE_DB}",
            )
        large = {
            "build": build("large", large_env, options.people, options.activities, options.timeout)
        }
        if options.build_only:
            print(json.dumps({"base": base["build"], "large": large["build"]}))
            return
        base["measured"] = measure("base", base_env, options.requests, options.timeout)
        large["measured"] = measure("large", large_env, options.requests, options.timeout)
        report(base, large)
    finally:
        if not options.keep:
            _admin(
                server,
                f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)",
                f"DROP DATABASE IF EXISTS {BASE_DB} WITH (FORCE)",
            )


if __name__ == "__main__":
    main()
