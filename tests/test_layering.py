"""Apps stand in layers: no two import each other, whichever module does it (a function's
own import included). What they all need lives in the shared layer, `yicai/*.py`."""

import itertools
import re
from pathlib import Path

import yicai

ROOT = Path(yicai.__file__).parent
APPS = sorted(path.parent.name for path in ROOT.glob("*/__init__.py"))


def _imports(app: str) -> set[str]:
    found = set()
    for module in (ROOT / app).rglob("*.py"):
        if "migrations" in module.parts:
            continue
        text = module.read_text(encoding="utf-8")
        for other in APPS:
            pattern = rf"(from|import)\s+yicai\.{other}\b|from yicai import [^\n]*\b{other}\b"
            if other != app and re.search(pattern, text):
                found.add(other)
    return found


def test_no_two_apps_import_each_other():
    imports = {app: _imports(app) for app in APPS}
    both_ways = [
        (a, b) for a, b in itertools.combinations(APPS, 2) if b in imports[a] and a in imports[b]
    ]
    assert {"access", "org", "people", "training", "exchange"} <= set(APPS)
    assert both_ways == []
