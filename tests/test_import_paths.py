"""One import path per function: a package's `__init__.py` re-exports nothing, so a query or a
service is imported from the module that defines it. A `models` package is the exception Django
needs (it imports its modules so that the app's models load): models are imported from the
package, never from one of its modules."""

import ast
from pathlib import Path

import yicai

ROOT = Path(yicai.__file__).parent
REPO = ROOT.parent


def _python_files():
    for folder in (ROOT, REPO / "tests", REPO / "bench"):
        for path in folder.rglob("*.py"):
            if "migrations" not in path.parts:
                yield path


def _module(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def problems(module: str, source: str, is_package: bool) -> list[str]:
    """What breaks the rule in one module's source."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.ImportFrom) or node.level:
            continue
        target = node.module or ""
        if is_package and not module.endswith(".models") and target.startswith(f"{module}."):
            names = ", ".join(alias.name for alias in node.names)
            found.append(f"{module} re-exports {names} from {target}")
        head, _dot, tail = target.rpartition(".")
        if (
            head.endswith(".models")
            and head.startswith("yicai.")
            and not module.startswith(head)
            and tail
        ):
            found.append(f"{module} imports {target}: import models from {head}")
    return found


def test_one_import_path():
    found = []
    for path in _python_files():
        found += problems(
            _module(path), path.read_text(encoding="utf-8"), path.name == "__init__.py"
        )
    assert found == []


def test_the_rule_can_fail():
    assert problems(
        "yicai.training.queries",
        "from yicai.training.queries.studios import studio_list\n",
        is_package=True,
    ) == ["yicai.training.queries re-exports studio_list from yicai.training.queries.studios"]
    assert problems(
        "yicai.training.views.studios",
        "from yicai.training.models.studios import ExpertStudio\n",
        is_package=False,
    ) == [
        "yicai.training.views.studios imports yicai.training.models.studios:"
        " import models from yicai.training.models"
    ]
    # The models package itself, and imports from a package, are fine.
    assert (
        problems("yicai.training.models", "from yicai.training.models.studios import X\n", True)
        == []
    )
    assert problems("yicai.training.views.x", "from yicai.training.models import X\n", False) == []
