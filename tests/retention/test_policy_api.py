"""Incentive policies over the API (/api/v1/retention/policies/, /rules/): drafted by the
commission with rules, their dated amounts and tranches (nested in the policy's answer),
published once complete, changed afterwards only in its end and note, its amounts only from a
later day; copied to a new version once, repealed; the services' refusals in their words; the
region's institutions read them, only the commission drafts; a list that costs the same for 2
policies or 20."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.retention.helpers import draft_policy, promotion_rule, talent_fund
from yicai.retention.models import Fund, Policy
from yicai.retention.services import funds

pytestmark = pytest.mark.django_db
D = datetime.date
API = "/api/v1/retention"

POLICY = {
    "title": "宝山区卫生健康人才激励办法",
    "issuer": "区卫健委",
    "document_number": "宝卫发〔2021〕1号",
    "effective_from": "2021-01-01",
}
SETTLEMENT = {
    "name": "A类人才安家补贴",
    "rule_fact": "introduction",
    "tier": "A类",
    "rule_schedule": "tranches",
    "paid_as": "allowance",
    "commitment_months": 60,
    "rule_clawback": "pro_rata",
    "amounts": [{"valid_from": "2021-01-01", "amount": "100000"}],
    "tranches": [
        {"share": "40", "months_after": 0},
        {"share": "30", "months_after": 12},
        {"share": "30", "months_after": 24},
    ],
}


def test_drafted_with_rules_published_copied_and_repealed(world, as_api):
    fund = talent_fund(world)
    api = as_api(world.commission)
    made = api.post(f"{API}/policies/", {**POLICY, "fund": fund.pk}, format="json")
    assert made.status_code == 201, made.content
    policy = made.json()
    assert (policy["policy_status"], policy["version"], policy["rules"]) == ("draft", 1, [])
    url = f"{API}/policies/{policy['id']}/"

    empty = api.post(f"{url}publish/", {}, format="json")
    assert empty.status_code == 400
    assert empty.json() == {"status": ["政策还没有条款。"]}

    # The rules, with their amounts and tranches; what the services refuse, in their words.
    bad = {**SETTLEMENT, "policy": policy["id"], "tranches": SETTLEMENT["tranches"][:2]}
    refused = api.post(f"{API}/rules/", bad, format="json")
    assert refused.status_code == 400
    assert refused.json() == {"tranches": ["各期比例之和须为 100%。"]}
    yearly = {"policy": policy["id"], "name": "按年", "rule_fact": "tag", "rule_schedule": "yearly"}
    assert api.post(f"{API}/rules/", yearly, format="json").json() == {
        "years": ["按年发放须填写发放年数。"]
    }
    fine = api.post(f"{API}/rules/", {**SETTLEMENT, "policy": policy["id"]}, format="json")
    assert fine.status_code == 201, fine.content
    rule = fine.json()
    assert (rule["rule_schedule_display"], rule["rule_clawback"]) == ("分期发放", "pro_rata")
    assert rule["amounts"] == [
        {"id": rule["amounts"][0]["id"], "valid_from": "2021-01-01", "amount": "100000.00"}
    ]
    assert [(t["number"], t["share"], t["months_after"]) for t in rule["tranches"]] == [
        (1, "40.00", 0),
        (2, "30.00", 12),
        (3, "30.00", 24),
    ]
    promotion = api.post(
        f"{API}/rules/",
        {
            "policy": policy["id"],
            "name": "晋升正高奖励",
            "rule_fact": "title",
            "title_grade": "senior",
        },
        format="json",
    )
    assert promotion.status_code == 201, promotion.content
    promotion = promotion.json()
    missing = api.post(f"{url}publish/", {"on": "2021-01-01"}, format="json")
    assert missing.json() == {"status": ["条款“晋升正高奖励”还没有金额标准。"]}
    for day, amount in (("2021-01-01", "50000"), ("2023-01-01", "60000")):
        answer = api.post(
            f"{API}/rules/{promotion['id']}/amounts/",
            {"valid_from": day, "amount": amount},
            format="json",
        )
        assert answer.status_code == 200, answer.content
    assert [a["amount"] for a in answer.json()["amounts"]] == ["50000.00", "60000.00"]
    too_fine = api.post(
        f"{API}/rules/{promotion['id']}/amounts/",
        {"valid_from": "2024-01-01", "amount": "1.005"},
        format="json",
    )
    assert too_fine.json() == {"amount": ["金额最多保留两位小数（到分）。"]}
    renamed = api.patch(
        f"{API}/rules/{promotion['id']}/", {"name": "晋升正高级职称奖励"}, format="json"
    )
    assert (renamed.status_code, renamed.json()["name"]) == (200, "晋升正高级职称奖励")

    published = api.post(f"{url}publish/", {"on": "2021-01-01"}, format="json")
    assert published.status_code == 200, published.content
    shown = published.json()
    assert (shown["policy_status"], shown["published_on"], len(shown["rules"])) == (
        "published",
        "2021-01-01",
        2,
    )
    # Published: its past stays as it was; its end and note still change.
    assert api.patch(url, {"title": "改名"}, format="json").json() == {
        "status": ["政策已发布，条款和已有标准不能修改；请复制为新版本，或新增以后起算的标准。"]
    }
    noted = api.patch(url, {"note": "2023年起调整正高奖励"}, format="json")
    assert (noted.status_code, noted.json()["note"]) == (200, "2023年起调整正高奖励")
    past = api.post(
        f"{API}/rules/{promotion['id']}/amounts/",
        {"valid_from": "2022-01-01", "amount": "55000"},
        format="json",
    )
    assert past.status_code == 400
    assert "只能从今天以后" in past.json()["valid_from"][0]
    assert api.delete(f"{API}/rules/{promotion['id']}/").status_code == 400

    copy = api.post(f"{url}copy/", format="json")
    assert copy.status_code == 201, copy.content
    assert (copy.json()["version"], copy.json()["previous"], copy.json()["policy_status"]) == (
        2,
        policy["id"],
        "draft",
    )
    assert len(copy.json()["rules"]) == 2
    assert api.post(f"{url}copy/", format="json").json() == {"status": ["该政策已有新版本。"]}
    # A draft's rule is removed.
    copied_rule = copy.json()["rules"][0]["id"]
    assert api.delete(f"{API}/rules/{copied_rule}/").status_code == 204

    assert api.post(f"{url}repeal/", {}, format="json").status_code == 400
    early = api.post(f"{url}repeal/", {"on": "2020-12-31"}, format="json")
    assert early.json() == {"on": ["废止日期不能早于施行日期。"]}
    repealed = api.post(f"{url}repeal/", {"on": "2024-12-31"}, format="json")
    assert (repealed.json()["policy_status"], repealed.json()["effective_to"]) == (
        "repealed",
        "2024-12-31",
    )


def test_the_region_reads_policies_and_only_the_commission_drafts_them(world, as_api):
    fund = talent_fund(world)
    policy = draft_policy(world, fund)
    promotion_rule(policy, "senior", (D(2021, 1, 1), "50000"))
    a_fund = funds.fund_create(
        by=None, region=fund.region, institution=world.a, name="甲院人才经费", kind="budget"
    )
    hospital_a = as_api(world.hospital_a)
    listed = hospital_a.get(f"{API}/policies/").json()["results"]
    assert [row["id"] for row in listed] == [policy.pk]
    assert hospital_a.get(f"{API}/policies/{policy.pk}/").json()["rules"][0]["amounts"][0][
        "amount"
    ] == ("50000.00")
    for url in (f"{API}/policies/", f"{API}/rules/", f"{API}/policies/{policy.pk}/publish/"):
        assert hospital_a.post(url, {}, format="json").status_code == 403
    assert as_api(world.dept_head).get(f"{API}/policies/").status_code == 403
    # Awards are paid from the commission's own funds, not an institution's.
    commission = as_api(world.commission)
    answer = commission.post(f"{API}/policies/", {**POLICY, "fund": a_fund.pk}, format="json")
    assert answer.status_code == 400
    assert answer.json() == {"fund": ["所选资金不存在，或不是卫健委自管的资金。"]}
    assert Policy.objects.count() == 1
    # The list reads its page's filters.
    assert commission.get(f"{API}/policies/", {"status": "published"}).json()["results"] == []
    assert commission.get(f"{API}/policies/", {"status": "nonsense"}).status_code == 400


def test_the_list_costs_the_same_for_two_policies_or_twenty(world, as_api):
    fund = talent_fund(world)
    api = as_api(world.commission)

    def add(count):
        for _number in range(count):
            policy = draft_policy(world, fund, title=f"激励办法{Policy.objects.count() + 1}")
            promotion_rule(policy, "senior", (D(2021, 1, 1), "50000"))

    def cost():
        with CaptureQueriesContext(connection) as captured:
            answer = api.get(f"{API}/policies/")
        assert answer.status_code == 200
        return len(captured), len(answer.json()["results"])

    add(2)
    few = cost()
    add(18)
    many = cost()
    assert (few[1], many[1]) == (2, 20)
    assert few[0] == many[0] <= 8
    assert Fund.objects.count() == 1
