"""`yicai import people FILE [--commit] [--skip-invalid]`: the page's import, from a shell.

Checks the whole file first (the preview), prints the counts and the first problems, writes
the problem report, and with --commit writes all rows in one transaction (or every valid row
with --skip-invalid). Exit status 1 when the file is refused or rows are invalid and nothing
was written.
"""

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError, CommandParser

from yicai.access.models import User
from yicai.exchange import engine, services
from yicai.exchange.models import ImportJob


class _LocalFile(SimpleUploadedFile):
    """A file on disk handed to the upload service without reading it into memory."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(path.name, b"")
        self.size = path.stat().st_size

    def chunks(self, chunk_size: int | None = None) -> Iterator[bytes]:
        with self.path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                yield chunk


class Command(BaseCommand):
    help = "Import a spreadsheet (xlsx, xls or csv); preview only unless --commit."
    # The system checks look at the site's configuration (URLs, admin, deployment), not at
    # anything an import uses; `yicai check` and the server run them. Skipping them here
    # saves a third of a second of start-up.
    requires_system_checks = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("entity", choices=[entity.key for entity in engine.entities()])
        parser.add_argument("file", type=Path)
        parser.add_argument("--commit", action="store_true", help="write the rows")
        parser.add_argument("--skip-invalid", action="store_true", help="write the valid rows only")
        parser.add_argument("--user", help="import as this user (their scope); default: everything")
        parser.add_argument("--report", type=Path, help="copy the problem report here")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        user = None
        if options["user"]:
            user = User.objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"no user {options['user']!r}")
        started = time.perf_counter()
        try:
            job = services.import_job_create(
                user=user, entity=options["entity"], upload=_LocalFile(path)
            )
        except ValidationError as error:
            raise CommandError("；".join(error.messages)) from None
        plan = services.import_job_analyse(job=job, keep_plan=True)
        job.refresh_from_db()
        preview = time.perf_counter() - started
        if plan is None or job.status != ImportJob.Status.READY:  # no plan: not READY either
            raise CommandError(job.message)
        self.stdout.write(
            f"rows {job.total}: new {job.new}, updated {job.updated}, unchanged {job.unchanged}, "
            f"invalid {job.invalid}  (preview {preview:.2f} s)"
        )
        for problem in plan.problems[:20]:
            self.stdout.write(
                f"  row {problem.row} {problem.column}: {problem.reason} [{problem.value}]"
            )
        if len(plan.problems) > 20:
            self.stdout.write(f"  ... {len(plan.problems) - 20} more problems")
        if options["report"] and job.report_path.exists():
            options["report"].write_bytes(job.report_path.read_bytes())
            self.stdout.write(f"problem report: {options['report']}")
        if not options["commit"] or (job.new + job.updated == 0 and not job.invalid):
            if options["commit"]:
                self.stdout.write("nothing to change")
            services.import_job_cancel(job=job, user=user)
            if job.invalid:
                raise CommandError(f"{job.invalid} invalid rows")
            return
        try:
            services.import_job_request_commit(
                job=job, user=user, skip_invalid=options["skip_invalid"]
            )
        except ValidationError as error:
            services.import_job_cancel(job=job, user=user)
            raise CommandError("；".join(error.messages)) from None
        services.import_job_commit(job=job, plan=plan)
        job.refresh_from_db()
        if job.status != ImportJob.Status.DONE:
            raise CommandError(job.message)
        self.stdout.write(
            f"committed: created {job.created}, updated {job.changed}  "
            f"(total {time.perf_counter() - started:.2f} s)"
        )
