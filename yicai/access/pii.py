"""Personal identifiers at rest: AES-256-GCM encryption, keyed blind index, masking.

Stored form: "a1:" + base64(nonce || ciphertext+tag). The prefix names the algorithm, so the
国密 option (SM4-GCM with an HMAC-SM3 index) can be added beside it without a data migration.
"""

import base64
import hashlib
import hmac
import os
from functools import lru_cache

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

PREFIX = "a1:"


@lru_cache(maxsize=4)
def _keys(master: str, secret_key: str) -> tuple[bytes, bytes]:
    # Without a configured key (development only; the deploy check refuses it) derive one
    # from SECRET_KEY so a fresh checkout works.
    material = base64.b64decode(master) if master else secret_key.encode()
    derived = HKDF(
        algorithm=hashes.SHA256(), length=64, salt=b"yicai-pii", info=b"enc+index"
    ).derive(material)
    return derived[:32], derived[32:]


def _encryption_key() -> bytes:
    return _keys(settings.FIELD_ENCRYPTION_KEY, settings.SECRET_KEY)[0]


def _index_key() -> bytes:
    return _keys(settings.FIELD_ENCRYPTION_KEY, settings.SECRET_KEY)[1]


def encrypt(value: str) -> str:
    if not value:
        return ""
    nonce = os.urandom(12)
    sealed = AESGCM(_encryption_key()).encrypt(nonce, value.encode(), None)
    return PREFIX + base64.b64encode(nonce + sealed).decode()


def decrypt(stored: str) -> str:
    if not stored:
        return ""
    if not stored.startswith(PREFIX):
        raise ValueError("unknown ciphertext format")
    raw = base64.b64decode(stored[len(PREFIX) :])
    return AESGCM(_encryption_key()).decrypt(raw[:12], raw[12:], None).decode()


def blind_index(value: str) -> str:
    """Keyed hash for equality lookups and uniqueness without storing the value."""
    if not value:
        return ""
    return hmac.new(_index_key(), value.upper().encode(), hashlib.sha256).hexdigest()


def mask_id_number(value: str) -> str:
    if not value:
        return ""
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_last4(last4: str, length: int = 18) -> str:
    """Mask shown where only the stored last four digits are at hand (lists, exports)."""
    if not last4:
        return ""
    return "*" * (length - 4) + last4


def mask_phone(value: str) -> str:
    if not value:
        return ""
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "****" + value[-4:]
