from yicai.recruitment import views
from yicai.web.urls import RecordNames, record_paths

app_name = "recruitment"
urlpatterns = [
    *record_paths(
        "agreements/", RecordNames.of("agreement"), views.agreement_list, views.agreement_edit
    ),
]
