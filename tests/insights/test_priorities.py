"""The ranked priorities (人才工作优先事项), as of 2025-06-30, each section against hand-worked
records that should and should not appear: out of scope (B's, A's), outside the window,
superseded, already mentored, not a candidate; constant query counts; the API and the
exports saying what the page says."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from tests.builders import once_per_module
from tests.conftest import login
from tests.insights.norm_helpers import bed_norms, beds, ward_staff
from tests.insights.planning_helpers import staff
from tests.insights.wisn_helpers import study
from yicai.codes.queries import code_for
from yicai.evaluation.services.disciplines import figure_set
from yicai.insights import priorities, services, wisn
from yicai.people import services as people_services
from yicai.recruitment import services as recruitment
from yicai.recruitment.models import DirectedKind
from yicai.training.services.mentoring import mentorship_create, technique_register
from yicai.training.services.secondments import secondment_create

pytestmark = pytest.mark.django_db
D = datetime.date
PAGE = "/planning/priorities/"
API = "/api/v1/insights/priorities/"
AS_OF = D(2025, 6, 30)  # obligations until 2025-12-27 by default


def _titled(institution, name, birth, title, department):
    person = staff(institution, name, birth, department=department)
    people_services.title_add(
        person=person, title=code_for("title", title), obtained_on=D(2020, 1, 1)
    )
    return person


def _contract(world, name, start):
    contract = recruitment.directed_contract_create(
        by=None,
        kind=DirectedKind.objects.get(code="order_directed"),  # six years owed
        name=name,
        id_number=factories.id_number(D(1996, 5, 1) if start.year == 2019 else D(1997, 5, 1)),
        school="安徽医科大学",
        major="临床医学",
        enrolled_year=2014,
        sponsor=world.a,
    )
    recruitment.directed_graduate(contract=contract, on=D(2019, 6, 30))
    recruitment.directed_assign(contract=contract, service_place=world.b)
    return recruitment.directed_start(contract=contract, on=start, department=world.b_medicine)


def build(world):
    a, b, cardiology, surgery = world.a, world.b, world.a_cardiology, world.a_surgery
    bed_norms(world)
    ward_staff(world)
    for department, n in ((cardiology, 10), (surgery, 20), (world.b_medicine, 10)):
        beds(department, 2025, n)
    # WISN: cardiology's doctors of 2025 read 40,000 visits: 6.79 required for 3 (as in
    # test_wisn_feeding); its 2023 study (a typed workload of 100,000) is superseded; its
    # nurses' 2024 study reads discharges not recorded: left out, and said so.
    figure_set(by=None, department=cardiology, year=2025, measure="outpatient_visits", value=40000)
    doctors = study(world, year=2025)
    services.allowance_add(study=doctors, kind="category", name="科室会议", percent=Decimal(20))
    services.activity_add(
        study=doctors,
        name="门诊诊疗",
        minutes_per_unit=Decimal(15),
        workload_measure="outpatient_visits",
    )
    old = study(world, year=2023)
    services.activity_add(
        study=old, name="门诊", minutes_per_unit=Decimal(15), annual_workload=Decimal(100000)
    )
    nurses = study(world, code="21", year=2024)
    services.activity_add(
        study=nurses, name="住院护理", minutes_per_unit=Decimal(30), workload_measure="discharges"
    )
    # Candidates in cardiology: 李心怡 (the world's, 主治医师, born 1985) is one; 候一 is on a
    # secondment, 候二 is 50, 候三 is junior.
    on_secondment = _titled(a, "候一", D(1990, 1, 1), "233", cardiology)
    _titled(a, "候二", D(1975, 1, 1), "233", cardiology)
    _titled(a, "候三", D(1995, 1, 1), "234", cardiology)
    secondment_create(
        person=on_secondment,
        host=world.partner,
        host_department="心内科",
        start_on=D(2025, 1, 1),
        end_on=D(2025, 7, 31),
    )
    secondment_create(
        person=world.b_doctor,
        host=world.partner,
        host_department="全科",
        start_on=D(2025, 3, 1),
        end_on=D(2025, 9, 30),
    )
    mentored = mentorship_create(
        mentor=world.partner_expert,
        apprentices=[world.a_doctor],
        institution=a,
        department=cardiology,
        start_on=D(2024, 1, 1),
        end_on=D(2025, 10, 31),
    )
    ended = mentorship_create(
        mentor=world.partner_expert,
        apprentices=[world.a_surgeon],
        institution=a,
        department=surgery,
        start_on=D(2023, 1, 1),
        end_on=D(2025, 9, 1),
        status="ended",
    )
    mentorship_create(
        mentor=world.partner_expert,
        apprentices=[world.a_ward_nurse],
        institution=a,
        start_on=D(2024, 3, 1),
        end_on=D(2026, 3, 1),
    )

    def technique(institution, name, department=None, mentorship=None):
        return technique_register(
            institution=institution,
            name=name,
            category="intervention",
            origin="own",
            department=department,
            mentorship=mentorship,
        )

    made = {
        "pci": technique(a, "经皮冠状动脉介入治疗", cardiology),
        "ivus": technique(a, "冠脉血管内超声", cardiology, mentored),
        "lc": technique(a, "腹腔镜胆囊切除", surgery, ended),
        "chronic": technique(b, "慢病管理"),
        "mentored": mentored,
    }
    _contract(world, "定向生甲", D(2019, 9, 1))  # 2025-08-31
    _contract(world, "定向生乙", D(2020, 3, 1))  # 2026-02-28: outside
    for name, day in (("引一", D(2020, 9, 1)), ("引二", D(2020, 1, 15))):  # 2025-08-31, -01-14
        person = staff(a, name, D(1985, 1, 1))
        made[name] = recruitment.introduction_create(
            by=None,
            person=person,
            institution=a,
            introduced_on=day,
            mode="full_time",
            category="shortage",
            service_years=5,
        )
    return made


_built, records = once_per_module(build)


def _recruit(made):
    return [
        (
            row.department,
            wisn.shown(row.wisn_shortfall),
            wisn.shown(row.norm_shortfall),
            row.retiring,
            wisn.shown(row.need),
        )
        for row in made.recruit
    ]


def test_where_to_recruit_ranks_departments_by_their_shortfall(world, records):
    """Surgery: no study; beds 20 × 0.35 = 7.00 doctors for 1, 8.00 nurses for none: 14.00.
    B: 3.50 + 4.00 = 7.50. Cardiology: WISN 6.79… − 3 = 3.79 (the 2023 study superseded, the
    nurses' left out) against beds 10: 3.50 − 2 + 4.00 − 3 = 2.50; the larger, plus 甲一 at
    the age already: 4.79."""
    made = priorities.priorities(world.commission, as_of=AS_OF)
    assert _recruit(made) == [
        ("普外科", "", "14.00", 0, "14.00"),
        ("全科", "", "7.50", 0, "7.50"),
        ("心血管内科", "3.79", "2.50", 1, "4.79"),
    ]
    cardiology = made.recruit[2]
    assert [(s.study.year, s.study.staff_category.code) for s in cardiology.studies] == [
        (2025, "11"),
        (2024, "21"),
    ]
    assert cardiology.incomplete
    assert cardiology.studies[1].missing == ["住院护理：2024 年出院人次未登记：本活动未计入"]
    assert [r.department for r in priorities.priorities(world.hospital_a, as_of=AS_OF).recruit] == [
        "普外科",
        "心血管内科",
    ]
    assert [r.department for r in priorities.priorities(world.hospital_b, as_of=AS_OF).recruit] == [
        "全科"
    ]


def test_whom_to_second_names_the_departments_gaps_and_candidates(world, records):
    made = priorities.priorities(world.commission, as_of=AS_OF)
    assert [
        (row.department, [t.name for t in row.techniques], [p.name for p in row.candidates])
        for row in made.second
    ] == [
        ("心血管内科", ["冠脉血管内超声", "经皮冠状动脉介入治疗"], ["李心怡"]),
        ("普外科", ["腹腔镜胆囊切除"], []),
    ]
    # Once 候一's secondment has ended, 候一 (younger) comes first.
    later = priorities.priorities(world.commission, as_of=D(2025, 8, 1))
    assert [p.name for p in later.second[0].candidates] == ["候一", "李心怡"]
    assert priorities.priorities(world.hospital_b, as_of=AS_OF).second == []


def test_technique_gaps_without_a_mentorship_leave_out_the_mentored(world, records):
    names = [t.name for t in priorities.priorities(world.commission, as_of=AS_OF).techniques]
    # 乙 before 甲; 冠脉血管内超声 has a mentorship in progress; 腹腔镜's has ended.
    assert names == ["慢病管理", "经皮冠状动脉介入治疗", "腹腔镜胆囊切除"]
    a_names = [t.name for t in priorities.priorities(world.hospital_a, as_of=AS_OF).techniques]
    assert a_names == ["经皮冠状动脉介入治疗", "腹腔镜胆囊切除"]


def _obligations(made):
    return [(o.ends_on, o.kind, o.name) for o in made.obligations]


def test_obligations_ending_within_the_window(world, records):
    """Within 180 days of 2025-06-30: 候一's secondment (07-31), 定向生甲's six years from
    2019-09-01 (08-31), 引一's five years from 2020-09-01 (08-31), 陈全科's secondment at B
    (09-30), the cardiology mentorship (10-31). Not: 定向生乙 (2026-02-28), 引二 (ended
    2025-01-14), the mentorship ending in 2026, the one already ended."""
    made = priorities.priorities(world.commission, as_of=AS_OF)
    assert _obligations(made) == [
        (D(2025, 7, 31), "secondment", "候一"),
        (D(2025, 8, 31), "directed", "定向生甲"),
        (D(2025, 8, 31), "introduction", "引一"),
        (D(2025, 9, 30), "secondment", "陈全科"),
        (D(2025, 10, 31), "mentorship", "孙名医"),
    ]
    assert made.obligations[0].days_left == 31
    a = priorities.priorities(world.hospital_a, as_of=AS_OF)
    assert [o.name for o in a.obligations] == ["候一", "定向生甲", "引一", "孙名医"]
    b = priorities.priorities(world.hospital_b, as_of=AS_OF)
    assert [o.name for o in b.obligations] == ["陈全科"]
    short = priorities.priorities(world.commission, as_of=AS_OF, days=60)
    assert _obligations(short) == [(D(2025, 7, 31), "secondment", "候一")]


def test_the_page_states_each_rule_and_links_each_row(client, world, records):
    login(client, world.commission)
    response = client.get(PAGE, {"as_of": AS_OF.isoformat()})
    assert response.status_code == 200
    text = response.content.decode()
    for key in priorities.SECTIONS:
        assert priorities.rule(key) in text
    assert f'href="/recruitment/introductions/{records["引一"].pk}/"' in text
    assert f'href="/training/mentorships/{records["mentored"].pk}/"' in text
    assert f'href="/people/{world.a_doctor.pk}/"' in text  # the candidate
    assert "住院护理：2024 年出院人次未登记：本活动未计入" in text
    assert "未满 45 周岁" in text


def test_the_empty_states(client, world, records):
    """B's page, long before anything was recorded."""
    login(client, world.hospital_b)
    text = client.get(PAGE, {"as_of": "2000-01-01", "days": "1"}).content.decode()
    assert "没有尚未填补技术空白的科室。" in text
    assert "1 天内没有到期的服务与培养。" in text


def test_a_bad_filter_is_a_400(client, world, records):
    login(client, world.commission)
    for bad in ({"days": "0"}, {"days": "x"}, {"as_of": "2025-13-01"}, {"section": "all"}):
        assert client.get(PAGE, bad).status_code == 400
        assert client.get(API, bad).status_code == 400


def test_the_query_count_does_not_grow_with_the_records(client, world, records):
    login(client, world.commission)
    params = {"as_of": AS_OF.isoformat()}
    with CaptureQueriesContext(connection) as first:
        assert client.get(API, params).status_code == 200
    with CaptureQueriesContext(connection) as page:
        assert client.get(PAGE, params).status_code == 200
    for n in range(3):
        department = world.a.departments.create(name=f"新科{n}")
        beds(department, 2025, 30)
        technique_register(
            institution=world.a,
            name=f"新技术{n}",
            category="other",
            origin="own",
            department=department,
        )
        _titled(world.a, f"新人{n}", D(1992, 1, 1), "233", department)
        secondment_create(
            person=staff(world.a, f"进修{n}", D(1990, 1, 1), department=department),
            host=world.partner,
            host_department="外科",
            start_on=D(2025, 5, 1),
            end_on=D(2025, 11, 30),
        )
    with CaptureQueriesContext(connection) as second:
        body = client.get(API, params).json()
    with CaptureQueriesContext(connection) as page_again:
        assert client.get(PAGE, params).status_code == 200
    assert (len(body["recruit"]), len(body["second"]), len(body["obligations"])) == (6, 5, 8)
    assert len(second) == len(first)
    assert len(page_again) == len(page)


def test_the_api_and_the_exports_say_what_the_page_says(client, world, records):
    login(client, world.commission)
    params = {"as_of": AS_OF.isoformat()}
    body = client.get(API, params).json()
    made = priorities.priorities(world.commission, as_of=AS_OF)
    assert [
        (
            r["department"]["name"],
            r["wisn_shortfall"] or "",
            r["norm_shortfall"] or "",
            r["retiring"],
            r["need"],
        )
        for r in body["recruit"]
    ] == _recruit(made)
    assert body["recruit"][2]["studies"][0]["required_staff"] == "6.79"
    assert [
        (s["department"]["name"], [c["name"] for c in s["candidates"]]) for s in body["second"]
    ] == [
        ("心血管内科", ["李心怡"]),
        ("普外科", []),
    ]
    assert [t["name"] for t in body["techniques"]] == [t.name for t in made.techniques]
    assert [(o["ends_on"], o["kind"], o["name"], o["record"]) for o in body["obligations"]] == [
        (o.ends_on.isoformat(), o.kind, o.name, o.pk) for o in made.obligations
    ]
    assert body["rules"]["second"] == priorities.rule("second")
    sheets = {}
    for section in priorities.SECTIONS:
        response = client.get(PAGE, {**params, "section": section, "export": "xlsx"})
        assert response.status_code == 200
        book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
        sheets[section] = [[c.value for c in row] for row in book.active.iter_rows(min_row=2)]
    assert [row[:3] + row[6:7] for row in sheets["recruit"]] == [
        [1, "甲区中心医院", "普外科", 14],
        [2, "乙社区卫生服", "全科", 7.5],
        [3, "甲区中心医院", "心血管内科", 4.79],
    ]
    assert sheets["second"][0][2:] == [2, "冠脉血管内超声、经皮冠状动脉介入治疗", 1, "李心怡"]
    assert [row[2] for row in sheets["techniques"]] == [t.name for t in made.techniques]
    assert [row[3] for row in sheets["obligations"]] == [o.name for o in made.obligations]
