"""FHIR R4 endpoints under /fhir/ (see yicai.fhir.views)."""

from django.urls import URLPattern, path, re_path

from yicai.fhir import views

app_name = "fhir"


def _resource_type(
    name: str,
    search: type[views.Search],
    post_search: type[views.PostedSearch],
    read: type[views.Read],
) -> list[URLPattern]:
    """A type's search (GET, and POST _search for identity numbers) and read."""
    lower = name.lower()
    return [
        path(name, search.as_view(), name=f"{lower}-search"),
        path(f"{name}/_search", post_search.as_view(), name=f"{lower}-post-search"),
        path(f"{name}/<str:pk>", read.as_view(), name=lower),
    ]


urlpatterns = [
    path("metadata", views.Capability.as_view(), name="metadata"),
    *_resource_type(
        "Practitioner",
        views.PractitionerSearch,
        views.PractitionerPostSearch,
        views.PractitionerRead,
    ),
    *_resource_type(
        "PractitionerRole",
        views.PractitionerRoleSearch,
        views.PractitionerRolePostSearch,
        views.PractitionerRoleRead,
    ),
    *_resource_type(
        "Organization",
        views.OrganizationSearch,
        views.OrganizationPostSearch,
        views.OrganizationRead,
    ),
    re_path(r"^.*$", views.UnknownResource.as_view(), name="unknown"),
]
