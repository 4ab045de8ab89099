from django.urls import path

from yicai.org import views

app_name = "org"
urlpatterns = [
    path("", views.institution_list, name="list"),
    path("new/", views.institution_edit, name="create"),
    path("<int:pk>/", views.institution_detail, name="detail"),
    path("<int:pk>/edit/", views.institution_edit, name="edit"),
    path("<int:institution_pk>/departments/new/", views.department_edit, name="department_create"),
    path(
        "<int:institution_pk>/departments/<int:pk>/edit/",
        views.department_edit,
        name="department_edit",
    ),
    path(
        "<int:institution_pk>/disciplines/new/", views.designation_edit, name="designation_create"
    ),
    path(
        "<int:institution_pk>/disciplines/<int:pk>/edit/",
        views.designation_edit,
        name="designation_edit",
    ),
]
