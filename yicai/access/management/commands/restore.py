"""`yicai restore DIR`: a backup written by `yicai backup`, into an empty database; then the
row counts are checked against its manifest, the audit chain verified, the restore recorded
in the audit log and a fresh checkpoint written (yicai.access.backup)."""

from pathlib import Path

from django.utils.translation import gettext as _

from yicai.access import backup
from yicai.access.management.backup_command import BackupDirectoryCommand


class Command(BackupDirectoryCommand):
    help = "Restore a backup of `yicai backup` into an empty database."

    def run(self, directory: Path) -> str:
        manifest, result = backup.restore(directory)
        return _(
            "恢复完成：%(tables)s 张表的行数与备份清单一致，"
            "审计链完整（%(n)s 条，最新序号 %(seq)s），已记入审计日志"
        ) % {"tables": len(manifest["tables"]), "n": result.checked, "seq": result.head_seq}
