"""The attrition-risk page's route (added to retention's urls)."""

from django.urls import path

from yicai.retention.views import risks

urlpatterns = [
    path("risks/", risks.risk_list_page, name="risks"),
]
