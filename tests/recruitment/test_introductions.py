"""Talent introductions (人才引进): Baoshan's 198 introduced in 2021–2023, of whom 17 with a
senior or associate senior title and 3 discipline leaders, read so on the figures page, its
export and the API, also after an edit and a deletion; each year's growth; every refusal named
by field; the timeline; who sees and changes which."""

import datetime
import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError

from tests.conftest import login
from tests.recruitment.scenarios import baoshan_198, introduce
from yicai.people.models import TitleGrade
from yicai.people.timeline import events_for
from yicai.recruitment import queries, services
from yicai.recruitment.models import Introduction

pytestmark = pytest.mark.django_db
D = datetime.date
Mode, Category = Introduction.Mode, Introduction.Category


@pytest.fixture
def baoshan(world):
    return baoshan_198(world)


def test_baoshans_198_introductions_17_senior_3_discipline_leaders(world, baoshan):
    figures = queries.introduction_figures(
        world.commission, since=D(2021, 1, 1), until=D(2023, 12, 31)
    )
    assert (figures.total, figures.senior, figures.discipline_leaders) == (198, 17, 3)
    assert [(line["year"], line["total"], line["growth"]) for line in figures.by_year] == [
        (2021, 52, None),
        (2022, 66, 14),
        (2023, 80, 14),
    ]
    assert figures.by_mode == {
        "full_time": 156,
        "flexible": 30,
        "returnee": 12,
        "three_supports": 0,
        "directed_graduate": 0,
    }
    assert figures.by_title_grade["associate_senior"] == 12
    assert figures.by_category["discipline_leader"] == 3
    # A period: senior-title introductions in 2023 only.
    assert queries.introduction_figures(world.commission, since=D(2023, 1, 1)).senior == 5
    # An edit and a deletion show at once.
    services.introduction_update(
        introduction=baoshan[0], by=world.hospital_a, title_grade=TitleGrade.SENIOR
    )
    services.introduction_delete(introduction=baoshan[-1])
    again = queries.introduction_figures(world.commission)
    assert (again.total, again.senior, again.by_year[-1]["total"]) == (197, 18, 79)


def test_the_figures_page_its_export_and_the_api_agree(client, world, as_api, baoshan):
    login(client, world.commission)
    page = client.get("/recruitment/introductions/figures/", {"since": "2021-01-01"})
    text = page.content.decode()
    assert page.status_code == 200 and 'data-figure="senior"' in text
    assert page.context["figures"].total == 198
    download = client.get("/recruitment/introductions/figures/", {"export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    rows = [list(row) for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert rows[0] == [2021, 40, 8, 4, 0, 0, 52, ""]
    assert rows[2] == [2023, 64, 12, 4, 0, 0, 80, 14]
    assert rows[-2][-2] == 17 and rows[-1][-2] == 3
    answer = as_api(world.commission).get("/api/v1/recruitment/introductions/figures/").data
    assert (answer["total"], answer["senior"], answer["discipline_leaders"]) == (198, 17, 3)
    assert answer["by_year"][1]["growth"] == 14
    bad = client.get(
        "/recruitment/introductions/figures/", {"since": "2023-01-01", "until": "2021-01-01"}
    )
    assert bad.status_code == 400 and "截止日期不能早于起始日期。" in bad.content.decode()


def test_every_problem_is_named_by_field_and_a_title_left_out_is_the_one_on_file(world):
    with pytest.raises(ValidationError) as refused:
        introduce(
            world,
            world.b_doctor,
            D(2999, 1, 1),
            institution=world.b,
            department=world.a_cardiology,
            mode="poached",
            service_years=40,
        )
    assert refused.value.message_dict == {
        "institution": ["所选机构不存在或不在您的管辖范围内。"],
        "person": ["所选人员不存在或不在您的管辖范围内。"],
        "department": ["科室不属于引进单位。"],
        "introduced_on": ["日期不能晚于今天。"],
        "mode": ["值 'poached' 不是有效选项。"],
        "service_years": ["不能大于 30。"],
    }
    made = introduce(world, world.a_doctor, D(2022, 5, 1), previous_employer="外省某三甲医院")
    assert made.title_grade == world.a_doctor.title_grade != ""
    with pytest.raises(ValidationError) as twice:
        introduce(world, world.a_doctor, D(2022, 5, 1))
    assert twice.value.message_dict == {"__all__": ["该人员在这一天已有引进记录。"]}


def test_who_sees_which_and_the_timeline_tells_it(client, world, as_api):
    made = introduce(
        world,
        world.a_doctor,
        D(2021, 9, 1),
        department=world.a_cardiology,
        tier="B类",
        previous_employer="外省某三甲医院",
    )
    seen = {
        persona: list(queries.introductions_for(getattr(world, persona)))
        for persona in ("commission", "hospital_a", "hospital_b", "dept_head", "trainee")
    }
    assert seen == {
        "commission": [made],
        "hospital_a": [made],
        "hospital_b": [],
        "dept_head": [made],  # the cardiology head reads their department's
        "trainee": [],
    }
    (event,) = [e for e in events_for(world.a_doctor) if e.kind == "人才引进"]
    assert (event.date, event.title, event.detail) == (
        D(2021, 9, 1),
        "全职引进至甲区中心医院",
        "紧缺专业人才 · B类 · 外省某三甲医院",
    )
    assert (
        as_api(world.hospital_b).get(f"/api/v1/recruitment/introductions/{made.pk}/").status_code
        == 404
    )
    login(client, world.hospital_a)
    text = client.get("/recruitment/introductions/").content.decode()
    assert world.a_doctor.name in text and f"/recruitment/introductions/{made.pk}/edit/" in text


def test_the_api_records_one_in_the_words_of_the_service(world, as_api):
    api = as_api(world.hospital_a)
    made = api.post(
        "/api/v1/recruitment/introductions/",
        {
            "person": world.a_surgeon.pk,
            "institution": world.a.pk,
            "introduced_on": "2023-03-01",
            "introduction_mode": "returnee",
            "introduction_category": "discipline_leader",
            "service_years": 5,
        },
        format="json",
    )
    assert made.status_code == 201, made.data
    assert (made.data["introduction_mode_display"], made.data["person"]["name"]) == (
        "人才回引",
        world.a_surgeon.name,
    )
    wrong = api.post(
        "/api/v1/recruitment/introductions/",
        {
            "person": world.b_doctor.pk,
            "institution": world.a.pk,
            "introduced_on": "2023-03-01",
            "introduction_mode": "full_time",
            "introduction_category": "shortage",
        },
        format="json",
    )
    assert (wrong.status_code, wrong.data) == (
        400,
        {"person": ["所选人员不存在或不在您的管辖范围内。"]},
    )
    changed = api.patch(
        f"/api/v1/recruitment/introductions/{made.data['id']}/", {"tier": "A类"}, format="json"
    )
    assert changed.data["tier"] == "A类"
    assert api.delete(f"/api/v1/recruitment/introductions/{made.data['id']}/").status_code == 204


def test_a_tier_is_one_of_the_commissions_tiers_and_the_page_offers_them(client, world, as_api):
    with pytest.raises(ValidationError) as refused:
        introduce(world, world.a_doctor, D(2022, 3, 1), tier="Z类")
    assert refused.value.message_dict == {
        "tier": ["层次“Z类”不在人才层次中（A类、B类、C类、D类）。"]
    }
    answer = as_api(world.hospital_a).post(
        "/api/v1/recruitment/introductions/",
        {
            "person": world.a_doctor.pk,
            "institution": world.a.pk,
            "introduced_on": "2022-03-01",
            "introduction_mode": "full_time",
            "introduction_category": "high_level",
            "tier": "Z类",
        },
        format="json",
    )
    assert answer.status_code == 400
    assert answer.data["tier"] == ["层次“Z类”不在人才层次中（A类、B类、C类、D类）。"]
    login(client, world.hospital_a)
    form = client.get("/recruitment/introductions/new/").content.decode()
    assert '<option value="A类">A类</option>' in form
