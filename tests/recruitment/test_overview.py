"""The reports' scenario on the recruitment overview: Sixian's 2022 plan (105 places, 59 by
the simplified procedure, 46 open), Baoshan's 198 introductions of 2021–2023 (17 senior, 3
discipline leaders) and shortage talent on two days (100 → 121, 10.0 % a year) read on the
overview page, its export and the same figures by the API's endpoints, also after an edit and a
deletion; each hospital sees its own. The overview's other figures (agreements in force,
directed students, payments due and their amount, clawbacks and breaches waiting, experts)
read what is recorded, on the page and the API alike, before and after a payment, a leaving
and a breach."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest

from tests import factories
from tests.conftest import login
from tests.recruitment.helpers import agreement
from tests.recruitment.scenarios import baoshan_198, introduce, shortage_talent, sixian_2022
from yicai.people.models import TitleGrade
from yicai.recruitment import services
from yicai.recruitment.models import DirectedKind

pytestmark = pytest.mark.django_db
D = datetime.date
PERIOD = {"year": "2022", "since": "2021-01-01", "until": "2023-12-31"}


def _figures(client, **params):
    response = client.get("/recruitment/", {**PERIOD, **params})
    assert response.status_code == 200
    return response.context["figures"]


def test_sixian_baoshan_and_shortage_talent_read_exactly_on_the_overview(client, world, as_api):
    sixian_2022(world)
    introduced = baoshan_198(world)
    shortage_talent(world)
    login(client, world.commission)
    figures = _figures(client)
    plans, intros = figures.plans, figures.introductions
    assert (plans.places, plans.by_procedure, plans.filled) == (
        105,
        {"simplified": 59, "open": 46},
        0,
    )
    assert (intros.total, intros.senior, intros.discipline_leaders) == (198, 17, 3)
    page = client.get("/recruitment/", PERIOD).content.decode()
    for shown in ("105", "59", "46", "198", "17"):
        assert f">{shown}<" in page
    # Shortage talent on the period's two days: the scenario's 2021-07-01..2023-07-01.
    growth = _figures(client, since="2021-07-01", until="2023-07-01").shortage
    assert (growth.at_start, growth.at_end, growth.change, growth.yearly_percent) == (
        100,
        121,
        21,
        "10.0%",
    )
    # The overview's endpoint, and the figures' own, give the same.
    api = as_api(world.commission)
    whole = api.get("/api/v1/recruitment/overview/", PERIOD).data
    assert (whole["places"], whole["by_procedure"], whole["filled"]) == (
        105,
        {"simplified": 59, "open": 46},
        0,
    )
    assert (whole["introduced"], whole["senior"], whole["discipline_leaders"]) == (198, 17, 3)
    shortage = api.get(
        "/api/v1/recruitment/overview/", {"since": "2021-07-01", "until": "2023-07-01"}
    ).data
    assert (shortage["shortage_at_start"], shortage["shortage_at_end"]) == (100, 121)
    assert shortage["shortage_yearly_rate"] == pytest.approx(0.1000718, abs=1e-7)
    assert api.get("/api/v1/recruitment/plans/figures/", {"year": 2022}).data["places"] == 105
    answer = api.get(
        "/api/v1/recruitment/introductions/figures/",
        {"since": PERIOD["since"], "until": PERIOD["until"]},
    ).data
    assert (answer["total"], answer["senior"], answer["discipline_leaders"]) == (198, 17, 3)
    # After an edit (one senior title more) and a deletion (one introduction fewer).
    services.introduction_update(introduction=introduced[0], by=None, title_grade=TitleGrade.SENIOR)
    services.introduction_delete(introduction=introduced[-1])
    after = _figures(client).introductions
    assert (after.total, after.senior) == (197, 18 - (1 if introduced[-1].senior else 0))
    again = api.get("/api/v1/recruitment/overview/", PERIOD).data
    assert (again["introduced"], again["senior"]) == (after.total, after.senior)
    # The export holds the same lines.
    sheet = client.get("/recruitment/", {**PERIOD, "export": "xlsx"})
    rows = dict(list(openpyxl.load_workbook(io.BytesIO(sheet.getvalue())).active.values)[1:])
    assert (rows["2022 年计划招聘人数"], rows["其中简易程序"], rows["引进人才（人次）"]) == (
        105,
        59,
        197,
    )
    # Hospital A sees its own: its plan's 79 places, all 197 introductions (to A).
    login(client, world.hospital_a)
    own = _figures(client)
    assert (own.plans.places, own.introductions.total) == (79, 197)
    login(client, world.hospital_b)
    assert _figures(client).plans.places == 0
    assert (
        client.get("/recruitment/", {"until": "2020-01-01", "since": "2021-01-01"}).status_code
        == 400
    )


def test_what_is_owed_and_kept_reads_on_the_overview_as_recorded(client, world, as_api):
    """The overview's other figures: an agreement in force, a directed student, a tranche
    due and its amount, a clawback and a breach waiting, the experts in the network."""
    agreement(world)  # in force since 2021-04
    introduction = introduce(
        world, world.a_doctor, D(2021, 7, 1), service_years=5, category="high_level"
    )
    services.entitlement_add(
        introduction=introduction,
        kind="settlement",
        amount=Decimal("200000"),
        tranches=[
            (Decimal("100000"), D(2021, 7, 15), ""),
            (Decimal("100000"), D(2022, 7, 1), ""),
        ],
    )
    contract = services.directed_contract_create(
        by=None,
        kind=DirectedKind.objects.get(code="order_directed"),
        name="定向生",
        id_number=factories.id_number(D(1994, 3, 3)),
        school="安徽医科大学",
        major="临床医学",
        enrolled_year=2012,
        sponsor=world.a,
        fees_covered=Decimal(60000),
    )
    login(client, world.commission)
    api = as_api(world.commission)
    period = {**PERIOD, "until": "2022-12-31"}

    def both():
        page = _figures(client, **period)
        data = api.get("/api/v1/recruitment/overview/", period).data
        shown = (
            page.agreements_in_force,
            page.directed.total,
            page.payments_due,
            page.payments_due_amount,
            page.clawbacks_proposed,
            page.breaches_proposed,
            page.experts,
        )
        assert shown == (
            data["agreements_in_force"],
            data["directed"],
            data["payments_due"],
            Decimal(data["payments_due_amount"]),
            data["clawbacks_proposed"],
            data["breaches_proposed"],
            data["experts"],
        )
        return shown

    # Both tranches due by the end of 2022; one expert (introduced).
    assert both() == (1, 1, 2, Decimal("200000"), 0, 0, 1)
    services.tranche_pay(tranche=introduction.entitlements.get().tranches.get(number=1), by=None)
    services.introduction_leave(introduction=introduction, left_on=D(2022, 6, 30))
    services.directed_graduate(contract=contract, on=D(2017, 6, 30))
    services.directed_start(contract=contract, on=D(2017, 8, 1), service_place=world.a)
    services.directed_leave(contract=contract, on=D(2019, 1, 1))
    # The unpaid tranche cancelled, a clawback and a breach proposed.
    assert both() == (1, 1, 0, Decimal("0"), 1, 1, 1)


def test_a_day_in_the_first_two_years_of_the_calendar_is_answered_not_a_500(world, as_api):
    # Schemathesis found it: "two years before" 0001-01-01 would be year -1.
    answer = as_api(world.commission).get("/api/v1/recruitment/overview/", {"until": "0001-01-01"})
    assert answer.status_code == 200
    assert answer.json()["since"] == "0001-01-01"
