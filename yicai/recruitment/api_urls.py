"""The recruitment app's API routes (collected by `yicai.api.urls`)."""

from django.urls import path

from yicai.api.routes import COLLECTION, ID
from yicai.recruitment.api import AgreementViewSet

RECRUITMENT = "v1/recruitment"
urlpatterns = [
    path(
        f"{RECRUITMENT}/agreements/",
        AgreementViewSet.as_view(COLLECTION),
        name="api-recruitment-agreements",
    ),
    path(
        f"{RECRUITMENT}/agreements/{ID}/",
        AgreementViewSet.as_view({"get": "retrieve", "patch": "partial_update"}),
        name="api-recruitment-agreement",
    ),
]
