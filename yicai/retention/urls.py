"""留 pages: funds and their ledger, incentive policies, award runs and clawbacks, promotion
rounds, hospitality, skill competitions, the 八个一 service and attrition risk (see the views)."""

from django.urls import URLPattern, URLResolver, path

from yicai.retention.views import (
    awards,
    care,
    competitions,
    funds,
    hospitality,
    policies,
    promotions,
    risks,
)
from yicai.web.urls import RecordNames, record_paths

app_name = "retention"
urlpatterns: list[URLPattern | URLResolver] = [
    # Funds and their ledger.
    *record_paths(
        "funds/", RecordNames.of("fund"), funds.fund_list, funds.fund_edit, funds.fund_detail
    ),
    path("funds/<int:pk>/entries/", funds.entry_add, name="entry_add"),
    path("entries/", funds.entry_list, name="entries"),
    path("entries/<int:pk>/reverse/", funds.entry_reverse, name="entry_reverse"),
    # Incentive policies.
    *record_paths(
        "policies/",
        RecordNames("policies", "policy_create", "policy", "policy_edit"),
        policies.policy_list,
        policies.policy_edit,
        policies.policy_detail,
    ),
    path("policies/<int:pk>/document/", policies.policy_document, name="policy_document"),
    path("policies/<int:pk>/rules/", policies.rule_add, name="rule_add"),
    path("policies/<int:pk>/publish/", policies.policy_publish, name="policy_publish"),
    path("policies/<int:pk>/copy/", policies.policy_copy, name="policy_copy"),
    path("policies/<int:pk>/repeal/", policies.policy_repeal, name="policy_repeal"),
    path("rules/<int:pk>/remove/", policies.rule_remove, name="rule_remove"),
    path("rules/<int:pk>/amounts/", policies.amount_add, name="amount_add"),
    # Award runs and clawbacks.
    *record_paths("runs/", RecordNames.of("run"), awards.run_list, detail=awards.run_detail),
    path("runs/new/", awards.run_create, name="run_create"),
    path("runs/<int:pk>/approve/", awards.run_approve, name="run_approve"),
    path("lines/<int:pk>/exclude/", awards.line_exclude, name="line_exclude"),
    path("lines/<int:pk>/include/", awards.line_include, name="line_include"),
    path("clawbacks/", awards.clawback_list, name="clawbacks"),
    path("clawbacks/<int:pk>/decide/", awards.clawback_decide, name="clawback_decide"),
    # Title-promotion rounds.
    *record_paths(
        "promotion-rounds/",
        RecordNames.of("round"),
        promotions.round_list,
        promotions.round_edit,
        promotions.round_detail,
    ),
    path(
        "promotion-rounds/<int:pk>/requirements/",
        promotions.requirement_set,
        name="round_requirement",
    ),
    path(
        "promotion-rounds/<int:pk>/applications/new/",
        promotions.application_create,
        name="promotion_application_create",
    ),
    path("promotion-rounds/<int:pk>/results/", promotions.round_results, name="round_results"),
    path(
        "promotion-applications/<int:pk>/result/",
        promotions.application_result,
        name="promotion_application_result",
    ),
    # Expert hospitality.
    path("lodges/", hospitality.lodge_list, name="lodges"),
    path("lodges/new/", hospitality.lodge_create, name="lodge_create"),
    path("lodges/<int:pk>/", hospitality.lodge_detail, name="lodge"),
    path("bookings/", hospitality.booking_list, name="bookings"),
    path("bookings/new/", hospitality.booking_create, name="booking_create"),
    path("bookings/<int:pk>/cancel/", hospitality.booking_cancel, name="booking_cancel"),
    path("bookings/<int:pk>/charge/", hospitality.booking_charge, name="booking_charge"),
    path("receptions/", hospitality.reception_list, name="receptions"),
    path("receptions/new/", hospitality.reception_create, name="reception_create"),
    path("receptions/<int:pk>/charge/", hospitality.reception_charge, name="reception_charge"),
    # Skill competitions.
    path("competitions/", competitions.competition_list, name="competitions"),
    path("competitions/new/", competitions.competition_create, name="competition_create"),
    path("competitions/<int:pk>/", competitions.competition_detail, name="competition"),
    *(
        path(f"competitions/<int:pk>/{step}/", view, name=f"competition_{step}")
        for step, view in (
            ("rounds", competitions.round_add),
            ("entrants", competitions.entrant_add),
            ("scores", competitions.score_record),
            ("finish", competitions.competition_finish),
        )
    ),
    # The 八个一 service package.
    path("care/packages/", care.package_list, name="care_packages"),
    path("care/enrolments/", care.enrolment_list, name="care_enrolments"),
    path("care/enrolments/new/", care.enrolment_create, name="care_enrol"),
    path("care/enrolments/<int:pk>/", care.enrolment_detail, name="care_enrolment"),
    path("care/enrolments/<int:pk>/green/", care.green_request_create, name="care_green_request"),
    path("care/tasks/", care.task_list, name="care_tasks"),
    path("care/tasks/<int:pk>/complete/", care.task_complete, name="care_task_complete"),
    path("care/figures/", care.figures, name="care_figures"),
    path("care/green/", care.green_list, name="care_green"),
    path("care/green/<int:pk>/respond/", care.green_respond, name="care_green_respond"),
    # Attrition risk.
    path("risks/", risks.risk_list_page, name="risks"),
]
