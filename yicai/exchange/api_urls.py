"""The REST API: /api/v1/... (institutions, departments, people and their records), the
OpenAPI 3 schema at /api/schema/ and Swagger UI at /api/docs/ (served from
drf-spectacular-sidecar, no CDN). Schema and docs need a signed-in user or a token."""

from django.contrib.auth.decorators import login_required
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.permissions import IsAuthenticated

from yicai.org.api import DepartmentViewSet, InstitutionViewSet
from yicai.people.api import RECORD_VIEWSETS, PersonViewSet

# Ids are matched loosely ([^/]+) so that a malformed one is the API's JSON 404, not a page.
ID = "<str:pk>"
COLLECTION = {"get": "list", "post": "create"}
MEMBER = {"get": "retrieve", "put": "update", "patch": "partial_update"}
RECORDS = {"get": "list", "post": "create"}
RECORD = {"get": "retrieve", "delete": "destroy"}

urlpatterns = [
    path("v1/institutions/", InstitutionViewSet.as_view(COLLECTION), name="api-institutions"),
    path(f"v1/institutions/{ID}/", InstitutionViewSet.as_view(MEMBER), name="api-institution"),
    path("v1/departments/", DepartmentViewSet.as_view(COLLECTION), name="api-departments"),
    path(f"v1/departments/{ID}/", DepartmentViewSet.as_view(MEMBER), name="api-department"),
    path("v1/people/", PersonViewSet.as_view(COLLECTION), name="api-people"),
    path(f"v1/people/{ID}/", PersonViewSet.as_view(MEMBER), name="api-person"),
]
for prefix, viewset in RECORD_VIEWSETS.items():
    urlpatterns += [
        path(f"v1/people/<str:person_id>/{prefix}/", viewset.as_view(RECORDS)),
        path(f"v1/people/<str:person_id>/{prefix}/{ID}/", viewset.as_view(RECORD)),
    ]

urlpatterns += [
    path(
        "schema/",
        SpectacularAPIView.as_view(
            authentication_classes=[TokenAuthentication, SessionAuthentication],
            permission_classes=[IsAuthenticated],
        ),
        name="api-schema",
    ),
    path(
        "docs/",
        login_required(SpectacularSwaggerView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
]
