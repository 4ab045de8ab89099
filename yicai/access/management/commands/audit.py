"""`yicai audit verify` checks the hash chain; `yicai audit purge --older-than DAYS` removes
old entries, never younger than the retention period (180 days by default)."""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction
from django.utils import timezone

from yicai.access import audit
from yicai.access.models import AuditEntry

RETENTION_DAYS = getattr(settings, "AUDIT_RETENTION_DAYS", 180)


class Command(BaseCommand):
    help = "Verify or purge the audit log."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="check the hash chain")
        purge = sub.add_parser("purge", help="remove entries older than --older-than days")
        purge.add_argument("--older-than", type=int, required=True, metavar="DAYS")

    def handle(self, *args, action, **options):
        if action == "verify":
            result = audit.verify()
            if not result.ok:
                raise CommandError(
                    f"audit chain broken at entry {result.broken_at}: {result.reason} "
                    f"({result.checked} entries verified before it)"
                )
            self.stdout.write(f"audit chain intact: {result.checked} entries verified")
            return
        days = options["older_than"]
        if days < RETENTION_DAYS:
            raise CommandError(
                f"refused: audit entries must be kept at least {RETENTION_DAYS} days"
            )
        cutoff = timezone.now() - datetime.timedelta(days=days)
        with transaction.atomic():
            # The append-only manager refuses deletes; purge is the one sanctioned path.
            old = models.QuerySet(AuditEntry).filter(timestamp__lt=cutoff)
            last = old.order_by("-pk").values_list("pk", "entry_hash").first()
            count = old.count()
            old.delete()
            audit.record(
                AuditEntry.Event.PURGE,
                summary=f"purged {count} entries",
                data={
                    "count": count,
                    "before": cutoff.isoformat(),
                    "last_pk": last[0] if last else None,
                    "last_hash": last[1] if last else None,
                },
            )
        self.stdout.write(f"purged {count} entries older than {days} days")
