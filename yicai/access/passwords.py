"""Password rules read from the editable SecurityPolicy (等保 2.0 level 3 defaults)."""

import re
import secrets
from typing import TYPE_CHECKING

from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from yicai.access.models import SecurityPolicy, User


_CLASSES = [
    re.compile(r"[a-z]"),
    re.compile(r"[A-Z]"),
    re.compile(r"[0-9]"),
    re.compile(r"[^a-zA-Z0-9]"),
]


SYMBOLS = "-_.!@#%+="
# Letters and digits that cannot be mistaken for one another when read aloud or copied.
_GENERATED_CLASSES = ("ABCDEFGHJKLMNPQRSTUVWXYZ", "abcdefghijkmnpqrstuvwxyz", "23456789", SYMBOLS)


def generate(length: int = 16) -> str:
    """A random password that meets any policy the security administrator may set: every
    character class present, at least as long as the policy asks."""
    length = max(length, _policy().min_length)
    alphabet = "".join(_GENERATED_CLASSES)
    chars = [secrets.choice(chars) for chars in _GENERATED_CLASSES]
    chars += [secrets.choice(alphabet) for _ in range(length - len(chars))]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)


def _policy() -> "SecurityPolicy":
    from yicai.access.models import SecurityPolicy

    return SecurityPolicy.current()


class PolicyLengthValidator:
    def validate(self, password: str, user: "User | None" = None) -> None:
        minimum = _policy().min_length
        if len(password) < minimum:
            raise ValidationError(
                _("密码至少需要 %(n)d 个字符。") % {"n": minimum}, code="password_too_short"
            )

    def get_help_text(self) -> str:
        return _("密码至少需要 %(n)d 个字符。") % {"n": _policy().min_length}


class CharacterClassValidator:
    def validate(self, password: str, user: "User | None" = None) -> None:
        needed = _policy().min_classes
        if sum(1 for pattern in _CLASSES if pattern.search(password)) < needed:
            raise ValidationError(
                _("密码须包含大写字母、小写字母、数字、符号中的至少 %(n)d 类。") % {"n": needed},
                code="password_classes",
            )

    def get_help_text(self) -> str:
        return _("须包含大写字母、小写字母、数字、符号中的至少 %(n)d 类。") % {
            "n": _policy().min_classes
        }


class HistoryValidator:
    def validate(self, password: str, user: "User | None" = None) -> None:
        if user is None or user.pk is None:
            return
        count = _policy().history_count
        recent = [user.password] + list(
            user.password_history.values_list("password", flat=True)[:count]
        )
        if any(encoded and check_password(password, encoded) for encoded in recent[:count]):
            raise ValidationError(
                _("不能使用最近 %(n)d 次用过的密码。") % {"n": count}, code="password_reused"
            )

    def get_help_text(self) -> str:
        return _("不能使用最近 %(n)d 次用过的密码。") % {"n": _policy().history_count}
