"""Apps stand in layers and the shared layer imports no domain app: the contracts of
`.importlinter` (import-linter), which `make lint` runs too. A circular import between two
apps breaks them, whichever module does it (a function's own import included).

A new app is named in no contract: its line in INSTALLED_APPS is its layer. It may import the
apps installed before it, not those after, and the shared layer may not import it (the last
tests here, on the same import graph)."""

import configparser
import logging
from pathlib import Path

import grimp
import pytest
from django.apps import apps
from importlinter.cli import lint_imports
from importlinter.configuration import configure
from importlinter.contracts.acyclic_siblings import AcyclicSiblingsContract

import yicai

CONFIG = Path(yicai.__file__).parent.parent / ".importlinter"


@pytest.fixture(autouse=True)
def _logging_as_it_was():
    """import-linter adds its own console handler (unmasked, tests/people/test_search_privacy):
    removed again after each test, whichever test runs next in the process."""
    loggers = [logging.getLogger(), *logging.Logger.manager.loggerDict.values()]
    before = {
        id(logger): list(logger.handlers) for logger in loggers if hasattr(logger, "handlers")
    }
    yield
    for logger in [logging.getLogger(), *logging.Logger.manager.loggerDict.values()]:
        if hasattr(logger, "handlers"):
            for handler in set(logger.handlers) - set(before.get(id(logger), [])):
                logger.removeHandler(handler)


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
    # The new import is named; the rest of the cycle it closes (recruitment reads training's
    # queries, which read people's) may be named with it.
    named = {(d.downstream, d.upstream) for d in summary.dependencies}
    assert ("yicai.people", "yicai.recruitment") in named
    assert named <= {("yicai.people", "yicai.recruitment"), ("yicai.recruitment", "yicai.training")}


# Libraries any app may use, and the apps at the bottom that the shared layer builds on.
LIBRARIES = {"yicai.exchange"}
FOUNDATION = {"yicai.access", "yicai.codes"}


def _installed() -> list[str]:
    """The project's apps in INSTALLED_APPS order, libraries left out."""
    return [
        config.name
        for config in apps.get_app_configs()
        if config.name.startswith("yicai.") and config.name not in LIBRARIES
    ]


def _upward(graph) -> list[tuple[str, str]]:
    """(app, app installed after it that it imports, directly or through others)."""
    installed = _installed()
    return [
        (lower, higher)
        for index, lower in enumerate(installed)
        for higher in installed[index + 1 :]
        if graph.chain_exists(importer=lower, imported=higher, as_packages=True)
    ]


def _shared_reaching_apps(graph) -> list[tuple[str, str]]:
    """(shared module, domain app it imports), the shared modules as the contract lists them."""
    section = configparser.ConfigParser()
    section.read(CONFIG, encoding="utf-8")
    shared = {
        name.removesuffix(".**")
        for name in section["importlinter:contract:shared"]["source_modules"].split()
    }
    domain = [name for name in _installed() if name not in FOUNDATION]
    return [
        (module, app)
        for module in sorted(shared)
        for app in domain
        if graph.chain_exists(importer=module, imported=app, as_packages=True)
    ]


def test_an_app_imports_only_the_apps_installed_before_it():
    assert _upward(grimp.build_graph("yicai", cache_dir=None)) == []


def test_the_shared_layer_imports_no_installed_app():
    assert _shared_reaching_apps(grimp.build_graph("yicai", cache_dir=None)) == []


def test_an_import_of_a_later_app_or_by_the_shared_layer_is_named():
    """Both checks can fail: training (installed before recruitment) importing it, and the
    list page importing it, are named, though .importlinter names recruitment nowhere."""
    graph = grimp.build_graph("yicai", cache_dir=None)
    graph.add_import(importer="yicai.training.models", imported="yicai.recruitment.models")
    graph.add_import(importer="yicai.web.listing", imported="yicai.recruitment.queries")
    assert ("yicai.training", "yicai.recruitment") in _upward(graph)
    assert ("yicai.web", "yicai.recruitment") in _shared_reaching_apps(graph)
