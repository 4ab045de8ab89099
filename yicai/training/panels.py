"""Sections a higher app adds to the page a one-time link opens, without training importing
it: 留's hospitality shows a visiting expert their upcoming stay (room, pick-up) beside the
visit they will confirm. An app registers a function from its `ready()`; it takes the linked
record and gives HTML it rendered itself ("" for nothing to show)."""

from collections.abc import Callable
from typing import Any

from django.utils.safestring import SafeString

from yicai.registry import hook_register

Panel = Callable[[Any], SafeString | str]
_PANELS: dict[str, dict[str, Panel]] = {}


def register(kind: str) -> Callable[[str], Callable[[Panel], Panel]]:
    """`@register("visit")("stay")`: a panel for links of that kind, under that name."""
    return hook_register(_PANELS.setdefault(kind, {}))


def panels_for(kind: str, record: object) -> list[SafeString | str]:
    return [shown for panel in _PANELS.get(kind, {}).values() if (shown := panel(record))]
