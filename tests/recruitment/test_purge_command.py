"""`yicai recruitment purge` on a plan closed on 1 July 2022: nothing before the retention
period is over, a dry run that counts and writes nothing, then the erasure of who was not
hired with its audit entry, the plan's figures unchanged; the period from the setting or
from --days."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command

from tests import factories
from tests.recruitment.helpers import candidate_on_notice, published_plan
from yicai.access.models import AuditEntry
from yicai.recruitment import queries, services
from yicai.recruitment.models import Application

pytestmark = pytest.mark.django_db

D = datetime.date
CLOSED = D(2022, 7, 1)


def _purge(*args: str) -> str:
    out = io.StringIO()
    call_command("recruitment", "purge", *args, stdout=out)
    return out.getvalue().strip()


def _purges() -> int:
    return AuditEntry.objects.filter(action=AuditEntry.Action.DELETE).count()


@pytest.fixture
def closed_plan(world):
    """A plan of 2022 with one applicant hired, one left at the review, one withdrawn."""
    plan = published_plan(world, on=D(2022, 4, 1))
    post = plan.posts.get()
    hired = candidate_on_notice(post, "录用")
    services.application_hire(application=hired, on=D(2022, 6, 10))
    for name in ("落选", "放弃"):
        services.application_create(
            by=None,
            post=post,
            name=name,
            id_number=factories.id_number(D(1990, 1, 1)),
            applied_on=D(2022, 4, 12),
        )
    services.application_out(
        application=post.applications.get(name="放弃"), withdrawn=True, reason="本人放弃"
    )
    return services.plan_close(plan=plan, on=CLOSED)


def test_the_purge_waits_for_the_period_counts_on_a_dry_run_then_erases(closed_plan, settings):
    settings.YICAI_APPLICANT_RETENTION_DAYS = 365
    counts = queries.status_counts(closed_plan)
    assert counts == {"applied": 1, "hired": 1, "withdrawn": 1}
    before = _purges()

    # A year after the close is not past it; --days puts the end further off.
    assert _purge("--today", "2023-07-01") == (
        "已删除 0 名未聘用考生的个人信息（所属计划截至 2023-07-01 已结束超过 365 天）"
    )
    assert _purge("--today", "2023-07-02", "--days", "400").startswith("已删除 0 名")
    # A dry run says how many, and writes nothing (not even an audit entry).
    assert _purge("--today", "2023-07-02", "--dry-run") == (
        "试运行：2 名未聘用考生的个人信息将被删除"
        "（所属计划截至 2023-07-02 已结束超过 365 天），未做任何更改"
    )
    assert _purges() == before
    assert not Application.objects.filter(purged_on__isnull=False).exists()
    assert set(Application.objects.values_list("name", flat=True)) == {"录用", "落选", "放弃"}

    assert _purge("--today", "2023-07-02") == (
        "已删除 2 名未聘用考生的个人信息（所属计划截至 2023-07-02 已结束超过 365 天）"
    )
    erased = Application.objects.exclude(status=Application.Status.HIRED)
    assert list(erased.values_list("name", "id_number_index", "id_number_last4", "purged_on")) == [
        ("", None, "", D(2023, 7, 2)),
        ("", None, "", D(2023, 7, 2)),
    ]
    hired = Application.objects.get(status=Application.Status.HIRED)
    assert hired.name == "录用" and hired.id_number_last4 and hired.purged_on is None
    assert queries.status_counts(closed_plan) == counts
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.DELETE).latest("id")
    assert _purges() == before + 1
    assert entry.additional_data == {
        "plans": [closed_plan.pk],
        "applications": 2,
        "retention_days": 365,
    }
    # The next day's run finds nothing left to erase.
    assert _purge("--today", "2023-07-03").startswith("已删除 0 名")
    assert _purges() == before + 1


def test_the_period_comes_from_the_setting_or_days(closed_plan, settings):
    settings.YICAI_APPLICANT_RETENTION_DAYS = 30
    assert _purge("--today", "2022-08-01", "--dry-run").startswith("试运行：2 名")
    assert _purge("--today", "2022-08-01", "--days", "31", "--dry-run").startswith("试运行：0 名")
    assert _purge("--today", "2022-08-01", "--days", "30").startswith("已删除 2 名")


@pytest.mark.parametrize(
    "args",
    [
        ("--days", "-1"),
        ("--days", "一年"),
        ("--today", "2023-02-30"),
        ("--today", "2999-01-01"),  # a day ahead would erase early
    ],
)
def test_a_wrong_argument_is_refused(args):
    with pytest.raises(CommandError):
        _purge(*args)
