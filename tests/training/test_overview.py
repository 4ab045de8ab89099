"""The training overview: a scenario with known numbers, and every figure on the page equal to
them for each viewer; then edits and deletions, and the figures follow."""

import datetime
import re
from decimal import Decimal
from html import escape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.conftest import login
from tests.training import helpers
from tests.training.api import API, signed_in
from yicai.training.models import CaseLog, StudioTier, Visit
from yicai.training.services.activity import (
    consultation_record,
    consultation_update,
    visit_delete,
    visit_record,
    visit_update,
)
from yicai.training.services.mentoring import (
    case_log_unverify,
    case_log_verify,
    mentorship_create,
    mentorship_update,
)
from yicai.training.services.secondments import secondment_create, secondment_withdraw
from yicai.training.services.studios import (
    studio_create,
    studio_funding_record,
    studio_subsidy_set,
    studio_update,
)
from yicai.training.services.teams import team_create, team_update

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
SINCE = TODAY - datetime.timedelta(days=90)
YEAR = TODAY.year
BEFORE = SINCE - datetime.timedelta(days=10)
AFTER = SINCE + datetime.timedelta(days=10)


class Scenario:
    """What was recorded, with the figures each viewer must see."""

    def __init__(self, world):
        w = self.world = world
        self.m_external = mentorship_create(
            mentor=w.partner_expert,
            apprentices=[w.a_doctor, w.a_ward_nurse],
            institution=w.a,
            start_on=BEFORE,
        )
        self.m_internal = mentorship_create(
            mentor=w.a_surgeon, apprentices=[w.a_ward_nurse], institution=w.a, start_on=BEFORE
        )
        self.m_b = mentorship_create(
            mentor=w.partner_expert, apprentices=[w.b_doctor], institution=w.b, start_on=BEFORE
        )
        founded = datetime.date(YEAR - 1, 3, 1)
        self.studios = [
            studio_create(
                name=name, lead=w.partner_expert, tier=tier, institution=where, founded_on=founded
            )
            for name, tier, where in [
                ("国家级甲", StudioTier.NATIONAL, w.a),
                ("国家级乙", StudioTier.NATIONAL, w.b),
                ("省级甲", StudioTier.PROVINCIAL, w.a),
                ("区级甲", StudioTier.DISTRICT, w.a),
            ]
        ]
        studio_funding_record(studio=self.studios[0], year=YEAR)
        # Visits: 2 before the date, 5 held since (4 at A, 1 at B), 1 planned.
        self.visits = [
            self._visit(w.a, on)
            for on in [BEFORE, BEFORE, AFTER, AFTER, AFTER, TODAY - datetime.timedelta(days=1)]
        ]
        self.visits.append(self._visit(w.b, AFTER))
        self.planned = self._visit(w.a, TODAY + datetime.timedelta(days=20))
        # Consultations: 3 since the date (2 at A), 1 before.
        self.consultations = [
            consultation_record(
                expert=w.partner_expert,
                requester=requester,
                institution=requester.institution,
                held_on=on,
                summary="胸痛待查",
            )
            for requester, on in [
                (w.a_doctor, AFTER),
                (w.a_doctor, AFTER),
                (w.b_doctor, AFTER),
                (w.a_doctor, BEFORE),
            ]
        ]
        # Gaps: 2 filled since the date at A, 1 before it; 1 with an unverified case only.
        self.gap_cases = []
        for name, on, verified in [
            ("单孔腹腔镜胆囊切除术", AFTER, True),
            ("经皮冠状动脉介入治疗", AFTER, True),
            ("无痛胃肠镜检查", BEFORE, True),
            ("PICC 置管术", AFTER, False),
        ]:
            technique = helpers.technique(w, name=name)
            case = helpers.case(w, technique, on=on)
            if verified:
                case_log_verify(case_log=case, user=w.hospital_a)
            self.gap_cases.append(case)
        # Secondments: 2 under way (A), 1 withdrawn, 1 not begun (B).
        self.secondments = [
            secondment_create(
                person=person, host=w.partner, host_department="心内科", start_on=start
            )
            for person, start in [
                (w.a_doctor, BEFORE),
                (w.a_surgeon, BEFORE),
                (w.a_ward_nurse, BEFORE),
                (w.b_doctor, TODAY + datetime.timedelta(days=30)),
            ]
        ]
        secondment_withdraw(secondment=self.secondments[2], on=AFTER)
        # Flexibly introduced teams: working today 1 at A and 1 at B; 1 at A ended.
        self.teams = [
            team_create(
                name=name,
                lead=w.partner_expert,
                source=w.partner,
                institution=where,
                introduced_on=BEFORE,
                ended_on=ended,
            )
            for name, where, ended in [
                ("甲院团队", w.a, None),
                ("甲院旧团队", w.a, AFTER),
                ("乙院团队", w.b, None),
            ]
        ]

    def _visit(self, institution, on):
        return visit_record(
            expert=self.world.partner_expert,
            kind=Visit.Kind.CLINIC,
            institution=institution,
            held_on=on,
        )

    def expected(self, viewer: str) -> dict:
        commission = {
            "mentorships": 3,
            "pairs": 4,
            "external_mentor_pairs": 3,
            "studios": 4,
            "studios_by_tier": {"national": 2, "provincial": 1, "district": 1},
            "studio_subsidy_due": Decimal("580000"),
            "studio_funding_recorded": Decimal("200000"),
            "visits": 5,
            "planned_visits": 1,
            "consultations": 3,
            "gaps_filled": 2,
            "gaps_filled_first_in_region": 2,
            "verified_independent_cases": 2,
            "active_secondments": 2,
            "reports_awaiting_comment": 0,
            "open_needs": 0,
            "flexible_teams": 2,
        }
        if viewer == "commission":
            return commission
        return {  # hospital_a: its own institution only
            **commission,
            "mentorships": 2,
            "pairs": 3,
            "external_mentor_pairs": 2,
            "studios": 3,
            "studios_by_tier": {"national": 1, "provincial": 1, "district": 1},
            "studio_subsidy_due": Decimal("380000"),
            "visits": 4,
            "consultations": 2,
            "flexible_teams": 1,
        }


def _page_figures(client, user) -> dict:
    login(client, user)
    response = client.get(reverse("training:overview"), {"since": SINCE.isoformat()})
    assert response.status_code == 200
    return response.context["figures"], response.content.decode()


def _shown(html: str, figure: str) -> str:
    """The big number of a card on the page, as the reader sees it."""
    match = re.search(rf'data-figure="{figure}".*?<div class="fs-3">([^<]*)</div>', html, re.S)
    assert match, figure
    return match.group(1).strip()


def _check(client, scenario, viewer):
    user = getattr(scenario.world, viewer)
    figures, html = _page_figures(client, user)
    expected = scenario.expected(viewer)
    assert {key: figures[key] for key in expected} == expected
    assert figures["since"] == SINCE
    for card, key in [
        ("pairs", "pairs"),
        ("studios", "studios"),
        ("visits", "visits"),
        ("consultations", "consultations"),
        ("gaps", "gaps_filled"),
        ("independent", "verified_independent_cases"),
        ("secondments", "active_secondments"),
        ("teams", "flexible_teams"),
    ]:
        assert _shown(html, card) == str(expected[key]), card
    assert _shown(html, "subsidy").replace(",", "") == str(int(expected["studio_subsidy_due"]))
    _check_api(user, expected)
    return expected


MONEY = ("studio_subsidy_due", "studio_funding_recorded")


def _check_api(user, expected: dict) -> None:
    """Every figure of /api/v1/training/overview/ equals the page's expected numbers; the
    money comes as decimal strings."""
    response = signed_in(user).get(f"{API}/overview/", {"since": SINCE.isoformat()})
    assert response.status_code == 200, response.content
    body = response.json()
    dates = {"since", "until", "held_until", "as_of", "year"}
    assert set(body) == {*expected, *dates}  # nothing the page shows is missing
    assert all(isinstance(body[key], str) for key in MONEY)
    shown = {key: Decimal(body[key]) if key in MONEY else body[key] for key in expected}
    assert shown == expected
    assert (body["since"], body["year"]) == (SINCE.isoformat(), YEAR)


@pytest.mark.parametrize("viewer", ["commission", "hospital_a"])
def test_every_figure_on_the_overview_equals_the_recorded_data(client, world, viewer):
    assert _check(client, Scenario(world), viewer)  # every figure is checked inside


def test_the_figures_follow_edits_and_deletions(client, world):
    s = Scenario(world)
    w = world
    expected = s.expected("commission")

    visit_delete(visit=s.visits[2])
    visit_update(visit=s.visits[3], held_on=BEFORE)  # moved before the date
    visit_update(visit=s.planned, held_on=AFTER)  # a planned visit took place early
    expected.update(visits=5 - 2 + 1, planned_visits=0)

    consultation_update(consultation=s.consultations[0], held_on=BEFORE)
    expected["consultations"] = 2

    case_log_unverify(case_log=s.gap_cases[0], user=w.hospital_a)
    case_log_verify(case_log=s.gap_cases[3], user=w.hospital_a)
    later = helpers.case(w, s.gap_cases[1].technique, on=AFTER + datetime.timedelta(days=1))
    case_log_verify(case_log=later, user=w.hospital_a)
    expected.update(gaps_filled=2, gaps_filled_first_in_region=2, verified_independent_cases=3)

    secondment_withdraw(secondment=s.secondments[0], on=TODAY)
    expected["active_secondments"] = 1

    team_update(team=s.teams[2], ended_on=AFTER)
    expected["flexible_teams"] = 1

    mentorship_update(mentorship=s.m_external, status="ended")
    expected.update(mentorships=2, pairs=2, external_mentor_pairs=1)

    studio_update(studio=s.studios[3], closed_on=datetime.date(YEAR - 1, 12, 31))
    studio_update(studio=s.studios[2], tier=StudioTier.NATIONAL)
    studio_subsidy_set(tier=StudioTier.NATIONAL, yearly_amount=Decimal("250000"))
    expected.update(
        studios=3,
        studios_by_tier={"national": 3, "provincial": 0, "district": 0},
        studio_subsidy_due=Decimal("750000"),
    )

    _check(client, _Fixed(s, expected), "commission")
    assert CaseLog.objects.filter(verified_at__isnull=False, role="independent").count() == 4


class _Fixed:
    def __init__(self, scenario, expected):
        self.world, self._expected = scenario.world, expected

    def expected(self, viewer):
        return self._expected


def test_roles_without_training_view_get_403(client, world):
    for user in (world.auditor, world.security, world.nobody):
        login(client, user)
        assert client.get(reverse("training:overview")).status_code == 403
        assert signed_in(user).get(f"{API}/overview/").status_code == 403


def test_the_api_counts_the_studios_money_of_the_year_asked_for(world):
    s = Scenario(world)
    studio_funding_record(studio=s.studios[1], year=YEAR - 1)
    api = signed_in(world.commission)
    body = api.get(f"{API}/overview/", {"since": SINCE.isoformat(), "year": YEAR - 1}).json()
    assert body["year"] == YEAR - 1 and Decimal(body["studio_funding_recorded"]) == 200000
    assert body["visits"] == s.expected("commission")["visits"]  # `since` still applies
    today = api.get(f"{API}/overview/").json()  # defaults: 1 January, this year
    assert today["since"] == TODAY.replace(month=1, day=1).isoformat() and today["year"] == YEAR


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"since": "2024-02-30"}, "since"),
        ({"since": "上个月"}, "since"),
        ({"year": "1999"}, "year"),
        ({"year": "2101"}, "year"),
        ({"year": "今年"}, "year"),
        ({"since": "2024-03-01", "until": "2024-02-01"}, "until"),
    ],
)
def test_bad_api_parameters_are_refused_by_name_in_chinese(world, query, field):
    response = signed_in(world.commission).get(f"{API}/overview/", query)
    assert response.status_code == 400
    assert re.search(r"[\u4e00-\u9fff]", response.json()[field][0])


@pytest.mark.parametrize(
    ("query", "field"),
    [({"since": "2024-02-30"}, "since"), ({"since": "2024-03-01", "until": "2024-02-01"}, "until")],
)
def test_the_page_and_the_api_refuse_a_period_in_the_same_words(client, world, query, field):
    login(client, world.commission)
    page = client.get(reverse("training:overview"), query).content.decode()
    answer = signed_in(world.commission).get(f"{API}/overview/", query)
    assert answer.status_code == 400
    (message,) = answer.json()[field]
    assert escape(message) in page


def test_the_api_query_count_does_not_grow_with_rows(world):
    scenario = Scenario(world)
    api = signed_in(world.hospital_a)
    url = f"{API}/overview/?since={SINCE.isoformat()}"
    with CaptureQueriesContext(connection) as few:
        assert api.get(url).status_code == 200
    for number in range(3):
        scenario._visit(world.a, AFTER)
        technique = helpers.technique(world, name=f"新技术{number}")
        case = helpers.case(world, technique, on=AFTER)
        case_log_verify(case_log=case, user=world.hospital_a)
        secondment_create(
            person=factories.person(world.a, f"进修{number}", department=world.a_surgery),
            host=world.partner,
            host_department="心内科",
            start_on=BEFORE,
        )
    with CaptureQueriesContext(connection) as many:
        assert api.get(url).status_code == 200
    assert len(many) == len(few)


def test_the_overview_query_count_does_not_grow_with_rows(
    client, world, django_assert_max_num_queries
):
    scenario = Scenario(world)
    login(client, world.commission)
    url = reverse("training:overview")
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    for number in range(3):
        scenario._visit(world.a, AFTER)
        technique = helpers.technique(world, name=f"新技术{number}")
        case = helpers.case(world, technique, on=AFTER)
        case_log_verify(case_log=case, user=world.hospital_a)
    mentorship_create(
        mentor=world.a_surgeon, apprentices=[world.a_doctor], institution=world.a, start_on=AFTER
    )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)
