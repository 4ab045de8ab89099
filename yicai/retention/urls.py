"""留 pages: funds and their ledger, incentive policies, award runs and clawbacks (see the
views)."""

from django.urls import URLPattern, URLResolver, path

from yicai.retention import urls_competitions, urls_hospitality, urls_promotions, urls_risks
from yicai.retention.views import awards, funds, policies
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
]
urlpatterns += urls_hospitality.urlpatterns
urlpatterns += urls_competitions.urlpatterns
urlpatterns += urls_promotions.urlpatterns
urlpatterns += urls_risks.urlpatterns
