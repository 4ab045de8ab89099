"""Apps stand in layers and the shared layer imports no domain app: the contracts of
`.importlinter` (import-linter), which `make lint` runs too. A circular import between two
apps breaks them, whichever module does it (a function's own import included)."""

import configparser
from pathlib import Path

import grimp
from importlinter.cli import lint_imports
from importlinter.configuration import configure
from importlinter.contracts.acyclic_siblings import AcyclicSiblingsContract

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


def _acyclic_contract():
    """The acyclic contract of `.importlinter`, as import-linter reads it."""
    configure()
    section = configparser.ConfigParser()
    section.read(CONFIG, encoding="utf-8")
    options = section["importlinter:contract:acyclic"]
    return AcyclicSiblingsContract(
        name=options["name"],
        session_options={"root_packages": ["yicai"]},
        contract_options={
            "ancestors": options["ancestors"].split(),
            "depth": options["depth"],
            "ignore_imports": options["ignore_imports"].strip().splitlines(),
        },
    )


def test_an_app_in_no_layer_is_still_held_to_no_cycle():
    """recruitment is in no named layer (a new app needs no line in .importlinter): an import
    of it by people, which it imports, is a cycle the acyclic contract names."""
    contract = _acyclic_contract()
    assert "recruitment" not in CONFIG.read_text(encoding="utf-8")
    assert contract.check(grimp.build_graph("yicai", cache_dir=None), verbose=False).kept
    graph = grimp.build_graph("yicai", cache_dir=None)
    upstream = graph.find_upstream_modules("yicai.recruitment", as_package=True)
    assert any(module.startswith("yicai.people.") for module in upstream)
    graph.add_import(importer="yicai.people.models", imported="yicai.recruitment.models")
    check = contract.check(graph, verbose=False)
    assert not check.kept
    [summary] = check.metadata["summaries"]
    assert {(d.downstream, d.upstream) for d in summary.dependencies} == {
        ("yicai.people", "yicai.recruitment")
    }
