"""The skill competitions' routes (spliced into retention's urls)."""

from django.urls import path

from yicai.retention.views import competitions

urlpatterns = [
    path("competitions/", competitions.competition_list, name="competitions"),
    path("competitions/new/", competitions.competition_create, name="competition_create"),
    path("competitions/<int:pk>/", competitions.competition_detail, name="competition"),
    *(
        path(f"competitions/<int:pk>/{step}/", view, name=f"competition_{step}")
        for step, view in (
            ("rounds", competitions.round_add),
            ("entrants", competitions.entrant_add),
            ("scores", competitions.score_record),
            ("finish", competitions.competition_finish),
        )
    ),
]
