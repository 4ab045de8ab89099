"""The REST API: /api/v1/... (each installed app's routes, from its `api_urls.py`), the
OpenAPI 3 schema at /api/schema/ and Swagger UI at /api/docs/ (served from
drf-spectacular-sidecar, no CDN). Schema and docs need a signed-in user or a token. The docs
page loads its setup script from /api/docs/?script= (the split view) rather than inline, so it
runs under the site's Content-Security-Policy.

An app with an API owns `<app>/api_urls.py` with `urlpatterns` (paths such as
"v1/institutions/", helpers in `yicai.api.routes`); it is collected here in the order of
INSTALLED_APPS, so a new app adds nothing to this file."""

import importlib
import importlib.util

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.urls import URLPattern, URLResolver, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.authentication import SessionAuthentication, TokenAuthentication

from yicai.access.permissions import READY


def app_routes() -> list[URLPattern | URLResolver]:
    """The `urlpatterns` of every installed app's `api_urls` module, in INSTALLED_APPS order."""
    routes: list[URLPattern | URLResolver] = []
    for config in apps.get_app_configs():
        name = f"{config.name}.api_urls"
        if importlib.util.find_spec(name) is not None:
            routes += importlib.import_module(name).urlpatterns
    return routes


urlpatterns = [
    *app_routes(),
    path(
        "schema/",
        SpectacularAPIView.as_view(
            authentication_classes=[TokenAuthentication, SessionAuthentication],
            permission_classes=READY,
        ),
        name="api-schema",
    ),
    path(
        "docs/",
        login_required(
            SpectacularSwaggerSplitView.as_view(
                url_name="api-schema", template_name="api_docs.html", permission_classes=READY
            )
        ),
        name="api-docs",
    ),
]
