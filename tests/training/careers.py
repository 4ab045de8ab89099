"""Career plans and their goals for tests, made through the services."""

from django.utils import timezone

from yicai.training.services.careers import career_goal_add, career_plan_create

TODAY = timezone.localdate()
YEAR = TODAY.year


def plan(person, **extra):
    return career_plan_create(person=person, direction="心血管介入方向", **extra)


def goal(made_plan, kind, text="目标", year=YEAR, **targets):
    return career_goal_add(plan=made_plan, year=year, kind=kind, text=text, **targets)
