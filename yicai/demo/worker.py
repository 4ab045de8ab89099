"""Entry points of `yicai seed`'s worker processes (started with "spawn", so each sets up
Django itself). This module imports nothing of Yicai at load time: the pool unpickles these
functions before Django is ready."""

import os


def setup() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yicai.settings")
    django.setup()


def prepare(plan, number: int, size: int):
    from yicai.demo.seed import prepare_batch

    return prepare_batch(plan, number, size)


def setup_activities(roster) -> None:
    """`yicai seed --activities`: set up Django and keep the people records are chosen from
    (plain arrays, handed over once, as the process starts)."""
    setup()
    from yicai.demo import seed_activities

    seed_activities.ROSTER.clear()
    seed_activities.ROSTER.update(roster)


def prepare_activities(plan, number: int):
    from yicai.demo.seed_activities import prepare_batch

    return prepare_batch(plan, number)
