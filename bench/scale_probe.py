"""The in-process half of `python -m bench scale` (run by it as a child process).

    python -m bench.scale_probe count       # {"people": N}
    python -m bench.scale_probe analyze     # PostgreSQL: ANALYZE (after a bulk load)
    python -m bench.scale_probe measure --requests N [--no-sql]

`measure` logs the demo's commission officer in (a session as after the password and the
second factor), chooses the sample values, times the picker's query in process, and runs the
hand-written SQL of every page N times; it prints one JSON line for bench.scale.
"""

import argparse
import json
import time

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402

from bench import scale_sql  # noqa: E402
from bench.scale import percentiles  # noqa: E402
from yicai import pagination  # noqa: E402
from yicai.access import services as access_services  # noqa: E402
from yicai.access.models import User  # noqa: E402
from yicai.people import queries  # noqa: E402
from yicai.people.models import Person  # noqa: E402

OFFICER = "commission"
DEEP_ROW = 49_975  # the first row of page 2,000 at 25 a page


def _session(user) -> str:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    device = access_services.totp_device_ensure(user=user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return session.session_key


def _timed(run, requests: int) -> tuple[float, float]:
    run()  # warm-up
    samples = []
    for _ in range(requests):
        started = time.perf_counter()
        run()
        samples.append(time.perf_counter() - started)
    return percentiles(samples)


def _deep_path(user) -> str:
    """Page 2,000 of the unfiltered list: by cursor where the list pages by cursor."""
    if not hasattr(pagination, "encode_cursor"):
        return "/people/?page=2000"
    row = (
        queries.people_for(user)
        .order_by(*queries.SORTS["name"])
        .values_list(*queries.SORTS["name"])[DEEP_ROW - 1]
    )
    return f"/people/?cursor={pagination.encode_cursor({'after': list(row), 'n': 2000})}"


def measure(requests: int, sql: bool) -> dict:
    user = User.objects.get(username=OFFICER)
    people = queries.people_for(user)
    last4 = people.order_by("pk").values_list("id_number_last4", flat=True)[people.count() // 2]
    pages = [
        ("list 王", "/people/?q=王", "王"),
        ("list initials zw", "/people/?q=zw", "zw"),
        ("list pinyin wang", "/people/?q=wang", "wang"),
        (f"list last four {last4}", f"/people/?q={last4}", last4),
        ("API search 王", "/api/v1/people/?q=王", "王"),
        ("list page 2,000", _deep_path(user), None),
        ("home page", "/", None),
    ]
    region_ids = scale_sql.region_ids(user)
    out = {"session": _session(user), "pages": [], "picker": []}
    for name, path, text in pages:
        page = {"name": name, "path": path}
        statements = scale_sql.statements(name, text, region_ids, path) if sql else None
        if statements:
            page["sql"] = _timed(lambda s=statements: scale_sql.run(connection, s), requests)
        out["pages"].append(page)
    for text in ("王", "zw", "wang", last4):
        if hasattr(queries, "first_matches"):
            run = lambda t=text: queries.first_matches(people, t, 20)  # noqa: E731
        else:
            run = (
                lambda t=text: list(  # noqa: E731
                    queries.matching(people, t).order_by(*queries.SORTS["name"])[:20]
                )
            )
        picker = {"name": f"picker {text}", "yicai": _timed(run, requests)}
        statements = scale_sql.statements(f"picker {text}", text, region_ids, None) if sql else None
        if statements:
            picker["sql"] = _timed(lambda s=statements: scale_sql.run(connection, s), requests)
        out["picker"].append(picker)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.scale_probe")
    parser.add_argument("command", choices=("count", "analyze", "measure"))
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--no-sql", action="store_true")
    options = parser.parse_args()
    if options.command == "count":
        result = {"people": Person.objects.count()}
    elif options.command == "analyze":
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        result = {"analyzed": connection.vendor == "postgresql"}
    else:
        result = measure(options.requests, not options.no_sql)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
