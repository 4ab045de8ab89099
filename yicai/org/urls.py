from yicai.org import views
from yicai.web.urls import APP_RECORDS, RecordNames, record_paths

app_name = "org"
urlpatterns = [
    *record_paths(
        "", APP_RECORDS, views.institution_list, views.institution_edit, views.institution_detail
    ),
    *record_paths(
        "<int:institution_pk>/departments/",
        RecordNames.of("department"),
        form=views.department_edit,
    ),
    *record_paths(
        "<int:institution_pk>/disciplines/",
        RecordNames.of("designation"),
        form=views.designation_edit,
    ),
]
