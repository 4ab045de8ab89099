"""insights' part of the scope matrix (collected by `tests.builders.app_matrices`): WISN studies
of A's cardiology (its head reads them, only the administrators plan them): one read and
changed, one whose activity and allowance are deleted, one deleted whole. Workforce planning:
a target and a population of the commission's district (whoever works in it reads them, only
the commission sets them: an institution's insights.edit is not enough), one of each deleted;
the projection, the people behind a figure and the figures per 1,000 population; the gaps
against the norms and the priorities. The annual report's workbook hospital A's administrator
had made in the background: theirs alone (the commission over A and hospital B get 404)."""

import datetime
from decimal import Decimal

from tests.insights.wisn_helpers import study
from tests.scope_tables import A_INSTITUTION_EDIT, EDITS_INSTITUTIONS, HR, only, rows
from yicai.insights import report_jobs, services


def _with_rows(records_study):
    activity = services.activity_add(
        study=records_study,
        name="门诊诊疗",
        minutes_per_unit=Decimal(15),
        annual_workload=Decimal(8000),
    )
    allowance = services.allowance_add(
        study=records_study, kind="category", name="科室会议", percent=Decimal(5)
    )
    return activity, allowance


def build(records, world) -> None:
    records.wisn_study = study(world, year=2023)
    records.wisn_activity, records.wisn_allowance = _with_rows(records.wisn_study)
    spare = study(world, code="21", year=2023)
    records.wisn_spare_activity, records.wisn_spare_allowance = _with_rows(spare)
    records.wisn_doomed = study(world, code="21", year=2022)
    district = world.a.commission_region

    def target(day: datetime.date):
        return services.parameter_create(
            by=None,
            key="doctor_density",
            value=Decimal("3.20"),
            valid_from=day,
            region=district,
            source="区卫生健康事业发展规划",
        )

    records.parameter = target(datetime.date(2025, 1, 1))
    records.parameter_doomed = target(datetime.date(2026, 1, 1))
    records.population = services.population_create(
        by=None, region=district, year=2024, population=1_000_000
    )
    records.population_doomed = services.population_create(
        by=None, region=district, year=2023, population=990_000
    )
    records.report_job = report_jobs.report_job_create(
        by=world.hospital_a,
        format="xlsx",
        since=datetime.date(2023, 1, 1),
        until=datetime.date(2023, 12, 31),
    )
    report_jobs.report_job_run(job=records.report_job)  # the worker's part, made at once
    records.report_job.refresh_from_db()


# A's cardiology's study: its head reads it; B gets 404; the roles without it 403.
_READ = rows({**EDITS_INSTITUTIONS, "dept_head": {"a"}}, "a")
_API_READ = rows({**EDITS_INSTITUTIONS, "dept_head": {"a"}}, "a", anonymous=401)
_A_REMOVE = rows(EDITS_INSTITUTIONS, "a", status=302, method="post")
# An empty row posted: the study's page again with the form's errors.
_A_EMPTY = rows(EDITS_INSTITUTIONS, "a", status=400, method="post")
_OF_STUDY = ("study", "study_edit", "activity_add", "allowance_add")
# The report's file: the user who asked reads it, whoever else 404 (403 without the export).
_ASKER = {"commission": set(), "hospital_a": {"a"}, "hospital_b": set()}
_REPORT_JOB = ("report_job", "report_job_file", "report_job_retry")
_API_REPORT_JOB = ("report-job", "report-job-file", "report-job-retry")


def _of_report_job(r):
    return {"pk": r.report_job.pk}


PAGE_KWARGS = {
    **{f"insights:{name}": (lambda r: {"pk": r.wisn_study.pk}) for name in _OF_STUDY},
    "insights:activity_edit": lambda r: {"pk": r.wisn_activity.pk},
    "insights:allowance_edit": lambda r: {"pk": r.wisn_allowance.pk},
    "insights:study_delete": lambda r: {"pk": r.wisn_doomed.pk},
    "insights:activity_delete": lambda r: {"pk": r.wisn_spare_activity.pk},
    "insights:allowance_delete": lambda r: {"pk": r.wisn_spare_allowance.pk},
    "insights:parameter_edit": lambda r: {"pk": r.parameter.pk},
    "insights:parameter_delete": lambda r: {"pk": r.parameter_doomed.pk},
    "insights:population_edit": lambda r: {"pk": r.population.pk},
    "insights:population_delete": lambda r: {"pk": r.population_doomed.pk},
    **{f"insights:{name}": _of_report_job for name in _REPORT_JOB},
}
_READERS = only(*HR, "dept_head")
_API_READERS = only(*HR, "dept_head", anonymous=401)
# Setting planning figures is the commission's: the institutions' insights.edit is not enough.
_COMMISSION = only("commission")
_COMMISSION_REMOVES = only("commission", status=302, method="post")
CASES = {
    "insights:studies": only(*HR, "dept_head"),
    "insights:study_create": only(*HR),
    "insights:study": _READ,
    "insights:study_edit": A_INSTITUTION_EDIT,
    "insights:study_delete": _A_REMOVE,
    "insights:activity_add": _A_EMPTY,
    "insights:allowance_add": _A_EMPTY,
    "insights:activity_edit": A_INSTITUTION_EDIT,
    "insights:allowance_edit": A_INSTITUTION_EDIT,
    "insights:activity_delete": _A_REMOVE,
    "insights:allowance_delete": _A_REMOVE,
    "api-insights-wisn": only(*HR, "dept_head", anonymous=401),
    "api-insights-study": _API_READ,
    "api-insights-study-result": _API_READ,
    # The annual report of what each administrator oversees (its text is tested elsewhere).
    "insights:report": only(*HR),
    # The dashboard: whoever oversees people, over what they see (figures tested elsewhere).
    "insights:dashboard": only(*HR, "dept_head"),
    "api-insights-dashboard": only(*HR, "dept_head", anonymous=401),
    "api-insights-report": only(*HR, anonymous=401),
    # Its PDF or workbook made in the background: asked for (an empty post: which format? 400),
    # followed, downloaded, tried again (a file made is not: 302 back to it, 400 in the API).
    "insights:report_job_create": only(*HR, status=400, method="post"),
    "insights:report_job": rows(_ASKER, "a"),
    "insights:report_job_file": rows(_ASKER, "a"),
    "insights:report_job_retry": rows(_ASKER, "a", status=302, method="post"),
    "api-insights-report-jobs": only(*HR, anonymous=401),
    "api-insights-report-job": rows(_ASKER, "a", anonymous=401),
    "api-insights-report-job-file": rows(_ASKER, "a", anonymous=401),
    "api-insights-report-job-retry": rows(_ASKER, "a", status=400, method="post", anonymous=401),
    # --- the national health-workforce table (卫生人力基本信息调查表): its check and its export,
    # the administrators' (insights.national_table), each over the people of their scope.
    "insights:national_table": only(*HR),
    "insights:national_table_export": only(*HR),
    "api-insights-national-check": only(*HR, anonymous=401),
    "api-insights-national-export": only(*HR, anonymous=401),
    "insights:planning": _READERS,
    "insights:retirement": _READERS,
    "insights:planning_people": _READERS,
    "insights:parameters": _READERS,
    "insights:parameter_create": _COMMISSION,
    "insights:parameter_edit": _COMMISSION,
    "insights:parameter_delete": _COMMISSION_REMOVES,
    "insights:populations": _READERS,
    "insights:population_create": _COMMISSION,
    "insights:population_edit": _COMMISSION,
    "insights:population_delete": _COMMISSION_REMOVES,
    "api-insights-parameters": _API_READERS,
    "api-insights-parameter": _API_READERS,
    "api-insights-populations": _API_READERS,
    "api-insights-population": _API_READERS,
    "api-insights-retirement": _API_READERS,
    "api-insights-density": _API_READERS,
    # Gaps against the stored norms and the ranked priorities: whoever reads the planning
    # figures, each over what they see (tests/insights/test_norm_gaps.py, test_priorities.py).
    "insights:norm_gaps": _READERS,
    "insights:priorities": _READERS,
    "api-insights-norm-gaps": _API_READERS,
    "api-insights-priorities": _API_READERS,
}
KWARGS = {
    "api-insights-study": lambda r: {"pk": r.wisn_study.pk},
    "api-insights-study-result": lambda r: {"pk": r.wisn_study.pk},
    "api-insights-parameter": lambda r: {"pk": r.parameter.pk},
    "api-insights-population": lambda r: {"pk": r.population.pk},
    **{f"api-insights-{name}": _of_report_job for name in _API_REPORT_JOB},
}
