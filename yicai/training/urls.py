from django.urls import path

from yicai.training import views

app_name = "training"
urlpatterns = [
    path("cases/", views.case_list, name="cases"),
    path("cases/new/", views.case_create, name="case_create"),
    path("cases/<int:pk>/verify/", views.case_verify, name="case_verify"),
    path("cases/<int:pk>/link/", views.case_link, name="case_link"),
    path("techniques/", views.technique_list, name="techniques"),
    path("studios/", views.studio_list, name="studios"),
    path("visits/", views.visit_list, name="visits"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
]
