"""The technique pages: register and edit within the user's institutions, refuse what does
not fit (another institution's department or mentorship, a name already registered), and
delete only a technique without case logs."""

import pytest

from tests.conftest import login
from tests.training.helpers import case, mentorship, technique
from yicai.access.models import AuditEntry
from yicai.training.models import Technique


def _form(world, **changes) -> dict:
    data = {
        "institution": world.a.pk,
        "name": "经皮冠状动脉介入治疗",
        "category": "intervention",
        "origin": "mentorship",
        "department": world.a_cardiology.pk,
        "status": "approved",
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def test_a_hospital_registers_a_technique_and_edits_it(world, client):
    pair = mentorship(world)
    login(client, world.hospital_a)
    listing = client.get("/training/techniques/").content.decode()
    assert 'id="technique-create"' in listing
    created = client.post("/training/techniques/new/", _form(world, mentorship=pair.pk))
    assert created.status_code == 302
    item = Technique.objects.get()
    assert (item.institution, item.department, item.mentorship, item.status) == (
        world.a,
        world.a_cardiology,
        pair,
        "approved",
    )
    page = client.get(f"/training/techniques/{item.pk}/edit/")
    assert "institution" not in page.context["form"].fields  # it stays where it was made
    edited = client.post(
        f"/training/techniques/{item.pk}/edit/",
        {**_form(world, status="first_performed", name=" PCI "), "institution": world.b.pk},
    )
    assert edited.status_code == 302
    item.refresh_from_db()
    assert (item.name, item.status, item.institution) == ("PCI", "first_performed", world.a)
    entry = AuditEntry.objects.get_for_object(item).filter(action=AuditEntry.Action.UPDATE).get()
    assert entry.actor == world.hospital_a


@pytest.mark.parametrize(
    "who, changes, field",
    [
        ("hospital_a", {"institution": "b"}, "institution"),
        ("hospital_a", {"department": "b_medicine"}, "department"),
        ("hospital_a", {"category": "magic"}, "category"),
        ("hospital_a", {"name": ""}, "name"),
        ("commission", {"department": "b_medicine"}, "department"),  # the service's check
        ("commission", {"institution": "b", "mentorship": "pair"}, "mentorship"),
    ],
)
def test_what_does_not_fit_is_refused_and_nothing_is_written(world, client, who, changes, field):
    pair = mentorship(world)
    named = {"pair": pair}

    def pk(value):
        if value in named:
            return named[value].pk
        return getattr(world, value).pk if value and hasattr(world, value) else value

    values = {name: pk(value) for name, value in changes.items()}
    login(client, getattr(world, who))
    response = client.post("/training/techniques/new/", _form(world, **values))
    assert response.status_code == 200
    assert field in response.context["form"].errors, response.context["form"].errors
    assert not Technique.objects.exists()


def test_a_name_already_registered_is_refused_on_the_name(world, client):
    technique(world, "经皮冠状动脉介入治疗")
    other = technique(world, "PICC置管术")
    login(client, world.hospital_a)
    response = client.post(f"/training/techniques/{other.pk}/edit/", _form(world))
    assert "本机构已登记同名的新技术新项目" in str(response.context["form"].errors["name"])
    assert response.context["technique"].name == "PICC置管术"  # the page names it as saved
    other.refresh_from_db()
    assert other.name == "PICC置管术"


def test_a_technique_without_case_logs_may_be_deleted(world, client):
    item = technique(world)
    login(client, world.hospital_a)
    page = client.get(f"/training/techniques/{item.pk}/edit/")
    assert page.context["can_delete"] and 'id="technique-delete"' in page.content.decode()
    assert client.post(f"/training/techniques/{item.pk}/delete/").status_code == 302
    assert not Technique.objects.exists()
    assert AuditEntry.objects.filter(action=AuditEntry.Action.DELETE, object_id=item.pk).exists()


def test_a_technique_with_case_logs_cannot_be_deleted(world, client):
    item = technique(world)
    case(world, item)
    login(client, world.hospital_a)
    page = client.get(f"/training/techniques/{item.pk}/edit/")
    assert not page.context["can_delete"] and 'id="technique-delete"' not in page.content.decode()
    refused = client.post(f"/training/techniques/{item.pk}/delete/", follow=True)
    assert "已有 1 条病例记录，不能删除" in refused.content.decode()
    assert Technique.objects.filter(pk=item.pk).exists()


def test_another_hospital_cannot_open_edit_or_delete_the_technique(world, client):
    item = technique(world)
    login(client, world.hospital_b)
    assert client.get(f"/training/techniques/{item.pk}/edit/").status_code == 404
    assert client.post(f"/training/techniques/{item.pk}/edit/", _form(world)).status_code == 404
    assert client.post(f"/training/techniques/{item.pk}/delete/").status_code == 404
    assert client.get("/training/techniques/new/").status_code == 200
    item.refresh_from_db()
    assert item.name == "单孔腹腔镜胆囊切除术"


def test_the_list_links_only_what_the_user_may_edit(world, client):
    pair = mentorship(world)
    item = technique(world, mentorship=pair)
    login(client, world.hospital_a)
    assert item.pk in client.get("/training/techniques/").context["editable"]
    login(client, world.mentor)  # sees it through the mentorship, may not edit it
    page = client.get("/training/techniques/")
    assert [row.pk for row in page.context["page_obj"]] == [item.pk]
    assert page.context["editable"] == set()
    assert f"/training/techniques/{item.pk}/edit/" not in page.content.decode()
