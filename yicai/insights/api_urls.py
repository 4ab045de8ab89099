"""The insights app's API routes (collected by `yicai.api.urls`)."""

from yicai.api.routes import ID, RECORD, Routes, action
from yicai.insights.api import StudyViewSet

_insights = Routes("v1/insights", "api-insights")

urlpatterns = [
    *_insights.records("wisn", StudyViewSet, "study", RECORD),
    _insights(f"wisn/{ID}/result/", action(StudyViewSet, "result", "get"), "study-result"),
]

# The national health-workforce table: its check and its export (kept apart at the end, with
# its import, so that the other routes stay as they were).
from yicai.insights.national.api import NationalTableViewSet  # noqa: E402

urlpatterns += [
    _insights(
        "national-table/check/", action(NationalTableViewSet, "check", "get"), "national-check"
    ),
    _insights(
        "national-table/export/", action(NationalTableViewSet, "export", "get"), "national-export"
    ),
]
