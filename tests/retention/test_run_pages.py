"""The award runs' pages: a run prepared through its form (nothing new to pay is the form's
error), its lines with the record that qualifies each, a line excluded with a reason and
included again, the preparer who may not approve and another commission officer who does (the
ledger then shows the payments), what each institution sees of a run, the export, a clawback
decided, and query counts that do not grow with the lines."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest

from tests import factories
from tests.conftest import login
from tests.retention.helpers import (
    ISSUED,
    draft_policy,
    promotion_rule,
    second_approver,
    talent_fund,
)
from yicai.codes.queries import code_for
from yicai.people.services import title_add
from yicai.retention.models import AwardClawback, AwardLine, AwardRun, Entry, Rule
from yicai.retention.services import awards, policies

pytestmark = pytest.mark.django_db
RUNS = "/retention/runs/"
D = datetime.date


def _published(world, **rule):
    fund = talent_fund(world)
    policy = draft_policy(world, fund)
    if rule:
        policies.rule_add(policy=policy, by=None, **rule)
    else:
        promotion_rule(policy, "senior", (ISSUED, "50000"), name="晋升正高奖励")
    return fund, policies.policy_publish(policy=policy, by=None, on=ISSUED)


PROMOTED = D(2022, 6, 15)


def _promoted(*people, on=PROMOTED):
    for person in people:
        title_add(person=person, title=code_for("title", "231"), obtained_on=on)


def _prepare(client, policy, year=2022):
    return client.post(
        f"{RUNS}new/",
        {"policy": policy.pk, "period_start": f"{year}-01-01", "period_end": f"{year}-12-31"},
    )


def test_a_run_is_prepared_reviewed_and_approved_by_another_officer(client, world):
    fund, policy = _published(world)
    _promoted(world.a_doctor, world.b_doctor)
    clerk = second_approver(world)
    login(client, clerk)
    response = _prepare(client, policy)
    assert response.status_code == 302, response.content.decode()
    run = AwardRun.objects.get()
    assert response["Location"] == f"{RUNS}{run.pk}/"
    assert run.prepared_by == clerk
    again = _prepare(client, policy)
    assert "该期间没有新的应发奖励（已生成或已核发的不会重复）。" in again.content.decode()

    page = client.get(f"{RUNS}{run.pk}/").content.decode()
    assert "100000.00" in page
    assert f"/people/{world.a_doctor.pk}/" in page  # the fact's record
    # The preparer reviews but may not approve: the service's words, no approval form.
    assert "审批人不能是该批次的经办人。" in page and 'id="approve-form"' not in page
    b_line = run.lines.get(person=world.b_doctor)
    refused = client.post(f"/retention/lines/{b_line.pk}/exclude/", {"reason": ""})
    assert refused.status_code == 400
    assert AwardLine.objects.get(pk=b_line.pk).status == "proposed"
    client.post(f"/retention/lines/{b_line.pk}/exclude/", {"reason": "已调离"})
    b_line.refresh_from_db()
    assert (b_line.status, b_line.reason) == ("excluded", "已调离")
    client.post(f"/retention/lines/{b_line.pk}/include/")
    assert AwardLine.objects.get(pk=b_line.pk).status == "proposed"
    client.post(f"/retention/lines/{b_line.pk}/exclude/", {"reason": "已调离"})
    assert "50000.00" in client.get(f"{RUNS}{run.pk}/").content.decode()
    refused = client.post(f"{RUNS}{run.pk}/approve/", {})
    assert refused.status_code == 400
    assert "审批人不能是该批次的经办人。" in refused.content.decode()
    assert AwardRun.objects.get().status == "proposed"

    login(client, world.commission)
    page = client.get(f"{RUNS}{run.pk}/").content.decode()
    assert 'id="approve-form"' in page
    response = client.post(f"{RUNS}{run.pk}/approve/", {"on": "2023-01-15"})
    assert response.status_code == 302
    run.refresh_from_db()
    assert (run.status, run.approved_by, run.approved_on) == (
        "approved",
        world.commission,
        D(2023, 1, 15),
    )
    paid = Entry.objects.get(award__isnull=False)
    assert (paid.fund, paid.amount, paid.on) == (fund, Decimal("50000.00"), D(2023, 1, 15))
    ledger = client.get(f"/retention/funds/{fund.pk}/").content.decode()
    assert "晋升正高奖励：" in ledger and "950000.00" in ledger
    listing = client.get(RUNS).content.decode()
    assert "已审批" in listing and "commission_clerk" in listing


def test_the_preparer_is_refused_in_the_services_words(client, world):
    _fund, policy = _published(world)
    _promoted(world.a_doctor)
    run = awards.award_run_prepare(
        policy=policy, by=world.commission, period_start=D(2022, 1, 1), period_end=D(2022, 12, 31)
    )
    login(client, world.commission)
    assert "审批人不能是该批次的经办人。" in client.get(f"{RUNS}{run.pk}/").content.decode()
    refused = client.post(f"{RUNS}{run.pk}/approve/", {})
    assert refused.status_code == 400
    assert "审批人不能是该批次的经办人。" in refused.content.decode()
    assert AwardRun.objects.get().status == "proposed"


def test_each_institution_sees_its_own_peoples_lines(client, world):
    _fund, policy = _published(world)
    _promoted(world.a_doctor, world.b_doctor)
    run = awards.award_run_prepare(
        policy=policy, by=None, period_start=D(2022, 1, 1), period_end=D(2022, 12, 31)
    )
    login(client, world.hospital_a)
    page = client.get(f"{RUNS}{run.pk}/").content.decode()
    assert world.a_doctor.name in page and world.b_doctor.name not in page
    assert 'id="run-total">50000.00' in page
    assert "/exclude/" not in page and 'id="approve-form"' not in page
    export = client.get(f"{RUNS}{run.pk}/", {"export": "xlsx"})
    rows = list(
        openpyxl.load_workbook(io.BytesIO(b"".join(export.streaming_content))).active.iter_rows(
            values_only=True
        )
    )
    assert [row[0] for row in rows[1:]] == [world.a_doctor.name]
    assert rows[0][:4] == ("姓名", "机构", "条款", "事项")
    line = run.lines.get(person=world.b_doctor)
    assert client.post(f"/retention/lines/{line.pk}/exclude/", {"reason": "x"}).status_code == 403
    login(client, world.hospital_b)
    page = client.get(f"{RUNS}{run.pk}/").content.decode()
    assert world.b_doctor.name in page and world.a_doctor.name not in page


def test_a_clawback_is_decided_and_the_refund_is_income(client, world):
    fund, policy = _published(
        world,
        name="晋升正高稳定奖励",
        fact=Rule.Fact.TITLE,
        title_grade="senior",
        commitment_months=60,
        clawback=Rule.Clawback.PRO_RATA,
        amounts=[(ISSUED, "60000")],
    )
    _promoted(world.a_doctor)
    run = awards.award_run_prepare(
        policy=policy, by=None, period_start=D(2022, 1, 1), period_end=D(2022, 12, 31)
    )
    awards.award_run_approve(run=run, by=world.commission, on=D(2023, 1, 10))
    [clawback] = awards.award_leave(person=world.a_doctor, by=None, left_on=D(2024, 6, 14))
    login(client, world.hospital_a)
    page = client.get("/retention/clawbacks/").content.decode()
    assert world.a_doctor.name in page and "批准追回" not in page
    login(client, world.commission)
    url = f"/retention/clawbacks/{clawback.pk}/decide/"
    assert client.post(url, {}).status_code == 400
    assert client.post(url, {"approve": "1", "on": "2024-07-01"}).status_code == 302
    clawback = AwardClawback.objects.get()
    assert clawback.status == "approved"
    refund = clawback.entry
    assert (refund.fund, refund.direction, refund.amount) == (fund, "income", clawback.amount)


def test_the_run_page_costs_the_same_queries_for_2_or_20_lines(
    client, world, django_assert_max_num_queries
):
    _fund, policy = _published(world)
    counts = []
    for year, people in ((2021, 2), (2022, 20)):
        promoted = [
            factories.person(world.a, f"晋升{year}-{n:02d}", department=world.a_cardiology)
            for n in range(people)
        ]
        _promoted(*promoted, on=D(year, 6, 1))
        run = awards.award_run_prepare(
            policy=policy, by=None, period_start=D(year, 1, 1), period_end=D(year, 12, 31)
        )
        login(client, world.commission)
        with django_assert_max_num_queries(40) as captured:
            assert client.get(f"{RUNS}{run.pk}/").status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(30):
        assert client.get(RUNS).status_code == 200
