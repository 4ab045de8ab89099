"""FHIR R4 endpoints under /fhir/ (see yicai.fhir.views)."""

from django.urls import path, re_path

from yicai.fhir import views

app_name = "fhir"

urlpatterns = [
    path("metadata", views.Capability.as_view(), name="metadata"),
    path("Practitioner", views.PractitionerSearch.as_view(), name="practitioner-search"),
    path(
        "Practitioner/_search",
        views.PractitionerPostSearch.as_view(),
        name="practitioner-post-search",
    ),
    path("Practitioner/<str:pk>", views.PractitionerRead.as_view(), name="practitioner"),
    path(
        "PractitionerRole",
        views.PractitionerRoleSearch.as_view(),
        name="practitionerrole-search",
    ),
    path(
        "PractitionerRole/_search",
        views.PractitionerRolePostSearch.as_view(),
        name="practitionerrole-post-search",
    ),
    path(
        "PractitionerRole/<str:pk>",
        views.PractitionerRoleRead.as_view(),
        name="practitionerrole",
    ),
    path("Organization", views.OrganizationSearch.as_view(), name="organization-search"),
    path(
        "Organization/_search",
        views.OrganizationPostSearch.as_view(),
        name="organization-post-search",
    ),
    path("Organization/<str:pk>", views.OrganizationRead.as_view(), name="organization"),
    re_path(r"^.*$", views.UnknownResource.as_view(), name="unknown"),
]
