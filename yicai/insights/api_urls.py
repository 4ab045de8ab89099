"""The insights app's API routes (collected by `yicai.api.urls`)."""

from yicai.api.routes import ID, RECORD, Routes, action
from yicai.insights.api import ReportViewSet, StudyViewSet

_insights = Routes("v1/insights", "api-insights")

urlpatterns = [
    *_insights.records("wisn", StudyViewSet, "study", RECORD),
    _insights(f"wisn/{ID}/result/", action(StudyViewSet, "result", "get"), "study-result"),
    _insights("report/", action(ReportViewSet, "report", "get"), "report"),
]
