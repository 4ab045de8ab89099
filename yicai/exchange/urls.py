from django.urls import path

from yicai.exchange import views

app_name = "exchange"
urlpatterns = [
    path("imports/", views.import_home, name="imports"),
    path("imports/<uuid:token>/", views.import_job, name="job"),
    path("imports/<uuid:token>/commit/", views.import_commit, name="commit"),
    path("imports/<uuid:token>/cancel/", views.import_cancel, name="cancel"),
    path("imports/<uuid:token>/problems.xlsx", views.import_report, name="report"),
    path("templates/<slug:entity>.xlsx", views.import_template, name="template"),
]
