from django.urls import path

from yicai.recruitment import views

app_name = "recruitment"
urlpatterns = [
    path("agreements/", views.agreement_list, name="agreements"),
    path("agreements/new/", views.agreement_edit, name="agreement_create"),
    path("agreements/<int:pk>/edit/", views.agreement_edit, name="agreement_edit"),
]
