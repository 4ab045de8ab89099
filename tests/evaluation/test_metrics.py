"""The metrics an automatic indicator reads, each against figures counted by hand from records
made through the services: what falls outside the 2025 cycle, or is another subject's, is not
counted; a subject the metric cannot read has no data; `records` lists exactly what the figure
counts; and `compute` costs the same queries for one subject as for many."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.conftest import login
from tests.evaluation.builders import CYCLE_2025
from tests.evaluation.disciplines import figures as discipline_figures
from tests.recruitment.helpers import candidate_on_notice, published_plan
from tests.retention import care_records
from tests.retention.helpers import region_of
from tests.training import education
from tests.training.helpers import case, mentorship, technique
from yicai.evaluation.forms.schemes import IndicatorForm
from yicai.evaluation.metrics import METRICS
from yicai.evaluation.models import BOUND_TO, Indicator, Scheme, Subject
from yicai.evaluation.scoring import scheme_sheets
from yicai.evaluation.services import schemes as services
from yicai.recruitment import services as recruitment
from yicai.recruitment.models import Introduction
from yicai.retention.services import care, competitions
from yicai.training.models import CaseLog, MonthlyReport, Technique
from yicai.training.queries.education import requirement_for
from yicai.training.queries.mentoring import with_gap_dates
from yicai.training.services.activity import visit_record
from yicai.training.services.mentoring import case_log_verify, mentorship_create
from yicai.training.services.secondments import monthly_report_submit, secondment_create

pytestmark = pytest.mark.django_db

D = datetime.date
START, END = CYCLE_2025["cycle_start"], CYCLE_2025["cycle_end"]
T = Scheme.SubjectType


def subjects(world, subject_type, *bound, name=None):
    """A 2025 draft scoring `subject_type`, with a subject bound to each of `bound`."""
    scheme = services.scheme_create(
        by=None,
        region=world.a.commission_region,
        name=name or f"{subject_type}考核",
        subject_type=subject_type,
        **CYCLE_2025,
    )
    field = BOUND_TO[subject_type]
    # Numbered: two mentorships of one mentor at one hospital read alike.
    return [
        services.subject_add(scheme=scheme, by=None, label=f"{number}. {item}", **{field: item})
        for number, item in enumerate(bound, start=1)
    ]


def figures(key, subjects):
    """Each subject's figure, in order (None: no data); a count is the number of records its
    subject's list shows."""
    metric = METRICS[key]
    found = metric.compute(subjects, START, END)
    if metric.amount is None and metric.tally is None:
        for subject in subjects:
            shown = metric.records(subject, START, END).count()
            assert found.get(subject.pk, 0) == shown, (key, subject.label)
    return [found.get(subject.pk) for subject in subjects]


def listed(key, subject):
    return set(METRICS[key].records(subject, START, END).values_list("pk", flat=True))


def queries_for(key, subjects):
    with CaptureQueriesContext(connection) as captured:
        METRICS[key].compute(subjects, START, END)
    return len(captured)


def assert_one_query_for_all(key, subjects, queries=1):
    """As many queries for one subject as for all of them (and how many)."""
    assert queries_for(key, subjects[:1]) == queries_for(key, subjects) == queries


def numbers(*values):
    return [None if value is None else Decimal(value) for value in values]


# --- A mentorship's visits and cases -------------------------------------------------------


def test_a_mentorships_visits_and_cases_are_those_recorded_under_it(world):
    pair = mentorship(world)  # the partner's expert and A's cardiologist
    other = mentorship_create(
        mentor=world.partner_expert,
        apprentices=[world.a_surgeon],
        institution=world.a,
        start_on=D(2024, 9, 1),
    )

    def visit(kind, on, mentorship_=pair, operations=0):
        return visit_record(
            expert=world.partner_expert,
            kind=kind,
            institution=world.a,
            held_on=on,
            mentorship=mentorship_,
            operations=operations,
        )

    counted = [
        visit("clinic", D(2025, 4, 1)),
        visit("lecture", D(2025, 5, 1)),
        visit("surgery_guidance", D(2025, 6, 1), operations=3),
    ]
    visit("clinic", D(2025, 7, 1), mentorship_=None)  # the expert's, under no mentorship
    visit("clinic", D(2024, 12, 1))  # the last cycle's
    pairs = subjects(world, T.MENTORSHIP, pair, other)
    assert figures("visits_made", pairs) == numbers(3, 0)
    assert figures("lectures", pairs) == numbers(1, 0)
    assert figures("guided_operations", pairs) == numbers(3, 0)
    assert listed("visits_made", pairs[0]) == {v.pk for v in counted}
    [expert] = subjects(world, T.EXPERT, world.partner_expert)
    assert figures("visits_made", [expert]) == numbers(4)

    item = technique(world, "冠脉造影")
    under_pair = [
        verified(world, item, world.hospital_a, mentorship=pair, on=D(2025, 3, day))
        for day in (1, 2)
    ]
    verified(world, item, world.hospital_a, on=D(2025, 3, 3))  # under no mentorship
    verified(world, item, world.hospital_a, mentorship=other, apprentice=world.a_surgeon)
    assert figures("verified_independent_cases", pairs) == numbers(2, 1)
    assert listed("verified_independent_cases", pairs[0]) == {c.pk for c in under_pair}
    [apprentice] = subjects(world, T.APPRENTICE, world.a_doctor)
    assert figures("verified_independent_cases", [apprentice]) == numbers(3)
    assert_one_query_for_all("visits_made", pairs)


# --- Gaps filled --------------------------------------------------------------------------


def verified(world, technique_, user, **fields):
    log = case(world, technique_, **fields)
    return case_log_verify(case_log=log, user=user)


def test_gaps_filled_are_techniques_first_done_independently_in_the_cycle(world):
    pair = mentorship(world)  # the partner's expert and A's cardiologist
    filled = technique(world, "经桡动脉冠脉介入", department=world.a_cardiology, mentorship=pair)
    verified(world, filled, world.hospital_a, on=D(2025, 3, 1))
    verified(world, filled, world.hospital_a, on=D(2025, 4, 1))  # the same gap, once
    # Filled in 2024 (its 2025 case is no new gap), by A's surgeon, in surgery.
    earlier = technique(world, "腹腔镜疝修补", department=world.a_surgery)
    for day in (D(2024, 11, 1), D(2025, 4, 1)):
        verified(world, earlier, world.hospital_a, on=day, apprentice=world.a_surgeon)
    # Not filled: an independent case not verified, a verified one as an assistant.
    pending = technique(world, "心脏起搏器植入", department=world.a_cardiology, mentorship=pair)
    case(world, pending, on=D(2025, 5, 1))
    verified(world, pending, world.hospital_a, on=D(2025, 5, 2), role=CaseLog.Role.ASSISTED)
    at_b = technique(world, "社区糖尿病足护理", institution=world.b, department=world.b_medicine)
    verified(world, at_b, world.hospital_b, on=D(2025, 6, 1), apprentice=world.b_doctor)
    # The registry dates the same two gaps to 2025.
    registry = with_gap_dates(Technique.objects.all()).filter(gap_filled_on__year=2025)
    assert set(registry.values_list("pk", flat=True)) == {filled.pk, at_b.pk}

    institutions = subjects(world, T.INSTITUTION, world.a, world.b, world.partner)
    assert figures("gaps_filled", institutions) == numbers(1, 1, 0)
    assert listed("gaps_filled", institutions[0]) == {filled.pk}
    departments = subjects(
        world, T.DEPARTMENT, world.a_cardiology, world.a_surgery, world.b_medicine
    )
    assert figures("gaps_filled", departments) == numbers(1, 0, 1)
    assert listed("gaps_filled", departments[1]) == set()
    # An expert's gaps are those of the techniques their mentorships brought.
    experts = subjects(world, T.EXPERT, world.partner_expert, world.a_surgeon)
    assert figures("gaps_filled", experts) == numbers(1, 0)
    assert listed("gaps_filled", experts[0]) == {filled.pk}
    [pair_subject] = subjects(world, T.MENTORSHIP, pair)
    assert figures("gaps_filled", [pair_subject]) == numbers(1)
    assert_one_query_for_all("gaps_filled", departments)


# --- Secondment reports on time ----------------------------------------------------------


def at(day, hour, minute=0):
    """A moment of Shanghai's local time."""
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour, minute))


def report(secondment, month, submitted):
    made = monthly_report_submit(
        secondment=secondment, month=month, content="学习冠脉介入", person=secondment.person
    )
    # Submitted now (the clock of the test); moved to the moment it came in.
    MonthlyReport.objects.filter(pk=made.pk).update(submitted_at=submitted)
    return made


def test_reports_on_time_are_in_by_the_5th_of_the_next_month_local_time(world):
    doctor = secondment_create(
        person=world.a_doctor,
        host=world.partner,
        host_department="心内科",
        start_on=D(2025, 1, 1),
        linked_leader=world.a_surgeon,
    )
    nurse = secondment_create(
        person=world.a_ward_nurse,
        host=world.partner,
        host_department="心内科",
        start_on=D(2024, 12, 1),
        linked_leader=world.a_surgeon,
    )
    on_time = [
        report(doctor, D(2025, 1, 1), at(D(2025, 2, 3), 10)),
        # 23:30 on the 5th in Shanghai (15:30 UTC): in time.
        report(doctor, D(2025, 2, 1), at(D(2025, 3, 5), 23, 30)),
        report(nurse, D(2025, 1, 1), at(D(2025, 1, 31), 18)),
    ]
    # 00:30 on the 6th in Shanghai, still the 5th in UTC: late.
    report(doctor, D(2025, 3, 1), at(D(2025, 4, 6), 0, 30))
    report(doctor, D(2025, 4, 1), timezone.now())  # entered today: late
    report(nurse, D(2024, 12, 1), at(D(2025, 1, 2), 9))  # in time, a month of 2024
    trainees = subjects(world, T.APPRENTICE, world.a_doctor, world.a_ward_nurse, world.b_doctor)
    assert figures("reports_on_time", trainees) == numbers(2, 1, 0)
    assert listed("reports_on_time", trainees[0]) == {r.pk for r in on_time[:2]}
    # The linked leader's figure is the reports of the trainees they follow.
    leaders = subjects(world, T.LEADER, world.a_surgeon, world.a_doctor)
    assert figures("reports_on_time", leaders) == numbers(3, 0)
    assert listed("reports_on_time", leaders[0]) == {r.pk for r in on_time}
    assert_one_query_for_all("reports_on_time", trainees)


# --- Service tasks on time ----------------------------------------------------------------


def task(enrolment, recurrence, period):
    return enrolment.tasks.get(item__recurrence=recurrence, period=period)


def done(found, on):
    return care.task_complete(task=found, by=None, done_on=on, channel="phone")


def test_service_tasks_on_time_are_those_done_by_their_deadline(world):
    package = care_records.package(world)
    at_b = care_records.served(world, package, on=D(2024, 12, 10))
    at_a = care_records.served_at_a(world, package, on=D(2025, 1, 5))
    care.tasks_generate(D(2025, 2, 20))
    january = task(at_b, care_records.MONTHLY, "2025-01")
    counted = [done(january, january.due_on)]
    half = task(at_b, care_records.HALF, "2025H1")
    done(half, half.deadline + datetime.timedelta(days=1))  # late
    december = task(at_b, care_records.MONTHLY, "2024-12")
    done(december, december.due_on)  # in time, but due in 2024
    a_january = task(at_a, care_records.MONTHLY, "2025-01")
    counted.append(done(a_january, a_january.deadline))  # on its last day
    # February's tasks stay undone.
    institutions = subjects(world, T.INSTITUTION, world.b, world.a, world.partner)
    assert figures("service_tasks_on_time", institutions) == numbers(1, 1, 0)
    assert listed("service_tasks_on_time", institutions[0]) == {counted[0].pk}
    assert listed("service_tasks_on_time", institutions[1]) == {counted[1].pk}
    assert_one_query_for_all("service_tasks_on_time", institutions)


# --- Competition ranks --------------------------------------------------------------------


def contest(world, name, held_on, entries, *, teams=False, finish=True):
    """A competition of one round; `entries` (person or (team, members), score), ranked."""
    made = competitions.competition_create(
        by=None,
        region=region_of(world),
        name=name,
        specialty="内科",
        level="district",
        held_on=held_on,
        teams=teams,
    )
    round_ = competitions.round_add(competition=made, by=None, name="操作", weight=Decimal(100))
    entrants = []
    for who, score in entries:
        if teams:
            team_name, members = who
            entrant = competitions.entrant_add(
                competition=made,
                by=None,
                team_name=team_name,
                members=members,
                institution=members[0].institution,
            )
        else:
            entrant = competitions.entrant_add(competition=made, by=None, person=who)
        competitions.score_record(
            round=round_, entrant=entrant, by=None, judge="评委1", score=score
        )
        entrants.append(entrant)
    if finish:
        competitions.competition_finish(competition=made, by=None, honours=[("一等奖", 1)])
    return entrants


def test_competition_top_three_counts_places_and_each_team_members(world):
    b_nurse = factories.person(world.b, "吴护士", department=world.b_medicine, male=False)
    solo = contest(
        world,
        "2025年内科技能竞赛",
        D(2025, 5, 20),
        [(world.a_doctor, "90"), (world.a_surgeon, "85"), (world.b_doctor, "80")]
        + [(world.a_ward_nurse, "70")],
    )
    teams = contest(
        world,
        "2025年急救团体赛",
        D(2025, 9, 1),
        [(("甲院队", [world.a_doctor, world.a_ward_nurse]), "90")]
        + [(("乙中心队", [world.b_doctor, b_nurse]), "80")],
        teams=True,
    )
    contest(world, "2024年内科技能竞赛", D(2024, 5, 20), [(world.a_surgeon, "95")])
    contest(world, "2025年未结束竞赛", D(2025, 10, 1), [(world.a_ward_nurse, "99")], finish=False)
    people = subjects(
        world,
        T.APPRENTICE,
        world.a_doctor,
        world.a_surgeon,
        world.b_doctor,
        world.a_ward_nurse,
        world.partner_expert,
    )
    # 李心怡 first alone and with her team; 周外科 second (his 2024 first is another cycle's);
    # 陈全科 third alone, second with his team; 赵护士 fourth alone (no place), first with
    # her team (her open competition does not count yet).
    assert figures("competition_top_three", people) == numbers(2, 1, 2, 1, 0)
    assert listed("competition_top_three", people[0]) == {solo[0].pk, teams[0].pk}
    assert listed("competition_top_three", people[3]) == {teams[0].pk}
    # An institution's: its entrants' places, a team once.
    institutions = subjects(world, T.INSTITUTION, world.a, world.b)
    assert figures("competition_top_three", institutions) == numbers(3, 2)
    assert listed("competition_top_three", institutions[1]) == {solo[2].pk, teams[1].pk}
    assert_one_query_for_all("competition_top_three", people)


# --- CME credits met ----------------------------------------------------------------------


def credits(world, person, class_i, class_ii, on=education.DAY):
    education.external(world, person, on=on, credits=class_i)
    event = education.event(world, on=on, credits=class_ii, title=f"{person.name}的讲座")
    education.attend(event, person)


def test_cme_credits_met_counts_the_staff_who_met_the_years_requirement(world):
    # The national rule on file: 25 credits, class I at least 5, class II at least 15.
    rule = requirement_for(2025)
    assert (rule.total, rule.class_i, rule.class_ii) == (25, 5, 15)
    credits(world, world.a_doctor, "10", "15")  # 25: met
    credits(world, world.a_ward_nurse, "5", "20")  # 25: met
    credits(world, world.a_surgeon, "10", "14")  # 24: short of the total
    credits(world, world.b_doctor, "10", "15", on=D(2024, 3, 12))  # met in 2024, none in 2025
    people = subjects(
        world, T.APPRENTICE, world.a_doctor, world.a_surgeon, world.b_doctor, world.partner_expert
    )
    # 1 or 0 for a person (an external expert is no staff to count).
    assert figures("cme_credits_met", people) == numbers(1, 0, 0, 0)
    assert listed("cme_credits_met", people[0]) == {world.a_doctor.pk}
    assert listed("cme_credits_met", people[1]) == set()
    departments = subjects(
        world, T.DEPARTMENT, world.a_cardiology, world.a_cardio_ward, world.a_surgery
    )
    assert figures("cme_credits_met", departments) == numbers(1, 1, 0)
    institutions = subjects(world, T.INSTITUTION, world.a, world.b)
    assert figures("cme_credits_met", institutions) == numbers(2, 0)
    assert listed("cme_credits_met", institutions[0]) == {world.a_doctor.pk, world.a_ward_nurse.pk}
    # One query for the year's requirement, one for every subject's figure.
    assert_one_query_for_all("cme_credits_met", institutions, queries=2)


# --- Introductions and posts filled -------------------------------------------------------


def introduce(world, name, institution, on, department=None):
    person = factories.person(institution, name, department=department)
    return recruitment.introduction_create(
        by=None,
        person=person,
        institution=institution,
        department=department,
        introduced_on=on,
        mode=Introduction.Mode.FULL_TIME,
        category=Introduction.Category.SHORTAGE,
    )


def test_introductions_made_in_the_cycle_by_institution_and_department(world):
    counted = [
        introduce(world, "引进甲", world.a, D(2025, 3, 1), world.a_cardiology),
        introduce(world, "引进乙", world.a, D(2025, 8, 1), world.a_cardiology),
        introduce(world, "引进丙", world.a, D(2025, 6, 1)),  # no department named
    ]
    introduce(world, "引进丁", world.a, D(2024, 12, 31), world.a_surgery)
    at_b = introduce(world, "引进戊", world.b, D(2025, 1, 1), world.b_medicine)
    institutions = subjects(world, T.INSTITUTION, world.a, world.b, world.partner)
    assert figures("introductions_made", institutions) == numbers(3, 1, 0)
    assert listed("introductions_made", institutions[0]) == {i.pk for i in counted}
    departments = subjects(
        world, T.DEPARTMENT, world.a_cardiology, world.a_surgery, world.b_medicine
    )
    assert figures("introductions_made", departments) == numbers(2, 0, 1)
    assert listed("introductions_made", departments[2]) == {at_b.pk}
    assert_one_query_for_all("introductions_made", institutions)


def hired(world, institution, department, published_on, name):
    """A post of a plan published on `published_on`, its candidate hired the day after the
    notice (published + 68 days)."""
    plan = published_plan(
        world, institution, on=published_on, department=department, title=f"{name}的招聘计划"
    )
    application = candidate_on_notice(plan.posts.get(), name)
    day = published_on + datetime.timedelta(days=68)
    return recruitment.application_hire(application=application, on=day)


def test_posts_filled_are_the_hires_of_the_cycle(world):
    in_a = hired(world, world.a, world.a_cardiology, D(2025, 3, 1), "聘用甲")
    in_b = hired(world, world.b, world.b_medicine, D(2025, 4, 1), "聘用乙")
    assert (in_a.hired_on, in_b.hired_on) == (D(2025, 5, 8), D(2025, 6, 8))
    hired(world, world.a, world.a_cardiology, D(2024, 9, 1), "聘用丙")  # hired 2024-11-08
    hired(world, world.a, world.a_cardiology, D(2025, 11, 1), "聘用丁")  # hired 2026-01-08
    # On the notice, not yet hired.
    waiting = published_plan(
        world, world.a, on=D(2025, 6, 1), department=world.a_surgery, title="公示中的计划"
    )
    candidate_on_notice(waiting.posts.get(), "公示中")
    institutions = subjects(world, T.INSTITUTION, world.a, world.b)
    assert figures("posts_filled", institutions) == numbers(1, 1)
    assert listed("posts_filled", institutions[0]) == {in_a.pk}
    departments = subjects(
        world, T.DEPARTMENT, world.a_cardiology, world.a_surgery, world.b_medicine
    )
    assert figures("posts_filled", departments) == numbers(1, 0, 1)
    assert listed("posts_filled", departments[2]) == {in_b.pk}
    assert_one_query_for_all("posts_filled", departments)


# --- Discipline volumes and growth ----------------------------------------------------------


def test_discipline_volume_and_growth_read_the_cycles_year_and_the_one_before(world):
    cardiology = discipline_figures(world.a_cardiology, {2023: 700, 2024: 960, 2025: 1200})
    surgery = discipline_figures(world.a_surgery, {2025: 500})  # nothing of 2024
    discipline_figures(world.a_cardiology, {2025: 30000}, measure="outpatient_visits")
    discipline_figures(world.b_medicine, {2024: 0, 2025: 40})  # no base to grow from
    departments = subjects(
        world, T.DEPARTMENT, world.a_cardiology, world.a_surgery, world.b_medicine
    )
    assert figures("volume_interventions", departments) == numbers(1200, 500, 40)
    assert listed("volume_interventions", departments[0]) == {cardiology[2025].pk}
    # (1200 − 960) / 960 = 25.00 %; surgery and B's general practice have no growth: no data.
    assert figures("growth_interventions", departments) == numbers("25.00", None, None)
    assert listed("growth_interventions", departments[0]) == {
        cardiology[2024].pk,
        cardiology[2025].pk,
    }
    assert listed("growth_interventions", departments[1]) == {surgery[2025].pk}
    # A department with no figure of the year has no volume (not 0).
    [ward] = subjects(world, T.DEPARTMENT, world.a_cardio_ward, name="病区考核")
    assert figures("volume_interventions", [ward]) == [None]
    # An institution's: the sum over its departments, 1200 + 500 = 1700 against 960:
    # (1700 − 960) / 960 = 77.083 → 77.08 %.
    institutions = subjects(world, T.INSTITUTION, world.a, world.b)
    assert figures("volume_interventions", institutions) == numbers(1700, 40)
    assert figures("growth_interventions", institutions) == numbers("77.08", None)
    assert_one_query_for_all("growth_interventions", departments)
    assert_one_query_for_all("volume_interventions", institutions)


def test_a_department_scheme_scores_volume_and_growth_and_shows_no_data(world, client):
    discipline_figures(world.a_cardiology, {2024: 960, 2025: 1200})
    discipline_figures(world.a_surgery, {2025: 500})
    departments = subjects(
        world, T.DEPARTMENT, world.a_cardiology, world.a_surgery, world.b_medicine
    )
    scheme = departments[0].scheme
    growth = services.indicator_save(
        scheme=scheme,
        by=None,
        name="介入增长",
        weight=Decimal(50),
        source=Indicator.Source.AUTOMATIC,
        mode=Indicator.Mode.BASIC,
        metric="growth_interventions",
        target=Decimal(20),
    )
    volume = services.indicator_save(
        scheme=scheme,
        by=None,
        name="介入例数",
        weight=Decimal(50),
        source=Indicator.Source.AUTOMATIC,
        mode=Indicator.Mode.COMPETITIVE,
        metric="volume_interventions",
    )
    sheets = {sheet.subject.pk: sheet for sheet in scheme_sheets(scheme)}
    cardiology, surgery, general = (sheets[s.pk] for s in departments)
    # Cardiology: growth 25/20 → 100 (capped), volume first of two → 100: total 100.
    assert (cardiology.cells[growth.pk].score, cardiology.cells[volume.pk].rank) == (
        Decimal("100.00"),
        1,
    )
    assert cardiology.total == Decimal("100.00")
    # Surgery: no growth (counts 0), volume second of two → 0: total 0.
    assert surgery.cells[growth.pk].figure is None and surgery.total == Decimal("0.00")
    # General practice has no figure at all: no data, no total.
    assert general.cells[volume.pk].figure is None and general.total is None
    # The cell's page lists the two figures its growth is computed from.
    login(client, world.commission)
    page = client.get(reverse("evaluation:cell", args=[departments[0].pk, growth.pk]))
    assert page.context["cell"].figure == Decimal("25.00")
    rows = page.context["source"].rows
    assert sorted(row.year for row in rows) == [2024, 2025] and page.context["source"].hidden == 0


# --- What fits which scheme, and no data --------------------------------------------------


def test_a_subject_bound_to_nothing_the_metric_reads_has_no_data(world):
    [bound] = subjects(world, T.EXPERT, world.partner_expert)
    loose = Subject.objects.create(scheme=bound.scheme, label="未绑定人员")
    assert figures("visits_made", [bound, loose]) == numbers(0, None)
    assert listed("visits_made", loose) == set()
    # A metric read for a type of subject it does not fit answers no data either.
    assert figures("posts_filled", [bound]) == [None]
    assert listed("posts_filled", bound) == set()


def test_the_indicator_form_offers_and_the_service_takes_only_fitting_metrics(world):
    [department] = subjects(world, T.DEPARTMENT, world.a_cardiology)
    offered = dict(IndicatorForm(scheme=department.scheme).fields["metric"].choices)
    assert offered["growth_interventions"] == "介入手术例数较上年增长（%）"
    assert offered["volume_interventions"] == "年度介入手术例数（例）"
    assert {"gaps_filled", "introductions_made", "posts_filled", "cme_credits_met"} <= set(offered)
    assert not {"visits_made", "reports_on_time", "service_tasks_on_time"} & set(offered)
    [expert] = subjects(world, T.EXPERT, world.partner_expert)
    expert_offers = set(dict(IndicatorForm(scheme=expert.scheme).fields["metric"].choices))
    assert expert_offers == {"", "visits_made", "lectures", "guided_operations", "gaps_filled"}
    with pytest.raises(ValidationError) as refused:
        services.indicator_save(
            scheme=expert.scheme,
            by=None,
            name="聘用人数",
            weight=Decimal(100),
            source=Indicator.Source.AUTOMATIC,
            mode=Indicator.Mode.BASIC,
            metric="posts_filled",
            target=Decimal(1),
        )
    assert refused.value.message_dict == {
        "metric": ["自动指标“招聘岗位聘用人数”不适用于该方案的考核对象。"]
    }


def test_every_metric_fits_a_subject_type_and_names_a_known_one():
    for found in METRICS.values():
        assert found.subject_types and found.subject_types <= set(T.values), found.key
