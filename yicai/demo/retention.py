"""留 in the demo district, made through the retention services, as Baoshan's: the district's
talent fund with its yearly appropriations, and the public-welfare fund for 师带徒 with its
donors (about 2,000,000 yuan, as Changtai's) and what it paid; the district's incentive policy
of 2021 (《卫生健康人才激励办法》): rewards for promotions to 正高 and 副高 whose amounts rose
last year, and studio subsidies by tier (200,000 / 100,000 / 80,000 a year for three years);
each past year's award run prepared by the talent officer and approved by the commission's
approver (one line reversed: a title recorded in error), last year's run waiting for approval.
Deterministic; loaded once."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from yicai.access.models import User
from yicai.codes.queries import code_for
from yicai.demo import region as blueprint
from yicai.org.models import Institution, Region
from yicai.people.models import Person
from yicai.retention.models import Competition, Entry, Fund, Policy, Reception, Rule
from yicai.retention.queries.awards import run_total
from yicai.retention.queries.funds import lowest_balance_from
from yicai.retention.services import awards, competitions, funds, hospitality, policies, promotions
from yicai.training.models import Visit

TALENT_FUND = "区卫生健康人才发展专项资金"
WELFARE_FUND = "名医师带徒公益基金"
ISSUED = datetime.date(2021, 1, 1)
DAY = datetime.timedelta(days=1)
YEARLY = Decimal("800000.00")
DONATIONS = (
    (datetime.date(2021, 3, 18), "区慈善基金会", "800000.00"),
    (datetime.date(2021, 9, 6), "某医药集团有限公司", "700000.00"),
    (datetime.date(2022, 5, 20), "区医学会", "300000.00"),
    (datetime.date(2023, 4, 12), "某医疗器械有限公司", "200000.00"),
)
WELFARE_SPENT = (
    (datetime.date(2021, 12, 20), Entry.Kind.SUBSIDY, "2021年度师带徒结对补助", "360000.00"),
    (datetime.date(2022, 12, 20), Entry.Kind.SUBSIDY, "2022年度师带徒结对补助", "420000.00"),
    (
        datetime.date(2023, 6, 8),
        Entry.Kind.HOSPITALITY,
        "上海专家驻点接待（专家公寓、接送）",
        "86500.00",
    ),
    (datetime.date(2023, 12, 20), Entry.Kind.SUBSIDY, "2023年度师带徒结对补助", "435000.00"),
)


def is_loaded() -> bool:
    return Fund.objects.filter(name=TALENT_FUND).exists()


def load_retention(*, today: datetime.date) -> int:
    """The funds, the policy and its runs; how many ledger entries were made (none when they
    were there already)."""
    if is_loaded() or today.year < 2023:
        return 0
    region = Region.objects.filter(code=blueprint.COMMISSION_REGION).first()
    officer = User.objects.filter(username="commission").first()
    approver = User.objects.filter(username="finance").first()
    if region is None or officer is None or approver is None:
        return 0
    with transaction.atomic():
        talent = _talent_fund(region, today)
        welfare = _welfare_fund(region, today)
        policy = _policy(region, talent, today)
        _promotion_round(region, officer, today.year - 1)
        _competitions(region, today)
        _runs(policy, talent, officer, approver, today)
        _lodge(region, welfare, officer, today)
    return Entry.objects.count()


def _talent_fund(region: Region, today: datetime.date) -> Fund:
    fund = funds.fund_create(by=None, region=region, name=TALENT_FUND, kind=Fund.Kind.TALENT)
    for year in range(ISSUED.year, today.year + 1):
        day = datetime.date(year, 1, 15)
        if day <= today:
            _income(fund, day, Entry.Kind.APPROPRIATION, f"{year}年度区财政人才专项拨款", YEARLY)
    return fund


def _welfare_fund(region: Region, today: datetime.date) -> Fund:
    fund = funds.fund_create(
        by=None,
        region=region,
        name=WELFARE_FUND,
        kind=Fund.Kind.WELFARE,
        note="社会捐赠设立，用于名医师带徒结对补助和专家接待",
    )
    for day, donor, amount in DONATIONS:
        _income(fund, day, Entry.Kind.DONATION, f"{donor}捐赠", Decimal(amount), donor=donor)
    for day, kind, summary, amount in WELFARE_SPENT:
        funds.entry_record(
            fund=fund,
            by=None,
            on=day,
            direction=Entry.Direction.EXPENSE,
            kind=kind,
            amount=amount,
            summary=summary,
            voucher=f"FL{day:%Y%m%d}",
        )
    return fund


def _income(fund: Fund, day: datetime.date, kind: str, summary: str, amount: Decimal, **more):
    funds.entry_record(
        fund=fund,
        by=None,
        on=day,
        direction=Entry.Direction.INCOME,
        kind=kind,
        amount=amount,
        summary=summary,
        voucher=f"CZ{day:%Y%m%d}",
        **more,
    )


def _policy(region: Region, fund: Fund, today: datetime.date) -> Policy:
    policy = policies.policy_create(
        by=None,
        region=region,
        title="卫生健康人才激励办法",
        issuer="区卫生健康委员会",
        document_number="卫发〔2021〕3号",
        effective_from=ISSUED,
        fund=fund,
        note="晋升奖励自上年起提高；名医工作室按级别连续三年给予经费补助。",
    )
    raised = datetime.date(today.year - 1, 1, 1)
    for name, grade, before, after in (
        ("晋升正高级职称奖励", "senior", "50000", "60000"),
        ("晋升副高级职称奖励", "associate_senior", "20000", "25000"),
    ):
        policies.rule_add(
            policy=policy,
            by=None,
            name=name,
            fact=Rule.Fact.TITLE,
            title_grade=grade,
            amounts=[(ISSUED, before), (raised, after)],
        )
    for tier, label, amount in (
        ("national", "国家级", "200000"),
        ("provincial", "省级", "100000"),
        ("district", "区级", "80000"),
    ):
        policies.rule_add(
            policy=policy,
            by=None,
            name=f"{label}名医工作室经费补助",
            fact=Rule.Fact.STUDIO,
            tier=tier,
            schedule=Rule.Schedule.YEARLY,
            years=3,
            paid_as="subsidy",
            amounts=[(ISSUED, amount)],
        )
    policies.rule_add(
        policy=policy,
        by=None,
        name="区级技能竞赛第一名奖励",
        fact=Rule.Fact.COMPETITION,
        tier=Competition.Level.DISTRICT,
        rank_at_most=1,
        amounts=[(ISSUED, "5000")],
    )
    return policies.policy_publish(policy=policy, by=None, on=ISSUED)


# Sixian's senior-title round: (grade applied for, the title held below it, passed, failed,
# withdrawn). 68 applied, 52 passed: 10 正高, 42 副高.
ROUND = (("senior", "232", 10, 2, 0), ("associate_senior", "233", 42, 10, 4))


def _promotion_round(region: Region, officer: User, year: int) -> None:
    """The doctors (医师 series) who held the grade below for five years by the round's close
    apply, a hospital's at a time; the commission records the results at the end of
    September."""
    held = promotions.round_create(
        by=None,
        region=region,
        year=year,
        series=code_for("title", "230"),
        name=f"{year}年度卫生系列高级职称评审",
        opens_on=datetime.date(year, 3, 1),
        closes_on=datetime.date(year, 4, 30),
    )
    closes = datetime.date(year - 5, 4, 30)
    for grade, _below, *_counts in ROUND:
        promotions.requirement_set(promotion_round=held, by=None, grade=grade, min_years=5)
    # Every application first: the round closes once a result is recorded.
    applied = {}
    for grade, below, passed, failed, withdrawn in ROUND:
        people = (
            Person.objects.filter(
                current_title__code=below,
                institution__commission_region=region,
                titles__title__code=below,
                titles__obtained_on__lte=closes,
            )
            .distinct()
            .order_by("institution_id", "name_pinyin", "pk")[: passed + failed + withdrawn]
        )
        applied[grade] = [
            promotions.application_create(
                by=None,
                promotion_round=held,
                person=person,
                grade=grade,
                applied_on=datetime.date(year, 4, 10),
            )
            for person in people
        ]
    for grade, _below, passed, failed, withdrawn in ROUND:
        start = 0
        for result, count in (("passed", passed), ("failed", failed), ("withdrawn", withdrawn)):
            chosen = applied[grade][start : start + count]
            start += count
            if chosen:
                promotions.results_record(
                    promotion_round=held,
                    by=None,
                    applications=chosen,
                    result=result,
                    on=datetime.date(year, 9, 30),
                )


def _competitions(region: Region, today: datetime.date) -> None:
    """Last year's district surgical skill competition, finished; this year's nursing team
    competition with its first scores in."""
    year = today.year - 1
    surgery = competitions.competition_create(
        by=None,
        region=region,
        name=f"{year}年度外科技术比武",
        specialty="外科",
        level=Competition.Level.DISTRICT,
        held_on=datetime.date(year, 5, 18),
        trim_extremes=True,
    )
    rounds = [
        competitions.round_add(competition=surgery, by=None, name=name, weight=Decimal(weight))
        for name, weight in (("理论考试", 30), ("技能操作", 70))
    ]
    surgeons = Person.objects.filter(
        institution__commission_region=region,
        department__name__contains="外科",
        category=Person.Category.STAFF,
        personnel_category__code="11",
    ).order_by("institution_id", "name_pinyin", "pk")[:8]
    for number, person in enumerate(surgeons):
        entrant = competitions.entrant_add(competition=surgery, by=None, person=person)
        for round_ in rounds:
            for judge in range(1, 6):
                base = 92 - number * 2 - (judge % 3)
                competitions.score_record(
                    round=round_,
                    entrant=entrant,
                    by=None,
                    judge=f"评委{judge}",
                    score=Decimal(base + (3 if judge == 1 else 0)),
                )
    competitions.competition_finish(
        competition=surgery, by=None, honours=[("一等奖", 1), ("二等奖", 2), ("三等奖", 3)]
    )
    nursing = competitions.competition_create(
        by=None,
        region=region,
        name=f"{today.year}年度护理技能竞赛（团体）",
        specialty="护理",
        level=Competition.Level.DISTRICT,
        held_on=today,
        teams=True,
    )
    practice = competitions.round_add(
        competition=nursing, by=None, name="急救技能", weight=Decimal(100)
    )
    for institution in Institution.objects.filter(
        commission_region=region, relation=Institution.Relation.MANAGED
    ).order_by("-grade", "id")[:3]:
        nurses = list(
            Person.objects.filter(
                institution=institution, personnel_category__code="13", category="staff"
            ).order_by("name_pinyin", "pk")[:3]
        )
        if len(nurses) < 2:
            continue
        team = competitions.entrant_add(
            competition=nursing,
            by=None,
            institution=institution,
            team_name=f"{institution.short_name or institution.name}护理队",
            members=nurses,
        )
        competitions.score_record(round=practice, entrant=team, by=None, judge="评委1", score="90")


def _lodge(region: Region, welfare: Fund, officer: User, today: datetime.date) -> None:
    """The district's expert lodge: a room for each visit of an expert from outside, the night
    before to the day after, their pick-up at the station; stays before today charged to the
    welfare fund."""
    lodge = hospitality.lodge_create(
        by=None,
        region=region,
        name="区人才公寓（专家驻点）",
        address="区人才公寓3号楼",
        rooms=["301", "302", "303", "305", "306", "308"],
    )
    rooms = list(lodge.rooms.order_by("number"))
    visits = (
        Visit.objects.filter(
            expert__category=Person.Category.EXTERNAL_EXPERT,
            held_on__gte=today - datetime.timedelta(days=120),
        )
        .select_related("expert", "institution")
        .order_by("held_on", "pk")
    )
    for visit in visits:
        arrives, leaves = visit.held_on - DAY, visit.held_on + DAY
        for room in rooms:
            try:
                booking = hospitality.booking_create(
                    by=officer,
                    room=room,
                    guest=visit.expert,
                    visit=visit,
                    arrives_on=arrives,
                    leaves_on=leaves,
                )
            except ValidationError:
                continue  # that room is taken those nights: the next one
            break
        else:
            continue
        hospitality.reception_create(
            by=officer,
            guest=visit.expert,
            visit=visit,
            institution=visit.institution,
            kind=Reception.Kind.PICK_UP,
            at=timezone.make_aware(datetime.datetime.combine(arrives, datetime.time(16, 30))),
            place="上海虹桥站",
            staff="区卫健委人才科 王干事",
        )
        if leaves <= today:
            hospitality.hospitality_charge(
                record=booking,
                by=officer,
                fund=welfare,
                amount=Decimal(2 * 280),
                on=leaves,
                voucher=f"JD{leaves:%Y%m%d}{booking.pk}",
            )


def _runs(policy: Policy, fund: Fund, officer: User, approver: User, today: datetime.date) -> None:
    """A run a year: approved the next January, but last year's, waiting for the approver."""
    for year in range(ISSUED.year, today.year):
        start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        if not awards.proposals(policy, start, end):
            continue
        run = awards.award_run_prepare(
            policy=policy, by=officer, period_start=start, period_end=end
        )
        if year == today.year - 1:
            break  # last year's waits for the approver
        approved_on = min(datetime.date(year + 1, 1, 20), today)
        short = run_total(run) - lowest_balance_from(fund, approved_on)
        if short > 0:
            _income(fund, approved_on, Entry.Kind.APPROPRIATION, f"{year}年度追加拨款", short)
        awards.award_run_approve(run=run, by=approver, on=approved_on)
        if year == ISSUED.year + 1:
            paid = Entry.objects.filter(award__run=run).order_by("id").first()
            if paid is not None:
                funds.entry_reverse(
                    entry=paid,
                    by=officer,
                    reason="职称取得时间登记有误，不属本年度",
                    on=approved_on + datetime.timedelta(days=30),
                )
