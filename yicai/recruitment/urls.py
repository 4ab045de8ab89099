from django.urls import path

from yicai.recruitment import views
from yicai.recruitment.views import applications, directed, entitlements, network
from yicai.web.urls import RecordNames, record_paths

app_name = "recruitment"
urlpatterns = [
    path("", views.overview, name="overview"),
    *record_paths(
        "agreements/", RecordNames.of("agreement"), views.agreement_list, views.agreement_edit
    ),
    path("agreements/<int:pk>/document/", views.agreement_document, name="agreement_document"),
    path(
        "introductions/<int:pk>/document/",
        views.introduction_document,
        name="introduction_document",
    ),
    path("plans/figures/", views.plan_figures, name="plan_figures"),
    path("talent/", views.talent_growth, name="talent_growth"),
    path("introductions/figures/", views.introduction_figures, name="introduction_figures"),
    *record_paths(
        "introductions/",
        RecordNames.of("introduction"),
        views.introduction_list,
        views.introduction_edit,
        entitlements.introduction_detail,
    ),
    path(
        "introductions/<int:pk>/entitlements/",
        entitlements.entitlement_add,
        name="entitlement_add",
    ),
    path(
        "introductions/<int:pk>/leave/", entitlements.introduction_leave, name="introduction_leave"
    ),
    path("tranches/<int:pk>/pay/", entitlements.tranche_pay, name="tranche_pay"),
    path("payments-due/", entitlements.payments_due, name="payments_due"),
    *record_paths(
        "directed/",
        RecordNames.of("contract"),
        directed.contract_list,
        directed.contract_edit,
        directed.contract_detail,
    ),
    *(
        path(f"directed/<int:pk>/{step}/", view, name=f"contract_{step}")
        for step, view in (
            ("graduate", directed.contract_graduate),
            ("assign", directed.contract_assign),
            ("start", directed.contract_start),
            ("leave", directed.contract_leave),
            ("fulfil", directed.contract_fulfil),
        )
    ),
    path("breaches/<int:pk>/decide/", directed.breach_decide, name="breach_decide"),
    # The expert network.
    *record_paths(
        "events/",
        RecordNames.of("event"),
        network.event_list,
        network.event_edit,
        network.event_detail,
    ),
    path("events/<int:pk>/invitees/", network.invitee_add, name="invitee_add"),
    path("invitees/<int:pk>/remove/", network.invitee_remove, name="invitee_remove"),
    path("network/", network.network, name="network"),
    path("network/<int:pk>/", network.expert_detail, name="expert"),
    path("network/<int:pk>/referrals/", network.referral_add, name="referral_add"),
    path("referrals/<int:pk>/delete/", network.referral_delete, name="referral_delete"),
    path("clawbacks/<int:pk>/decide/", entitlements.clawback_decide, name="clawback_decide"),
    *record_paths(
        "plans/", RecordNames.of("plan"), views.plan_list, views.plan_edit, views.plan_detail
    ),
    path("plans/<int:pk>/posts/", views.post_add, name="post_add"),
    path("plans/<int:pk>/submit/", views.plan_submit, name="plan_submit"),
    path("plans/<int:pk>/approve/", views.plan_approve, name="plan_approve"),
    path("plans/<int:pk>/return/", views.plan_return, name="plan_return"),
    path("plans/<int:pk>/publish/", views.plan_publish, name="plan_publish"),
    path("plans/<int:pk>/close/", views.plan_close, name="plan_close"),
    path("plans/<int:pk>/delete/", views.plan_delete, name="plan_delete"),
    path("posts/<int:pk>/edit/", views.post_edit, name="post_edit"),
    path("posts/<int:pk>/delete/", views.post_delete, name="post_delete"),
    # Applicants through to a hire.
    path("posts/<int:pk>/", applications.post_detail, name="post"),
    path("posts/<int:pk>/shortlist/", applications.post_shortlist, name="post_shortlist"),
    path(
        "posts/<int:post>/applications/new/",
        applications.application_edit,
        name="application_create",
    ),
    path("applications/", applications.application_list, name="applications"),
    path("applications/<int:pk>/", applications.application_detail, name="application"),
    path("applications/<int:pk>/edit/", applications.application_edit, name="application_edit"),
    *(
        path(f"applications/<int:pk>/{step}/", view, name=f"application_{step}")
        for step, view in (
            ("decide", applications.application_decide),
            ("score", applications.application_score),
            ("shortlist", applications.application_shortlist),
            ("check", applications.application_check),
            ("out", applications.application_out),
            ("object", applications.objection_add),
            ("hire", applications.application_hire),
            ("delete", applications.application_delete),
        )
    ),
    path("objections/<int:pk>/resolve/", applications.objection_resolve, name="objection_resolve"),
    path("plans/<int:pk>/notice/new/", applications.notice_publish, name="notice_create"),
    path("notices/<int:pk>/", applications.notice_detail, name="notice"),
    path(
        "notices/<int:pk>/export/xlsx/",
        applications.notice_export,
        {"fmt": "xlsx"},
        name="notice_xlsx",
    ),
    path(
        "notices/<int:pk>/export/pdf/",
        applications.notice_export,
        {"fmt": "pdf"},
        name="notice_pdf",
    ),
]
