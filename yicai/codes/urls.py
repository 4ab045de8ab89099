from django.urls import path

from yicai.codes import views

app_name = "codes"
urlpatterns = [
    path("", views.table_list, name="list"),
    path("<slug:key>/", views.table_detail, name="detail"),
    path("<slug:key>/<int:pk>/toggle/", views.code_toggle, name="toggle"),
    path("<slug:key>/synonyms/<int:pk>/delete/", views.synonym_delete, name="synonym_delete"),
]
