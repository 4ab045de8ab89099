"""The org app's API routes (collected by `yicai.api.urls`)."""

from django.urls import path

from yicai.api.routes import COLLECTION, ID, MEMBER
from yicai.org.api import DepartmentViewSet, InstitutionViewSet

urlpatterns = [
    path("v1/institutions/", InstitutionViewSet.as_view(COLLECTION), name="api-institutions"),
    path(f"v1/institutions/{ID}/", InstitutionViewSet.as_view(MEMBER), name="api-institution"),
    path("v1/departments/", DepartmentViewSet.as_view(COLLECTION), name="api-departments"),
    path(f"v1/departments/{ID}/", DepartmentViewSet.as_view(MEMBER), name="api-department"),
]
