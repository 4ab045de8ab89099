"""The evaluation app's API routes (collected by `yicai.api.urls`)."""

from django.urls import URLPattern, URLResolver

from yicai.api.routes import ID, READ, RECORD, Actions, Routes, action
from yicai.evaluation.api.disciplines import DisciplineViewSet, FigureViewSet
from yicai.evaluation.api.schemes import AppealViewSet, SchemeViewSet, SubjectViewSet

_evaluation = Routes("v1/evaluation", "api-evaluation")
_LIST: Actions = {"get": "list"}

urlpatterns: list[URLPattern | URLResolver] = [
    _evaluation("schemes/", SchemeViewSet.as_view(_LIST), "schemes"),
    _evaluation(f"schemes/{ID}/", SchemeViewSet.as_view(READ), "scheme"),
    _evaluation(f"schemes/{ID}/sheets/", action(SchemeViewSet, "sheets", "get"), "scheme-sheets"),
    _evaluation(f"schemes/{ID}/publish/", action(SchemeViewSet, "publish"), "scheme-publish"),
    _evaluation(f"subjects/{ID}/", SubjectViewSet.as_view(READ), "subject"),
    _evaluation(f"subjects/{ID}/appeals/", action(SubjectViewSet, "appeal"), "subject-appeal"),
    _evaluation("appeals/", AppealViewSet.as_view(_LIST), "appeals"),
    _evaluation(f"appeals/{ID}/", AppealViewSet.as_view(READ), "appeal"),
    _evaluation(f"appeals/{ID}/resolve/", action(AppealViewSet, "resolve"), "appeal-resolve"),
    *_evaluation.records("figures", FigureViewSet, "figure", RECORD),
    _evaluation(
        f"disciplines/{ID}/series/",
        action(DisciplineViewSet, "series", "get"),
        "discipline-series",
    ),
]
