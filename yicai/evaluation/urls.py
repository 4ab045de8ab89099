from django.urls import URLPattern, URLResolver, path

from yicai.evaluation.views import disciplines
from yicai.web.urls import RecordNames, record_paths

app_name = "evaluation"
urlpatterns: list[URLPattern | URLResolver] = [
    *record_paths(
        "figures/",
        RecordNames.of("figure"),
        disciplines.figure_list,
        disciplines.figure_edit,
        disciplines.figure,
    ),
    path("figures/<int:pk>/delete/", disciplines.figure_delete, name="figure_delete"),
    path("disciplines/<int:pk>/", disciplines.discipline, name="discipline"),
]
