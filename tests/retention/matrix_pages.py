"""retention's pages' cases of the scope matrix (records: `matrix.build`, and `build` here for
a clawback to decide). Money is the commission's and the institutions' administrators': a
department head, a mentor, a trainee and the auditors get 403 on every page. A fund is its
keeper's (A's own fund: the commission and A; the commission's: the commission alone, 404 to
an institution); policies are the region's, read by its institutions; drafting and preparing
runs are the commission's, approving too. An institution reads a run that pays one of its
people, and of it their lines only, as `lines_for` scopes them (B gets 404 on a run of A's
people). Every form posted empty is refused on its page again (400); a one-click step the
service refuses (publishing a published policy, removing its rule) says so and goes back
(302)."""

import datetime

from tests.scope_tables import EDITS_INSTITUTIONS, HR, only, rows
from yicai.codes.queries import code_for
from yicai.people.services import title_add
from yicai.retention.models import Rule
from yicai.retention.services import awards, policies

D = datetime.date


def build(records, world) -> None:
    """A clawback waiting for the commission: A's ward nurse, promoted to 正高 in 2022 and paid
    under a rule asking five years' service, left in 2023."""
    policy = policies.policy_create(
        by=None,
        region=world.a.commission_region,
        title="高层次人才稳定办法",
        issuer="区卫健委",
        effective_from=D(2021, 1, 1),
        fund=records.fund,
    )
    policies.rule_add(
        policy=policy,
        by=None,
        name="晋升正高稳定奖励",
        fact=Rule.Fact.TITLE,
        title_grade="senior",
        commitment_months=60,
        clawback=Rule.Clawback.PRO_RATA,
        amounts=[(D(2021, 1, 1), "10000")],
    )
    policies.policy_publish(policy=policy, by=None, on=D(2021, 1, 1))
    title_add(person=world.a_ward_nurse, title=code_for("title", "231"), obtained_on=D(2022, 3, 1))
    run = awards.award_run_prepare(
        policy=policy, by=None, period_start=D(2022, 1, 1), period_end=D(2022, 12, 31)
    )
    for line in run.lines.exclude(person=world.a_ward_nurse):
        awards.line_exclude(line=line, by=None, reason="另案处理")
    awards.award_run_approve(run=run, by=world.commission, on=D(2023, 1, 10))
    [records.award_clawback] = awards.award_leave(
        person=world.a_ward_nurse, by=None, left_on=D(2023, 9, 30)
    )


# Who keeps money: the commission over every institution, each institution over its own.
_FUND_KEEPERS = {"commission": {"commission", "a"}, "hospital_a": {"a"}, "hospital_b": {"b"}}
_COMMISSION_FUND = rows(_FUND_KEEPERS, "commission")
_A_FUND = rows(_FUND_KEEPERS, "a")
_COMMISSION = only("commission")
_COMMISSION_REFUSED_FORM = only("commission", status=400, method="post")
_COMMISSION_STEP = only("commission", status=302, method="post")

PAGE_KWARGS = {
    "retention:fund": lambda r: {"pk": r.a_fund.pk},
    "retention:fund_edit": lambda r: {"pk": r.fund.pk},
    "retention:entry_add": lambda r: {"pk": r.fund.pk},
    "retention:entry_reverse": lambda r: {"pk": r.entry.pk},
    **{
        f"retention:{name}": (lambda r: {"pk": r.policy.pk})
        for name in (
            "policy",
            "policy_edit",
            "policy_document",
            "rule_add",
            "policy_publish",
            "policy_copy",
            "policy_repeal",
        )
    },
    "retention:rule_remove": lambda r: {"pk": r.rule.pk},
    "retention:amount_add": lambda r: {"pk": r.rule.pk},
    "retention:run": lambda r: {"pk": r.run.pk},
    "retention:run_approve": lambda r: {"pk": r.run.pk},
    "retention:line_exclude": lambda r: {"pk": r.line.pk},
    "retention:line_include": lambda r: {"pk": r.line.pk},
    "retention:clawback_decide": lambda r: {"pk": r.award_clawback.pk},
}
CASES = {
    # Funds: the list holds what one keeps; A's fund is the commission's and A's, the
    # commission's own fund a 404 to the institutions.
    "retention:funds": only(*HR),
    "retention:fund_create": only(*HR),
    "retention:fund": _A_FUND,
    "retention:fund_edit": _COMMISSION_FUND,
    "retention:entries": only(*HR),
    "retention:entry_add": rows(_FUND_KEEPERS, "commission", status=400, method="post"),
    "retention:entry_reverse": rows(_FUND_KEEPERS, "commission", status=400, method="post"),
    # Policies: the region's institutions read them; the commission drafts.
    "retention:policies": only(*HR),
    "retention:policy_create": _COMMISSION,
    "retention:policy": only(*HR),
    "retention:policy_edit": _COMMISSION,
    # No document was uploaded: those who see the policy get a 404 for it.
    "retention:policy_document": only(*HR, status=404),
    "retention:rule_add": _COMMISSION_REFUSED_FORM,
    "retention:policy_publish": _COMMISSION_STEP,
    "retention:policy_copy": _COMMISSION_STEP,
    "retention:policy_repeal": _COMMISSION_REFUSED_FORM,
    "retention:rule_remove": _COMMISSION_STEP,
    "retention:amount_add": _COMMISSION_REFUSED_FORM,
    # Runs: an institution reads a run that pays its people (their lines only), as
    # `lines_for` scopes the lines: the run pays A's surgeon, so B gets 404.
    "retention:runs": only(*HR),
    "retention:run_create": _COMMISSION,
    "retention:run": rows(EDITS_INSTITUTIONS, "a"),
    "retention:run_approve": _COMMISSION_STEP,
    "retention:line_exclude": _COMMISSION_REFUSED_FORM,
    "retention:line_include": _COMMISSION_STEP,
    "retention:clawbacks": only(*HR),
    "retention:clawback_decide": _COMMISSION_REFUSED_FORM,
}
