"""留 pages (see the views)."""

from django.urls import URLPattern

from yicai.retention import urls_risks

app_name = "retention"
urlpatterns: list[URLPattern] = []
urlpatterns += urls_risks.urlpatterns
