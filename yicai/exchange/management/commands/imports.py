"""`yicai imports purge [--older-than DAYS]`: uploaded sheets hold identity numbers in clear;
jobs nobody confirmed or cancelled are cancelled after a week, and their files deleted.
Run it daily (cron or a systemd timer)."""

from django.core.management.base import BaseCommand

from yicai.exchange import services


class Command(BaseCommand):
    help = "Cancel import jobs left unconfirmed and delete their uploaded files."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        purge = sub.add_parser("purge", help="cancel old unconfirmed jobs, delete their files")
        purge.add_argument("--older-than", type=int, default=7, metavar="DAYS")

    def handle(self, *args, **options):
        count = services.import_jobs_purge(older_than_days=options["older_than"])
        self.stdout.write(f"{count} import jobs cancelled, their files deleted")
