"""Skill competitions: a round's score is its judges' mean (without the highest and lowest
where asked), the final the rounds' weighted sum; equal finals share a rank (1, 2, 2, 4);
finishing freezes ranks and honours (a tie at an honour's last place shares it), refused while
a round is unscored; a first place is a fact an incentive rule pays."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests import factories
from tests.retention.helpers import ISSUED, draft_policy, region_of, second_approver, talent_fund
from yicai.people.timeline import events_for
from yicai.retention.models import Rule
from yicai.retention.queries.competitions import standings
from yicai.retention.services import awards, competitions, policies

D = datetime.date


def _contest(world, **options):
    contest = competitions.competition_create(
        by=None,
        region=region_of(world),
        name="2023年度外科技术比武",
        specialty="外科",
        level="district",
        held_on=D(2023, 5, 20),
        **options,
    )
    theory = competitions.round_add(competition=contest, by=None, name="理论", weight=Decimal(40))
    skill = competitions.round_add(competition=contest, by=None, name="操作", weight=Decimal(60))
    return contest, theory, skill


def _scores(round_, entrant, *values):
    for number, value in enumerate(values, start=1):
        competitions.score_record(
            round=round_, entrant=entrant, by=None, judge=f"评委{number}", score=value
        )


def test_ranks_share_ties_and_honours_go_by_rank(world):
    contest, theory, skill = _contest(world)
    people = [world.a_doctor, world.a_surgeon, world.b_doctor, world.a_ward_nurse]
    entrants = [competitions.entrant_add(competition=contest, by=None, person=p) for p in people]
    # Finals: 90.00; 80.40 and 80.40 (tied: 32.40 + 48.00 and 31.20 + 49.20); 70.00.
    for entrant, (first, second) in zip(
        entrants, [("90", "90"), ("81", "80"), ("78", "82"), ("70", "70")], strict=True
    ):
        _scores(theory, entrant, first)
        _scores(skill, entrant, second)
    table = standings(contest)
    assert [(str(s.entrant), s.final, s.rank) for s in table] == [
        ("李心怡", Decimal("90.00"), 1),
        ("周外科", Decimal("80.40"), 2),
        ("陈全科", Decimal("80.40"), 2),
        ("赵护士", Decimal("70.00"), 4),
    ]
    competitions.competition_finish(
        competition=contest, by=None, honours=[("一等奖", 1), ("二等奖", 1), ("三等奖", 1)]
    )
    assert list(contest.entrants.order_by("rank", "id").values_list("rank", "honour")) == [
        (1, "一等奖"),
        (2, "二等奖"),
        (2, "二等奖"),  # tied at the second honour's only place: both receive it
        (4, ""),
    ]
    with pytest.raises(ValidationError, match="已结束"):
        _scores(theory, entrants[3], "99")


def test_judges_extremes_set_aside_and_what_is_refused(world):
    contest, theory, skill = _contest(world, trim_extremes=True)
    entrant = competitions.entrant_add(competition=contest, by=None, person=world.a_doctor)
    _scores(theory, entrant, "60", "85", "86", "87", "99")  # mean of 85, 86, 87
    assert standings(contest)[0].rounds[theory.pk] == Decimal("86.00")
    with pytest.raises(ValidationError) as bad:
        competitions.score_record(round=skill, entrant=entrant, by=None, judge="评委1", score="101")
    assert bad.value.message_dict == {"score": ["分数须在 0 到 100 之间。"]}
    with pytest.raises(ValidationError, match="两位小数"):
        competitions.score_record(
            round=skill, entrant=entrant, by=None, judge="评委1", score="9.999"
        )
    with pytest.raises(ValidationError, match="未评分：李心怡"):
        competitions.competition_finish(competition=contest, by=None, honours=[("一等奖", 1)])
    with pytest.raises(ValidationError, match="不能超过 100%"):
        competitions.round_add(competition=contest, by=None, name="加试", weight=Decimal(1))
    with pytest.raises(ValidationError, match="已报名"):
        competitions.entrant_add(competition=contest, by=None, person=world.a_doctor)


def test_a_team_and_a_first_place_paid_through_a_policy(world):
    contest = competitions.competition_create(
        by=None,
        region=region_of(world),
        name="护理技能竞赛",
        specialty="护理",
        level="district",
        held_on=D(2023, 9, 1),
        teams=True,
    )
    practice = competitions.round_add(
        competition=contest, by=None, name="实操", weight=Decimal(100)
    )
    nurse = factories.person(world.a, "钱护士", male=False, title="254")
    winners = competitions.entrant_add(
        competition=contest,
        by=None,
        institution=world.a,
        team_name="甲院护理队",
        members=[world.a_ward_nurse, nurse],
    )
    with pytest.raises(ValidationError, match="至少两名"):
        competitions.entrant_add(
            competition=contest,
            by=None,
            institution=world.b,
            team_name="乙队",
            members=[world.b_doctor],
        )
    _scores(practice, winners, "95")
    competitions.competition_finish(competition=contest, by=None, honours=[("一等奖", 1)])

    policy = draft_policy(world, talent_fund(world))
    policies.rule_add(
        policy=policy,
        by=None,
        name="区级竞赛第一名奖励",
        fact=Rule.Fact.COMPETITION,
        tier="district",
        rank_at_most=1,
        amounts=[(ISSUED, "3000")],
    )
    policies.policy_publish(policy=policy, by=world.commission, on=ISSUED)
    run = awards.award_run_prepare(
        policy=policy,
        by=second_approver(world),
        period_start=D(2023, 1, 1),
        period_end=D(2023, 12, 31),
    )
    assert sorted((line.person.name, line.amount, line.fact_label) for line in run.lines.all()) == [
        ("赵护士", Decimal("3000.00"), "2023-09-01 护理技能竞赛第1名（一等奖）"),
        ("钱护士", Decimal("3000.00"), "2023-09-01 护理技能竞赛第1名（一等奖）"),
    ]


def test_a_rank_and_a_promotion_are_on_the_persons_timeline(world):
    contest, theory, skill = _contest(world)
    entrant = competitions.entrant_add(competition=contest, by=None, person=world.a_doctor)
    _scores(theory, entrant, "88")
    _scores(skill, entrant, "90")
    competitions.competition_finish(competition=contest, by=None, honours=[("一等奖", 1)])
    events = [(e.date, e.kind, e.title, e.detail) for e in events_for(world.a_doctor)]
    assert (
        D(2023, 5, 20),
        "技能竞赛",
        "2023年度外科技术比武第1名",
        "一等奖 · 区（县）级",
    ) in events
