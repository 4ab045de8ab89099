"""The studio pages: found and edit a studio, add and remove members, record and correct a
year's money, and the subsidy table the commission alone sets; each within the user's scope,
each refusal writing nothing."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import login
from yicai.access.models import AuditEntry
from yicai.training.models import ExpertStudio, StudioFunding, StudioMember, StudioSubsidy
from yicai.training.services.activity import visit_record
from yicai.training.services.studios import (
    studio_create,
    studio_funding_record,
    studio_member_add,
    studio_update,
)

FOUNDED = datetime.date(2023, 10, 1)


def studio(world, name="孙名医心血管工作室", **extra):
    return studio_create(
        name=name,
        lead=extra.pop("lead", world.partner_expert),
        tier=extra.pop("tier", "district"),
        institution=extra.pop("institution", world.a),
        founded_on=FOUNDED,
        **extra,
    )


def _form(world, **changes) -> dict:
    data = {
        "name": "孙名医心血管工作室",
        "lead": world.partner_expert.pk,
        "tier": "provincial",
        "institution": world.a.pk,
        "department": world.a_cardiology.pk,
        "founded_on": "2023-10-01",
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def test_a_hospital_founds_a_studio_and_edits_it(world, client):
    login(client, world.hospital_a)
    assert 'id="studio-create"' in client.get("/training/studios/").content.decode()
    created = client.post("/training/studios/new/", _form(world))
    item = ExpertStudio.objects.get()
    assert created.status_code == 302 and created.url == f"/training/studios/{item.pk}/"
    edited = client.post(
        f"/training/studios/{item.pk}/edit/",
        _form(world, tier="national", closed_on="2025-12-31", name="心血管名医工作室"),
    )
    assert edited.status_code == 302
    item.refresh_from_db()
    assert (item.name, item.tier, item.closed_on) == (
        "心血管名医工作室",
        "national",
        datetime.date(2025, 12, 31),
    )
    entry = AuditEntry.objects.get_for_object(item).filter(action=AuditEntry.Action.UPDATE).get()
    assert entry.actor == world.hospital_a


@pytest.mark.parametrize(
    "who, changes, field",
    [
        ("hospital_a", {"institution": "b"}, "institution"),
        ("hospital_a", {"department": "b_medicine"}, "department"),
        ("hospital_a", {"lead": "b_doctor"}, "lead"),
        ("hospital_a", {"tier": "world"}, "tier"),
        ("hospital_a", {"founded_on": "2999-01-01"}, "founded_on"),
        ("commission", {"department": "b_medicine"}, "department"),
    ],
)
def test_a_studio_that_does_not_fit_is_refused(world, client, who, changes, field):
    values = {
        name: getattr(world, value).pk if hasattr(world, value) else value
        for name, value in changes.items()
    }
    login(client, getattr(world, who))
    response = client.post("/training/studios/new/", _form(world, **values))
    assert field in response.context["form"].errors, response.context["form"].errors
    assert not ExpertStudio.objects.exists()


def test_a_studio_cannot_close_before_it_was_founded_nor_before_a_funded_year(world, client):
    item = studio(world)
    studio_funding_record(studio=item, year=2025)
    login(client, world.hospital_a)
    url = f"/training/studios/{item.pk}/edit/"
    early = client.post(url, _form(world, closed_on="2023-09-30"))
    assert "撤销日期不能早于成立日期" in early.content.decode()
    funded = client.post(url, _form(world, closed_on="2024-06-30", tier="national"))
    assert "已登记 2025 年度经费" in funded.content.decode()
    item.refresh_from_db()
    assert (item.closed_on, item.tier) == (None, "district")


def test_a_studio_with_visits_keeps_its_institution(world):
    item = studio(world)
    visit_record(
        expert=world.partner_expert,
        kind="clinic",
        institution=world.a,
        held_on=datetime.date(2024, 3, 1),
        studio=item,
    )
    with pytest.raises(ValidationError) as raised:
        studio_update(studio=item, institution=world.b, department=None)
    assert "institution" in raised.value.message_dict


def test_members_are_added_and_removed(world, client):
    item = studio(world)
    login(client, world.hospital_a)
    url = f"/training/studios/{item.pk}/members/new/"
    added = client.post(url, {"person": world.a_doctor.pk, "joined_on": "2024-01-01"})
    assert added.status_code == 302
    member = StudioMember.objects.get()
    detail = client.get(f"/training/studios/{item.pk}/")
    assert [m.person for m in detail.context["members"]] == [world.a_doctor]
    again = client.post(url, {"person": world.a_doctor.pk, "joined_on": "2024-02-01"})
    assert "该人员已是工作室成员" in again.content.decode()
    lead = client.post(url, {"person": world.partner_expert.pk, "joined_on": "2024-02-01"})
    assert "领衔专家不必再列为成员" in lead.content.decode()
    early = client.post(url, {"person": world.a_surgeon.pk, "joined_on": "2023-01-01"})
    assert "不能早于工作室成立日期" in early.content.decode()
    foreign = client.post(url, {"person": world.b_doctor.pk, "joined_on": "2024-02-01"})
    assert "person" in foreign.context["form"].errors
    assert StudioMember.objects.count() == 1

    login(client, world.hospital_b)
    assert (
        client.post(f"/training/studios/{item.pk}/members/{member.pk}/remove/").status_code == 404
    )
    assert client.get(url).status_code == 404
    login(client, world.hospital_a)
    other = studio(world, "另一工作室")
    # A member of one studio is not removed through another's address.
    assert (
        client.post(f"/training/studios/{other.pk}/members/{member.pk}/remove/").status_code == 404
    )
    assert client.get(f"/training/studios/{item.pk}/members/{member.pk}/remove/").status_code == 405
    removed = client.post(f"/training/studios/{item.pk}/members/{member.pk}/remove/")
    assert removed.status_code == 302 and not StudioMember.objects.exists()


def test_a_years_funding_is_recorded_at_the_tiers_subsidy_and_corrected(world, client):
    item = studio(world)
    login(client, world.hospital_a)
    url = f"/training/studios/{item.pk}/funding/new/"
    assert client.post(url, {"year": "2024", "note": "区财政拨付"}).status_code == 302
    funding = StudioFunding.objects.get()
    assert (funding.year, funding.amount) == (2024, Decimal("80000"))
    duplicate = client.post(url, {"year": "2024", "amount": "5"})
    assert "本年度经费已登记" in duplicate.content.decode()
    before = client.post(url, {"year": "2022", "amount": "5"})
    assert "不在运行期内" in before.content.decode()
    negative = client.post(url, {"year": "2025", "amount": "-1"})
    assert "amount" in negative.context["form"].errors
    assert StudioFunding.objects.count() == 1

    edit = f"/training/studios/{item.pk}/funding/{funding.pk}/edit/"
    assert "year" not in client.get(edit).context["form"].fields
    assert client.post(edit, {"amount": "", "note": ""}).status_code == 200  # amount required
    assert client.post(edit, {"amount": "75000.50", "note": "按实际拨付"}).status_code == 302
    funding.refresh_from_db()
    assert (funding.amount, funding.note) == (Decimal("75000.50"), "按实际拨付")

    login(client, world.hospital_b)
    assert client.post(edit, {"amount": "1"}).status_code == 404
    assert client.post(url, {"year": "2025"}).status_code == 404
    funding.refresh_from_db()
    assert funding.amount == Decimal("75000.50")


def test_the_commission_alone_sets_the_subsidy_table_all_tiers_at_once(world, client):
    table = {"amount_national": "250000", "amount_provincial": "120000", "amount_district": "90000"}
    login(client, world.hospital_a)
    page = client.get("/training/studios/subsidies/")
    assert page.status_code == 200 and page.context["form"] is None
    assert "200,000" in page.content.decode()
    assert client.post("/training/studios/subsidies/", table).status_code == 403

    login(client, world.commission)
    bad = client.post("/training/studios/subsidies/", {**table, "amount_district": "-5"})
    assert "amount_district" in bad.context["form"].errors
    assert StudioSubsidy.objects.get(tier="national").yearly_amount == Decimal("200000")
    assert client.post("/training/studios/subsidies/", table).status_code == 302
    assert dict(StudioSubsidy.objects.values_list("tier", "yearly_amount")) == {
        "national": Decimal("250000"),
        "provincial": Decimal("120000"),
        "district": Decimal("90000"),
    }
    entry = AuditEntry.objects.filter(
        action=AuditEntry.Action.UPDATE, object_repr__startswith="国家级"
    ).get()
    assert entry.actor == world.commission


def test_the_studio_detail_does_not_grow_its_queries(world, client):
    item = studio(world)
    login(client, world.hospital_a)

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/training/studios/{item.pk}/").status_code == 200
        return len(captured)

    few = count()
    for person in (world.a_doctor, world.a_surgeon, world.a_ward_nurse):
        studio_member_add(studio=item, person=person, joined_on=FOUNDED)
    for year in (2023, 2024, 2025):
        studio_funding_record(studio=item, year=year)
    assert count() == few
