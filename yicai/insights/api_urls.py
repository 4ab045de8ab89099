"""The insights app's API routes (collected by `yicai.api.urls`)."""

from yicai.api.routes import ID, RECORD, Routes, action
from yicai.insights.api import ReportViewSet, StudyViewSet
from yicai.insights.national.api import NationalTableViewSet

_insights = Routes("v1/insights", "api-insights")

urlpatterns = [
    *_insights.records("wisn", StudyViewSet, "study", RECORD),
    _insights(f"wisn/{ID}/result/", action(StudyViewSet, "result", "get"), "study-result"),
    _insights("report/", action(ReportViewSet, "report", "get"), "report"),
    # The national health-workforce table: its check and its export.
    _insights(
        "national-table/check/", action(NationalTableViewSet, "check", "get"), "national-check"
    ),
    _insights(
        "national-table/export/", action(NationalTableViewSet, "export", "get"), "national-export"
    ),
]
