from django.urls import path

from yicai.people import views
from yicai.web.urls import APP_RECORDS, record_paths

app_name = "people"
urlpatterns = [
    *record_paths(
        "",
        APP_RECORDS,
        views.person_list,
        detail=views.person_detail,
        create=views.person_create,
        edit=views.person_edit,
    ),
    path("corrections/", views.corrections, name="corrections"),
    path("corrections/mine/", views.corrections_mine, name="corrections_mine"),
    path("corrections/new/", views.correction_create, name="correction_create"),
    path("corrections/<int:pk>/", views.correction_detail, name="correction"),
    path("<int:pk>/profile.pdf", views.person_profile_pdf, name="profile_pdf"),
    path("<int:pk>/reveal/", views.person_reveal, name="reveal"),
    path("<int:pk>/reveal-phone/", views.person_reveal_phone, name="reveal_phone"),
    path("<int:pk>/records/<slug:kind>/new/", views.record_add, name="record_add"),
    path(
        "<int:pk>/records/<slug:kind>/<int:record_pk>/edit/",
        views.record_edit,
        name="record_edit",
    ),
    path(
        "<int:pk>/records/<slug:kind>/<int:record_pk>/delete/",
        views.record_delete,
        name="record_delete",
    ),
]
