"""System checks: production must not run on development secrets, nor on keys that cannot
work."""

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from yicai.access.audit import decode_key
from yicai.settings import DEV_SECRET_KEY

_KEY_HINT = "32 random bytes, base64 (e.g. `openssl rand -base64 32`)."


@register(Tags.security, deploy=True)
def check_secrets(app_configs: Sequence[AppConfig] | None, **kwargs: Any) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    if settings.SECRET_KEY == DEV_SECRET_KEY:
        errors.append(
            Error("SECRET_KEY is the development key.", hint="Set SECRET_KEY.", id="yicai.E001")
        )
    if not settings.FIELD_ENCRYPTION_KEY:
        errors.append(
            Error(
                "YICAI_FIELD_KEY is not set: person identifiers would be "
                "encrypted with a key derived from SECRET_KEY.",
                hint="Set YICAI_FIELD_KEY to " + _KEY_HINT,
                id="yicai.E002",
            )
        )
    if not settings.AUDIT_KEY:
        errors.append(
            Error(
                "YICAI_AUDIT_KEY is not set: the audit chain would be keyed with a key "
                "derived from SECRET_KEY.",
                hint="Set YICAI_AUDIT_KEY to " + _KEY_HINT,
                id="yicai.E010",
            )
        )
    if settings.DEBUG:
        errors.append(Error("YICAI_DEBUG is on.", id="yicai.E003"))
    return errors


@register(Tags.security)
def check_keys(app_configs: Sequence[AppConfig] | None, **kwargs: Any) -> list[CheckMessage]:
    """A key that is set must be exactly 32 bytes of valid base64, and the two keys apart:
    whoever reads identity numbers must not be able to forge the audit chain."""
    errors: list[CheckMessage] = []
    for name, value, error_id in (
        ("YICAI_FIELD_KEY", settings.FIELD_ENCRYPTION_KEY, "yicai.E011"),
        ("YICAI_AUDIT_KEY", settings.AUDIT_KEY, "yicai.E012"),
    ):
        if value and decode_key(value) is None:
            errors.append(
                Error(f"{name} is not 32 bytes of valid base64.", hint=_KEY_HINT, id=error_id)
            )
    field, audit = decode_key(settings.FIELD_ENCRYPTION_KEY), decode_key(settings.AUDIT_KEY)
    if field is not None and field == audit:
        errors.append(
            Error(
                "YICAI_AUDIT_KEY equals YICAI_FIELD_KEY.",
                hint="Give the audit chain its own key.",
                id="yicai.E013",
            )
        )
    return errors


@register(Tags.security)
def check_field_algorithm(
    app_configs: Sequence[AppConfig] | None, **kwargs: Any
) -> list[CheckMessage]:
    if settings.FIELD_ENCRYPTION_ALGORITHM not in {"aes-256-gcm", "sm4-gcm"}:
        return [Error("YICAI_FIELD_ALGORITHM must be aes-256-gcm or sm4-gcm.", id="yicai.E004")]
    return []


@register(Tags.database)
def check_release_boundary(
    app_configs: Sequence[AppConfig] | None, databases: Sequence[str] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    """A release squashes the migrations of the one before it. A database stopped between two
    of them has no way on (their files are gone), and Django would leave the app out of
    `migrate` without a word: `migrate` runs this check first and stops."""
    errors: list[CheckMessage] = []
    for alias in databases or ():
        applied = MigrationRecorder(connections[alias]).applied_migrations()
        if not applied:
            continue
        for (app, name), migration in MigrationLoader(None).disk_migrations.items():
            done = [key for key in migration.replaces if key in applied]
            if done and len(done) < len(migration.replaces) and (app, name) not in applied:
                missing = [n for a, n in migration.replaces if (a, n) not in applied]
                errors.append(
                    Error(
                        f"Database {alias!r} stopped part-way through the migrations that "
                        f"{app}.{name} squashes: {', '.join(missing)} never ran.",
                        hint="Upgrade to the release before this one first (docs/operations.md, "
                        "section 9), run migrate there, then upgrade to this one.",
                        id="yicai.E014",
                    )
                )
    return errors
