"""Form pages against the number of people: every create and edit page, and the person
picker's endpoint, on a database of 100,000 people; the same pages on the code before the
pickers (the baseline commit, whose person fields were <select>s of everyone) side by side.

    python -m bench forms                             # 100,000 people, SQLite then PostgreSQL
    python -m bench forms --people 20000 --only sqlite
    python -m bench forms --database-url sqlite:////tmp/x.sqlite3   # an existing database

Each database starts empty (SQLite in a temporary file; PostgreSQL in `yicai_bench_forms`,
dropped and created again, and dropped at the end unless --keep), is migrated, gets the demo
district (`yicai demo`) and `yicai seed --people N`. The baseline's code is `git archive`d
into a temporary folder. Then, for each code (baseline first, then this tree's), a child
process on that code and that database GETs every page of the URL configuration ending in
`new/` or `edit/`, and the record pages that hold a person form, as the demo's commission
officer, hospital administrator (and, for the case form, trainee), in-process through
Django's test client (server time: middleware, view, queries, templates; no network). Each
page is requested `--repeat` times or for `--budget` seconds: at least twice, unless one
request took the whole budget; the first request is not counted when more than two were
made. Reported per page: p50 and p95 in ms, the baseline's p50 over this tree's, the HTML size
and the queries. This tree's picker endpoint is measured too.
"""

import argparse
import io
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432"
BENCH_DB = "yicai_bench_forms"
BASELINE = "11aeae1"  # main before the pickers
TARGET_MS = 300
PERSONAS = ("commission", "hospital")
# Pages holding a person form that are not themselves `new/` or `edit/` pages.
RECORD_PAGES = ("training:education_event", "training:team", "training:round")

# --- the parent: databases, code trees, the table ---------------------------------------------


def _yicai(args: list[str], env: dict[str, str], timeout: float) -> None:
    from bench.seed import _run

    _run(args, env, timeout)


def _environment(**values: str) -> dict[str, str]:
    from bench.seed import _environment

    return _environment(**values)


def prepare(env: dict[str, str], people: int, timeout: float, label: str) -> None:
    for step in (
        ["migrate", "--no-input", "-v0", "--skip-checks"],
        ["demo", "--skip-checks"],
        ["seed", "--people", str(people), "-v0"],
    ):
        print(f"[{label}] yicai {' '.join(step[:3])} ...", flush=True)
        _yicai(step, env, timeout)


def baseline_tree(commit: str, folder: Path) -> Path:
    """The baseline's code, as committed, with this benchmark's module added to run there."""
    archive = subprocess.run(  # noqa: S603 - git with our own arguments
        ["git", "-C", str(ROOT), "archive", "--format=tar", commit],  # noqa: S607
        capture_output=True,
        check=True,
    ).stdout
    tree = folder / "baseline"
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(tree, filter="data")
    shutil.copy(Path(__file__), tree / "bench" / "forms.py")
    return tree


def measure(tree: Path, env: dict[str, str], options, timeout: float) -> list[dict]:
    """Run the child on one code tree; its results, one dict per page or endpoint call."""
    completed = subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [
            sys.executable,
            "-m",
            "bench.forms",
            "--child",
            "--repeat",
            str(options.repeat),
            "--budget",
            str(options.budget),
        ],
        cwd=tree,
        env={**env, "PYTHONPATH": str(tree)},
        stdout=subprocess.PIPE,  # the results; progress and errors go to our stderr
        text=True,
        timeout=timeout,
        check=False,
    )
    if completed.returncode != 0:
        sys.stderr.write(completed.stdout[-2000:])
        raise SystemExit(f"the measuring child on {tree} failed (exit {completed.returncode})")
    rows = [json.loads(line) for line in completed.stdout.splitlines() if line.startswith("{")]
    code = next(row["code"] for row in rows if row["kind"] == "code")
    if not code.startswith(str(tree)):
        raise SystemExit(f"the child ran {code}, not the code in {tree}")
    return [row for row in rows if row["kind"] != "code"]


def _ms(value) -> str:
    return f"{value:,.0f}" if value is not None else "–"


def report(label: str, people: int, baseline: list[dict], current: list[dict]) -> None:
    before = {(row["persona"], row["name"]): row for row in baseline if row["kind"] == "page"}
    pages = [row for row in current if row["kind"] == "page"]
    print(f"\n## {label}: {people:,} people seeded (+ the demo's)\n")
    print(
        "| page | as | baseline p50 / p95 ms | pickers p50 / p95 ms | ratio | KB before → after |"
        " queries |"
    )
    print("|---|---|---:|---:|---:|---:|---:|")
    slowest = 0.0
    for row in pages:
        old = before.get((row["persona"], row["name"]), {})
        if row.get("status") != 200:
            print(f"| {row['name']} | {row['persona']} | | {row.get('status')} | | | |")
            continue
        slowest = max(slowest, row["p95"])
        ratio = f"{old['p50'] / row['p50']:,.1f}×" if old.get("p50") else "–"
        kb = f"{old.get('bytes', 0) / 1024:,.0f} → {row['bytes'] / 1024:,.0f}"
        print(
            f"| {row['name']} | {row['persona']} | {_ms(old.get('p50'))} / {_ms(old.get('p95'))}"
            f" | {_ms(row['p50'])} / {_ms(row['p95'])} | {ratio} | {kb} | {row['queries']} |"
        )
    verdict = "yes" if slowest < TARGET_MS else "NO"
    print(f"\nEvery form page under {TARGET_MS} ms (p95): {verdict} (slowest p95 {slowest:.0f} ms)")
    picks = [row for row in current if row["kind"] == "pick"]
    if picks:
        print("\n| picker endpoint | as | p50 / p95 ms | results | queries |")
        print("|---|---|---:|---:|---:|")
        for row in picks:
            print(
                f"| {row['name']} | {row['persona']} | {_ms(row['p50'])} / {_ms(row['p95'])}"
                f" | {row['results']} | {row['queries']} |"
            )


def run(label: str, env: dict[str, str], options, folder: Path, fresh: bool) -> None:
    if fresh:
        prepare(env, options.people, options.timeout, label)
    trees = [] if options.skip_baseline else [baseline_tree(options.baseline, folder)]
    results = []
    for tree in [*trees, ROOT]:
        print(f"[{label}] measuring {tree} ...", flush=True)
        results.append(measure(tree, env, options, options.timeout))
    baseline = results[0] if trees else []
    if options.json:
        saved = json.loads(options.json.read_text()) if options.json.exists() else {}
        saved[label] = {"people": options.people, "baseline": baseline, "pickers": results[-1]}
        options.json.write_text(json.dumps(saved, ensure_ascii=False, indent=1))
    report(label, options.people, baseline, results[-1])


def _admin(server: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True, connect_timeout=5) as conn:
        conn.execute(statement)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench forms", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--only", choices=("sqlite", "postgres"))
    parser.add_argument("--pg", default=os.environ.get("BENCH_PG", DEFAULT_PG))
    parser.add_argument("--database-url", help="measure this prepared database instead")
    parser.add_argument("--baseline", default=BASELINE, help=f"commit (default {BASELINE})")
    parser.add_argument("--skip-baseline", action="store_true")
    parser.add_argument("--repeat", type=int, default=10, help="requests a page (10)")
    parser.add_argument("--budget", type=float, default=10, help="seconds a page at most (10)")
    parser.add_argument("--timeout", type=float, default=7200, help="seconds per step")
    parser.add_argument("--keep", action="store_true", help=f"keep {BENCH_DB} and the SQLite file")
    parser.add_argument("--json", type=Path, help="also write the measurements to this file")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if options.child:
        child(options)
        return
    folder = Path(tempfile.mkdtemp(prefix="yicai-bench-forms-"))
    try:
        if options.database_url:
            env = _environment(DATABASE_URL=options.database_url)
            run("given database", env, options, folder, fresh=False)
            return
        if options.only in (None, "sqlite"):
            env = _environment(YICAI_SQLITE_PATH=str(folder / "bench.sqlite3"))
            run("SQLite", env, options, folder, fresh=True)
        if options.only in (None, "postgres"):
            try:
                _admin(options.pg, f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
                _admin(options.pg, f"CREATE DATABASE {BENCH_DB}")
            except Exception as error:  # no server: say so and carry on
                print(f"[postgres] skipped: cannot reach {options.pg} ({error})", flush=True)
                return
            try:
                env = _environment(DATABASE_URL=f"{options.pg}/{BENCH_DB}")
                run("PostgreSQL", env, options, folder, fresh=True)
            finally:
                if not options.keep:
                    _admin(options.pg, f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
    finally:
        if options.keep:
            print(f"kept {folder}", flush=True)
        else:
            shutil.rmtree(folder, ignore_errors=True)


# --- the child: runs on one code tree, prints one JSON line per measurement -------------------
# It uses only what the baseline has too (models, the scope module, the URL configuration).


def _samples(name: str, user, route: str = "") -> dict | None:
    """The kwargs of one page for a record the user may edit; None when there is none."""
    from yicai.access.scope import scoped
    from yicai.org.models import Department, DisciplineDesignation, Institution
    from yicai.people.models import Appointment, Person
    from yicai.training import models as m

    def first(model, permission="training.edit", **filters):
        rows = scoped(user, model.objects.filter(**filters), permission)
        return rows.order_by("pk").first()

    def pk(model, permission="training.edit", **filters):
        row = first(model, permission, **filters)
        return {"pk": row.pk} if row else None

    simple = {
        "training:visit_edit": m.Visit,
        "training:consultation_edit": m.Consultation,
        "training:mentorship_edit": m.Mentorship,
        "training:technique_edit": m.Technique,
        "training:studio_edit": m.ExpertStudio,
        "training:studio_member_add": m.ExpertStudio,
        "training:studio_funding": m.ExpertStudio,
        "training:secondment_edit": m.Secondment,
        "training:education_enrolment_edit": m.Enrolment,
        "training:career_edit": m.CareerPlan,
        "training:team_edit": m.FlexibleTeam,
        "training:team": m.FlexibleTeam,
        "training:education_event": m.EducationEvent,
        "training:cohort_create": m.Programme,
        "training:programme_edit": m.Programme,
        "training:round_create": m.Cohort,
    }
    if name in simple:
        return pk(simple[name])
    if name == "evaluation:figure_edit":  # an institution's own figures: evaluation.figures
        from yicai.evaluation.models import DisciplineFigure

        return pk(DisciplineFigure, "evaluation.figures")
    if name == "training:round":
        return pk(m.SelectionRound, "training.view", status="open")
    if name == "training:studio_funding_edit":
        studios = scoped(user, m.ExpertStudio.objects.all(), "training.edit")
        funding = m.StudioFunding.objects.filter(studio__in=studios).order_by("pk").first()
        return {"pk": funding.studio_id, "funding_pk": funding.pk} if funding else None
    if name in ("org:edit", "org:department_create", "org:designation_create"):
        institution = first(Institution, "org.edit", relation="managed")
        key = "pk" if name == "org:edit" else "institution_pk"
        return {key: institution.pk} if institution else None
    if name == "org:department_edit":
        department = first(Department, "org.edit")
        return {"institution_pk": department.institution_id, "pk": department.pk}
    if name == "org:designation_edit":
        designation = first(DisciplineDesignation, "org.edit")
        if designation is None:
            return None
        return {"institution_pk": designation.department.institution_id, "pk": designation.pk}
    if name in ("people:edit", "people:record_add"):
        person = first(Person, "person.edit")
        kwargs = {"pk": person.pk}
        return {**kwargs, "kind": "appointment"} if name == "people:record_add" else kwargs
    if name == "people:record_edit":
        # An appointment: the record form with the most choices (departments in charge).
        people = scoped(user, Person.objects.all(), "person.edit")
        appointment = Appointment.objects.filter(person__in=people).order_by("pk").first()
        if appointment is None:
            return None
        return {"pk": appointment.person_id, "kind": "appointment", "record_pk": appointment.pk}
    return _app_record(name, pk, route)


def _app_record(name: str, pk, route: str = "") -> dict | None:
    """An app's `<thing>_edit` page this file does not name (a newer app, as recruitment's
    `agreement_edit`): the first row of the app's model named `...Thing` (PartnerAgreement)
    the user may change with the app's `edit` permission. A page creating a record under
    another (`posts/<int:post>/applications/new/`) names it by the route's segment before
    its id: the first `...Post` the user may change."""
    from django.apps import apps

    app, _, page = name.partition(":")
    if not apps.is_installed(f"yicai.{app}"):
        return None
    parent = re.search(r"([a-z_-]+)s/<int:(\w+)>/", route)
    if page.endswith("_create") and parent:
        segment, keyword = parent.groups()
        found = _model_named(app, re.sub("[_-]", "", segment))
        row = pk(found, f"{app}.edit") if found else None
        return {keyword: row["pk"]} if row else None
    if not page.endswith("_edit"):
        return None
    # The route's segment first (promotion-rounds: PromotionRound, where `round` alone would
    # also name a competition's), then the page's name.
    stems = [page.removesuffix("_edit").replace("_", "")]
    if parent:
        stems.insert(0, re.sub("[_-]", "", parent.group(1)))
    for stem in stems:
        found = _model_named(app, stem)
        if found:
            return pk(found, f"{app}.edit")
    return None


def _model_named(app: str, stem: str):
    """The app's one model whose name ends with `stem` (agreement: PartnerAgreement)."""
    from django.apps import apps

    models = [
        model
        for model in apps.get_app_config(app).get_models()
        if model.__name__.lower().endswith(stem)
    ]
    return models[0] if len(models) == 1 else None


def _pages():
    """(name, route) of every create or edit page, and of the record pages with person forms."""
    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(resolver, prefix="", namespace=""):
        for entry in resolver.url_patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                yield from walk(entry, route, inner)
            elif isinstance(entry, URLPattern) and entry.name:
                yield f"{namespace}{entry.name}", route

    for name, route in walk(get_resolver()):
        if route.endswith(("new/", "edit/")) or name in RECORD_PAGES:
            yield name, route


def _timed(client, method: str, url: str, options, **data) -> dict:
    """Time one page: --repeat requests, or fewer when --budget seconds are spent."""
    from django.db import connection

    queries = []

    def counted(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    times, started = [], time.perf_counter()
    while True:
        queries.clear()
        with connection.execute_wrapper(counted):
            began = time.perf_counter()
            response = getattr(client, method)(url, data)
            times.append((time.perf_counter() - began) * 1000)
        if response.status_code != 200:
            return {"status": response.status_code}
        spent = time.perf_counter() - started
        # A page slower than the whole budget (the baseline's selects of everyone) is timed
        # once; any other at least twice.
        enough = len(times) >= 2 or times[0] > options.budget * 1000
        if len(times) >= options.repeat or (enough and spent >= options.budget):
            break
    counted = times[1:] if len(times) > 2 else times
    ordered = sorted(counted)
    return {
        "status": 200,
        "n": len(counted),
        "p50": statistics.median(ordered),
        "p95": ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))],
        "bytes": len(response.content),
        "queries": len(queries),
        "response": response,
    }


def _client(username: str):
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY

    from yicai.access import services
    from yicai.access.models import User

    user = User.objects.get(username=username)
    client = Client(SERVER_NAME="localhost")
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    device = services.totp_device_ensure(user=user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return user, client


def _emit(**row) -> None:
    row.pop("response", None)
    print(json.dumps(row, ensure_ascii=False), flush=True)
    if row["kind"] != "code":
        print(
            f"  {row['persona']:<11}{row['name']:<45}{row.get('p50', row.get('status'))}",
            file=sys.stderr,
            flush=True,
        )


def _picks(options, clients) -> None:
    """This tree's picker endpoint: first pages, a surname, pinyin, initials, the last four
    digits, a later page, and a pasted sign-in sheet of 30 names."""
    from django.urls import NoReverseMatch, reverse

    from yicai.people.models import Person

    try:
        reverse("pick", args=["training.experts"])
    except NoReverseMatch:
        return  # the baseline has no pickers
    someone = Person.objects.exclude(id_number_last4="").order_by("pk").first()
    calls = [
        ("commission", "training.experts", {"q": ""}),
        ("commission", "training.experts", {"q": "王"}),
        ("commission", "training.experts", {"q": "wang"}),
        ("commission", "training.experts", {"q": "wj"}),
        ("commission", "training.experts", {"q": someone.id_number_last4}),
        ("commission", "training.experts", {"q": "", "page": "50"}),
        ("commission", "training.learners", {"q": "李"}),
        ("hospital", "training.staff", {"q": ""}),
        ("hospital", "training.staff", {"q": "zh"}),
        ("hospital", "training.experts", {"q": "张"}),
        ("trainee", "training.supervisors", {"q": ""}),
        ("trainee", "training.supervisors", {"q": "chen"}),
    ]
    for persona, source, params in calls:
        user, client = clients[persona]
        timed = _timed(client, "get", reverse("pick", args=[source]), options, **params)
        label = f"{source} " + " ".join(f"{k}={v or '∅'}" for k, v in params.items())
        results = len(timed["response"].json()["results"]) if "response" in timed else 0
        _emit(kind="pick", persona=persona, name=label, results=results, **timed)
    user, client = clients["hospital"]
    names = " ".join(
        Person.objects.filter(institution__in=_institutions(user))
        .order_by("pk")
        .values_list("name", flat=True)[:30]
    )
    timed = _timed(client, "post", reverse("pick", args=["training.staff"]), options, names=names)
    results = len(timed["response"].json()["results"]) if "response" in timed else 0
    _emit(
        kind="pick",
        persona="hospital",
        name="training.staff paste 30 names",
        results=results,
        **timed,
    )


def _institutions(user):
    from yicai.access.scope import scoped
    from yicai.org.models import Institution

    return scoped(user, Institution.objects.all(), "training.edit")


def child(options) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yicai.settings")
    import django

    django.setup()
    import logging

    from django.urls import reverse

    logging.getLogger("django.request").setLevel(logging.ERROR)  # the 403s are expected

    import yicai

    _emit(kind="code", code=str(Path(yicai.__file__).resolve()))
    clients = {name: _client(name) for name in (*PERSONAS, "trainee")}
    for name, route in sorted(_pages()):
        personas = ("trainee",) if name == "training:case_create" else PERSONAS
        for persona in personas:
            user, client = clients[persona]
            kwargs = _samples(name, user, route) if "<" in route else {}
            if kwargs is None:
                _emit(kind="page", persona=persona, name=name, status="no record")
                continue
            timed = _timed(client, "get", reverse(name, kwargs=kwargs), options)
            _emit(kind="page", persona=persona, name=name, **timed)
    _picks(options, clients)


if __name__ == "__main__":
    main()
