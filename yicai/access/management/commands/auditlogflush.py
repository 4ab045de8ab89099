"""django-auditlog's `auditlogflush` would delete or truncate the audit log: refused. This
app is listed before auditlog in INSTALLED_APPS, so this command is the one that runs."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _


class Command(BaseCommand):
    help = "Refused: the audit log is append-only (use `yicai audit purge`)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("args", nargs="*")
        parser.add_argument("-y", "--yes", action="store_true")
        parser.add_argument("-b", "--before-date")
        parser.add_argument("-t", "--truncate", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        raise CommandError(
            _("审计日志只可追加，不能清空：超过保留期的记录请用 yicai audit purge 清理")
        )
