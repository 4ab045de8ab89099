"""`yicai seed --people N [--institution ID]`: add N generated people, fast (bulk)."""

from django.core.management.base import BaseCommand, CommandError

from yicai.demo.seed import SeedError, seed_people


class Command(BaseCommand):
    help = "Add N generated people (one appointment, title and education each), in bulk."
    requires_system_checks = []  # a data tool: it needs the tables, not the whole site

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, required=True, metavar="N")
        parser.add_argument(
            "--institution",
            type=int,
            metavar="ID",
            help="put everyone in this institution (default: all managed ones)",
        )
        parser.add_argument("--batch-size", type=int, default=5000)
        parser.add_argument("--seed", type=int, help="random seed (default: fresh every run)")
        parser.add_argument(
            "--workers",
            type=int,
            help="processes that generate people while this one writes "
            "(default: one per spare CPU, at most 4; 0: generate in this process)",
        )

    def handle(self, *args, people, institution, batch_size, seed, workers, **options):
        verbosity = options["verbosity"]

        def progress(done, total, so_far):
            if verbosity >= 1:
                self.stdout.write(
                    f"{done:>10,} / {total:,} 人 people  {so_far.people_per_second:>9,.0f} 人/秒 "
                    f"people/s  {so_far.rows_per_second:>9,.0f} 行/秒 rows/s"
                )

        try:
            result = seed_people(
                people=people,
                institution_id=institution,
                batch_size=batch_size,
                seed=seed,
                workers=workers,
                progress=progress,
            )
        except SeedError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"已添加 / added {result.people:,} 人 people, {result.rows:,} 行 rows in "
            f"{result.seconds:.1f} s: {result.people_per_second:,.0f} 人/秒 people/s, "
            f"{result.rows_per_second:,.0f} 行/秒 rows/s"
        )
