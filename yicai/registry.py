"""How an app adds itself to the project, without editing another app or a hub file.

An app contributes in two ways, both from its own files:

- **Declarations**, plain data, in the app's `declarations.py`:
  `PERMISSIONS` (role -> the permissions of this app that role holds), `OVERSEEING` (those of
  its permissions a person may also use on what they oversee without owning it, read
  `yicai.access.scope`) and `MENU` (its entries, `yicai.menu.Entry`, under 档案 / 引 / 育 / 留 /
  用 / 管理). The module that uses them collects them with `declared(name)`, lazily and once,
  after the apps are loaded: `yicai.access.scope` the permissions, `yicai.menu` the menu.
  training's is the example to copy (`yicai/training/declarations.py`).
- **Hooks**, functions that need the app's models, registered from its `AppConfig.ready()`:
  how a model reaches the scopes (`yicai.access.scope.register_model`, with the path helpers
  `hosted`, `of_person`, `in_region`), timeline events (`yicai.people.timeline.register`),
  to-do providers (`yicai.todo.register`), person pickers (`yicai.picker.register_source`)
  and import entities (`yicai.exchange.engine.register`).

A new app is then its own files plus one line in settings and one in urls.
"""

from collections.abc import Callable
from importlib import import_module
from typing import Any, TypeVar

from django.apps import apps
from django.utils.module_loading import module_has_submodule

MODULE = "declarations"

_Hook = TypeVar("_Hook")


def declared(name: str) -> list[Any]:
    """`name` from every installed app's declarations module that has it, in INSTALLED_APPS
    order (a section's entries keep that order where they do not say their own)."""
    # Declarations name roles and models: only once every app's models are loaded.
    apps.check_models_ready()
    found = []
    for config in apps.get_app_configs():
        if not module_has_submodule(config.module, MODULE):
            continue
        module = import_module(f"{config.name}.{MODULE}")
        if hasattr(module, name):  # an app declares only what it has
            found.append(getattr(module, name))
    return found


def hook_register(hooks: dict[str, _Hook]) -> Callable[[str], Callable[[_Hook], _Hook]]:
    """A `register(name)` decorator that keeps the function it decorates in `hooks` under
    `name`, for a module that calls every app's hooks (the timeline, the to-do list)."""

    def register(name: str) -> Callable[[_Hook], _Hook]:
        def decorator(hook: _Hook) -> _Hook:
            hooks[name] = hook
            return hook

        return decorator

    return register
