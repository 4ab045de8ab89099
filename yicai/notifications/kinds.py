"""The kinds of notification and their names, as the apps that create them declare them
(`register("tranche", _("待遇到期发放"))` from their `ready()`): the list's filter offers them."""

from django.utils.functional import Promise

KINDS: dict[str, "str | Promise"] = {}


def register(kind: str, label: "str | Promise") -> None:
    KINDS[kind] = label


def label(kind: str) -> "str | Promise":
    return KINDS.get(kind, kind)


def choices() -> list[tuple[str, "str | Promise"]]:
    return list(KINDS.items())
