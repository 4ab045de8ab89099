"""The evaluation app's API routes (collected by `yicai.api.urls`)."""

from django.urls import URLPattern, URLResolver

from yicai.api.routes import ID, RECORD, Routes, action
from yicai.evaluation.api.disciplines import DisciplineViewSet, FigureViewSet

_evaluation = Routes("v1/evaluation", "api-evaluation")

urlpatterns: list[URLPattern | URLResolver] = [
    *_evaluation.records("figures", FigureViewSet, "figure", RECORD),
    _evaluation(
        f"disciplines/{ID}/series/",
        action(DisciplineViewSet, "series", "get"),
        "discipline-series",
    ),
]
