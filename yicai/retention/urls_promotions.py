"""The title-promotion pages' routes (spliced into retention's urls.py)."""

from django.urls import path

from yicai.retention.views import promotions
from yicai.web.urls import RecordNames, record_paths

urlpatterns = [
    *record_paths(
        "rounds/",
        RecordNames.of("round"),
        promotions.round_list,
        promotions.round_edit,
        promotions.round_detail,
    ),
    path("rounds/<int:pk>/requirements/", promotions.requirement_set, name="round_requirement"),
    path(
        "rounds/<int:pk>/applications/new/",
        promotions.application_create,
        name="promotion_application_create",
    ),
    path("rounds/<int:pk>/results/", promotions.round_results, name="round_results"),
    path(
        "promotion-applications/<int:pk>/result/",
        promotions.application_result,
        name="promotion_application_result",
    ),
]
