"""retention's API cases of the scope matrix (records: `matrix.build`): money is seen by the
commission (its region's) and an institution's administrators (their own), never by a
department head or the roles without retention.money (403); an anonymous call gets 401.

The commission's talent fund and its entry are the commission's: hospital A and B get 404 for
them, as B does for A's fund and A's line. Policies are public to the region's institutions;
a run is the commission's and, for an institution, one holding a line of its people (A's
surgeon's: A reads the run, B gets 404), as the pages have it; a line is also its person's
institution's. Drafting, preparing, excluding need retention.policy, approving and deciding
retention.approve, both the commission's (the hospitals 403).

Every action is posted empty, after the reads, so that it is refused the same way (400) for
everyone who reaches it: a reason, a date or a rule missing, the policy published. Three
would otherwise pass or not depending on what the pages' walk posted before them, so their
ids first settle the state they find: the run is approved (approving it and including its
line are then refused), the policy already has its new version (copying it is refused).
`matrix.build` makes no clawback: any id is a 404 to those who read money."""

from django.contrib.auth import get_user_model

from tests.scope_tables import EDITS_INSTITUTIONS, HR, Case, only, rows
from yicai.retention.models import AwardRun, Policy
from yicai.retention.services import awards, policies

# Reached only in the commission's own records: the hospitals get 404, the rest 403.
COMMISSIONS = Case({"commission": 200}, refused=dict.fromkeys(("hospital_a", "hospital_b"), 404))


def _posted(case: Case, status: int = 400) -> Case:
    return Case(
        dict.fromkeys(case.reach, status),
        refused=case.refused,
        anonymous=401,
        method="post",
    )


def _read(case: Case) -> Case:
    return Case(case.reach, refused=case.refused, anonymous=401)


def _approved(run: AwardRun) -> AwardRun:
    """The run, approved by the commission if the pages' walk has not already approved it."""
    run = AwardRun.objects.get(pk=run.pk)
    if run.status == AwardRun.Status.PROPOSED:
        approver = get_user_model().objects.get(username="commission")
        awards.award_run_approve(run=run, by=approver)
    return run


def _of_approved_run(line):
    _approved(line.run)
    return line


def _copied(records) -> Policy:
    """The policy, with its new version made if the pages' walk has not already made it."""
    if not Policy.objects.filter(previous=records.policy).exists():
        policies.policy_copy(policy=records.policy, by=None)
    return records.policy


# Who reads hospital A's records (its fund, its person's line): the commission and A.
A_MONEY = rows(EDITS_INSTITUTIONS, "a", anonymous=401)
LISTS = only(*HR, anonymous=401)
COMMISSION_ACTION = only("commission", status=400, method="post", anonymous=401)
CASES = {
    "api-retention-funds": LISTS,
    "api-retention-fund": A_MONEY,
    "api-retention-fund-balance": _read(COMMISSIONS),
    "api-retention-entries": LISTS,
    "api-retention-entry": _read(COMMISSIONS),
    "api-retention-entry-reverse": _posted(COMMISSIONS),  # no reason
    "api-retention-policies": LISTS,
    "api-retention-policy": LISTS,
    "api-retention-policy-publish": COMMISSION_ACTION,  # published
    "api-retention-policy-copy": COMMISSION_ACTION,  # its new version made
    "api-retention-policy-repeal": COMMISSION_ACTION,  # no day
    "api-retention-rules": COMMISSION_ACTION,  # no policy, name or fact
    "api-retention-rule": LISTS,
    "api-retention-rule-amounts": COMMISSION_ACTION,  # no day or amount
    "api-retention-award-runs": LISTS,
    "api-retention-award-run": A_MONEY,
    "api-retention-award-run-approve": COMMISSION_ACTION,  # approved
    "api-retention-award-lines": LISTS,
    "api-retention-award-line": A_MONEY,
    "api-retention-award-line-exclude": COMMISSION_ACTION,  # no reason
    "api-retention-award-line-include": COMMISSION_ACTION,  # its run approved
    "api-retention-award-clawbacks": LISTS,
    "api-retention-award-clawback": _read(Case({}, refused=dict.fromkeys(HR, 404))),
    "api-retention-award-clawback-decide": _posted(Case({}, refused={"commission": 404})),
}
# No clawback is built: an id none has.
NO_CLAWBACK = 0
KWARGS = {
    "api-retention-fund": lambda r: {"pk": r.a_fund.pk},
    "api-retention-fund-balance": lambda r: {"pk": r.fund.pk},
    "api-retention-entry": lambda r: {"pk": r.entry.pk},
    "api-retention-entry-reverse": lambda r: {"pk": r.entry.pk},
    "api-retention-policy": lambda r: {"pk": r.policy.pk},
    "api-retention-policy-publish": lambda r: {"pk": r.policy.pk},
    "api-retention-policy-copy": lambda r: {"pk": _copied(r).pk},
    "api-retention-policy-repeal": lambda r: {"pk": r.policy.pk},
    "api-retention-rule": lambda r: {"pk": r.rule.pk},
    "api-retention-rule-amounts": lambda r: {"pk": r.rule.pk},
    "api-retention-award-run": lambda r: {"pk": r.run.pk},
    "api-retention-award-run-approve": lambda r: {"pk": _approved(r.run).pk},
    "api-retention-award-line": lambda r: {"pk": r.line.pk},
    "api-retention-award-line-exclude": lambda r: {"pk": r.line.pk},
    "api-retention-award-line-include": lambda r: {"pk": _of_approved_run(r.line).pk},
    "api-retention-award-clawback": lambda r: {"pk": NO_CLAWBACK},
    "api-retention-award-clawback-decide": lambda r: {"pk": NO_CLAWBACK},
}
