"""`yicai seed --activities M`: exactly M records of 育, 引 and 留 split as documented, every
constraint kept, and the figures that read them (the dashboard, the annual report) count
them."""

import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from tests.builders import rolled_back_at_module_end
from tests.conftest import build_world
from yicai.demo.seed import seed_people
from yicai.demo.seed_activities import KINDS, TABLES, YEARS, seed_activities, split
from yicai.insights.annual import annual_report
from yicai.insights.dashboard.queries import dashboard
from yicai.people.models import Person
from yicai.recruitment.models import Introduction
from yicai.retention.models import AwardLine, Entry, ServiceTask
from yicai.training.models import CaseLog, Visit

ASKED = 1200


def _counts() -> dict[str, int]:
    return {kind: TABLES[kind].model.objects.count() for kind in KINDS}


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The personas' two managed institutions with 60 seeded people and 1,200 records, made
    once for the module (in this process: generation is tested with workers below)."""
    with rolled_back_at_module_end(django_db_blocker):
        world = build_world()
        seed_people(people=60, seed=3, workers=0)
        before = _counts()
        result = seed_activities(activities=ASKED, batch_size=500, seed=3, workers=0)
        yield world, before, result


@pytest.fixture
def world(seeded, db):
    return seeded[0]


def test_exactly_the_records_asked_for_split_as_documented(seeded, db):
    _world, before, result = seeded
    # Per mille: case logs 200, service tasks 140, visits and applications 80, ledger
    # entries 70, monthly reports 50, introductions 25 with three award lines each (75);
    # attendances the rest: 1,200 − 864 = 336.
    expected = {
        "attendance": 336,
        "case_log": 240,
        "service_task": 168,
        "visit": 96,
        "application": 96,
        "entry": 84,
        "monthly_report": 60,
        "introduction": 30,
        "award_line": 90,
    }
    assert split(ASKED) == expected
    after = _counts()
    assert {kind: after[kind] - before[kind] for kind in KINDS} == expected
    assert result.activities == ASKED == sum(expected.values())
    assert result.by_kind == expected
    # Rounding: what the shares leave goes to attendances.
    assert split(7) == {**dict.fromkeys(KINDS, 0), "case_log": 1, "attendance": 6}


def test_every_constraint_holds_and_the_records_hang_together(seeded, db):
    connection.check_constraints()  # foreign keys (SQLite checks them only at commit)
    today = timezone.localdate()
    first = today - datetime.timedelta(days=YEARS * 365 + 1)
    # A sample of every kind passes the models' own validation too.
    for kind in KINDS:
        for record in TABLES[kind].model.objects.order_by("-pk")[:8]:
            record.full_clean(exclude=["document", "paper_scan"])
    visits = Visit.objects.order_by("held_on").values_list("held_on", flat=True)
    assert first <= visits.first() and visits.last() <= today
    # Three award lines an introduction (one a rule), each for its person; approved lines are
    # paid once from the fund, and nothing else pays an award.
    lines_of = AwardLine.objects.filter(fact_id=OuterRef("pk"), rule__fact="introduction")
    introductions = Introduction.objects.filter(Exists(lines_of))
    assert introductions.count() == 30
    for introduction in introductions:
        lines = AwardLine.objects.filter(fact_id=introduction.pk, rule__fact="introduction")
        assert lines.count() == 3
        assert set(lines.values_list("person_id", flat=True)) == {introduction.person_id}
        assert lines.first().fact_url == f"/recruitment/introductions/{introduction.pk}/"
    paying = Entry.objects.filter(award__isnull=False)
    assert set(paying.values_list("award__status", flat=True)) == {"approved"}
    assert paying.count() == paying.values("award").distinct().count() > 0
    # Service tasks are done by their deadline, late, or open; never done before they fell due.
    tasks = ServiceTask.objects.exclude(done_on=None)
    assert not tasks.filter(done_on__lt=F("due_on")).exists()
    # Case logs of a mentorship are its apprentices'.
    for log in CaseLog.objects.select_related("mentorship")[:50]:
        assert log.mentorship.apprenticeships.filter(apprentice=log.apprentice_id).exists()


def test_the_dashboard_and_the_annual_report_count_them(world):
    today = timezone.localdate()
    first = today - datetime.timedelta(days=YEARS * 365 + 1)
    board = dashboard(world.commission, as_of=today, since=first, until=today)
    cards = {card.key: card for card in board.cards}
    institutions = [world.a.pk, world.b.pk]
    introduced = Introduction.objects.filter(institution__in=institutions)
    assert introduced.count() == 30
    assert cards["introductions"].value == "30"
    by_year = {row[0].text: row[1].text for row in board.panel("introductions").rows}
    for year, n in by_year.items():
        assert int(n) == introduced.filter(introduced_on__year=int(year)).count()
    # Last year's report: the expert visits and the verified independent cases of that year.
    year = today.year - 1
    report = annual_report(world.commission, datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    visits = Visit.objects.filter(held_on__year=year, institution__in=institutions).count()
    cases = CaseLog.objects.filter(
        role="independent", verified_at__isnull=False, performed_on__year=year
    ).count()
    assert visits and cases
    said = re.search(r"期内专家来院(\d+)次.*独立完成病例(\d+)例", report.text)
    assert said and (int(said.group(1)), int(said.group(2))) == (visits, cases)


def test_seed_people_and_activities_in_one_command(world):
    out = io.StringIO()
    people = Person.objects.count()
    before = _counts()
    call_command(
        "seed",
        "--people",
        "10",
        "--activities",
        "100",
        "--institution",
        str(world.a.pk),
        "--workers",
        "0",
        stdout=out,
    )
    assert Person.objects.count() == people + 10
    assert sum(_counts().values()) - sum(before.values()) == 100
    assert "100 条 activities" in out.getvalue()
    # One institution: everyone chosen is of it, and so is every record.
    assert set(Visit.objects.order_by("-pk")[:8].values_list("institution_id", flat=True)) == {
        world.a.pk
    }
    with pytest.raises(CommandError, match="--people"):
        call_command("seed", stdout=out)


def test_worker_processes_make_the_same_records_as_one_process(world):
    def run(workers: int) -> list[tuple]:
        last = Visit.objects.order_by("-pk").values_list("pk", flat=True).first()
        with transaction.atomic():
            seed_activities(activities=300, batch_size=100, seed=11, workers=workers)
            made = list(
                Visit.objects.filter(pk__gt=last)
                .order_by("pk")
                .values_list("expert_id", "kind", "institution_id", "held_on")
            )
            transaction.set_rollback(True)
        return made

    alone = run(0)
    assert len(alone) == split(300)["visit"] == 24
    assert run(1) == alone
