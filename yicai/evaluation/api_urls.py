"""The evaluation app's API routes (collected by `yicai.api.urls`)."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
