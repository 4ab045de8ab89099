from django.urls import path

from yicai.insights import views

app_name = "insights"
urlpatterns = [
    path("", views.home, name="home"),
    path("chain/<slug:key>/", views.chain, name="chain"),
]
