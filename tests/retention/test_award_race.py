"""Two commission officers approving the same award run at the same moment, on two real
connections (two workers, or one officer's double click reaching two): each award is paid
once, by exactly one ledger entry, and one of the two calls is refused with "该批次已审批。".
Its own module: the personas shared by a module live in a transaction that other connections
cannot see, so what is needed is built here, committed."""

import datetime
import threading
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from rest_framework.test import APIClient

from tests import factories
from tests.concurrency import real_connections, run_in_thread, together
from tests.conftest import login
from tests.retention.helpers import draft_policy, promotion_rule, talent_fund
from yicai.access.models import Role, Scope
from yicai.codes.queries import code_for
from yicai.people.services import title_add
from yicai.retention.models import AwardLine, AwardRun, Entry
from yicai.retention.queries.funds import balance
from yicai.retention.services import awards, policies

pytestmark = pytest.mark.usefixtures("committed_db")

D = datetime.date
API = "/api/v1/retention"
PROMOTED = ("钱晋升", "孙晋升", "李晋升")
ALREADY = "该批次已审批。"


def _officer(username: str, region):
    return factories.user(
        username, roles=[(Role.COMMISSION_ADMIN, {"scope": Scope.ALL, "region": region})]
    )


def _prepared() -> SimpleNamespace:
    """A run of 2022 prepared by a clerk: three promotions to 正高 at 50,000 each, paid from a
    fund of 1,000,000; and the two officers who will approve it."""
    hospital = factories.institution("并发奖励医院")
    region = hospital.commission_region
    place = SimpleNamespace(a=hospital)  # the helpers read the region from `a`
    fund = talent_fund(place)
    policy = draft_policy(place, fund)
    promotion_rule(policy, "senior", (D(2021, 1, 1), "50000"), name="晋升正高奖励")
    policies.policy_publish(policy=policy, by=None, on=D(2021, 1, 1))
    for number, name in enumerate(PROMOTED):
        person = factories.person(hospital, name, birth=D(1975, 1, 1 + number))
        title_add(person=person, title=code_for("title", "231"), obtained_on=D(2022, 3, 1))
    clerk = _officer("award_clerk", region)
    run = awards.award_run_prepare(
        policy=policy, by=clerk, period_start=D(2022, 1, 1), period_end=D(2022, 12, 31)
    )
    assert run.lines.count() == len(PROMOTED)
    return SimpleNamespace(
        run=run,
        fund=fund,
        approvers=[_officer("approver_one", region), _officer("approver_two", region)],
    )


def _paid(prepared) -> tuple:
    """What the approvals left: the run's status and approver, each line's entries (a line
    id -> how many payments), the lines' statuses, the fund's balance."""
    run = AwardRun.objects.get(pk=prepared.run.pk)
    entries = Entry.objects.filter(award__run=run, reverses__isnull=True)
    lines = run.lines.values_list("pk", flat=True)
    per_line = {pk: entries.filter(award_id=pk).count() for pk in lines}
    statuses = set(run.lines.values_list("status", flat=True))
    return run.status, run.approved_by_id, per_line, statuses, balance(prepared.fund)


def _once(prepared, approver_id) -> tuple:
    """Approved by `approver_id`, each line paid once: 150,000 out of 1,000,000."""
    lines = dict.fromkeys(prepared.run.lines.values_list("pk", flat=True), 1)
    return (
        AwardRun.Status.APPROVED,
        approver_id,
        lines,
        {AwardLine.Status.APPROVED},
        Decimal("850000.00"),
    )


def test_two_approvals_through_the_api_at_the_same_moment_pay_each_award_once(tmp_path):
    prepared = _prepared()
    # Signed in (their sessions committed) before the connections are shared.
    clients = [login(APIClient(), approver) for approver in prepared.approvers]
    start = threading.Barrier(2)
    url = f"{API}/award-runs/{prepared.run.pk}/approve/"

    def approving(client):
        def approve():
            start.wait(timeout=10)
            return client.post(url, {}, content_type="application/json")

        return approve

    with real_connections(tmp_path):
        answers = together([approving(client) for client in clients])
        paid = run_in_thread(_paid, prepared)
    codes = sorted(answer.status_code for answer in answers)
    assert codes == [200, 400], [answer.content for answer in answers]
    (winner,) = [i for i, answer in enumerate(answers) if answer.status_code == 200]
    (loser,) = [answer for answer in answers if answer.status_code == 400]
    assert loser.json() == {"status": [ALREADY]}
    assert answers[winner].json()["run_status"] == "approved"
    assert paid == _once(prepared, prepared.approvers[winner].pk)


def test_an_approval_made_while_another_is_still_open_finds_it_once_committed(tmp_path):
    # The interleaving that breaks a lock not taken: the second approval reads the run while
    # the first has paid it but not yet committed.
    prepared = _prepared()
    first, second = prepared.approvers
    first_open = threading.Event()

    def approve(by):
        return awards.award_run_approve(run=AwardRun.objects.get(pk=prepared.run.pk), by=by)

    def approve_and_hold():
        with transaction.atomic():
            approved = approve(first)
            first_open.set()
            threading.Event().wait(0.6)
        return approved

    def approve_meanwhile():
        assert first_open.wait(10)
        return approve(second)

    with real_connections(tmp_path):
        held, meanwhile = together([approve_and_hold, approve_meanwhile])
        paid = run_in_thread(_paid, prepared)
    assert isinstance(held, AwardRun)
    assert isinstance(meanwhile, ValidationError)
    assert meanwhile.message_dict == {"status": [ALREADY]}
    assert paid == _once(prepared, first.pk)
