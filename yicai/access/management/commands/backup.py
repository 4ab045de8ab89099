"""`yicai backup DIR`: the database, the uploaded files and a manifest, into a new directory
(yicai.access.backup). The keys are not in it: keep them apart."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from yicai.access import backup


class Command(BaseCommand):
    help = "Back up the database and the uploaded files into a new directory."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path)

    def handle(self, *args: Any, directory: Path, **options: Any) -> None:
        try:
            manifest = backup.backup(directory)
        except backup.BackupError as refused:
            raise CommandError(str(refused)) from None
        self.stdout.write(
            _("备份完成：%(path)s（%(tables)s 张表，%(rows)s 行；审计链最新序号 %(seq)s）")
            % {
                "path": directory,
                "tables": len(manifest["tables"]),
                "rows": sum(manifest["tables"].values()),
                "seq": manifest["audit"]["head_seq"],
            }
        )
        self.stdout.write(backup.keys_reminder())
