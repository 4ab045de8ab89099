"""留 pages (see the views)."""

from django.urls import URLPattern

app_name = "retention"
urlpatterns: list[URLPattern] = []
