"""The policies' pages: a policy drafted with its document, a rule with its first amount and
one paid in tranches, what keeps it from being published, published; an amount of a
published policy's past refused in words, a later one added; a new version and a repeal; who
may read and who may draft; a query count that does not grow with the rows."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import login
from tests.retention.helpers import ISSUED, draft_policy, promotion_rule, talent_fund
from yicai.retention.models import Policy, Rule
from yicai.retention.services import policies

pytestmark = pytest.mark.django_db
POLICIES = "/retention/policies/"
PDF = b"%PDF-1.4\n% the policy as issued\n"
D = datetime.date


def _url(policy: Policy, action: str = "") -> str:
    return f"{POLICIES}{policy.pk}/{action}"


def _rule(**more) -> dict:
    return {
        "name": "晋升正高奖励",
        "fact": "title",
        "title_grade": "senior",
        "schedule": "once",
        "paid_as": "award",
        "clawback": "none",
        "valid_from": "2021-01-01",
        "amount": "50000",
        **more,
    }


def test_a_policy_is_drafted_given_rules_and_published(client, world):
    fund = talent_fund(world)
    login(client, world.commission)
    posted = {
        "title": "卫生健康人才激励办法",
        "issuer": "区卫健委",
        "document_number": "卫发〔2021〕1号",
        "effective_from": "2021-01-01",
        "fund": fund.pk,
        "document": SimpleUploadedFile("办法.pdf", PDF, content_type="application/pdf"),
    }
    response = client.post(f"{POLICIES}new/", posted)
    assert response.status_code == 302, response.content.decode()
    policy = Policy.objects.get()
    assert (policy.status, policy.region) == ("draft", world.a.commission_region)
    document = client.get(_url(policy, "document/"))
    assert b"".join(document.streaming_content) == PDF
    page = client.get(_url(policy)).content.decode()
    assert "政策还没有条款。" in page and 'id="rule-form"' in page

    assert client.post(_url(policy, "rules/"), _rule()).status_code == 302
    refused = client.post(
        _url(policy, "rules/"),
        _rule(name="引进分期", fact="introduction", schedule="tranches", shares="40/30/20"),
    )
    assert refused.status_code == 400
    assert "各期发放月份须与分期比例一一对应。" in refused.content.decode()
    refused = client.post(
        _url(policy, "rules/"),
        _rule(name="引进分期", fact="introduction", schedule="tranches", **_tranches("40/30/20")),
    )
    assert "各期比例之和须为 100%。" in refused.content.decode()
    tranches = _rule(
        name="引进分期",
        fact="introduction",
        title_grade="",
        tier="A类",
        schedule="tranches",
        commitment_months="60",
        clawback="pro_rata",
        **_tranches("40/30/30"),
    )
    assert client.post(_url(policy, "rules/"), tranches).status_code == 302
    rule = policy.rules.get(name="引进分期")
    assert [(t.share, t.months_after) for t in rule.tranches.all()] == [
        (40, 0),
        (30, 12),
        (30, 24),
    ]
    page = client.get(_url(policy)).content.decode()
    assert "人才引进（层次或级别：A类）" in page
    assert "第1期 40%（事项后第 0 个月）" in page
    assert "服务承诺 60 个月，未满：按未服务月数比例退还" in page
    assert "50000.00" in page and "至今" in page

    assert client.post(_url(policy, "publish/")).status_code == 302
    policy.refresh_from_db()
    assert policy.status == "published"
    page = client.get(_url(policy)).content.decode()
    # Published: no rule to add or remove, a new version and a repeal instead.
    assert 'id="rule-form"' not in page and "删除条款" not in page
    assert "复制为新版本" in page and 'id="repeal-form"' in page


def _tranches(shares: str) -> dict:
    months = "/".join(str(12 * n) for n in range(len(shares.split("/"))))
    return {"shares": shares, "months": months}


def test_a_published_policys_past_amount_is_refused_and_a_later_one_added(client, world):
    policy = draft_policy(world, talent_fund(world))
    rule = promotion_rule(policy, "senior", (ISSUED, "50000"))
    policies.policy_publish(policy=policy, by=None, on=ISSUED)
    login(client, world.commission)
    refused = client.post(
        f"/retention/rules/{rule.pk}/amounts/", {"valid_from": "2022-01-01", "amount": "60000"}
    )
    assert refused.status_code == 400
    assert "已发布政策的标准只能从今天以后、且晚于现有标准（2021-01-01）的日期起调整。" in (
        refused.content.decode()
    )
    later = datetime.date.today() + datetime.timedelta(days=30)
    added = client.post(
        f"/retention/rules/{rule.pk}/amounts/", {"valid_from": later.isoformat(), "amount": "60000"}
    )
    assert added.status_code == 302
    assert [a.amount for a in rule.amounts.order_by("valid_from")] == [50000, 60000]
    page = client.get(_url(policy)).content.decode()
    until = (later - datetime.timedelta(days=1)).isoformat()
    assert until in page and "至今" in page
    # A published rule stays.
    client.post(f"/retention/rules/{rule.pk}/remove/")
    assert Rule.objects.filter(pk=rule.pk).exists()


def test_a_new_version_is_a_draft_and_a_repeal_ends_the_policy(client, world):
    policy = draft_policy(world, talent_fund(world))
    promotion_rule(policy, "senior", (ISSUED, "50000"))
    policies.policy_publish(policy=policy, by=None, on=ISSUED)
    login(client, world.commission)
    response = client.post(_url(policy, "copy/"))
    copy = Policy.objects.get(previous=policy)
    assert response["Location"] == _url(copy)
    assert (copy.version, copy.status, copy.rules.count()) == (2, "draft", 1)
    assert client.post(_url(policy, "repeal/"), {}).status_code == 400
    assert client.post(_url(policy, "repeal/"), {"on": "2025-12-31"}).status_code == 302
    policy.refresh_from_db()
    assert (policy.status, policy.effective_to) == ("repealed", D(2025, 12, 31))


def test_an_institution_reads_policies_and_drafts_none(client, world):
    policy = draft_policy(world, talent_fund(world))
    login(client, world.hospital_a)
    assert "宝山区卫生健康人才激励办法" in client.get(POLICIES).content.decode()
    page = client.get(_url(policy)).content.decode()
    assert 'id="rule-form"' not in page and "/edit/" not in page
    assert client.get(f"{POLICIES}new/").status_code == 403
    assert client.post(_url(policy, "rules/"), _rule()).status_code == 403
    assert client.get(POLICIES, {"as_of": "2021-02-30"}).status_code == 400


def test_the_list_costs_the_same_queries_for_2_or_20_policies(
    client, world, django_assert_max_num_queries
):
    fund = talent_fund(world)
    login(client, world.commission)
    counts = []
    for total in (2, 20):
        while Policy.objects.count() < total:
            draft_policy(world, fund, title=f"政策{Policy.objects.count():02d}")
        with django_assert_max_num_queries(30) as captured:
            assert client.get(POLICIES).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]
