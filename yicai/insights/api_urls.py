"""The insights app's API routes (collected by `yicai.api.urls`)."""

from yicai.api.routes import ID, READ, RECORD, Routes, action
from yicai.insights.api import (
    DensityViewSet,
    PlanningParameterViewSet,
    RegionPopulationViewSet,
    ReportViewSet,
    RetirementViewSet,
    StudyViewSet,
)
from yicai.insights.dashboard.api import DashboardViewSet
from yicai.insights.national.api import NationalTableViewSet
from yicai.insights.priority_api import NormGapsViewSet, PrioritiesViewSet
from yicai.insights.report_api import ReportJobViewSet

_insights = Routes("v1/insights", "api-insights")

urlpatterns = [
    *_insights.records("wisn", StudyViewSet, "study", RECORD),
    _insights(f"wisn/{ID}/result/", action(StudyViewSet, "result", "get"), "study-result"),
    _insights("report/", action(ReportViewSet, "report", "get"), "report"),
    _insights("dashboard/", action(DashboardViewSet, "retrieve", "get"), "dashboard"),
    # Its PDF or workbook, made in the background: asked for, followed, downloaded.
    *_insights.records("report/jobs", ReportJobViewSet, "report-job", READ),
    _insights(
        f"report/jobs/{ID}/file/", action(ReportJobViewSet, "file", "get"), "report-job-file"
    ),
    _insights(f"report/jobs/{ID}/retry/", action(ReportJobViewSet, "retry"), "report-job-retry"),
    # The national health-workforce table: its check and its export.
    _insights(
        "national-table/check/", action(NationalTableViewSet, "check", "get"), "national-check"
    ),
    _insights(
        "national-table/export/", action(NationalTableViewSet, "export", "get"), "national-export"
    ),
    # Workforce planning, read only.
    _insights("parameters/", action(PlanningParameterViewSet, "list", "get"), "parameters"),
    _insights(f"parameters/{ID}/", PlanningParameterViewSet.as_view(READ), "parameter"),
    _insights("population/", action(RegionPopulationViewSet, "list", "get"), "populations"),
    _insights(f"population/{ID}/", RegionPopulationViewSet.as_view(READ), "population"),
    _insights("retirement/", action(RetirementViewSet, "retrieve", "get"), "retirement"),
    _insights("density/", action(DensityViewSet, "retrieve", "get"), "density"),
    # Gaps against the stored norms and the ranked priorities (priority_api.py).
    _insights("norm-gaps/", action(NormGapsViewSet, "retrieve", "get"), "norm-gaps"),
    _insights("priorities/", action(PrioritiesViewSet, "retrieve", "get"), "priorities"),
]
