"""The 八个一 part of retention's scope matrix: the district's package, a served talent
enrolled at B (a community health centre) with B's doctor as guardian, a year of tasks and a
green-channel request. An enrolment, its tasks and requests are the serving institution's
and the commission's: A gets 404 on B's, a department head reads the lists (empty: no
department serves) and the region's package. The forms posted empty are refused (400)."""

import datetime

from tests.scope_tables import HR, only, rows
from yicai.codes.queries import code_for
from yicai.retention.services import care

D = datetime.date
_B = {"commission": {"b"}, "hospital_a": set(), "hospital_b": {"b"}}


def build(records, world) -> None:
    package = care.package_defaults_create(region=world.b.commission_region)
    records.care_enrolment = care.enrol(
        by=None,
        package=package,
        institution=world.b,
        enrolled_on=D(2022, 3, 1),
        name="钱科创",
        sex=code_for("sex", "1"),
        birth_date=D(1988, 5, 20),
        guardian=world.b_doctor,
        team_name="家庭医生一队",
    )
    care.tasks_generate(D(2022, 12, 31))
    records.care_task = records.care_enrolment.tasks.order_by("due_on", "id").first()
    records.care_green = care.green_channel_request(
        enrolment=records.care_enrolment, by=None, need="心内科专家号"
    )


def _enrolment(r):
    return {"pk": r.care_enrolment.pk}


def _task(r):
    return {"pk": r.care_task.pk}


def _green(r):
    return {"pk": r.care_green.pk}


_SEES = only(*HR, "dept_head")
_API_SEES = only(*HR, "dept_head", anonymous=401)

PAGE_KWARGS = {
    "retention:care_enrolment": _enrolment,
    "retention:care_green_request": _enrolment,
    "retention:care_task_complete": _task,
    "retention:care_green_respond": _green,
}
KWARGS = {
    "api-retention-care-enrolment": _enrolment,
    "api-retention-care-task": _task,
    "api-retention-care-task-complete": _task,
}
CASES = {
    "retention:care_packages": _SEES,
    "retention:care_enrolments": _SEES,
    "retention:care_enrol": only(*HR),
    "retention:care_enrolment": rows({**_B, "dept_head": set()}, "b"),
    "retention:care_green_request": rows(_B, "b", status=400, method="post"),
    "retention:care_tasks": _SEES,
    "retention:care_task_complete": rows(_B, "b"),
    "retention:care_figures": _SEES,
    "retention:care_green": _SEES,
    "retention:care_green_respond": rows(_B, "b", status=400, method="post"),
    "api-retention-care-enrolments": _API_SEES,
    "api-retention-care-enrolment": rows({**_B, "dept_head": set()}, "b", anonymous=401),
    "api-retention-care-tasks": _API_SEES,
    "api-retention-care-task": rows({**_B, "dept_head": set()}, "b", anonymous=401),
    "api-retention-care-task-complete": rows(_B, "b", status=400, method="post", anonymous=401),
    "api-retention-care-figures": _API_SEES,
}
