"""留's pages."""

from django.urls import URLPattern

from yicai.retention import urls_competitions, urls_hospitality

app_name = "retention"
urlpatterns: list[URLPattern] = []
urlpatterns += urls_hospitality.urlpatterns
urlpatterns += urls_competitions.urlpatterns
