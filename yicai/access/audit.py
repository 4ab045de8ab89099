"""The audit log: who did what, from where, in which request; append-only and hash-chained.

Changes to registered models are captured by django-auditlog; this module adds the actor's
context (set per request or per command), the hash chain, events that are not row changes
(reveals, exports, logins, ...) and the chain's verification.
"""

import base64
import binascii
import contextlib
import contextvars
import datetime
import hashlib
import hmac
import ipaddress
import json
import logging
import os
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.db.models import Field, ForeignKey, Model, QuerySet
from django.utils.translation import gettext as _

from yicai.access.models import RequestUser
from yicai.masking import last_four_only

if TYPE_CHECKING:
    from yicai.access.models import AuditEntry

logger = logging.getLogger(__name__)

GENESIS = "0" * 64
# Any 64-bit number unique to this lock; PostgreSQL serialises chain appends on it.
_CHAIN_LOCK = 0x59494341_49415544


@dataclass
class AuditContext:
    actor: RequestUser | None = None
    institution_id: int | None = None
    remote_addr: str | None = None
    request_id: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


_context: contextvars.ContextVar[AuditContext | None] = contextvars.ContextVar(
    "yicai_audit_context", default=None
)


def current_context() -> AuditContext:
    return _context.get() or AuditContext()


@contextlib.contextmanager
def context(**values: Any) -> Iterator[AuditContext]:
    """Set who acts for the audit entries written inside the block."""
    merged = AuditContext(**{**current_context().__dict__, **values})
    token = _context.set(merged)
    try:
        yield merged
    finally:
        _context.reset(token)


def acting_as(
    user: RequestUser | None, **values: Any
) -> contextlib.AbstractContextManager[AuditContext]:
    """Act as `user` (None: nobody, as a job without an uploader) inside the block."""
    from yicai.access.scope import primary_institution_id

    institution_id = primary_institution_id(user) if user is not None else None
    return context(actor=user, institution_id=institution_id, **values)


def chain(entry: "AuditEntry") -> None:
    """Fill the actor's context, number the entry and link it to the last one. Runs inside
    the insert's transaction; PostgreSQL takes an advisory lock, SQLite's IMMEDIATE
    transaction already serialises writers."""
    from yicai.access.models import AuditEntry

    ctx = current_context()
    if entry.actor_id is None and ctx.actor is not None and ctx.actor.pk:
        entry.actor = ctx.actor
        entry.actor_email = getattr(ctx.actor, "email", "") or None
    if entry.actor_institution_id is None:
        entry.actor_institution_id = ctx.institution_id
    if entry.remote_addr is None:
        entry.remote_addr = ctx.remote_addr
    if not entry.cid:
        entry.cid = ctx.request_id
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK])
    last = AuditEntry.objects.order_by("-seq").values_list("seq", "entry_hash").first()
    entry.seq, entry.prev_hash = (last[0] + 1, last[1]) if last else (1, GENESIS)
    entry.entry_hash = seal(entry)
    # Not once per entry: an import appends 100,000s of entries in one transaction. Skipped
    # only when the last callback queued is this one, in the same savepoint (so a savepoint
    # rolled back, which drops it, does not lose the checkpoint).
    queued = connection.run_on_commit[-1] if connection.run_on_commit else None
    if not (
        queued
        and queued[1] is _checkpoint_now_and_then
        and queued[0] == set(connection.savepoint_ids)
    ):
        transaction.on_commit(_checkpoint_now_and_then)


# --- the key and the seal ----------------------------------------------------------------


def decode_key(value: str) -> bytes | None:
    """32 bytes of strict base64, or None: the only form YICAI_AUDIT_KEY / YICAI_FIELD_KEY
    may take."""
    try:
        raw = base64.b64decode(value.strip(), validate=True)
    except (binascii.Error, ValueError):
        return None
    return raw if len(raw) == 32 else None


@lru_cache(maxsize=8)
def _derive(master: str, secret_key: str) -> tuple[bytes, bytes]:
    # Without a configured key (development only; the deploy check refuses it) derive one
    # from SECRET_KEY, as pii.py does, so a fresh checkout works.
    material = decode_key(master) if master else secret_key.encode()
    if material is None:
        raise ImproperlyConfigured("YICAI_AUDIT_KEY must be 32 bytes, base64.")
    derived = HKDF(
        algorithm=hashes.SHA256(), length=64, salt=b"yicai-audit", info=b"chain+checkpoint"
    ).derive(material)
    return derived[:32], derived[32:]


def chain_key(master: str | None = None) -> bytes:
    """The chain's HMAC key: from YICAI_AUDIT_KEY, or `master` (a base64 key) when re-keying."""
    return _derive(settings.AUDIT_KEY if master is None else master, settings.SECRET_KEY)[0]


def _checkpoint_key() -> bytes:
    return _derive(settings.AUDIT_KEY, settings.SECRET_KEY)[1]


def _normal(field: Field[Any, Any], value: Any) -> Any:
    """A field's value as the database gives it back, so the seal computed before the insert
    equals the one computed on the row read later."""
    if value is None:
        return None
    # A stored relation is a foreign key (or one-to-one): its column holds the target's value.
    kind = (field.target_field if isinstance(field, ForeignKey) else field).get_internal_type()
    if kind == "DateTimeField":
        return value.astimezone(datetime.UTC).isoformat()
    if kind == "JSONField":
        return json.loads(json.dumps(value, cls=getattr(field, "encoder", None)))
    if kind == "GenericIPAddressField":
        return ipaddress.ip_address(value).compressed if value else None
    if kind in {"CharField", "TextField"}:
        return str(value)
    if "Integer" in kind or "AutoField" in kind:
        return int(value)
    return value


def canonical(entry: Model) -> bytes:
    """Every stored field but the id (seq is the entry's place) and the hash itself, by name:
    a field added later is covered without anyone remembering to."""
    values = {
        field.attname: _normal(field, getattr(entry, field.attname))
        for field in entry._meta.concrete_fields
        if not field.primary_key and field.attname != "entry_hash"
    }
    return json.dumps(values, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def seal(entry: Model, key: bytes | None = None) -> str:
    return hmac.new(key or chain_key(), canonical(entry), hashlib.sha256).hexdigest()


def record(
    event: str,
    *,
    obj: Model | None = None,
    summary: str = "",
    data: dict[str, Any] | None = None,
    actor: RequestUser | None = None,
    action: int | None = None,
) -> "AuditEntry":
    """Write an event that the change capture does not see (a reveal, an export, a login, an
    identifier change, ...)."""
    from django.contrib.contenttypes.models import ContentType

    from yicai.access.models import AuditEntry

    entry = AuditEntry(
        event=event,
        action=AuditEntry.Action.ACCESS if action is None else action,
        object_repr=summary or (str(obj) if obj is not None else event),
        additional_data=data or None,
    )
    if obj is not None:
        entry.content_type = ContentType.objects.get_for_model(obj)
        entry.object_pk = str(obj.pk)
        entry.object_id = obj.pk
    else:
        entry.content_type = ContentType.objects.get_for_model(AuditEntry)
        entry.object_pk = ""
    if actor is not None:
        entry.actor = actor
        entry.actor_email = getattr(actor, "email", "") or None
    entry.save()
    return entry


def record_export(summary: str, parameters: Mapping[str, str], in_words: str = "") -> None:
    """An export, with the filters it used: as the request gave them and, when the page
    says, in words ("机构=甲区中心医院；关键词=王"), with names as they were at the time. Numbers
    long enough to be an identity or phone number (someone searched by one) are kept only
    as their last four digits."""
    # A NUL (a hostile query string the API reads itself) has no place in PostgreSQL's JSON.
    filters = {
        key.replace("\x00", ""): last_four_only(value.replace("\x00", ""))
        for key, value in parameters.items()
        if key != "export"
    }
    data: dict[str, Any] = {"filters": filters}
    if in_words:
        data["in_words"] = last_four_only(in_words)
    record("export", summary=summary, data=data)


# --- the permit the triggers ask for ------------------------------------------------------


@contextlib.contextmanager
def permitted(reason: str) -> Iterator[None]:
    """Let UPDATE / DELETE of audit rows through the database triggers for the duration of
    the block: a permit row inserted and removed inside one transaction, which no other
    connection ever sees. Only purge, re-key and the upgrade's re-seal use it."""
    from yicai.access.models import AuditPermit

    with transaction.atomic():
        AuditPermit.objects.create(reason=reason)
        yield
        AuditPermit.objects.all().delete()


def reseal(entries: QuerySet[Any], key: bytes, *, renumber: bool = True, batch: int = 500) -> int:
    """Re-seal `entries` under `key`, in the given order; the caller holds a permit. The
    upgrade renumbers them (in pk order) from the genesis; re-keying keeps their numbers and
    the first one's link (to what a purge removed). Works on a migration's historical model
    too. Returns how many."""
    model = entries.model
    previous: str | None = None
    done, pending = 0, []
    for seq, entry in enumerate(entries.iterator(chunk_size=2000), start=1):
        if renumber:
            entry.seq = seq
        if previous is None:
            previous = GENESIS if renumber else entry.prev_hash
        entry.prev_hash = previous
        entry.entry_hash = previous = seal(entry, key)
        pending.append(entry)
        if len(pending) >= batch:
            done += _save_sealed(model, pending)
    return done + _save_sealed(model, pending)


def _save_sealed(model: type[Model], pending: list[Any]) -> int:
    from django.db.models import QuerySet

    QuerySet(model).bulk_update(pending, ["seq", "prev_hash", "entry_hash"])
    count = len(pending)
    pending.clear()
    return count


# --- the checkpoint: the newest entry and the count, signed, outside the table -------------


@dataclass
class Checkpoint:
    database: str
    seq: int
    hash: str
    count: int
    time: str


def checkpoint_path() -> Path:
    return Path(settings.AUDIT_CHECKPOINT)


def _database_label() -> str:
    return f"{connection.vendor}:{connection.settings_dict['NAME']}"


def _sign(payload: dict[str, Any]) -> str:
    body = json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()
    return hmac.new(_checkpoint_key(), body, hashlib.sha256).hexdigest()


def head() -> tuple[int, str, int]:
    """(newest seq, its hash, number of entries); (0, GENESIS, 0) for an empty log."""
    from yicai.access.models import AuditEntry

    last = AuditEntry.objects.order_by("-seq").values_list("seq", "entry_hash").first()
    count = AuditEntry.objects.count()
    return (last[0], last[1], count) if last else (0, GENESIS, 0)


def read_checkpoint() -> tuple[Checkpoint | None, str]:
    """The checkpoint and "" when it is sound; (None, "") when there is none yet; (None,
    why) when it cannot be trusted."""
    path = checkpoint_path()
    if not path.exists():
        return None, ""
    try:
        data = json.loads(path.read_text())
        signature = data.pop("signature")
        point = Checkpoint(**data)
    except (ValueError, TypeError, KeyError, OSError):
        return None, _("检查点文件 %(path)s 无法读取或格式不符（可能被篡改）") % {"path": path}
    if not hmac.compare_digest(signature, _sign(data)):
        return None, _("检查点文件 %(path)s 的签名不符：文件被篡改或密钥已更换") % {"path": path}
    if point.database != _database_label():
        return None, _("检查点文件 %(path)s 属于另一个数据库（%(other)s）") % {
            "path": path,
            "other": point.database,
        }
    return point, ""


def write_checkpoint(seq: int | None = None, entry_hash: str = "", count: int = 0) -> Checkpoint:
    """Sign and write the checkpoint (the current head unless given), atomically."""
    if seq is None:
        seq, entry_hash, count = head()
    point = Checkpoint(
        database=_database_label(),
        seq=seq,
        hash=entry_hash,
        count=count,
        time=datetime.datetime.now(datetime.UTC).isoformat(),
    )
    payload = dict(point.__dict__)
    path = checkpoint_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(json.dumps({**payload, "signature": _sign(payload)}, indent=1))
    os.replace(temporary, path)
    return point


def advance_checkpoint() -> str:
    """Move the checkpoint forward to the current head, only when the entry it names is still
    there unchanged (so truncation or tail deletion is never written over: verify will
    report it). Returns why it refused, or ""."""
    from yicai.access.models import AuditEntry

    point, problem = read_checkpoint()
    if problem:
        return problem
    if point is not None and point.seq:
        kept = AuditEntry.objects.filter(seq=point.seq).values_list("entry_hash", flat=True)
        if list(kept) != [point.hash]:
            return _("检查点所记的第 %(seq)s 条记录已不在或已改变，请运行 yicai audit verify") % {
                "seq": point.seq
            }
    write_checkpoint()
    return ""


_last_checkpoint = 0.0


def _checkpoint_now_and_then() -> None:
    """After a commit that appended entries: at most once per AUDIT_CHECKPOINT_SECONDS."""
    global _last_checkpoint
    if time.monotonic() - _last_checkpoint < settings.AUDIT_CHECKPOINT_SECONDS:
        return
    _last_checkpoint = time.monotonic()
    try:
        problem = advance_checkpoint()
    except Exception:  # the entry is committed; a checkpoint that fails must not fail the request
        logger.exception("audit checkpoint not written")
        return
    if problem:
        logger.error("audit checkpoint not advanced: %s", problem)


# --- verification -------------------------------------------------------------------------


@dataclass
class Problem:
    kind: str  # altered, link, missing, head, truncated, tail, checkpoint, permit
    message: str
    seq: int | None = None
    pk: int | None = None


@dataclass
class VerifyResult:
    checked: int
    problems: list[Problem] = field(default_factory=list)
    head_seq: int = 0
    head_hash: str = GENESIS
    checkpoint: Checkpoint | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def broken_at(self) -> int | None:
        """The pk of the first entry found wrong (None when intact or no entry is named)."""
        return next((p.pk for p in self.problems if p.pk is not None), None)

    @property
    def reason(self) -> str:
        return self.problems[0].message if self.problems else ""


def _span(first: int, last: int) -> str:
    return f"{first:,}" if first == last else f"{first:,}–{last:,}"


def verify(
    *, key: bytes | None = None, against_checkpoint: bool = True, batch: int = 2000
) -> VerifyResult:
    """Walk the chain in sequence order and report every entry that does not fit, every
    missing range, and what the checkpoint says that the table no longer has. When intact
    (and compared with the checkpoint), writes a fresh checkpoint."""
    from yicai.access.models import AuditEntry, AuditPermit

    key = key or chain_key()
    # The oldest entry links to the genesis, or to the last entry a recorded purge removed:
    # removing old rows any other way shows here.
    purged = {}
    for data in AuditEntry.objects.filter(event="purge").values_list("additional_data", flat=True):
        if data and data.get("last_hash"):
            purged[data.get("last_seq")] = data["last_hash"]
    point, checkpoint_problem = read_checkpoint() if against_checkpoint else (None, "")
    result = VerifyResult(checked=0, checkpoint=point)
    problems = result.problems
    if checkpoint_problem:
        problems.append(Problem("checkpoint", checkpoint_problem))
    previous = None  # (seq, hash) of the entry before
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=batch):
        where = {"seq": entry.seq, "pk": entry.pk}
        if seal(entry, key) != entry.entry_hash:
            problems.append(
                Problem(
                    "altered", _("第 %(seq)s 条（id %(pk)s）内容被改动：HMAC 不符") % where, **where
                )
            )
        if previous is None:
            if entry.seq == 1 and entry.prev_hash != GENESIS:
                problems.append(
                    Problem("link", _("第 %(seq)s 条（id %(pk)s）不接创世值") % where, **where)
                )
            elif entry.seq > 1 and purged.get(entry.seq - 1, purged.get(None)) != entry.prev_hash:
                problems.append(
                    Problem(
                        "head",
                        _("序号 %(span)s 的最早记录被删除，没有清理记录可以解释")
                        % {"span": _span(1, entry.seq - 1)},
                    )
                )
        elif entry.seq != previous[0] + 1:
            problems.append(
                Problem(
                    "missing",
                    _("序号 %(span)s 的记录缺失") % {"span": _span(previous[0] + 1, entry.seq - 1)},
                )
            )
        elif entry.prev_hash != previous[1]:
            problems.append(
                Problem("link", _("第 %(seq)s 条（id %(pk)s）与前一条的链接不符") % where, **where)
            )
        if point is not None and entry.seq == point.seq and entry.entry_hash != point.hash:
            problems.append(
                Problem(
                    "checkpoint", _("第 %(seq)s 条（id %(pk)s）与检查点所记不符") % where, **where
                )
            )
        previous = (entry.seq, entry.entry_hash)
        result.checked += 1
    result.head_seq, result.head_hash = previous or (0, GENESIS)
    if point is not None and point.seq > result.head_seq:
        if result.checked == 0:
            problems.append(
                Problem(
                    "truncated",
                    _(
                        "检查点（%(time)s）记有 %(count)s 条、至序号 %(seq)s，"
                        "表中现有 0 条：日志被清空"
                    )
                    % {"time": point.time, "count": f"{point.count:,}", "seq": f"{point.seq:,}"},
                )
            )
        else:
            problems.append(
                Problem(
                    "tail",
                    _("序号 %(span)s 的最新记录缺失（检查点记至序号 %(seq)s）")
                    % {"span": _span(result.head_seq + 1, point.seq), "seq": f"{point.seq:,}"},
                )
            )
    if AuditPermit.objects.exists():
        problems.append(
            Problem("permit", _("放行表 access_auditpermit 中有残留记录：数据库触发器形同虚设"))
        )
    if result.ok and against_checkpoint:
        result.checkpoint = write_checkpoint(result.head_seq, result.head_hash, result.checked)
    return result
