"""Publication keeps a version of every score; an appeal is resolved with a reason and, upheld,
takes the scores again from the records, the earlier version kept as history.

Experts' scheme of 2025: 来院次数 70 (basic, target 10) + 带教评价 30 (manual, out of 10).
A's cardiologist: 12 visits → 100 (capped) × 0.7 = 70.00, reviewer's 9 → 90 × 0.3 = 27.00:
97.00. A's surgeon: 5 visits → 50 × 0.7 = 35.00, reviewer's 6 → 60 × 0.3 = 18.00: 53.00."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests import factories
from tests.evaluation.builders import published, visits_scheme
from yicai.evaluation.models import Appeal, Result, ResultLine, Scheme
from yicai.evaluation.queries import schemes as queries
from yicai.evaluation.services import results as result_services
from yicai.evaluation.services import schemes as services
from yicai.training.models import Visit

pytestmark = pytest.mark.django_db
IN_2025 = datetime.date(2025, 6, 3)


def visits(world, person, times, on=IN_2025):
    Visit.objects.bulk_create(
        Visit(expert=person, kind="clinic", institution=world.a, held_on=on) for _ in range(times)
    )


@pytest.fixture
def scheme(world):
    reviewer = factories.user("reviewer")
    scheme, _visits = visits_scheme(world.a.commission_region, reviewer=reviewer)
    visits(world, world.a_doctor, 12)
    visits(world, world.a_surgeon, 5)
    visits(world, world.a_surgeon, 3, on=datetime.date(2026, 1, 5))  # the next cycle's
    scheme.doctor, scheme.surgeon = published(
        scheme, world.a_doctor, world.a_surgeon, reviewer=reviewer, scores=("9", "6")
    )
    scheme.reviewer = reviewer
    scheme.refresh_from_db()
    return scheme


def totals(sheets):
    return {sheet.subject.label: (sheet.total, sheet.rank) for sheet in sheets}


def test_publication_keeps_version_1_of_every_score(scheme, world):
    [result] = Result.objects.filter(scheme=scheme)
    assert (result.number, result.reason) == (1, "发布")
    sheets = queries.result_sheets(result)
    assert totals(sheets) == {
        world.a_doctor.name: (Decimal("97.00"), 1),
        world.a_surgeon.name: (Decimal("53.00"), 2),
    }
    visits_leaf = scheme.indicators.get(name="来院次数")
    line = ResultLine.objects.get(result=result, subject=scheme.surgeon, indicator=visits_leaf)
    assert (line.figure, line.score) == (Decimal("5.00"), Decimal("50.00"))


def test_a_published_sheet_does_not_move_when_the_records_do(scheme, world):
    visits(world, world.a_surgeon, 1)
    assert totals(queries.sheets_of(scheme))[world.a_surgeon.name] == (Decimal("53.00"), 2)


def test_an_upheld_appeal_scores_again_and_keeps_the_history(scheme, world):
    appeal = result_services.appeal_file(
        subject=scheme.surgeon, indicator=None, reason="六月一次坐诊漏登", by=world.trainee
    )
    visits(world, world.a_surgeon, 1)  # the visit found missing, recorded
    resolved = result_services.appeal_resolve(
        appeal=appeal, upheld=True, resolution="经核实补登一次", by=world.commission
    )
    assert resolved.status == Appeal.Status.UPHELD
    assert (resolved.result.number, resolved.result.reason) == (
        2,
        f"采纳申诉：{world.a_surgeon.name} · 总分",
    )
    # 6 visits → 60 × 0.7 = 42.00, + 18.00: 60.00.
    assert totals(queries.sheets_of(scheme))[world.a_surgeon.name] == (Decimal("60.00"), 2)
    history = queries.score_history(scheme.surgeon)
    assert [(v.result.number, v.total) for v in history] == [
        (2, Decimal("60.00")),
        (1, Decimal("53.00")),
    ]
    [(indicator, before, after)] = history[0].changed
    assert (indicator.name, before, after) == ("来院次数", Decimal("50.00"), Decimal("60.00"))
    # The other subject's scores did not change.
    assert queries.score_history(scheme.doctor)[0].total == Decimal("97.00")


def test_a_rejected_appeal_leaves_the_scores_and_says_why(scheme, world):
    appeal = result_services.appeal_file(
        subject=scheme.surgeon, indicator=None, reason="不服", by=None
    )
    resolved = result_services.appeal_resolve(
        appeal=appeal, upheld=False, resolution="记录无误", by=world.commission
    )
    assert (resolved.status, resolved.resolution, resolved.result) == ("rejected", "记录无误", None)
    assert Result.objects.filter(scheme=scheme).count() == 1
    with pytest.raises(ValidationError) as refused:
        result_services.appeal_resolve(appeal=resolved, upheld=True, resolution="再议", by=None)
    assert refused.value.message_dict == {"status": ["该申诉已处理。"]}


def test_appeals_are_refused_on_a_draft_twice_at_once_and_without_reasons(scheme, world):
    draft, _visits = visits_scheme(world.a.commission_region, name="草稿")
    subject = services.subject_add(scheme=draft, by=None, person=world.a_doctor)
    with pytest.raises(ValidationError) as refused:
        result_services.appeal_file(subject=subject, indicator=None, reason=" ", by=None)
    assert refused.value.message_dict == {
        "subject": ["考核结果尚未发布，不能申诉。"],
        "reason": ["请填写申诉理由。"],
    }
    result_services.appeal_file(subject=scheme.surgeon, indicator=None, reason="漏登", by=None)
    with pytest.raises(ValidationError) as twice:
        result_services.appeal_file(subject=scheme.surgeon, indicator=None, reason="又一", by=None)
    assert twice.value.message_dict == {"indicator": ["该项已有待处理的申诉。"]}
    appeal = Appeal.objects.get()
    with pytest.raises(ValidationError) as bare:
        result_services.appeal_resolve(appeal=appeal, upheld=True, resolution="", by=None)
    assert bare.value.message_dict == {"resolution": ["请填写处理意见。"]}


def test_a_reviewer_changes_a_published_score_only_while_an_appeal_is_open(scheme, world):
    manual = scheme.indicators.get(name="带教评价")
    change = {"subject": scheme.surgeon, "indicator": manual, "by": scheme.reviewer}
    with pytest.raises(ValidationError) as refused:
        services.manual_score_set(value=Decimal(8), **change)
    assert refused.value.message_dict == {"value": ["考核结果已发布，只能在处理申诉时改分。"]}
    appeal = result_services.appeal_file(
        subject=scheme.surgeon, indicator=manual, reason="评分偏低", by=None
    )
    services.manual_score_set(value=Decimal(8), **change)
    result_services.appeal_resolve(appeal=appeal, upheld=True, resolution="复评", by=None)
    # 35.00 + 80 × 0.3 = 24.00: 59.00.
    assert totals(queries.sheets_of(scheme))[world.a_surgeon.name] == (Decimal("59.00"), 2)


def test_a_published_scheme_is_not_edited_but_copied(scheme, world):
    with pytest.raises(ValidationError) as refused:
        services.scheme_update(scheme=scheme, by=None, name="改名")
    assert refused.value.message_dict == {
        "status": ["方案已发布，不能再修改；可复制为下一周期的方案。"]
    }
    copy = services.scheme_copy(
        scheme=scheme,
        cycle_start=datetime.date(2026, 1, 1),
        cycle_end=datetime.date(2026, 12, 31),
        by=None,
    )
    assert copy.status == Scheme.Status.DRAFT and copy.copied_from == scheme
    assert [i.name for i in copy.indicators.all()] == ["来院次数", "带教评价"]
    assert sorted(s.label for s in copy.subjects.all()) == sorted(
        [world.a_doctor.name, world.a_surgeon.name]
    )


def test_the_tree_refuses_a_child_under_a_leaf_and_a_loop(scheme, world):
    draft, leaf = visits_scheme(world.a.commission_region, name="草稿")
    with pytest.raises(ValidationError) as under_leaf:
        services.indicator_save(scheme=draft, by=None, parent=leaf, name="子项", weight=Decimal(10))
    assert under_leaf.value.message_dict == {
        "parent": ["上级指标“来院次数”已设置计分来源，不能再有下级指标。"]
    }
    group = services.indicator_save(scheme=draft, by=None, name="分组", weight=Decimal(0))
    child = services.indicator_save(
        scheme=draft, by=None, parent=group, name="子组", weight=Decimal(100)
    )
    with pytest.raises(ValidationError) as loop:
        services.indicator_save(scheme=draft, by=None, indicator=group, parent=child)
    assert loop.value.message_dict == {"parent": ["上级指标不能是本指标或其下级。"]}


def test_a_subject_is_bound_to_what_its_scheme_scores(world):
    draft, _leaf = visits_scheme(world.a.commission_region, name="草稿")
    with pytest.raises(ValidationError) as unbound:
        services.subject_add(scheme=draft, by=None, label="某专家")
    assert unbound.value.message_dict == {"person": ["该方案的考核对象须选择人员。"]}
    subject = services.subject_add(scheme=draft, by=None, person=world.a_doctor)
    assert (subject.label, subject.institution, subject.department) == (
        world.a_doctor.name,
        world.a,
        world.a_doctor.department,
    )
