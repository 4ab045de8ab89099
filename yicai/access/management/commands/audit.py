"""`yicai audit verify` checks the keyed chain and the checkpoint and names every entry that
was altered or lost; `yicai audit checkpoint` moves the signed checkpoint forward (for a
timer); `yicai audit purge --older-than DAYS` removes old entries, never younger than the
retention period (180 days by default); `yicai audit rekey` re-seals the chain under a new
YICAI_AUDIT_KEY, the old one read from YICAI_AUDIT_OLD_KEY."""

import datetime
import os
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yicai.access import audit
from yicai.access.models import AuditEntry

RETENTION_DAYS = getattr(settings, "AUDIT_RETENTION_DAYS", 180)


class Command(BaseCommand):
    help = "Verify, checkpoint, purge or re-key the audit log."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="check the chain and the checkpoint")
        sub.add_parser("checkpoint", help="move the signed checkpoint to the newest entry")
        purge = sub.add_parser("purge", help="remove entries older than --older-than days")
        purge.add_argument("--older-than", type=int, required=True, metavar="DAYS")
        rekey = sub.add_parser(
            "rekey", help="re-seal under YICAI_AUDIT_KEY; the old key from --old-key-env"
        )
        rekey.add_argument("--old-key-env", default="YICAI_AUDIT_OLD_KEY", metavar="NAME")
        rekey.add_argument(
            "--old-derived",
            action="store_true",
            help="the old chain used the development key derived from SECRET_KEY",
        )

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        getattr(self, f"_{action}")(**options)

    def _verify(self, **options: Any) -> None:
        result = audit.verify()
        if not result.ok:
            lines = [_("审计日志不完整（已核对 %(n)s 条）：") % {"n": result.checked}]
            lines += [f"  - [{problem.kind}] {problem.message}" for problem in result.problems]
            raise CommandError("\n".join(lines))
        self.stdout.write(
            _("审计日志完整：%(n)s 条已核对，最新序号 %(seq)s；检查点已写入 %(path)s")
            % {"n": result.checked, "seq": result.head_seq, "path": audit.checkpoint_path()}
        )

    def _checkpoint(self, **options: Any) -> None:
        problem = audit.advance_checkpoint()
        if problem:
            raise CommandError(problem)
        point, problem = audit.read_checkpoint()
        if point is None:
            raise CommandError(problem)
        self.stdout.write(
            _("检查点已写入：序号 %(seq)s，共 %(count)s 条")
            % {"seq": point.seq, "count": point.count}
        )

    def _purge(self, *, older_than: int, **options: Any) -> None:
        if older_than < RETENTION_DAYS:
            raise CommandError(_("已拒绝：审计日志至少保留 %(days)s 天") % {"days": RETENTION_DAYS})
        cutoff = timezone.now() - datetime.timedelta(days=older_than)
        with transaction.atomic(), audit.permitted("purge"):
            newest = AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first()
            # The append-only manager refuses deletes; purge is the one sanctioned path, and it
            # always keeps the newest entry so the sequence goes on.
            old: models.QuerySet[AuditEntry] = models.QuerySet(AuditEntry).filter(
                timestamp__lt=cutoff, seq__lt=newest or 0
            )
            last = old.order_by("-seq").values_list("seq", "entry_hash").first()
            count = old.count()
            old.delete()
            audit.record(
                AuditEntry.Event.PURGE,
                summary=f"purged {count} entries",
                data={
                    "count": count,
                    "before": cutoff.isoformat(),
                    "last_seq": last[0] if last else None,
                    "last_hash": last[1] if last else None,
                },
            )
        self.stdout.write(
            _("已清理 %(count)s 条早于 %(days)s 天的记录") % {"count": count, "days": older_than}
        )

    def _rekey(self, *, old_key_env: str, old_derived: bool, **options: Any) -> None:
        if old_derived:
            old_key = audit.chain_key("")
        else:
            raw = os.environ.get(old_key_env, "")
            if audit.decode_key(raw) is None:
                raise CommandError(
                    _("环境变量 %(name)s 须为 32 字节的 base64 旧密钥") % {"name": old_key_env}
                )
            old_key = audit.chain_key(raw)
        new_key = audit.chain_key()
        if old_key == new_key:
            raise CommandError(_("新旧审计密钥相同：请先把 YICAI_AUDIT_KEY 设为新密钥"))
        with transaction.atomic():
            before = audit.verify(key=old_key, against_checkpoint=False)
            if not before.ok:
                raise CommandError(
                    _("旧密钥下审计日志不完整，未轮换：%(reason)s") % {"reason": before.reason}
                )
            with audit.permitted("rekey"):
                count = audit.reseal(AuditEntry.objects.order_by("seq"), new_key, renumber=False)
            audit.record(
                AuditEntry.Event.REKEY,
                summary=f"re-keyed {count} entries",
                data={"count": count, "head_seq": before.head_seq},
            )
            after = audit.verify(against_checkpoint=False)
        if not after.ok:
            raise CommandError(after.reason)
        audit.write_checkpoint(after.head_seq, after.head_hash, after.checked)
        self.stdout.write(_("审计密钥已轮换：%(n)s 条记录已用新密钥重新封存") % {"n": count})
