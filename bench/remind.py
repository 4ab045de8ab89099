"""`yicai remind` over a district's 八个一 service at scale, on SQLite and on PostgreSQL.

    python -m bench remind                    # 100,000 served talents, a year of tasks
    python -m bench remind --people 20000 --only sqlite

Each database starts empty: SQLite in a temporary file, PostgreSQL in `yicai_bench_remind`
(dropped and created again, and dropped at the end unless --keep). Steps, each its own process
with a time limit (`bench.child`-style: wall time includes Python and Django start-up):

1. `yicai migrate`.
2. setup (`python -m bench.remind --probe setup`): 20 community health centres of the district,
   an administrator each, the 八个一 package; N served talents (people of category
   served_talent, no institution) and their enrolments written with bulk_create, not through
   the per-person enrol service (which checks and seals each person: minutes at this size);
   enrolment days spread over the year before D-365 .. D-300 so every enrolment has a year of
   tasks. Then `services.care.tasks_generate(D - 1 day)` generates the year of tasks (about 16
   an enrolment; timed on its own), and about 90 % of them are marked done (one UPDATE), the
   rest left open, most of them overdue.
3. `yicai remind --today D`, twice: the first generates the tasks falling due on D + 7 (one
   day's new tasks) and notifies; the second finds nothing new (the idempotence at scale).
4. sql (`python -m bench.remind --probe sql`): ONE hand-written statement that finds the same
   due items (open tasks due by D + 7, counted and their overdue counted by institution, as
   the provider groups them), timed in-process (best of 3), and the provider's own query
   (`reminders.care_open`) timed the same way; the counts must match.
"""

import argparse
import datetime
import json
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench.seed import DEFAULT_PG, _admin, _environment, python

BENCH_DB = "yicai_bench_remind"
TODAY = datetime.date(2026, 11, 16)
CENTRES = 20
SQL = """
SELECT institution_id, COUNT(*), SUM(CASE WHEN deadline < %s THEN 1 ELSE 0 END)
FROM retention_servicetask
WHERE done_on IS NULL AND due_on <= %s
GROUP BY institution_id
ORDER BY institution_id
"""


# --- the in-process halves ---------------------------------------------------------------------


def _django() -> None:
    import django

    django.setup()


def probe_setup(people: int, seed: int) -> dict[str, float | int]:
    _django()
    from django.db import connection, transaction

    from yicai.access import services as access
    from yicai.access.models import Role
    from yicai.codes.models import Code
    from yicai.org.models import Institution, Region
    from yicai.people.models import Person
    from yicai.retention.models import Enrolment, ServiceTask
    from yicai.retention.services import care

    rng = random.Random(seed)
    region = Region.objects.get(code="310113")
    centres = []
    for n in range(CENTRES):
        centre = Institution.objects.create(
            name=f"第{n + 1}社区卫生服务中心",
            short_name=f"第{n + 1}社区",
            kind="community",
            grade="1",
            region=region,
            commission_region=region,
        )
        user = access.user_create(
            username=f"centre{n + 1}",
            password="Bench-pass-2026!",  # noqa: S106 - a throwaway database's account
            full_name=f"中心{n + 1}",
        )
        access.role_assign(user=user, role=Role.INSTITUTION_ADMIN, institution=centre)
        centres.append(centre)
    package = care.package_defaults_create(region=region)
    sexes = list(Code.objects.filter(table__key="sex", code__in=("1", "2")))
    started = time.perf_counter()
    batch = 5000
    with transaction.atomic():
        for start in range(0, people, batch):
            count = min(batch, people - start)
            persons = Person.objects.bulk_create(
                [
                    Person(
                        name=f"科创{start + i}",
                        name_initials="kc",
                        name_pinyin=f"kechuang{start + i}",
                        sex=sexes[(start + i) % 2],
                        birth_date=datetime.date(1965, 1, 1)
                        + datetime.timedelta(days=rng.randrange(30 * 365)),
                        category=Person.Category.SERVED_TALENT,
                    )
                    for i in range(count)
                ]
            )
            Enrolment.objects.bulk_create(
                [
                    Enrolment(
                        package=package,
                        person=person,
                        institution=centres[i % CENTRES],
                        enrolled_on=TODAY - datetime.timedelta(days=365 + rng.randrange(0, 65)),
                        employer="张江某科技公司",
                        talent_kind="高层次人才",
                        team_name=f"团队{i % 7 + 1}",
                    )
                    for i, person in enumerate(persons)
                ]
            )
    people_seconds = time.perf_counter() - started
    started = time.perf_counter()
    generated = care.tasks_generate(TODAY - datetime.timedelta(days=1))
    generate_seconds = time.perf_counter() - started
    started = time.perf_counter()
    with connection.cursor() as cursor:
        # About 9 in 10 done, a few days after they fell due; the rest left open.
        cursor.execute(
            "UPDATE retention_servicetask SET done_on = due_on, channel = 'phone', "
            "satisfaction = 4 + (id % 2) WHERE id % 10 <> 0"
        )
    done_seconds = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE retention_servicetask")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {
        "people_seconds": people_seconds,
        "generated": generated,
        "generate_seconds": generate_seconds,
        "done_seconds": done_seconds,
        "tasks": ServiceTask.objects.count(),
    }


def _best(run, times: int = 3) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(times):
        started = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - started)
    return best, result


def probe_sql() -> dict[str, object]:
    _django()
    from django.db import connection

    from yicai.retention.reminders import CARE_DAYS, care_open

    until = TODAY + datetime.timedelta(days=CARE_DAYS)

    def hand() -> list[tuple[int, int, int]]:
        with connection.cursor() as cursor:
            cursor.execute(SQL, [TODAY, until])
            return [(row[0], int(row[1]), int(row[2])) for row in cursor.fetchall()]

    def provider() -> list[tuple[int, int, int]]:
        return [(row["institution"], row["n"], row["overdue"]) for row in care_open(TODAY)]

    hand_seconds, by_hand = _best(hand)
    provider_seconds, by_provider = _best(provider)
    if by_hand != by_provider:
        raise SystemExit(f"the counts differ: {by_hand[:3]} against {by_provider[:3]}")
    from yicai.notifications.models import Notification

    return {
        "sql_seconds": hand_seconds,
        "provider_seconds": provider_seconds,
        "institutions": len(by_hand),
        "open": sum(row[1] for row in by_hand),
        "overdue": sum(row[2] for row in by_hand),
        "notifications": Notification.objects.filter(kind="service_task").count(),
    }


# --- the parent ---------------------------------------------------------------------------------


def _step(args: list[str], env: dict[str, str], timeout: float) -> tuple[float, str]:
    started = time.perf_counter()
    out = python(args, env, timeout)
    return time.perf_counter() - started, out


def _measure(backend: str, env: dict[str, str], people: int, timeout: float) -> dict:
    print(f"[{backend}] migrate ...", flush=True)
    _step(["-m", "yicai", "migrate", "--no-input", "-v0", "--skip-checks"], env, timeout)
    print(f"[{backend}] setup: {people:,} served talents and a year of tasks ...", flush=True)
    wall, out = _step(
        ["-m", "bench.remind", "--probe", "setup", "--people", str(people)], env, timeout
    )
    setup = json.loads(out.strip().splitlines()[-1])
    print(f"[{backend}] setup {wall:.1f} s: {setup}", flush=True)
    runs = []
    for n in (1, 2):
        wall, out = _step(
            ["-m", "yicai", "remind", "--today", TODAY.isoformat(), "--skip-checks"], env, timeout
        )
        runs.append(wall)
        line = next((x for x in out.splitlines() if "八个一服务任务" in x), out.strip())
        print(f"[{backend}] remind run {n}: {wall:.1f} s ({line})", flush=True)
    _wall, out = _step(["-m", "bench.remind", "--probe", "sql"], env, timeout)
    sql = json.loads(out.strip().splitlines()[-1])
    print(f"[{backend}] {sql}", flush=True)
    return {"backend": backend, "people": people, **setup, "remind": runs, **sql}


def bench_sqlite(people: int, timeout: float) -> dict:
    folder = tempfile.mkdtemp(prefix="yicai-bench-remind-")
    try:
        env = _environment(YICAI_SQLITE_PATH=str(Path(folder) / "bench.sqlite3"))
        return _measure("sqlite", env, people, timeout)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def bench_postgres(people: int, timeout: float, server: str, keep: bool) -> dict | None:
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
        prog="python -m bench remind", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--only", choices=("sqlite", "postgres"))
    parser.add_argument("--pg", default=os.environ.get("BENCH_PG", DEFAULT_PG))
    parser.add_argument("--timeout", type=float, default=1800, help="seconds per step")
    parser.add_argument("--keep", action="store_true", help=f"keep the {BENCH_DB} database")
    parser.add_argument("--probe", choices=("setup", "sql"), help=argparse.SUPPRESS)
    parser.add_argument("--seed", type=int, default=7)
    options = parser.parse_args(argv)
    if options.probe == "setup":
        print(json.dumps(probe_setup(options.people, options.seed)))
        return
    if options.probe == "sql":
        print(json.dumps(probe_sql()))
        return
    outcomes = []
    if options.only in (None, "sqlite"):
        outcomes.append(bench_sqlite(options.people, options.timeout))
    if options.only in (None, "postgres"):
        outcome = bench_postgres(options.people, options.timeout, options.pg, options.keep)
        if outcome is not None:
            outcomes.append(outcome)
    print()
    print(
        f"{'database':<10}{'people':>9}{'tasks':>11}{'generate':>10}{'remind 1':>10}"
        f"{'remind 2':>10}{'provider':>10}{'SQL':>9}{'ratio':>7}"
    )
    for o in outcomes:
        ratio = o["provider_seconds"] / o["sql_seconds"] if o["sql_seconds"] else float("nan")
        print(
            f"{o['backend']:<10}{o['people']:>9,}{o['tasks']:>11,}{o['generate_seconds']:>9.1f}s"
            f"{o['remind'][0]:>9.1f}s{o['remind'][1]:>9.1f}s{o['provider_seconds']:>9.3f}s"
            f"{o['sql_seconds']:>8.3f}s{ratio:>7.2f}"
        )
    print(
        f"(remind: wall time of `python -m yicai remind`, start-up included; {os.cpu_count()} CPUs)"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
