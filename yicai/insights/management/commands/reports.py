"""`yicai reports purge [--older-than DAYS]`: the annual report's files made in the background
(yicai.insights.report_jobs) hold a region's or an institution's figures; jobs asked for more
than a week ago are deleted with their files, and so is a file the folder kept that long
without a job. Run it daily (cron or a systemd timer)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yicai.insights import report_jobs


class Command(BaseCommand):
    help = "Delete the annual report's files (and their jobs) made more than DAYS ago."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        purge = sub.add_parser("purge", help="delete report jobs and files older than DAYS")
        purge.add_argument("--older-than", type=int, default=7, metavar="DAYS")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["older_than"] < 0:
            raise CommandError("--older-than cannot be negative")
        count = report_jobs.report_jobs_purge(older_than_days=options["older_than"])
        self.stdout.write(f"{count} report jobs deleted, with their files")
