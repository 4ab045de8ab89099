"""Apps stand in layers and the shared layer imports no domain app: the contracts of
`.importlinter` (import-linter), which `make lint` runs too. A circular import between two
apps breaks them, whichever module does it (a function's own import included)."""

from pathlib import Path

from importlinter.cli import lint_imports

import yicai

CONFIG = Path(yicai.__file__).parent.parent / ".importlinter"


def test_the_import_contracts_are_kept():
    assert lint_imports(config_filename=str(CONFIG), no_cache=True, no_logo=True) == 0
