"""The recruitment app's API routes (collected by `yicai.api.urls`)."""

from yicai.api.routes import EDIT, Routes
from yicai.recruitment.api import AgreementViewSet

urlpatterns = Routes("v1/recruitment", "api-recruitment").records(
    "agreements", AgreementViewSet, "agreement", EDIT
)
