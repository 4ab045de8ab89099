from django.urls import include, path

from yicai import picker
from yicai.access import views as access_views

urlpatterns = [
    path("", include("yicai.insights.urls")),
    path("accounts/", include("yicai.access.urls")),
    path("org/", include("yicai.org.urls")),
    path("people/", include("yicai.people.urls")),
    path("training/", include("yicai.training.urls")),
    path("recruitment/", include("yicai.recruitment.urls")),
    path("retention/", include("yicai.retention.urls")),
    path("evaluation/", include("yicai.evaluation.urls")),
    path("codes/", include("yicai.codes.urls")),
    path("notifications/", include("yicai.notifications.urls")),
    path("exchange/", include("yicai.exchange.urls")),
    path("api/", include("yicai.api.urls")),
    path("fhir/", include("yicai.fhir.urls")),
    path("pick/<str:source>/", picker.pick, name="pick"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("privacy/", access_views.privacy, name="privacy"),
]

handler400 = "yicai.params.bad_request_view"
handler500 = "yicai.contention.server_error"
