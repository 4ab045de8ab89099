"""The people app's API routes (collected by `yicai.api.urls`): people, and each kind of a
person's records under /api/v1/people/{person_id}/."""

from django.urls import path

from yicai.api.routes import COLLECTION, ID, MEMBER, RECORD
from yicai.people.api import RECORD_VIEWSETS, PersonViewSet

urlpatterns = [
    path("v1/people/", PersonViewSet.as_view(COLLECTION), name="api-people"),
    # A search by a full identity number posts its filters: never in a URL.
    path("v1/people/search/", PersonViewSet.as_view({"post": "search"}), name="api-people-search"),
    path(f"v1/people/{ID}/", PersonViewSet.as_view(MEMBER), name="api-person"),
    # The profile as the PDF the person page downloads.
    path(
        f"v1/people/{ID}/profile-pdf/",
        PersonViewSet.as_view({"get": "profile_pdf"}),
        name="api-people-profile-pdf",
    ),
]
for prefix, viewset in RECORD_VIEWSETS.items():
    urlpatterns += [
        path(f"v1/people/<str:person_id>/{prefix}/", viewset.as_view(COLLECTION)),
        path(f"v1/people/<str:person_id>/{prefix}/{ID}/", viewset.as_view(RECORD)),
    ]
