"""`yicai seed`: add many generated people fast, for load and performance tests.

Each person gets one appointment, one title (when their category has a title series) and one
education, made by the demo's generator. People are generated and written a batch at a time,
so memory stays flat whatever the count; the whole run is one transaction with one audit event.
Identity numbers are drawn afresh from os.urandom on every run and checked against the batch
and the database, so repeated runs never clash.
"""

from __future__ import annotations

import collections
import datetime
import itertools
import multiprocessing
import os
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, reset_queries, transaction
from django.utils import timezone

from yicai.access import audit
from yicai.access.models import AuditEntry
from yicai.demo import region as blueprint
from yicai.demo import worker
from yicai.demo.generate import Catalogue, Dice, Generator, Place, pick
from yicai.demo.region import Dept, Unit
from yicai.demo.writer import Batch, Preparer, Writer
from yicai.org.models import Department, Institution

# Share of new staff by kind of institution (the demo district's proportions).
KIND_WEIGHTS = {
    "general": 35,
    "tcm": 18,
    "specialist": 7,
    "community": 3.3,
    "township": 2.4,
    "other": 2,
}
# Department profile guessed from words in a name the blueprint does not know.
NAME_PROFILES = (
    ("护理", "nursing_admin"),
    ("药", "pharmacy"),
    ("检验", "lab"),
    ("病理", "pathology"),
    ("影像", "imaging"),
    ("放射", "imaging"),
    ("超声", "imaging"),
    ("医技", "medtech"),
    ("康复", "rehab"),
    ("口腔", "dental"),
    ("中医", "tcm"),
    ("针灸", "tcm"),
    ("精神", "mental"),
    ("心理", "mental"),
    ("全科", "gp"),
    ("预防", "public_health"),
    ("公共卫生", "public_health"),
    ("产", "obstetric"),
    ("妇", "obstetric"),
    ("后勤", "logistics"),
    ("办公室", "admin"),
    ("人事", "admin"),
    ("财务", "admin"),
    ("医务", "admin"),
    ("科教", "admin"),
)


class SeedError(Exception):
    pass


@dataclass
class SeedResult:
    people: int
    rows: int
    seconds: float

    @property
    def people_per_second(self) -> float:
        return self.people / self.seconds if self.seconds else 0.0

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


def _known_departments() -> dict[tuple[str, str], Dept]:
    known: dict[tuple[str, str], Dept] = {}
    for unit in (*blueprint.MANAGED, *blueprint.PARTNERS):
        for spec in unit.departments:
            known.setdefault((unit.kind, spec.name), spec)
            known.setdefault(("", spec.name), spec)
    return known


def _spec(kind: str, department: Department, known: dict[tuple[str, str], Dept]) -> Dept:
    spec = known.get((kind, department.name)) or known.get(("", department.name))
    if spec is not None:
        return spec
    profile = next(
        (profile for word, profile in NAME_PROFILES if word in department.name),
        "clinical" if department.clinical else "admin",
    )
    return Dept(department.name, 1, profile=profile, clinical=department.clinical)


def places(institution_id: int | None = None) -> tuple[list[Place], list[float]]:
    """Where seeded people may work, and the weight of each place."""
    institutions = Institution.objects.select_related("region")
    if institution_id is not None:
        institutions = institutions.filter(pk=institution_id)
        if not institutions.exists():
            raise SeedError(f"机构不存在 / no institution with id {institution_id}")
    else:
        institutions = institutions.filter(relation=Institution.Relation.MANAGED, active=True)
        if not institutions.exists():
            raise SeedError(
                "还没有辖区机构：请先运行 `yicai demo`，或用 --institution 指定机构 / "
                "no managed institutions yet: run `yicai demo` or pass --institution"
            )
    known = _known_departments()
    found: list[Place] = []
    weights: list[float] = []
    for inst in institutions:
        unit = Unit(
            str(inst.pk), inst.name, inst.short_name, inst.kind, inst.grade, inst.region.code, ()
        )
        departments = list(Department.objects.filter(institution=inst).order_by("pk"))
        share = KIND_WEIGHTS.get(inst.kind, 2)
        if not departments:
            found.append(Place(unit, inst.pk))
            weights.append(share)
            continue
        specs = [_spec(inst.kind, dept, known) for dept in departments]
        total = sum(spec.weight for spec in specs)
        for dept, spec in zip(departments, specs, strict=True):
            found.append(Place(unit, inst.pk, spec, dept.pk))
            weights.append(share * spec.weight / total)
    return found, weights


@dataclass(frozen=True)
class Plan:
    """Everything needed to generate a batch, in any process."""

    found: list[Place]
    cumulative: list[float]
    catalogue: Catalogue
    today: datetime.date
    sqlite: bool
    seed: str


def prepare_batch(plan: Plan, number: int, size: int) -> Batch:
    """Batch `number` of a run: its own random source, so the result does not depend on
    which process made it."""
    rng = Dice(f"{plan.seed}:{number}")
    generator = Generator(rng, plan.today, plan.catalogue, detail=False)
    last = len(plan.found) - 1
    drafts = [
        generator.draft(plan.found[min(pick(rng, plan.cumulative), last)]) for _ in range(size)
    ]
    return Preparer(plan.catalogue, sqlite=plan.sqlite).prepare(drafts)


def default_workers() -> int:
    """Processes that generate while this one writes: one per spare CPU, up to four."""
    return max(1, min(4, (os.cpu_count() or 2) - 1))


def seed_people(
    *,
    people: int,
    institution_id: int | None = None,
    batch_size: int = 5000,
    seed: int | None = None,
    workers: int | None = None,
    progress: Callable[[int, int, SeedResult], None] | None = None,
) -> SeedResult:
    if people < 1:
        raise SeedError("--people 至少为 1 / must be at least 1")
    if batch_size < 1:
        raise SeedError("--batch-size 至少为 1 / must be at least 1")
    run_seed = str(seed) if seed is not None else os.urandom(16).hex()
    workers = default_workers() if workers is None else workers
    debug, settings.DEBUG = settings.DEBUG, False  # no query log: it would grow without end
    try:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                # Check foreign keys as each COPY ends, instead of queueing a check per row
                # until the commit: the queue of a million-person run would be huge.
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            result = _seed(run_seed, people, institution_id, batch_size, workers, progress)
            audit.record(
                AuditEntry.Event.IMPORT,
                summary="批量生成测试人员",
                data={"people": result.people, "rows": result.rows, "institution": institution_id},
            )
    finally:
        settings.DEBUG = debug
    return result


def _seed(run_seed, people, institution_id, batch_size, workers, progress) -> SeedResult:
    found, weights = places(institution_id)
    writer = Writer(Catalogue(), batch_size=batch_size, seed=f"{run_seed}:redraw")
    plan = Plan(
        found=found,
        cumulative=list(itertools.accumulate(weights)),
        catalogue=writer.preparer.catalogue,
        today=timezone.localdate(),
        sqlite=writer.sqlite,
        seed=run_seed,
    )
    sizes = [min(batch_size, people - start) for start in range(0, people, batch_size)]
    started = time.perf_counter()
    done = rows = 0

    def store(batch: Batch, size: int) -> None:
        nonlocal done, rows
        rows += writer.store(batch)[0]
        done += size
        reset_queries()
        if progress is not None:
            progress(done, people, SeedResult(done, rows, time.perf_counter() - started))

    if workers < 1 or len(sizes) < 3:
        for number, size in enumerate(sizes):
            store(prepare_batch(plan, number, size), size)
        return SeedResult(done, rows, time.perf_counter() - started)
    # Worker processes generate, encrypt and lay out batches while this one stores: the
    # database and the generator each get a CPU. At most workers + 1 batches wait in memory.
    # (concurrent.futures, not multiprocessing.Pool: a worker that cannot start breaks the
    # pool with an error instead of being respawned for ever.)
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=worker.setup) as pool:
        queue = iter(enumerate(sizes))
        pending: collections.deque = collections.deque()
        for number, size in itertools.islice(queue, workers + 1):
            pending.append((size, pool.submit(worker.prepare, plan, number, size)))
        while pending:
            size, future = pending.popleft()
            try:
                batch = future.result()
            except BrokenProcessPool as error:
                raise SeedError(
                    "生成进程异常退出（见上方错误）；可用 --workers 0 在本进程中生成 / "
                    "a worker process died (see the error above); --workers 0 generates here"
                ) from error
            following = next(queue, None)
            if following is not None:
                pending.append((following[1], pool.submit(worker.prepare, plan, *following)))
            store(batch, size)
    return SeedResult(done, rows, time.perf_counter() - started)
