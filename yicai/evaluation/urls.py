from django.urls import URLPattern, URLResolver, path

from yicai.evaluation.views import disciplines, schemes
from yicai.web.urls import RecordNames, record_paths

app_name = "evaluation"
urlpatterns: list[URLPattern | URLResolver] = [
    *record_paths(
        "schemes/",
        RecordNames.of("scheme"),
        schemes.scheme_list,
        schemes.scheme_edit,
        schemes.scheme_detail,
    ),
    path("schemes/<int:pk>/sheets/", schemes.scheme_sheets, name="scheme_sheets"),
    path("schemes/<int:pk>/publish/", schemes.scheme_publish, name="scheme_publish"),
    path("schemes/<int:pk>/copy/", schemes.scheme_copy, name="scheme_copy"),
    path("schemes/<int:pk>/indicators/", schemes.indicator_add, name="indicator_add"),
    path("schemes/<int:pk>/subjects/", schemes.subject_add, name="subject_add"),
    path("schemes/<int:pk>/links/", schemes.link_add, name="link_add"),
    path("indicators/<int:pk>/edit/", schemes.indicator_edit, name="indicator_edit"),
    path("indicators/<int:pk>/delete/", schemes.indicator_delete, name="indicator_delete"),
    path("links/<int:pk>/delete/", schemes.link_delete, name="link_delete"),
    path("subjects/<int:pk>/", schemes.subject_detail, name="subject"),
    path("subjects/<int:pk>/delete/", schemes.subject_delete, name="subject_delete"),
    path("subjects/<int:pk>/appeal/", schemes.appeal_file, name="appeal_file"),
    path("subjects/<int:pk>/indicators/<int:indicator>/", schemes.cell_detail, name="cell"),
    path(
        "subjects/<int:pk>/indicators/<int:indicator>/score/",
        schemes.manual_score,
        name="manual_score",
    ),
    path(
        "subjects/<int:pk>/indicators/<int:indicator>/evidence/",
        schemes.evidence,
        name="evidence",
    ),
    path("reviews/", schemes.reviews, name="reviews"),
    path("appeals/", schemes.appeal_list, name="appeals"),
    path("appeals/<int:pk>/resolve/", schemes.appeal_resolve, name="appeal_resolve"),
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
