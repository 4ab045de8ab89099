"""`yicai recruitment purge [--days N] [--today YYYY-MM-DD] [--dry-run]`: erase the personal
data of applicants not hired once their plan closed more than the retention period ago
(YICAI_APPLICANT_RETENTION_DAYS, a year by default); the rows, statuses and scores stay, so
the plan's figures do not change. Run it daily (cron or a systemd timer): a day missed is
caught up the next, and a second run the same day erases nothing more."""

import argparse
import datetime
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from yicai.recruitment import queries, services


def _day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value}") from None


class Command(BaseCommand):
    help = "Recruitment's scheduled work: purge applicants' personal data after retention."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        purge = sub.add_parser(
            "purge",
            help="erase the personal data of applicants not hired, --days after their plan closed",
        )
        purge.add_argument(
            "--days",
            type=int,
            metavar="N",
            help="retention in days after the plan closed (default: the setting "
            f"YICAI_APPLICANT_RETENTION_DAYS, now {settings.YICAI_APPLICANT_RETENTION_DAYS})",
        )
        purge.add_argument(
            "--today",
            type=_day,
            metavar="YYYY-MM-DD",
            help="count the period to this day instead of today (a rerun, a test); "
            "never a later day",
        )
        purge.add_argument(
            "--dry-run",
            action="store_true",
            help="say how many would be erased; change nothing",
        )

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        getattr(self, f"_{action}")(**options)

    def _purge(
        self,
        *,
        days: int | None,
        today: datetime.date | None,
        dry_run: bool,
        **options: Any,
    ) -> None:
        days = settings.YICAI_APPLICANT_RETENTION_DAYS if days is None else days
        if days < 0:
            raise CommandError(_("保留天数不能为负数"))
        # A day ahead would erase before the period is over.
        if today is not None and today > timezone.localdate():
            raise CommandError(_("--today 不能晚于今天"))
        today = today or timezone.localdate()
        values = {"days": days, "today": today}
        if dry_run:
            count = queries.applications_due_for_purge(today, days).count()
            self.stdout.write(
                _(
                    "试运行：%(count)s 名未聘用考生的个人信息将被删除"
                    "（所属计划截至 %(today)s 已结束超过 %(days)s 天），未做任何更改"
                )
                % {"count": count, **values}
            )
            return
        count = services.applications_purge(today=today, days=days)
        self.stdout.write(
            _(
                "已删除 %(count)s 名未聘用考生的个人信息"
                "（所属计划截至 %(today)s 已结束超过 %(days)s 天）"
            )
            % {"count": count, **values}
        )
