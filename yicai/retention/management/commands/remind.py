"""`yicai remind [--today YYYY-MM-DD] [--dry-run]`: generate the 八个一 service tasks due,
then notify what falls due (tranches to pay, service commitments ending, licences expiring,
monthly reports not in, public notices ending, 八个一 service tasks and birthdays; see
`yicai.retention.reminders`). Each due item is notified once, however often it runs: run it
every hour (systemd `yicai-remind.timer`, or cron)."""

import argparse
import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from yicai.retention.reminders import PROVIDERS, remind


def _day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value}") from None


class Command(BaseCommand):
    help = "Notify users of what falls due (idempotent: run it every hour)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--today",
            type=_day,
            metavar="YYYY-MM-DD",
            help="what is due as of this day instead of today (a rerun, a test)",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="say how many would be created; write nothing"
        )

    def handle(
        self, *args: Any, today: datetime.date | None, dry_run: bool, **options: Any
    ) -> None:
        day = today or timezone.localdate()
        outcomes = remind(day, dry_run=dry_run)
        for kind, outcome in outcomes.items():
            values = {
                "kind": PROVIDERS[kind].label,
                "created": outcome.created,
                "existing": outcome.existing,
            }
            line = (
                _("%(kind)s：将新建 %(created)d 条，已有 %(existing)d 条")
                if dry_run
                else _("%(kind)s：新建 %(created)d 条，已有 %(existing)d 条")
            )
            self.stdout.write(line % values)
        if dry_run:
            self.stdout.write(_("试运行，未做任何更改"))
