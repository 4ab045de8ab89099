"""Apps stand in layers and the shared layer imports no domain app: the contracts of
`.importlinter` (import-linter), which `make lint` runs too. A circular import between two
apps breaks them, whichever module does it (a function's own import included)."""

from pathlib import Path

from importlinter.cli import lint_imports

import yicai

CONFIG = Path(yicai.__file__).parent.parent / ".importlinter"


def test_the_import_contracts_are_kept():
    assert lint_imports(config_filename=str(CONFIG), no_cache=True, no_logo=True) == 0


def test_a_circular_import_breaks_them(tmp_path):
    """The same contracts with people above training: training imports people, so an import
    of people by training now goes the wrong way, as a circular import between them would."""
    text = CONFIG.read_text(encoding="utf-8")
    swapped = text.replace("    training\n    people\n", "    people\n    training\n", 1)
    assert swapped != text
    planted = tmp_path / ".importlinter"
    planted.write_text(swapped, encoding="utf-8")
    assert lint_imports(config_filename=str(planted), no_cache=True, no_logo=True) == 1
