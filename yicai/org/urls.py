from django.urls import path

from yicai.org import views

app_name = "org"
urlpatterns = [
    path("", views.institution_list, name="list"),
    path("<int:pk>/", views.institution_detail, name="detail"),
]
