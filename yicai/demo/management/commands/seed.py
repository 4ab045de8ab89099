"""`yicai seed --people N [--activities M] [--institution ID]`: add N generated people, then M
activity records of 育, 引 and 留 (yicai.demo.seed_activities says which), fast (bulk)."""

from django.core.management.base import BaseCommand, CommandError

from yicai.demo.seed import SeedError, seed_people
from yicai.demo.seed_activities import seed_activities


class Command(BaseCommand):
    help = (
        "Add N generated people (one appointment, title and education each), then M activity "
        "records (CME attendances, case logs, visits, monthly reports, introductions, "
        "applications, award lines, ledger entries, service tasks), in bulk."
    )
    requires_system_checks = []  # a data tool: it needs the tables, not the whole site

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=0, metavar="N")
        parser.add_argument(
            "--activities",
            type=int,
            default=0,
            metavar="M",
            help="activity records to add after the people, among everyone on file there",
        )
        parser.add_argument(
            "--institution",
            type=int,
            metavar="ID",
            help="put everyone (and every record) in this institution (default: all managed ones)",
        )
        parser.add_argument("--batch-size", type=int, default=5000, help="people a batch")
        parser.add_argument(
            "--activity-batch-size", type=int, default=20000, help="activity records a batch"
        )
        parser.add_argument("--seed", type=int, help="random seed (default: fresh every run)")
        parser.add_argument(
            "--workers",
            type=int,
            help="processes that generate while this one writes "
            "(default: one per spare CPU, at most 4; 0: generate in this process)",
        )

    def handle(
        self,
        *args,
        people,
        activities,
        institution,
        batch_size,
        activity_batch_size,
        seed,
        workers,
        **options,
    ):
        verbosity = options["verbosity"]
        if people < 1 and activities < 1:
            raise CommandError(
                "请给出 --people N 或 --activities M / give --people or --activities"
            )

        def people_progress(done, total, so_far):
            if verbosity >= 1:
                self.stdout.write(
                    f"{done:>10,} / {total:,} 人 people  {so_far.people_per_second:>9,.0f} 人/秒 "
                    f"people/s  {so_far.rows_per_second:>9,.0f} 行/秒 rows/s"
                )

        def activity_progress(done, total, so_far):
            if verbosity >= 1:
                self.stdout.write(
                    f"{done:>10,} / {total:,} 条 activities  "
                    f"{so_far.activities_per_second:>9,.0f} 条/秒 activities/s  "
                    f"{so_far.rows_per_second:>9,.0f} 行/秒 rows/s"
                )

        try:
            if people > 0:
                result = seed_people(
                    people=people,
                    institution_id=institution,
                    batch_size=batch_size,
                    seed=seed,
                    workers=workers,
                    progress=people_progress,
                )
                self.stdout.write(
                    f"已添加 / added {result.people:,} 人 people, {result.rows:,} 行 rows in "
                    f"{result.seconds:.1f} s: {result.people_per_second:,.0f} 人/秒 people/s, "
                    f"{result.rows_per_second:,.0f} 行/秒 rows/s"
                )
            if activities > 0:
                made = seed_activities(
                    activities=activities,
                    institution_id=institution,
                    batch_size=activity_batch_size,
                    seed=seed,
                    workers=workers,
                    progress=activity_progress,
                )
                kinds = ", ".join(f"{kind} {n:,}" for kind, n in made.by_kind.items())
                self.stdout.write(
                    f"已添加 / added {made.activities:,} 条 activities ({kinds}), "
                    f"{made.rows:,} 行 rows in {made.seconds:.1f} s: "
                    f"{made.activities_per_second:,.0f} 条/秒 activities/s, "
                    f"{made.rows_per_second:,.0f} 行/秒 rows/s"
                )
        except SeedError as error:
            raise CommandError(str(error)) from None
