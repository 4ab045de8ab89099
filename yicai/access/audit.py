"""The audit log: who did what, from where, in which request; append-only and hash-chained.

Changes to registered models are captured by django-auditlog; this module adds the actor's
context (set per request or per command), the hash chain, events that are not row changes
(reveals, exports, logins, ...) and the chain's verification.
"""

import contextlib
import contextvars
import ipaddress
from dataclasses import dataclass, field
from typing import Any

from django.db import connection

GENESIS = "0" * 64
# Any 64-bit number unique to this lock; PostgreSQL serialises chain appends on it.
_CHAIN_LOCK = 0x59494341_49415544


@dataclass
class AuditContext:
    actor: Any = None
    institution_id: int | None = None
    remote_addr: str | None = None
    request_id: str | None = None
    extra: dict = field(default_factory=dict)


_context: contextvars.ContextVar[AuditContext | None] = contextvars.ContextVar(
    "yicai_audit_context", default=None
)


def current_context() -> AuditContext:
    return _context.get() or AuditContext()


@contextlib.contextmanager
def context(**values):
    """Set who acts for the audit entries written inside the block."""
    merged = AuditContext(**{**current_context().__dict__, **values})
    token = _context.set(merged)
    try:
        yield merged
    finally:
        _context.reset(token)


def acting_as(user, **values):
    from yicai.access.scope import primary_institution_id

    return context(actor=user, institution_id=primary_institution_id(user), **values)


def chain(entry) -> None:
    """Fill the actor's context and link the entry to the last one. Runs inside the insert's
    transaction; PostgreSQL takes an advisory lock, SQLite's IMMEDIATE transaction already
    serialises writers."""
    from yicai.access.models import AuditEntry

    ctx = current_context()
    if entry.actor_id is None and ctx.actor is not None and ctx.actor.pk:
        entry.actor = ctx.actor
        entry.actor_email = getattr(ctx.actor, "email", "") or None
    if entry.actor_institution_id is None:
        entry.actor_institution_id = ctx.institution_id
    if entry.remote_addr is None:
        entry.remote_addr = ctx.remote_addr
    if entry.remote_addr:  # hash the form the database stores (IPv6 compressed)
        entry.remote_addr = ipaddress.ip_address(entry.remote_addr).compressed
    if not entry.cid:
        entry.cid = ctx.request_id
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK])
    last = AuditEntry.objects.order_by("-pk").values_list("entry_hash", flat=True).first()
    entry.prev_hash = last or GENESIS
    entry.entry_hash = entry.compute_hash()


def record(
    event: str, *, obj=None, summary: str = "", data: dict | None = None, actor=None, action=None
):
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


def _last_four_only(text: str) -> str:
    from yicai.sensitive import last_four_only  # one masker for logs, audit and exports

    return last_four_only(text)


def record_export(summary: str, parameters, in_words: str = "") -> None:
    """An export, with the filters it used: as the request gave them and, when the page
    says, in words ("机构=甲区中心医院；关键词=王"), with names as they were at the time. Numbers
    long enough to be an identity or phone number (someone searched by one) are kept only
    as their last four digits."""
    filters = {key: _last_four_only(value) for key, value in parameters.items() if key != "export"}
    data = {"filters": filters}
    if in_words:
        data["in_words"] = _last_four_only(in_words)
    record("export", summary=summary, data=data)


@dataclass
class VerifyResult:
    checked: int
    broken_at: int | None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def verify(batch: int = 2000) -> VerifyResult:
    """Walk the chain in insertion order; report the first entry that does not fit."""
    from yicai.access.models import AuditEntry

    # The oldest entry links to the genesis, or to the last entry a recorded purge removed:
    # removing old rows any other way shows here.
    anchors = {GENESIS} | {
        data.get("last_hash")
        for data in AuditEntry.objects.filter(event="purge").values_list(
            "additional_data", flat=True
        )
        if data
    }
    previous = None
    checked = 0
    for entry in AuditEntry.objects.order_by("pk").iterator(chunk_size=batch):
        if previous is None and entry.prev_hash not in anchors:
            return VerifyResult(checked, entry.pk, "the oldest entries were removed unrecorded")
        if previous is not None and entry.prev_hash != previous:
            return VerifyResult(checked, entry.pk, "prev_hash does not match the entry before")
        if entry.compute_hash() != entry.entry_hash:
            return VerifyResult(checked, entry.pk, "entry was altered after it was written")
        previous = entry.entry_hash
        checked += 1
    return VerifyResult(checked, None)
