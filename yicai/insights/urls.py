from django.urls import path

from yicai.insights import priority_views, report_views, views
from yicai.insights.dashboard import views as dashboard_views
from yicai.insights.national import views as national_views
from yicai.web.urls import RecordNames, record_paths

app_name = "insights"
urlpatterns = [
    path("", views.home, name="home"),
    path("chain/<slug:key>/", views.chain, name="chain"),
    path("reports/annual/", views.report, name="report"),
    path("dashboard/", dashboard_views.board, name="dashboard"),
    # Its PDF and workbook, made in the background with a progress bar.
    path("reports/annual/jobs/", report_views.report_job_create, name="report_job_create"),
    path("reports/annual/jobs/<int:pk>/", report_views.report_job, name="report_job"),
    path(
        "reports/annual/jobs/<int:pk>/file/", report_views.report_job_file, name="report_job_file"
    ),
    path(
        "reports/annual/jobs/<int:pk>/retry/",
        report_views.report_job_retry,
        name="report_job_retry",
    ),
    # WISN studies of a department's staffing need.
    *record_paths(
        "wisn/",
        RecordNames("studies", "study_create", "study", "study_edit"),
        views.study_list,
        views.study_edit,
        views.study_detail,
    ),
    path("wisn/<int:pk>/delete/", views.study_delete, name="study_delete"),
    path("wisn/<int:pk>/activities/", views.activity_add, name="activity_add"),
    path("wisn/<int:pk>/allowances/", views.allowance_add, name="allowance_add"),
    path("wisn/activities/<int:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("wisn/activities/<int:pk>/delete/", views.activity_delete, name="activity_delete"),
    path("wisn/allowances/<int:pk>/edit/", views.allowance_edit, name="allowance_edit"),
    path("wisn/allowances/<int:pk>/delete/", views.allowance_delete, name="allowance_delete"),
    # The national health-workforce table (卫生人力基本信息调查表): its check and its export.
    path("national-table/", national_views.check, name="national_table"),
    path("national-table/export/", national_views.table_export, name="national_table_export"),
    # Workforce planning: the figures per 1,000 population against the targets, the
    # retirement projection and the people behind a figure; the dated parameters and the
    # regions' population the commission sets.
    path("planning/", views.planning, name="planning"),
    path("planning/retirement/", views.retirement_projection, name="retirement"),
    path("planning/people/", views.planning_people, name="planning_people"),
    # Gaps against the stored norms and the ranked priorities (priority_views.py).
    path("planning/norms/", priority_views.norm_gaps, name="norm_gaps"),
    path("planning/priorities/", priority_views.priority_list, name="priorities"),
    *record_paths(
        "planning/parameters/",
        RecordNames.of("parameter"),
        views.parameter_list,
        views.parameter_edit,
    ),
    path("planning/parameters/<int:pk>/delete/", views.parameter_delete, name="parameter_delete"),
    *record_paths(
        "planning/population/",
        RecordNames.of("population"),
        views.population_list,
        views.population_edit,
    ),
    path(
        "planning/population/<int:pk>/delete/",
        views.population_delete,
        name="population_delete",
    ),
]
