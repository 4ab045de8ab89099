"""The in-process half of `python -m bench dashboard` (run by it as a child process).

    python -m bench.dashboard_probe count            # {"people": N, "activities": M}
    python -m bench.dashboard_probe analyze          # PostgreSQL: VACUUM ANALYZE (bulk load)
    python -m bench.dashboard_probe measure --requests N

`measure` times, as the demo's commission officer (the whole district) and the demo's hospital
administrator (区中心医院), each N times after one warm-up:

- the dashboard counted from the records (`dashboard.queries.count`: what a small scope's page
  runs on every visit, and what a large scope's background recount runs), today and as of 30
  June two years back;
- the dashboard page as the user gets it (GET /dashboard/ in process, template included): for
  a scope above the live limit, the kept figures (the first, untimed visit counts and keeps
  them);
- the home page's figures counted (`insights.queries.recount`) and as the page reads them;
- the annual report of last year (`insights.annual.annual_report`).

It prints one JSON line: per case, p50 and p95 in milliseconds, the queries of one run, and
whether the page showed kept figures.
"""

import argparse
import datetime
import json
import time

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402

from bench.scale import percentiles  # noqa: E402
from yicai.access import services as access_services  # noqa: E402
from yicai.access.models import User  # noqa: E402
from yicai.demo.seed_activities import KINDS, TABLES  # noqa: E402
from yicai.insights import annual  # noqa: E402
from yicai.insights import queries as insights  # noqa: E402
from yicai.insights.dashboard import queries as dashboard  # noqa: E402
from yicai.people.models import Person  # noqa: E402

USERS = ("commission", "hospital")


def _timed(run, requests: int) -> dict:
    """p50 and p95 of `requests` runs after a warm-up, and the queries of the warm-up
    (counted as they run: a request empties the connection's query log as it starts)."""
    seen = []

    def counted(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counted):
        result = run()
    samples = []
    for _ in range(requests):
        started = time.perf_counter()
        run()
        samples.append(time.perf_counter() - started)
    p50, p95 = percentiles(samples)
    return {"p50": p50, "p95": p95, "queries": len(seen), "result": result}


def _client(user) -> Client:
    """A session as after the password and the second factor (as bench.scale_probe's)."""
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    device = access_services.totp_device_ensure(user=user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def _get(client: Client, path: str, query: dict) -> bool:
    """The page; whether it showed kept figures."""
    response = client.get(path, query)
    if response.status_code != 200:
        raise SystemExit(f"{path} {query}: HTTP {response.status_code}")
    shown = response.content.decode()
    return 'id="counted-at"' in shown or 'id="fig-as-of"' in shown


def measure(requests: int) -> dict:
    today = timezone.localdate()
    past = datetime.date(today.year - 2, 6, 30)
    out: dict = {"cases": []}
    count = getattr(dashboard, "count", dashboard.dashboard)
    for username in USERS:
        user = User.objects.get(username=username)
        client = _client(user)
        for label, day in (("today", today), ("past", past)):
            since = datetime.date(day.year, 1, 1)
            dates = {"as_of": day, "since": since, "until": day}
            query = {key: value.isoformat() for key, value in dates.items()}
            live = _timed(lambda u=user, d=dates: bool(count(u, **d)), requests)
            _get(client, "/dashboard/", query)  # a large scope's first visit counts and keeps
            page = _timed(lambda c=client, q=query: _get(c, "/dashboard/", q), requests)
            out["cases"].append({"name": f"dashboard {username} {label} counted", **live})
            out["cases"].append({"name": f"dashboard {username} {label} page", **page})
        home = _timed(lambda u=user: bool(insights.recount(u)), requests)
        out["cases"].append({"name": f"home {username} counted", **home})
        page = _timed(lambda c=client: _get(c, "/", {}), requests)
        out["cases"].append({"name": f"home {username} page", **page})
        year = (datetime.date(today.year - 1, 1, 1), datetime.date(today.year - 1, 12, 31))
        report = _timed(lambda u=user, y=year: bool(annual.annual_report(u, *y)), requests)
        out["cases"].append({"name": f"annual report {username} {year[0].year}", **report})
    return out


def counts() -> dict:
    return {
        "people": Person.objects.count(),
        "activities": sum(TABLES[kind].model.objects.count() for kind in KINDS),
    }


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.dashboard_probe")
    parser.add_argument("command", choices=("count", "analyze", "measure"))
    parser.add_argument("--requests", type=int, default=5)
    options = parser.parse_args()
    if options.command == "count":
        result = counts()
    elif options.command == "analyze":
        if connection.vendor == "postgresql":
            # As autovacuum does after a bulk load: statistics, and the visibility map that
            # lets the as-of indexes answer from the index alone.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        result = {"analyzed": connection.vendor == "postgresql"}
    else:
        result = measure(options.requests)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
