"""/api/v1/training/ for programmes (培养计划) and career plans (职业生涯规划): the programmes with
their cohorts, a cohort with its members and the mentors its programme asks for, a selection
round with its nominations, an institution's nomination into an open round, the talent pool,
and career plans with the derived progress of their goals. Happy paths; hostile nominations
refused by field in Chinese with nothing written; every persona against every list, row and
action; query counts that do not grow with the rows."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests import factories
from tests.builders import once_per_module
from tests.scope_tables import PERSONAS
from tests.training.api import API, assert_refused, results, signed_in
from tests.training.careers import goal, plan
from tests.training.helpers import case, technique
from tests.training.programmes import admitted, cohort, nominate, programme, selection
from yicai.access.models import AuditEntry
from yicai.codes.queries import code_for
from yicai.training.models import CohortMember, GoalKind, Nomination, Programme
from yicai.training.services.careers import career_goal_mark_done
from yicai.training.services.mentoring import case_log_unverify, case_log_verify, mentorship_create
from yicai.training.services.programmes import (
    member_complete,
    member_goal_add,
    nomination_decide,
    review_score_record,
    selection_round_approve,
    selection_round_review,
)

TODAY = timezone.localdate()
YEAR = TODAY.year
CHINESE = re.compile(r"[\u4e00-\u9fff]")
WITHOUT_TRAINING = ("auditor", "security", "nobody")
EVERYONE = ("commission", "hospital_a", "hospital_b", "dept_head", "mentor", "trainee")


def programme_records(world) -> dict:
    """育才计划 (both mentors asked for): its first cohort admits 李心怡 (the trainee, who has
    the partner expert as external mentor and has since completed), 周外科 and 陈全科 of B.
    英才计划 (no mentor rule) has an open round where A put 周外科 forward. Career plans for
    the three, 李心怡's with a met technique goal, a research goal overdue and another
    confirmed done."""
    w = world
    mentorship_create(
        mentor=w.partner_expert,
        apprentices=[w.a_doctor],
        institution=w.a,
        start_on=TODAY - datetime.timedelta(days=90),
    )
    rising = cohort(w)
    first = selection(rising)
    nominations = {
        person.name: nominate(first, person) for person in (w.a_doctor, w.a_surgeon, w.b_doctor)
    }
    selection_round_review(selection_round=first)
    first.refresh_from_db()
    review_score_record(
        nomination=nominations["李心怡"], reviewer_name="王专家", score="88.5", comment="基础扎实"
    )
    review_score_record(nomination=nominations["李心怡"], reviewer_name="赵专家", score="91")
    for nomination in nominations.values():
        nomination.refresh_from_db()
        nomination_decide(nomination=nomination, status=Nomination.Status.APPROVED)
    first.refresh_from_db()
    members = {
        member.person.name: member for member in selection_round_approve(selection_round=first)
    }
    member_complete(member=members["李心怡"], completed_on=TODAY)
    elite = programme(
        w,
        name="英才计划",
        kind=Programme.Kind.ELITE,
        requires_internal_mentor=False,
        requires_external_mentor=False,
    )
    elite_cohort = cohort(w, of=elite)
    open_round = selection(elite_cohort)
    surgeon_nominated = nominate(open_round, w.a_surgeon)
    plans = {person.name: plan(person) for person in (w.a_doctor, w.a_surgeon, w.b_doctor)}
    item = technique(w, "冠脉内超声")
    logged = case(w, item, on=TODAY - datetime.timedelta(days=3))
    case_log_verify(case_log=logged, user=w.hospital_a)
    goals = {
        "technique": goal(
            plans["李心怡"], GoalKind.TECHNIQUE, text="掌握 IVUS", target_technique=item
        ),
        "research": goal(plans["李心怡"], GoalKind.RESEARCH, year=YEAR - 1, target_papers=2),
        "other": goal(plans["李心怡"], GoalKind.OTHER, text="参加技能竞赛"),
    }  # fmt: skip
    career_goal_mark_done(goal=goals["other"], done_on=TODAY, by=w.hospital_a, note="区级二等奖")
    return {
        "rising": rising.programme,
        "elite": elite,
        "cohort": rising,
        "elite_cohort": elite_cohort,
        "round": first,
        "open_round": open_round,
        "surgeon_nominated": surgeon_nominated,
        "members": members,
        "nominations": nominations,
        "plans": plans,
        "goals": goals,
    }


_built, records = once_per_module(programme_records)


def _names(rows, path=("person", "name")) -> set[str]:
    def pick(row):
        for key in path:
            row = row[key]
        return row

    return {pick(row) for row in rows}


# --- happy paths -----------------------------------------------------------------------------


def test_programmes_are_listed_with_their_figures_and_filtered(world, records):
    api = signed_in(world.hospital_b)
    rows = {row["name"]: row for row in results(api.get(f"{API}/programmes/"))}
    assert set(rows) == {"育才计划", "英才计划"}
    rising = rows["育才计划"]
    assert rising["programme_kind"] == "rising"
    assert rising["programme_kind_display"] == "育才计划（青年骨干）"
    assert rising["mentor_rule"] == "院内、院外导师各一名"
    assert rising["region"]["id"] == world.a.commission_region_id
    assert rising["figures"] == {
        "cohorts": 1,
        "members": 3,
        "completed": 1,
        "latest": {"id": records["cohort"].pk, "name": "第一期", "places_taken": 3},
    }
    assert rows["英才计划"]["mentor_rule"] == "" and rows["英才计划"]["figures"]["members"] == 0
    assert _names(results(api.get(f"{API}/programmes/?kind=elite")), ("name",)) == {"英才计划"}
    assert _names(results(api.get(f"{API}/programmes/?q=育才")), ("name",)) == {"育才计划"}
    assert results(api.get(f"{API}/programmes/?active=no")) == []


def test_a_programme_is_read_with_its_cohorts_and_rounds(world, records):
    body = signed_in(world.trainee).get(f"{API}/programmes/{records['rising'].pk}/").json()
    assert [row["id"] for row in body["cohorts"]] == [records["cohort"].pk]
    (made,) = body["cohorts"]
    assert made["cohort_status"] == "running" and made["places_taken"] == 3
    assert [(row["id"], row["round_status"], row["nominated"]) for row in made["rounds"]] == [
        (records["round"].pk, "approved", 3)
    ]


def test_a_cohort_shows_its_members_and_who_lacks_a_mentor(world, records):
    api = signed_in(world.commission)
    body = api.get(f"{API}/cohorts/{records['cohort'].pk}/").json()
    assert body["programme"] == {"id": records["rising"].pk, "name": "育才计划"}
    assert (body["quota"], body["places_taken"]) == (25, 3)
    assert body["mentor_rule"] == {
        "requires_internal_mentor": True,
        "requires_external_mentor": True,
        "text": "院内、院外导师各一名",
    }
    members = {row["person"]["name"]: row for row in body["members"]}
    assert set(members) == {"李心怡", "周外科", "陈全科"}
    doctor = members["李心怡"]
    assert doctor["member_status"] == "completed" and doctor["certificate_number"]
    assert (doctor["has_external_mentor"], doctor["has_internal_mentor"]) == (True, False)
    assert doctor["missing_mentor"] is True  # no internal mentor
    assert members["周外科"]["missing_mentor"] is True
    assert body["missing_mentor_count"] == 2  # 周外科 and 陈全科, still in cultivation
    assert [row["id"] for row in body["rounds"]] == [records["round"].pk]
    filtered = api.get(f"{API}/cohorts/{records['cohort'].pk}/?status=completed").json()
    assert _names(filtered["members"]) == {"李心怡"}
    filtered = api.get(f"{API}/cohorts/{records['cohort'].pk}/?missing_mentor=true").json()
    assert _names(filtered["members"]) == {"李心怡", "周外科", "陈全科"}
    mentorship_create(
        mentor=world.a_surgeon,
        apprentices=[world.a_doctor],
        institution=world.a,
        start_on=TODAY - datetime.timedelta(days=10),
    )
    filtered = api.get(f"{API}/cohorts/{records['cohort'].pk}/?missing_mentor=true").json()
    assert _names(filtered["members"]) == {"周外科", "陈全科"}


def test_a_member_is_read_with_goals_reviews_and_mentorships(world, records):
    member = records["members"]["周外科"]
    member_goal_add(member=member, year=YEAR, text="独立开展腹腔镜手术")
    mentorship_create(
        mentor=world.partner_expert,
        apprentices=[world.a_surgeon],
        institution=world.a,
        start_on=TODAY - datetime.timedelta(days=5),
    )
    body = signed_in(world.hospital_a).get(f"{API}/members/{member.pk}/").json()
    assert body["person"]["name"] == "周外科" and body["programme"]["name"] == "育才计划"
    assert body["cohort"]["id"] == records["cohort"].pk and body["goal_count"] == 1
    assert [(row["year"], row["text"]) for row in body["goals"]] == [(YEAR, "独立开展腹腔镜手术")]
    assert body["reviews"] == []
    assert [(row["mentor"]["name"], row["mentor_kind"]) for row in body["mentorships"]] == [
        ("孙名医", "external")
    ]
    assert (body["has_external_mentor"], body["has_internal_mentor"]) == (True, False)
    assert body["missing_mentor"] is True  # still no internal mentor


def test_a_round_shows_its_nominations_best_scored_first(world, records):
    body = signed_in(world.commission).get(f"{API}/rounds/{records['round'].pk}/").json()
    assert body["round_status"] == "approved" and body["nominated"] == 3
    assert body["counts"] == {"all": 3, "nominated": 0, "approved": 3, "rejected": 0}
    assert body["cohort"]["id"] == records["cohort"].pk
    first = body["nominations"][0]
    assert first["person"]["name"] == "李心怡" and first["average"] == "89.75"
    assert first["score_count"] == 2
    assert first["scores"] == [
        {"reviewer_name": "王专家", "score": "88.5", "comment": "基础扎实"},
        {"reviewer_name": "赵专家", "score": "91.0", "comment": ""},
    ]
    assert first["nomination_status"] == "approved"
    assert {row["average"] for row in body["nominations"][1:]} == {None}


def test_a_hospital_nominates_its_own_staff_into_an_open_round(world, records):
    api = signed_in(world.hospital_a)
    response = api.post(
        f"{API}/rounds/{records['open_round'].pk}/nominations/",
        {"institution": world.a.pk, "person": world.a_ward_nurse.pk, "reason": "护理骨干"},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["person"]["name"] == "赵护士" and body["nomination_status"] == "nominated"
    assert body["average"] is None and body["scores"] == []
    stored = Nomination.objects.get(pk=body["id"])
    assert stored.round == records["open_round"] and stored.institution == world.a
    entry = AuditEntry.objects.filter(object_pk=str(stored.pk)).order_by("pk").last()
    assert entry.actor_id == world.hospital_a.pk


def test_the_talent_pool_lists_memberships_and_filters_them(world, records):
    api = signed_in(world.commission)
    rows = results(api.get(f"{API}/talent-pool/"))
    assert _names(rows) == {"李心怡", "周外科", "陈全科"}
    row = next(row for row in rows if row["person"]["name"] == "李心怡")
    assert row["programme"]["name"] == "育才计划" and row["cohort"]["name"] == "第一期"
    assert row["member_status_display"] == "已结业"

    def names(query):
        return _names(results(api.get(f"{API}/talent-pool/?{query}")))

    assert names("status=completed") == {"李心怡"}
    assert names(f"institution={world.b.pk}") == {"陈全科"}
    assert names(f"programme={records['elite'].pk}") == set()
    assert names("q=周") == {"周外科"}


def test_career_plans_show_how_many_goals_are_met(world, records):
    api = signed_in(world.hospital_a)
    rows = {row["person"]["name"]: row for row in results(api.get(f"{API}/career-plans/"))}
    assert set(rows) == {"李心怡", "周外科"}
    assert (rows["李心怡"]["goal_count"], rows["李心怡"]["goals_met"]) == (3, 2)
    assert (rows["周外科"]["goal_count"], rows["周外科"]["goals_met"]) == (0, 0)
    assert rows["李心怡"]["direction"] == "心血管介入方向"
    assert _names(results(api.get(f"{API}/career-plans/?year={YEAR - 1}"))) == {"李心怡"}
    assert _names(results(api.get(f"{API}/career-plans/?q=周"))) == {"周外科"}


def test_a_career_plan_shows_each_goal_with_its_derived_progress(world, records):
    url = f"{API}/career-plans/{records['plans']['李心怡'].pk}/"
    body = signed_in(world.mentor).get(url).json()  # their apprentice's plan
    goals = {row["goal_kind"]: row for row in body["goals"]}
    assert [row["year"] for row in body["goals"]] == [YEAR - 1, YEAR, YEAR]
    met = goals["technique"]["progress"]
    assert met["met"] is True and met["derived"] is True and met["overdue"] is False
    assert met["met_on"] == (TODAY - datetime.timedelta(days=3)).isoformat()
    assert goals["technique"]["target"] == "冠脉内超声"
    assert goals["technique"]["target_technique"]["name"] == "冠脉内超声"
    research = goals["research"]
    assert research["target"] == "2 篇" and research["target_papers"] == 2
    assert research["progress"] == {
        "met": False,
        "met_on": None,
        "evidence": "",
        "derived": False,
        "overdue": True,
    }
    other = goals["other"]
    assert other["progress"]["met"] is True and other["progress"]["derived"] is False
    assert other["progress"]["evidence"] == "区级二等奖" and other["done_on"] == TODAY.isoformat()
    assert (body["goal_count"], body["goals_met"]) == (3, 2)
    # Unverifying the case takes the technique goal back: nothing is stored.
    logged = records["goals"]["technique"].target_technique.case_logs.get()
    case_log_unverify(case_log=logged, user=world.hospital_a)
    body = signed_in(world.mentor).get(url).json()
    goals = {row["goal_kind"]: row for row in body["goals"]}
    assert goals["technique"]["progress"]["met"] is False and body["goals_met"] == 1


# --- scope -----------------------------------------------------------------------------------

PEOPLE = {  # members, pool rows and career plans go by the person
    "commission": {"李心怡", "周外科", "陈全科"},
    "hospital_a": {"李心怡", "周外科"},
    "hospital_b": {"陈全科"},
    "dept_head": {"李心怡"},
    "mentor": {"李心怡"},  # their apprentice
    "trainee": {"李心怡"},
}
NOMINATED = PEOPLE | {"mentor": set()}  # a mentor does not oversee nominations
OPEN_NOMINATED = {  # 周外科, put forward by A in the open round
    persona: ({"周外科"} if persona in ("commission", "hospital_a") else set())
    for persona in EVERYONE
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_lists_hold_exactly_the_personas_scope(world, records, persona):
    api = signed_in(getattr(world, persona))
    responses = {
        name: api.get(f"{API}/{name}/") for name in ("programmes", "talent-pool", "career-plans")
    }
    if persona in WITHOUT_TRAINING:
        assert {name: r.status_code for name, r in responses.items()} == dict.fromkeys(
            responses, 403
        )
        return
    assert _names(results(responses["programmes"]), ("name",)) == {"育才计划", "英才计划"}
    assert _names(results(responses["talent-pool"])) == PEOPLE[persona]
    assert _names(results(responses["career-plans"])) == PEOPLE[persona]


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_region_s_rows_open_for_everyone_working_in_it(world, records, persona):
    api = signed_in(getattr(world, persona))
    urls = {
        "programme": f"{API}/programmes/{records['rising'].pk}/",
        "cohort": f"{API}/cohorts/{records['cohort'].pk}/",
        "round": f"{API}/rounds/{records['round'].pk}/",
        "open_round": f"{API}/rounds/{records['open_round'].pk}/",
    }
    responses = {name: api.get(url) for name, url in urls.items()}
    if persona in WITHOUT_TRAINING:
        assert {name: r.status_code for name, r in responses.items()} == dict.fromkeys(urls, 403)
        return
    assert {name: r.status_code for name, r in responses.items()} == dict.fromkeys(urls, 200)
    assert _names(responses["cohort"].json()["members"]) == PEOPLE[persona]
    assert _names(responses["round"].json()["nominations"]) == NOMINATED[persona]
    assert _names(responses["open_round"].json()["nominations"]) == OPEN_NOMINATED[persona]
    # The counts are the round's, whoever asks (only numbers are shown).
    assert responses["round"].json()["counts"]["all"] == 3


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_career_plan_is_read_only_within_the_scope(world, records, persona):
    api = signed_in(getattr(world, persona))
    for name, made in records["plans"].items():
        response = api.get(f"{API}/career-plans/{made.pk}/")
        if persona in WITHOUT_TRAINING:
            assert response.status_code == 403, name
        elif name in PEOPLE[persona]:
            assert response.status_code == 200, name
            assert response.json()["person"]["name"] == name
        else:
            assert response.status_code == 404, name
            assert set(response.json()) == {"detail"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_member_is_read_only_within_the_scope(world, records, persona):
    api = signed_in(getattr(world, persona))
    for name, member in records["members"].items():
        response = api.get(f"{API}/members/{member.pk}/")
        if persona in WITHOUT_TRAINING:
            assert response.status_code == 403, name
        elif name in PEOPLE[persona]:
            assert response.json()["person"]["name"] == name
        else:
            assert response.status_code == 404, name


NOMINEES = {"commission": "a_ward_nurse", "hospital_a": "a_ward_nurse", "hospital_b": "b_doctor"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_institutions_nominate_only_their_own_into_an_open_round(world, records, persona):
    nominee = getattr(world, NOMINEES.get(persona, "a_ward_nurse"))
    api = signed_in(getattr(world, persona))
    count = Nomination.objects.count()
    response = api.post(
        f"{API}/rounds/{records['open_round'].pk}/nominations/",
        {"institution": nominee.institution_id, "person": nominee.pk, "reason": "业务骨干"},
        format="json",
    )
    allowed = persona in NOMINEES
    assert response.status_code == (201 if allowed else 403)
    assert Nomination.objects.count() == count + allowed


# --- hostile nominations ---------------------------------------------------------------------

HOSTILE_NOMINATIONS = [
    ("another hospital's person", "hospital_a", {"person": "b_doctor"}, "person", "被提名人"),
    ("another hospital", "hospital_a", {"institution": "b"}, "institution", "所选机构"),
    ("the partner hospital", "commission", {"institution": "partner"}, "institution", None),
    ("a person of another institution", "commission", {"institution": "b"}, "person",
     "只能提名本机构的人员"),
    ("no reason", "hospital_a", {"reason": ""}, "reason", None),
    ("a phone in the reason", "hospital_a", {"reason": "电话 13800138000"}, "reason", "患者信息"),
    ("already nominated", "hospital_a", {"person": "a_surgeon"}, "non_field_errors",
     "已在本次遴选"),
    ("a closed round", "hospital_a", {"_round": "round"}, "round", "停止征集提名"),
    ("person as a list", "hospital_a", {"person": ["a_ward_nurse"]}, "person", None),
    ("unknown person", "hospital_a", {"person": 10**12}, "person", "被提名人"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("case", "persona", "change", "field", "message"),
    HOSTILE_NOMINATIONS,
    ids=[c[0] for c in HOSTILE_NOMINATIONS],
)
def test_a_hostile_nomination_is_refused_by_field_and_nothing_is_written(
    world, records, case, persona, change, field, message
):
    change = dict(change)
    target = records[change.pop("_round", "open_round")]
    payload = {"institution": "a", "person": "a_ward_nurse", "reason": "业务骨干", **change}

    def one(value):
        if isinstance(value, list):
            return [one(item) for item in value]
        return (
            getattr(world, value).pk if isinstance(value, str) and hasattr(world, value) else value
        )

    api = signed_in(getattr(world, persona))
    count = Nomination.objects.count()
    response = api.post(
        f"{API}/rounds/{target.pk}/nominations/",
        {key: one(value) for key, value in payload.items()},
        format="json",
    )
    assert_refused(response, field, message)
    assert Nomination.objects.count() == count


def test_a_nomination_into_a_round_outside_the_region_is_a_404(world, records):
    elsewhere = factories.region("310104")
    foreign = programme(world, region=elsewhere, name="外区育才计划")
    foreign_round = selection(cohort(world, of=foreign))
    response = signed_in(world.hospital_a).post(
        f"{API}/rounds/{foreign_round.pk}/nominations/",
        {"institution": world.a.pk, "person": world.a_ward_nurse.pk, "reason": "骨干"},
        format="json",
    )
    assert response.status_code == 404
    assert not Nomination.objects.filter(round=foreign_round).exists()


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("programmes/?kind=royal", "kind"),
        ("programmes/?active=sometimes", "active"),
        ("talent-pool/?status=retired", "status"),
        ("talent-pool/?programme=abc", "programme"),
        ("talent-pool/?institution={b}", "institution"),
        ("career-plans/?year=1999", "year"),
        ("career-plans/?institution={b}", "institution"),
        ("cohorts/{cohort}/?status=lost", "status"),
    ],
)
def test_bad_filters_are_refused_by_name(world, records, url, field):
    url = url.format(b=world.b.pk, cohort=records["cohort"].pk)
    assert_refused(signed_in(world.hospital_a).get(f"{API}/{url}"), field)


# --- query counts ----------------------------------------------------------------------------


def _queries(api, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = api.get(url)
    assert response.status_code == 200, response.content
    return len(captured)


def _more(world, records, start: int, count: int) -> None:
    """More people at A admitted to the first cohort and nominated in the open round, each
    with a career plan and goals, each a mentor of 周外科 (who gets goals) and 李心怡; more
    programmes with a cohort each."""
    people = [
        factories.person(world.a, f"学员{index:03d}", department=world.a_cardiology)
        for index in range(start, start + count)
    ]
    admitted(world, *people, of_cohort=records["cohort"])
    for index, person in enumerate(people, start=start):
        nominate(records["open_round"], person)
        made = plan(person)
        goal(made, GoalKind.RESEARCH, target_papers=1)
        goal(made, GoalKind.TRAINING, target_training_kind="degree")
        cohort(world, of=programme(world, name=f"计划{index:03d}"))
        surgeon = records["members"]["周外科"]
        member_goal_add(member=surgeon, year=YEAR, text=f"目标{index}")
        mentorship_create(
            mentor=person,
            apprentices=[world.a_surgeon, world.a_doctor],
            institution=world.a,
            start_on=TODAY - datetime.timedelta(days=index + 1),
        )


URLS = [
    "programmes/",
    "programmes/?kind=rising&active=yes&q=计划",
    "programmes/{rising}/",
    "cohorts/{cohort}/",
    "cohorts/{cohort}/?status=active&missing_mentor=true",
    "members/{member}/",
    "rounds/{round}/",
    "rounds/{open_round}/",
    "talent-pool/",
    "talent-pool/?status=active&programme={rising}&institution={a}&q=学员",
    "career-plans/",
    "career-plans/?year={year}&institution={a}",
]


@pytest.mark.parametrize("persona", ["commission", "hospital_a", "mentor"])
@pytest.mark.parametrize("url", URLS)
def test_queries_do_not_grow_with_rows(world, records, persona, url):
    api = signed_in(getattr(world, persona))
    seen = world.partner if persona == "mentor" else world.a
    url = f"{API}/" + url.format(
        rising=records["rising"].pk,
        cohort=records["cohort"].pk,
        round=records["round"].pk,
        open_round=records["open_round"].pk,
        member=records["members"]["李心怡" if persona == "mentor" else "周外科"].pk,
        a=seen.pk,
        year=YEAR,
    )
    _more(world, records, 0, 2)
    few = _queries(api, url)
    _more(world, records, 2, 3)
    many = _queries(api, url)
    assert few == many
    assert many <= 18, many


def test_a_career_plans_detail_does_not_grow_with_its_goals(world, records):
    """Progress takes one query per kind of record, whatever the number of goals."""
    api = signed_in(world.hospital_a)
    made = records["plans"]["周外科"]
    url = f"{API}/career-plans/{made.pk}/"

    def goals_of_each_kind(year):
        goal(made, GoalKind.RESEARCH, year=year, target_papers=1)
        goal(made, GoalKind.TRAINING, year=year)
        goal(made, GoalKind.TECHNIQUE, year=year, target_technique=technique(world, f"技术{year}"))
        goal(made, GoalKind.TITLE, year=year, target_title=code_for("title", "233"))

    goals_of_each_kind(YEAR)
    few = _queries(api, url)
    goals_of_each_kind(YEAR + 1)
    goals_of_each_kind(YEAR + 2)
    assert _queries(api, url) == few
    assert len(api.get(url).json()["goals"]) == 12


def test_the_rows_counted_are_the_ones_added(world, records):
    _more(world, records, 0, 3)
    api = signed_in(world.commission)
    assert len(results(api.get(f"{API}/programmes/"))) == 2 + 3
    assert len(results(api.get(f"{API}/talent-pool/"))) == 3 + 3
    assert len(results(api.get(f"{API}/career-plans/"))) == 3 + 3
    body = api.get(f"{API}/cohorts/{records['cohort'].pk}/").json()
    assert len(body["members"]) == 3 + 3 and len(body["rounds"]) == 2
    body = api.get(f"{API}/rounds/{records['open_round'].pk}/").json()
    assert len(body["nominations"]) == 1 + 3
    assert CohortMember.objects.filter(cohort=records["cohort"]).count() == 6
