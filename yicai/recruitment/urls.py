from django.urls import path

from yicai.recruitment import views
from yicai.web.urls import RecordNames, record_paths

app_name = "recruitment"
urlpatterns = [
    *record_paths(
        "agreements/", RecordNames.of("agreement"), views.agreement_list, views.agreement_edit
    ),
    path("plans/figures/", views.plan_figures, name="plan_figures"),
    path("talent/", views.talent_growth, name="talent_growth"),
    path("introductions/figures/", views.introduction_figures, name="introduction_figures"),
    *record_paths(
        "introductions/",
        RecordNames.of("introduction"),
        views.introduction_list,
        views.introduction_edit,
    ),
    *record_paths(
        "plans/", RecordNames.of("plan"), views.plan_list, views.plan_edit, views.plan_detail
    ),
    path("plans/<int:pk>/posts/", views.post_add, name="post_add"),
    path("plans/<int:pk>/submit/", views.plan_submit, name="plan_submit"),
    path("plans/<int:pk>/approve/", views.plan_approve, name="plan_approve"),
    path("plans/<int:pk>/return/", views.plan_return, name="plan_return"),
    path("plans/<int:pk>/publish/", views.plan_publish, name="plan_publish"),
    path("plans/<int:pk>/close/", views.plan_close, name="plan_close"),
    path("plans/<int:pk>/delete/", views.plan_delete, name="plan_delete"),
    path("posts/<int:pk>/edit/", views.post_edit, name="post_edit"),
    path("posts/<int:pk>/delete/", views.post_delete, name="post_delete"),
]
