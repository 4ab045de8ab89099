"""A scheme with automatic, manual, basic-task, competitive and linked indicators, scored and
checked against values computed by hand (the arithmetic is written beside each figure).

Experts' scheme, 2025 (the total is 60 basic + 40 competitive):
  基础任务 60: 来院次数 50 (target 10, pass line 50 %), 授课次数 20 (target 4),
               带教评价 30 (manual, out of 10)
  竞赛激励 40: 手术指导台次 50 (competitive), 徒弟成长 50 (linked)
Apprentices' scheme, 2025: 独立完成病例 100 (target 5).
E1 is linked to A1 (weight 60) and A2 (40), E2 to A3; E3 to nobody.
"""

import copy
import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests import factories
from tests.builders import rolled_back_at_module_end
from yicai.evaluation.models import Indicator, ManualScore, Scheme, Subject, SubjectLink
from yicai.evaluation.scoring import Scorer, ranks, scheme_sheets
from yicai.evaluation.services import schemes as services
from yicai.training.models import CaseLog, Technique, Visit

pytestmark = pytest.mark.django_db

D = Decimal
AUTO, MANUAL, LINKED = Indicator.Source.AUTOMATIC, Indicator.Source.MANUAL, Indicator.Source.LINKED
BASIC, COMPETITIVE = Indicator.Mode.BASIC, Indicator.Mode.COMPETITIVE
IN_2025 = datetime.date(2025, 5, 10)


def leaf(scheme, name, weight, parent=None, **fields):
    return Indicator.objects.create(
        scheme=scheme, parent=parent, name=name, weight=D(weight), **fields
    )


class Region:
    """Two schemes of the 2025 cycle and the records they read."""

    def __init__(self):
        self.hospital = factories.institution("甲区中心医院")
        self.partner = factories.institution("沪上合作医院", relation="partner", located="310104")
        self.reviewer = factories.user("reviewer")
        self.experts = {
            key: factories.person(self.partner, name, category="external_expert")
            for key, name in (("E1", "孙名医"), ("E2", "钱名医"), ("E3", "李名医"))
        }
        self.apprentices = {
            key: factories.person(self.hospital, name)
            for key, name in (("A1", "赵一"), ("A2", "赵二"), ("A3", "赵三"))
        }
        cycle = {"cycle_start": datetime.date(2025, 1, 1), "cycle_end": datetime.date(2025, 12, 31)}
        region = factories.region("310113")
        self.expert_scheme = Scheme.objects.create(
            region=region, name="名医考核", subject_type=Scheme.SubjectType.EXPERT, **cycle
        )
        self.apprentice_scheme = Scheme.objects.create(
            region=region, name="徒弟考核", subject_type=Scheme.SubjectType.APPRENTICE, **cycle
        )
        s = self.expert_scheme
        basic = leaf(s, "基础任务", 60)
        self.visits = leaf(
            s,
            "来院次数",
            50,
            basic,
            source=AUTO,
            mode=BASIC,
            metric="visits_made",
            target=D(10),
            pass_line=D(50),
        )
        leaf(s, "授课次数", 20, basic, source=AUTO, mode=BASIC, metric="lectures", target=D(4))
        self.teaching = leaf(
            s,
            "带教评价",
            30,
            basic,
            source=MANUAL,
            mode=BASIC,
            scale_max=D(10),
            reviewer=self.reviewer,
        )
        competitive = leaf(s, "竞赛激励", 40)
        self.operations = leaf(
            s,
            "手术指导台次",
            50,
            competitive,
            source=AUTO,
            mode=COMPETITIVE,
            metric="guided_operations",
        )
        self.growth = leaf(s, "徒弟成长", 50, competitive, source=LINKED)
        self.basic, self.competitive = basic, competitive
        leaf(
            self.apprentice_scheme,
            "独立完成病例",
            100,
            source=AUTO,
            mode=BASIC,
            metric="verified_independent_cases",
            target=D(5),
        )
        self.subjects = {
            key: Subject.objects.create(scheme=s, label=key, person=person)
            for key, person in self.experts.items()
        } | {
            key: Subject.objects.create(
                scheme=self.apprentice_scheme, label=key, person=person, institution=self.hospital
            )
            for key, person in self.apprentices.items()
        }
        subject = self.subjects
        for mentor, apprentice, weight in (("E1", "A1", 60), ("E1", "A2", 40), ("E2", "A3", 100)):
            services.link_add(
                subject=subject[mentor],
                indicator=self.growth,
                linked=subject[apprentice],
                weight=D(weight),
                by=None,
            )
        for key, value in (("E1", "9"), ("E2", "7.5")):
            services.manual_score_set(
                subject=subject[key], indicator=self.teaching, value=D(value), by=self.reviewer
            )
        # E1: 12 visits (2 lectures, 2 surgery guidances of 3 and 4 operations);
        # E2: 6 (1 online lecture, 1 guidance of 7); E3: 8 (2 lectures, 1 guidance of 2), and
        # one in 2024, outside the cycle.
        self.visit("E1", "clinic", 8)
        self.visit("E1", "lecture", 2)
        self.visit("E1", "surgery_guidance", 1, operations=3)
        self.visit("E1", "surgery_guidance", 1, operations=4)
        self.visit("E2", "clinic", 4)
        self.visit("E2", "online_teaching", 1)
        self.visit("E2", "surgery_guidance", 1, operations=7)
        self.visit("E3", "clinic", 5)
        self.visit("E3", "lecture", 2)
        self.visit("E3", "surgery_guidance", 1, operations=2)
        self.visit("E3", "clinic", 1, on=datetime.date(2024, 12, 31))
        self.technique = Technique.objects.create(
            institution=self.hospital,
            name="经皮冠状动脉介入",
            category="intervention",
            origin="own",
        )
        # Verified independent cases: A1 6, A2 3, A3 2; and what does not count: A3's
        # unverified case, its verified case as an assistant, its case of 2024.
        for key, count in (("A1", 6), ("A2", 3), ("A3", 2)):
            for _ in range(count):
                self.case(key)
        self.case("A3", verified=False)
        self.case("A3", role=CaseLog.Role.ASSISTED)
        self.case("A3", on=datetime.date(2024, 6, 1))

    def visit(self, key, kind, times, *, operations=0, on=IN_2025):
        Visit.objects.bulk_create(
            Visit(
                expert=self.experts[key],
                kind=kind,
                institution=self.hospital,
                held_on=on,
                operations=operations,
            )
            for _ in range(times)
        )

    def case(self, key, *, verified=True, role=CaseLog.Role.INDEPENDENT, on=IN_2025):
        return CaseLog.objects.create(
            apprentice=self.apprentices[key],
            technique=self.technique,
            performed_on=on,
            role=role,
            verified_at=timezone.now() if verified else None,
        )


@pytest.fixture(scope="module")
def _region(django_db_setup, django_db_blocker):
    """Built once for the module; each test changes it inside its own savepoint."""
    with rolled_back_at_module_end(django_db_blocker):
        yield Region()


@pytest.fixture
def region(_region, db):
    return copy.deepcopy(_region)  # a test's in-memory changes stay in that test


def sheets_by_label(scheme):
    return {sheet.subject.label: sheet for sheet in scheme_sheets(scheme)}


def scores(sheet, *indicators):
    return [sheet.cells[indicator.pk].score for indicator in indicators]


def test_every_score_rank_and_linked_score_is_the_hand_computed_one(region):
    apprentices = sheets_by_label(region.apprentice_scheme)
    # 6/5 → capped at 100; 3/5 = 60 %; 2/5 = 40 % (the unverified, assisted and 2024 cases
    # do not count).
    assert {key: s.total for key, s in apprentices.items()} == {
        "A1": D("100.00"),
        "A2": D("60.00"),
        "A3": D("40.00"),
    }
    assert [apprentices[k].rank for k in ("A1", "A2", "A3")] == [1, 2, 3]

    sheets = sheets_by_label(region.expert_scheme)
    e1, e2, e3 = sheets["E1"], sheets["E2"], sheets["E3"]
    r = region
    # Figures read from the records (2024's visit left out).
    assert [e1.cells[r.visits.pk].figure, e2.cells[r.visits.pk].figure] == [D(12), D(6)]
    assert e3.cells[r.visits.pk].figure == D(8)
    assert [s.cells[r.operations.pk].figure for s in (e1, e2, e3)] == [D(7), D(7), D(2)]
    # E1: visits 12/10 → 100; lectures 2/4 → 50; teaching 9/10 → 90;
    #     basic (50·100 + 20·50 + 30·90)/100 = 87; operations 7, tied first of 3 → 100;
    #     growth (60·100 + 40·60)/100 = 84; competitive (50·100 + 50·84)/100 = 92;
    #     total (60·87 + 40·92)/100 = 89.
    assert e1.cells[r.growth.pk].figure == D("84.00")
    assert scores(e1, r.visits, r.teaching, r.operations, r.growth) == [
        D("100.00"),
        D("90.00"),
        D("100.00"),
        D("84.00"),
    ]
    assert scores(e1, r.basic, r.competitive) == [D("87.00"), D("92.00")]
    assert e1.total == D("89.00")
    # E2: visits 6/10 → 60 (above the 50 % pass line); lectures 1/4 → 25; teaching 75;
    #     basic (3000 + 500 + 2250)/100 = 57.5; operations tied first → 100 (rank 1, not 2);
    #     growth A3's 40; competitive (5000 + 2000)/100 = 70; total (3450 + 2800)/100 = 62.5.
    assert e2.cells[r.operations.pk].rank == 1 and e1.cells[r.operations.pk].rank == 1
    assert scores(e2, r.basic, r.competitive) == [D("57.50"), D("70.00")]
    assert e2.total == D("62.50")
    # E3: visits 8/10 → 80; lectures 2/4 → 50; teaching not scored (no data, counts 0);
    #     basic (4000 + 1000 + 0)/100 = 50; operations third of 3 → 0; growth: no links (no
    #     data, counts 0); competitive 0; total (60·50 + 40·0)/100 = 30.
    assert e3.cells[r.operations.pk].rank == 3
    assert e3.cells[r.teaching.pk].figure is None and e3.cells[r.growth.pk].figure is None
    assert scores(e3, r.basic, r.competitive) == [D("50.00"), D("0.00")]
    assert e3.total == D("30.00")
    assert [s.rank for s in (e1, e2, e3)] == [1, 2, 3]


def test_a_scheme_that_renormalises_leaves_out_what_has_no_data(region):
    Scheme.objects.filter(pk=region.expert_scheme.pk).update(renormalise=True)
    region.expert_scheme.refresh_from_db()
    sheets = sheets_by_label(region.expert_scheme)
    # E3: basic (50·80 + 20·50)/70 = 71.43; competitive (50·0)/50 = 0;
    #     total (60·71.43 + 40·0)/100 = 42.858 → 42.86. E1 and E2 have every figure.
    assert scores(sheets["E3"], region.basic, region.competitive) == [D("71.43"), D("0.00")]
    assert sheets["E3"].total == D("42.86")
    assert [sheets["E1"].total, sheets["E2"].total] == [D("89.00"), D("62.50")]


def test_below_the_pass_line_a_basic_task_scores_nothing(region):
    # E2's 6 visits are 60 % of 10; with a pass line of 70 % they score 0, not 60.
    Indicator.objects.filter(pk=region.visits.pk).update(pass_line=D(70))
    e2 = sheets_by_label(region.expert_scheme)["E2"]
    assert e2.cells[region.visits.pk].score == D("0.00")
    # basic (0 + 500 + 2250)/100 = 27.5; total (60·27.5 + 40·70)/100 = 44.5
    assert e2.total == D("44.50")


def test_one_more_verified_case_changes_exactly_the_scores_it_should(region):
    def every_sheet():
        return {
            **sheets_by_label(region.apprentice_scheme),
            **sheets_by_label(region.expert_scheme),
        }

    before = every_sheet()
    region.case("A3")
    after = every_sheet()
    changed = {key for key in before if before[key].total != after[key].total}
    assert changed == {"A3", "E2"}
    # A3: 3/5 → 60; E2's growth 60, competitive (50·100 + 50·60)/100 = 80,
    # total (60·57.5 + 40·80)/100 = 66.5.
    assert after["A3"].total == D("60.00")
    assert after["E2"].cells[region.growth.pk].score == D("60.00")
    assert after["E2"].total == D("66.50")


def test_competition_ranks_share_a_place_and_skip_the_next():
    assert ranks({1: D(7), 2: D(7), 3: D(2), 4: D(9)}) == {4: 1, 1: 2, 2: 2, 3: 4}


def test_scoring_costs_the_same_queries_for_more_subjects(region):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            scheme_sheets(region.expert_scheme)
        return len(captured)

    few = queries()
    for index in range(5):
        person = factories.person(region.partner, f"周专家{index}", category="external_expert")
        Subject.objects.create(scheme=region.expert_scheme, label=f"E{4 + index}", person=person)
    assert queries() == few


def test_sibling_weights_must_sum_to_100_before_publication(region):
    Indicator.objects.filter(pk=region.visits.pk).update(weight=D(55))
    problems = services.scheme_problems(region.expert_scheme)
    assert problems == ["“基础任务”下各指标权重合计为 105，应为 100。"]
    with pytest.raises(ValidationError) as refused:
        services.scheme_publish(scheme=region.expert_scheme, by=None)
    assert "105" in str(refused.value)
    region.expert_scheme.refresh_from_db()
    assert region.expert_scheme.status == Scheme.Status.DRAFT

    Indicator.objects.filter(pk=region.visits.pk).update(weight=D(50))
    published = services.scheme_publish(scheme=region.expert_scheme, by=None)
    assert published.status == Scheme.Status.PUBLISHED and published.published_at is not None


def test_a_leaf_says_what_it_lacks(region):
    Indicator.objects.filter(pk=region.teaching.pk).update(reviewer=None, scale_max=None)
    Indicator.objects.filter(pk=region.growth.pk).update(mode=COMPETITIVE)
    assert services.scheme_problems(region.expert_scheme) == [
        "人工评分指标“带教评价”须填写满分。",
        "人工评分指标“带教评价”须指定评分人。",
        "关联得分指标“徒弟成长”按完成度计分，不能设为竞赛激励。",
    ]


def test_a_link_that_would_make_a_score_depend_on_itself_is_refused(region):
    subject = region.subjects
    services.link_add(subject=subject["E2"], indicator=region.growth, linked=subject["E3"], by=None)
    with pytest.raises(ValidationError) as refused:
        services.link_add(
            subject=subject["E3"], indicator=region.growth, linked=subject["E2"], by=None
        )
    assert refused.value.message_dict == {"linked": ["关联会形成循环：E3 → E2 → E3。"]}
    with pytest.raises(ValidationError) as refused:
        services.link_add(
            subject=subject["E1"], indicator=region.growth, linked=subject["E1"], by=None
        )
    assert refused.value.message_dict == {"linked": ["考核对象不能关联自己。"]}
    # The scores still come out (E3 is now part of E2's growth: (100·40 + 100·30)/200 = 35).
    assert sheets_by_label(region.expert_scheme)["E2"].cells[region.growth.pk].figure == D(35)


def test_only_the_named_reviewer_scores_and_within_the_scale(region):
    other = factories.user("someone")
    with pytest.raises(ValidationError) as refused:
        services.manual_score_set(
            subject=region.subjects["E3"], indicator=region.teaching, value=D(8), by=other
        )
    assert refused.value.message_dict == {"indicator": ["只有该指标指定的评分人可以评分。"]}
    with pytest.raises(ValidationError) as refused:
        services.manual_score_set(
            subject=region.subjects["E3"],
            indicator=region.teaching,
            value=D("10.5"),
            by=region.reviewer,
        )
    assert refused.value.message_dict == {"value": ["评分须在 0 至 10 之间。"]}
    assert not ManualScore.objects.filter(subject=region.subjects["E3"]).exists()


def test_a_scheme_is_copied_to_the_next_cycle_without_its_scores(region):
    next_year = {"cycle_start": datetime.date(2026, 1, 1), "cycle_end": datetime.date(2026, 12, 31)}
    alone = services.scheme_copy(scheme=region.expert_scheme, by=None, **next_year)
    # Copied before the apprentices' scheme: no link reaches the 2025 apprentices' scores.
    assert not SubjectLink.objects.filter(subject__scheme=alone).exists()
    apprentices = services.scheme_copy(scheme=region.apprentice_scheme, by=None, **next_year)
    copy = services.scheme_copy(scheme=region.expert_scheme, by=None, **next_year)
    assert copy.status == Scheme.Status.DRAFT and copy.copied_from == region.expert_scheme

    def tree(scheme):
        return sorted(
            (i.name, i.weight, i.parent.name if i.parent else None, i.source, i.mode, i.metric)
            for i in scheme.indicators.select_related("parent")
        )

    assert tree(copy) == tree(region.expert_scheme)
    assert sorted(copy.subjects.values_list("label", flat=True)) == ["E1", "E2", "E3"]
    # The links reach the apprentices' scheme of 2026, copied first; no manual score came.
    linked = sorted(
        (link.subject.label, link.linked.label, link.linked.scheme_id, link.weight)
        for subject in copy.subjects.all()
        for link in subject.links.select_related("subject", "linked")
    )
    assert linked == [
        ("E1", "A1", apprentices.pk, D(60)),
        ("E1", "A2", apprentices.pk, D(40)),
        ("E2", "A3", apprentices.pk, D(100)),
    ]
    assert not ManualScore.objects.filter(subject__scheme=copy).exists()
    # Nothing to score manually yet: E1 of 2026 has no teaching figure, and no visits.
    e1 = {s.subject.label: s for s in Scorer().scheme_sheets(copy)}["E1"]
    teaching = copy.indicators.get(name="带教评价")
    assert e1.cells[teaching.pk].figure is None
