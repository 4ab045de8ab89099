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
from yicai.insights import queries as insights  # noqa: E402
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


def _deep(user) -> tuple[str, list | None]:
    """Page 2,000 of the unfiltered list, and the sort key it starts after: by cursor where
    the list pages by cursor (on main it paged by number)."""
    order = queries.SORTS["name"]
    after = list(queries.people_for(user).order_by(*order).values_list(*order)[DEEP_ROW - 1])
    if not hasattr(pagination, "encode_cursor"):
        return "/people/?page=2000", after
    return f"/people/?cursor={pagination.encode_cursor({'after': after, 'n': 2000})}", after


def _picker(people, text):
    """The picker's query: the first 20 matches in name order."""
    if hasattr(queries, "first_matches"):
        return lambda: queries.first_matches(people, text, 20)
    return lambda: list(queries.matching(people, text).order_by(*queries.SORTS["name"])[:20])


def measure(requests: int, sql: bool) -> dict:
    vendor = connection.vendor
    user = User.objects.get(username=OFFICER)
    people = queries.people_for(user)
    last4 = people.order_by("pk").values_list("id_number_last4", flat=True)[people.count() // 2]
    deep_path, after = _deep(user)
    institutions = scale_sql.institution_ids(user)
    pages = [
        ("list 王", "/people/?q=王", "list", "王", None),
        ("list initials zw", "/people/?q=zw", "list", "zw", None),
        ("list pinyin wang", "/people/?q=wang", "list", "wang", None),
        (f"list last four {last4}", f"/people/?q={last4}", "list", last4, None),
        ("API search 王", "/api/v1/people/?q=王", "api", "王", None),
        ("list page 2,000", deep_path, "list", None, after),
        ("home page", "/", "home", None, None),
    ]
    out = {"session": _session(user), "pages": [], "picker": []}
    key = None
    if hasattr(insights, "scope_key"):
        insights.home_figures(user)  # the district's figures are kept from the first visit
        key = insights.scope_key(user)
        out["picker"].append(
            {
                "name": "home recount (background)",
                "yicai": _timed(lambda: insights.recount(user), 3),
            }
        )
    for name, path, what, text, start in pages:
        page = {"name": name, "path": path}
        if sql and (what != "home" or key):
            statements = scale_sql.statements(vendor, what, text, institutions, start, key)
            page["sql"] = _timed(lambda s=statements: scale_sql.run(connection, s), requests)
        out["pages"].append(page)
    for text in ("王", "zw", "wang", last4):
        picker = {"name": f"picker {text}", "yicai": _timed(_picker(people, text), requests)}
        if sql:
            statements = scale_sql.statements(vendor, "picker", text, institutions)
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
