"""Award runs over the API (/api/v1/retention/award-runs/, /award-lines/,
/award-clawbacks/): a clerk drafts and publishes a policy, prepares a run, excludes a line
saying why and may not approve their own run (maker–checker); another commission officer
approves it, which pays each line left by one entry; approved, the run takes no second
approval and its lines no change. Runs are the commission's; a line is also its person's
institution's; someone who left early owes back, approved or waived by the commission.
Lists that cost the same for 2 lines or 20."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from tests.retention.helpers import draft_policy, promotion_rule, second_approver, talent_fund
from yicai.codes.queries import code_for
from yicai.people.services import title_add
from yicai.retention.models import AwardLine, AwardRun, Entry
from yicai.retention.queries.funds import balance
from yicai.retention.services import awards, policies

pytestmark = pytest.mark.django_db
D = datetime.date
API = "/api/v1/retention"
YEAR_2022 = {"period_start": "2022-01-01", "period_end": "2022-12-31"}


def _promoted(person, on):
    title_add(person=person, title=code_for("title", "231"), obtained_on=on)


def test_prepared_reviewed_and_approved_by_another_officer(world, as_api):
    fund = talent_fund(world)
    clerk = second_approver(world)
    api = as_api(clerk)
    policy = api.post(
        f"{API}/policies/",
        {
            "title": "人才激励办法",
            "issuer": "区卫健委",
            "effective_from": "2021-01-01",
            "fund": fund.pk,
        },
        format="json",
    ).json()
    rule = {
        "policy": policy["id"],
        "name": "晋升正高奖励",
        "rule_fact": "title",
        "title_grade": "senior",
        "amounts": [{"valid_from": "2021-01-01", "amount": "50000"}],
    }
    assert api.post(f"{API}/rules/", rule, format="json").status_code == 201
    draft = api.post(f"{API}/award-runs/", {"policy": policy["id"], **YEAR_2022}, format="json")
    assert draft.json() == {"policy": ["政策尚未发布。"]}
    assert api.post(f"{API}/policies/{policy['id']}/publish/", {}, format="json").status_code == 200
    _promoted(world.a_surgeon, D(2022, 6, 15))
    _promoted(world.b_doctor, D(2022, 9, 1))

    made = api.post(f"{API}/award-runs/", {"policy": policy["id"], **YEAR_2022}, format="json")
    assert made.status_code == 201, made.content
    run = made.json()
    assert (run["run_status"], run["line_count"], run["total"], run["prepared_by"]) == (
        "proposed",
        2,
        "100000.00",
        clerk.pk,
    )
    again = api.post(f"{API}/award-runs/", {"policy": policy["id"], **YEAR_2022}, format="json")
    assert again.json() == {"period_end": ["该期间没有新的应发奖励（已生成或已核发的不会重复）。"]}
    lines = api.get(f"{API}/award-lines/", {"run": run["id"]}).json()["results"]
    assert [(line["person"]["name"], line["amount"], line["line_status"]) for line in lines] == [
        ("周外科", "50000.00", "proposed"),
        ("陈全科", "50000.00", "proposed"),
    ]
    b_line = lines[1]["id"]
    unsaid = api.post(f"{API}/award-lines/{b_line}/exclude/", {}, format="json")
    assert unsaid.json() == {"reason": ["剔除须说明理由。"]}
    excluded = api.post(
        f"{API}/award-lines/{b_line}/exclude/", {"reason": "材料不全，待补"}, format="json"
    )
    assert (excluded.json()["line_status"], excluded.json()["reason"]) == (
        "excluded",
        "材料不全，待补",
    )
    assert api.get(f"{API}/award-runs/{run['id']}/").json()["total"] == "50000.00"

    # Maker–checker: the clerk may not approve their own run; a hospital may not at all.
    url = f"{API}/award-runs/{run['id']}/approve/"
    own = api.post(url, {}, format="json")
    assert own.status_code == 400
    assert own.json() == {"status": ["审批人不能是该批次的经办人。"]}
    assert as_api(world.hospital_a).post(url, {}, format="json").status_code == 403
    commission = as_api(world.commission)
    approved = commission.post(url, {"on": "2023-01-15"}, format="json")
    assert approved.status_code == 200, approved.content
    assert (
        approved.json()["run_status"],
        approved.json()["approved_by"],
        approved.json()["approved_on"],
    ) == ("approved", world.commission.pk, "2023-01-15")
    paid = Entry.objects.filter(award__run_id=run["id"])
    assert [(e.award.person.name, e.amount, e.on) for e in paid] == [
        ("周外科", 50000, D(2023, 1, 15))
    ]
    assert str(balance(fund)) == "950000.00"
    assert commission.post(url, {}, format="json").json() == {"status": ["该批次已审批。"]}
    include = commission.post(f"{API}/award-lines/{b_line}/include/", format="json")
    assert include.json() == {"status": ["该批次已审批，不能再调整。"]}
    assert AwardLine.objects.get(pk=b_line).status == AwardLine.Status.EXCLUDED


def test_runs_are_the_commissions_and_a_line_its_persons_institutions(world, as_api):
    fund = talent_fund(world)
    policy = draft_policy(world, fund)
    promotion_rule(policy, "senior", (D(2021, 1, 1), "50000"))
    policies.policy_publish(policy=policy, by=None, on=D(2021, 1, 1))
    _promoted(world.a_surgeon, D(2022, 6, 15))
    _promoted(world.b_doctor, D(2022, 9, 1))
    run = awards.award_run_prepare(
        policy=policy, by=None, period_start=D(2022, 1, 1), period_end=D(2022, 12, 31)
    )
    a_line = run.lines.get(person=world.a_surgeon)
    b_line = run.lines.get(person=world.b_doctor)
    hospital_a = as_api(world.hospital_a)
    # The run holds a line of A's: A reads it, with its own people's line and money only.
    (listed,) = hospital_a.get(f"{API}/award-runs/").json()["results"]
    assert (listed["id"], listed["line_count"], listed["total"]) == (run.pk, 1, "50000.00")
    assert hospital_a.get(f"{API}/award-runs/{run.pk}/").status_code == 200
    assert as_api(world.hospital_b).get(f"{API}/award-runs/").json()["results"][0]["total"] == (
        "50000.00"
    )
    seen = hospital_a.get(f"{API}/award-lines/").json()["results"]
    assert [line["id"] for line in seen] == [a_line.pk]
    assert hospital_a.get(f"{API}/award-lines/{b_line.pk}/").status_code == 404
    assert hospital_a.post(f"{API}/award-lines/{a_line.pk}/exclude/", {}).status_code == 403
    # Its lines filtered by the run it sees them in.
    assert len(hospital_a.get(f"{API}/award-lines/", {"run": run.pk}).json()["results"]) == 1
    commission = as_api(world.commission)
    by_run = commission.get(f"{API}/award-lines/", {"run": run.pk, "institution": world.b.pk})
    assert [line["id"] for line in by_run.json()["results"]] == [b_line.pk]
    assert commission.get(f"{API}/award-lines/", {"run": "x"}).status_code == 400
    for url in (f"{API}/award-runs/", f"{API}/award-lines/", f"{API}/award-clawbacks/"):
        assert as_api(world.dept_head).get(url).status_code == 403


def test_a_clawback_is_approved_or_waived_by_the_commission_once(world, as_api):
    fund = talent_fund(world)
    policy = draft_policy(world, fund)
    policies.rule_add(
        policy=policy,
        by=None,
        name="晋升正高奖励（服务三年）",
        fact="title",
        title_grade="senior",
        commitment_months=36,
        clawback="full",
        amounts=[(D(2021, 1, 1), "50000")],
    )
    policies.policy_publish(policy=policy, by=None, on=D(2021, 1, 1))
    _promoted(world.a_surgeon, D(2022, 6, 15))
    run = awards.award_run_prepare(
        policy=policy, by=None, period_start=D(2022, 1, 1), period_end=D(2022, 12, 31)
    )
    awards.award_run_approve(run=run, by=world.commission, on=D(2023, 1, 10))
    (clawback,) = awards.award_leave(person=world.a_surgeon, by=None, left_on=D(2023, 6, 30))
    hospital_a = as_api(world.hospital_a)
    (shown,) = hospital_a.get(f"{API}/award-clawbacks/").json()["results"]
    assert (shown["id"], shown["paid"], shown["amount"], shown["clawback_status"]) == (
        clawback.pk,
        "50000.00",
        "50000.00",
        "proposed",
    )
    url = f"{API}/award-clawbacks/{clawback.pk}/decide/"
    assert hospital_a.post(url, {"approve": True}, format="json").status_code == 403
    commission = as_api(world.commission)
    waived = commission.post(url, {"approve": False}, format="json")
    assert waived.json() == {"reason": ["免除退还须说明理由。"]}
    decided = commission.post(url, {"approve": True, "on": "2023-07-15"}, format="json")
    assert decided.status_code == 200, decided.content
    assert (decided.json()["clawback_status"], decided.json()["decided_on"]) == (
        "approved",
        "2023-07-15",
    )
    refund = Entry.objects.get(pk=decided.json()["entry"])
    assert (refund.direction, refund.kind, str(refund.amount)) == ("income", "refund", "50000.00")
    assert commission.post(url, {"approve": True}, format="json").json() == {
        "status": ["该退还已批准。"]
    }


def test_lists_cost_the_same_for_two_lines_or_twenty(world, as_api):
    fund = talent_fund(world, appropriated="10000000")
    policy = draft_policy(world, fund)
    promotion_rule(policy, "senior", (D(2021, 1, 1), "50000"))
    policies.policy_publish(policy=policy, by=None, on=D(2021, 1, 1))
    api = as_api(world.commission)

    def promote(count, year):
        for number in range(count):
            person = factories.person(world.a, f"晋升{year}{number}", birth=D(1970, 1, 1 + number))
            _promoted(person, D(year, 3, 1))
        awards.award_run_prepare(
            policy=policy, by=None, period_start=D(year, 1, 1), period_end=D(year, 12, 31)
        )

    def cost(url):
        with CaptureQueriesContext(connection) as captured:
            answer = api.get(url)
        assert answer.status_code == 200
        return len(captured), len(answer.json()["results"])

    promote(2, 2021)
    few = cost(f"{API}/award-lines/"), cost(f"{API}/award-runs/")
    promote(18, 2022)
    many = cost(f"{API}/award-lines/"), cost(f"{API}/award-runs/")
    assert [rows for _queries, rows in few] == [2, 1]
    assert [rows for _queries, rows in many] == [20, 2]
    assert [queries for queries, _rows in few] == [queries for queries, _rows in many]
    assert max(queries for queries, _rows in many) <= 8
    assert AwardRun.objects.count() == 2
