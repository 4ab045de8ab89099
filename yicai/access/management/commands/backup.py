"""`yicai backup DIR`: the database, the uploaded files and a manifest, into a new directory
(yicai.access.backup). The keys are not in it: keep them apart."""

from pathlib import Path

from django.utils.translation import gettext as _

from yicai.access import backup
from yicai.access.management.backup_command import BackupDirectoryCommand


class Command(BackupDirectoryCommand):
    help = "Back up the database and the uploaded files into a new directory."

    def run(self, directory: Path) -> str:
        manifest = backup.backup(directory)
        return _("备份完成：%(path)s（%(tables)s 张表，%(rows)s 行；审计链最新序号 %(seq)s）") % {
            "path": directory,
            "tables": len(manifest["tables"]),
            "rows": sum(manifest["tables"].values()),
            "seq": manifest["audit"]["head_seq"],
        }
