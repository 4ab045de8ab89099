"""What `yicai backup` and `yicai restore` share: both work on one backup directory."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yicai.access import backup


class BackupDirectoryCommand(BaseCommand):
    """A command on a backup directory: a refusal (BackupError) is the command's error, and
    what it did is followed by the reminder to keep the keys apart."""

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path)

    def handle(self, *args: Any, directory: Path, **options: Any) -> None:
        try:
            done = self.run(directory)
        except backup.BackupError as refused:
            raise CommandError(str(refused)) from None
        self.stdout.write(done)
        self.stdout.write(backup.keys_reminder())

    def run(self, directory: Path) -> str:
        """Do the command's work on `directory`; what to tell the operator."""
        raise NotImplementedError
