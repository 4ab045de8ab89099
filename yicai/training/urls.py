from django.urls import path

from yicai.training.views import activity, mentoring, studios

app_name = "training"
urlpatterns = [
    path("cases/", mentoring.case_list, name="cases"),
    path("cases/new/", mentoring.case_create, name="case_create"),
    path("cases/<int:pk>/verify/", mentoring.case_verify, name="case_verify"),
    path("cases/<int:pk>/link/", mentoring.case_link, name="case_link"),
    path("techniques/", mentoring.technique_list, name="techniques"),
    path("studios/", studios.studio_list, name="studios"),
    path("visits/", activity.visit_list, name="visits"),
    path("confirm/<str:token>/", mentoring.confirm, name="confirm"),
]
