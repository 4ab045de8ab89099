"""System checks: production must not run on development secrets."""

from django.conf import settings
from django.core.checks import Error, Tags, register

from yicai.settings import DEV_SECRET_KEY


@register(Tags.security, deploy=True)
def check_secrets(app_configs, **kwargs):
    errors = []
    if settings.SECRET_KEY == DEV_SECRET_KEY:
        errors.append(
            Error("SECRET_KEY is the development key.", hint="Set SECRET_KEY.", id="yicai.E001")
        )
    if not settings.FIELD_ENCRYPTION_KEY:
        errors.append(
            Error(
                "YICAI_FIELD_KEY is not set: person identifiers would be "
                "encrypted with a key derived from SECRET_KEY.",
                hint="Set YICAI_FIELD_KEY to 32 random bytes, base64.",
                id="yicai.E002",
            )
        )
    if settings.DEBUG:
        errors.append(Error("YICAI_DEBUG is on.", id="yicai.E003"))
    return errors


@register(Tags.security)
def check_field_algorithm(app_configs, **kwargs):
    if settings.FIELD_ENCRYPTION_ALGORITHM not in {"aes-256-gcm", "sm4-gcm"}:
        return [Error("YICAI_FIELD_ALGORITHM must be aes-256-gcm or sm4-gcm.", id="yicai.E004")]
    return []
