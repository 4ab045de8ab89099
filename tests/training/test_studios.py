"""Expert studios by tier: the yearly subsidy comes from the commission's table (200,000 /
100,000 / 80,000 CNY by default), the year's figures count the studios running and the money
due and recorded, and each role sees its own studios."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests import factories
from yicai.access.scope import scoped
from yicai.training.models import ExpertStudio, StudioSubsidy
from yicai.training.queries.studios import studio_figures
from yicai.training.services.studios import studio_create, studio_funding_record, studio_subsidy_set


def studio(world, name, tier, *, institution=None, founded=datetime.date(2023, 10, 1), **extra):
    return studio_create(
        name=name,
        lead=extra.pop("lead", world.partner_expert),
        tier=tier,
        institution=institution or world.a,
        founded_on=founded,
        **extra,
    )


def test_the_default_subsidies_are_the_sources(db):
    assert dict(StudioSubsidy.objects.values_list("tier", "yearly_amount")) == {
        "national": Decimal("200000"),
        "provincial": Decimal("100000"),
        "district": Decimal("80000"),
    }


def test_a_years_figures_count_running_studios_and_their_money(world):
    national = studio(world, "孙名医皮肤科工作室", "national")
    studio(world, "肝胆外科工作室", "provincial", founded=datetime.date(2024, 3, 1))
    studio(world, "全科工作室", "district", institution=world.b, lead=world.b_doctor)
    closed = studio(world, "已撤销工作室", "district", founded=datetime.date(2020, 1, 1))
    closed.closed_on = datetime.date(2023, 6, 30)
    closed.save()
    studio_funding_record(studio=national, year=2024)
    studio_funding_record(
        studio=studio(world, "另一国家级", "national"), year=2024, amount=Decimal("150000")
    )
    figures = studio_figures(world.commission, 2024)
    assert figures["by_tier"] == {"national": 2, "provincial": 1, "district": 1}
    assert figures["studios"] == 4
    assert figures["subsidy_due"] == Decimal("580000")  # 2 x 200,000 + 100,000 + 80,000
    assert figures["funding_recorded"] == Decimal("350000")
    assert studio_figures(world.hospital_b, 2024)["subsidy_due"] == Decimal("80000")
    assert studio_figures(world.commission, 2023)["studios"] == 4  # closed mid-2023


def test_a_changed_subsidy_applies_to_years_recorded_afterwards(world):
    item = studio(world, "区级工作室", "district")
    studio_funding_record(studio=item, year=2024)
    studio_subsidy_set(tier="district", yearly_amount=Decimal("90000"))
    studio_funding_record(studio=item, year=2025)
    assert [f.amount for f in item.fundings.order_by("year")] == [
        Decimal("80000"),
        Decimal("90000"),
    ]
    assert studio_figures(world.commission, 2025)["subsidy_due"] == Decimal("90000")


def test_bad_studio_input_is_refused_by_field(world):
    item = studio(world, "工作室", "national")
    with pytest.raises(ValidationError) as raised:
        studio_funding_record(studio=item, year=2024)
        studio_funding_record(studio=item, year=2024)
    assert "已登记" in " ".join(raised.value.messages)
    with pytest.raises(ValidationError) as raised:
        studio_funding_record(studio=item, year=2019)
    assert "year" in raised.value.message_dict
    with pytest.raises(ValidationError) as raised:
        studio_funding_record(studio=item, year=2025, amount=Decimal("-1"))
    assert "amount" in raised.value.message_dict
    with pytest.raises(ValidationError) as raised:
        studio(world, "坏科室", "district", department=world.b_medicine)
    assert "department" in raised.value.message_dict
    with pytest.raises(ValidationError) as raised:
        studio(world, "坏级别", "world_class")
    assert "tier" in raised.value.message_dict
    assert ExpertStudio.objects.count() == 1


def test_each_role_sees_its_studios(world):
    a_studio = studio(world, "甲院工作室", "national", members=[world.a_doctor])
    b_studio = studio(world, "乙院工作室", "district", institution=world.b, lead=world.b_doctor)
    elsewhere = factories.institution("外区医院", commission="310104")
    studio(world, "外区工作室", "district", institution=elsewhere)
    expected = {
        "commission": {a_studio, b_studio},
        "hospital_a": {a_studio},
        "hospital_b": {b_studio},
        "mentor": {a_studio, ExpertStudio.objects.get(name="外区工作室")},  # the lead of both
        "trainee": {a_studio},  # a member
        "dept_head": set(),
        "auditor": set(),
        "nobody": set(),
    }
    for who, studios in expected.items():
        seen = set(scoped(getattr(world, who), ExpertStudio.objects.all()))
        assert seen == studios, who


def test_the_studio_page_shows_the_years_figures_and_exports_the_scope(world, client):
    import io

    import openpyxl

    from tests.conftest import login

    this_year = datetime.date.today().year
    studio(world, "甲院工作室", "national", founded=datetime.date(this_year, 1, 1))
    studio(world, "乙院工作室", "district", institution=world.b, lead=world.b_doctor)
    login(client, world.hospital_a)
    page = client.get("/training/studios/")
    assert page.status_code == 200
    assert [s.name for s in page.context["page_obj"]] == ["甲院工作室"]
    assert page.context["figures"]["subsidy_due"] == Decimal("200000")
    assert "200,000 / 0" in page.content.decode()
    export = client.get("/training/studios/", {"export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["甲院工作室"]
    login(client, world.auditor)
    assert client.get("/training/studios/").status_code == 403
