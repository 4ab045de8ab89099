"""留 pages (see the views)."""

from django.urls import URLPattern, URLResolver

from yicai.retention import urls_promotions

app_name = "retention"
urlpatterns: list[URLPattern | URLResolver] = []
urlpatterns += urls_promotions.urlpatterns
