"""Two people editing the same record: the second save, made from the version both loaded,
is refused with what changed (pages: a message above the form, the input kept; API: 409),
instead of silently reverting the first."""

import datetime

import pytest

from tests.conftest import login
from yicai import versions
from yicai.org.models import Department, Institution
from yicai.people import services
from yicai.people.models import Person


def _form_data(response) -> dict:
    """What the browser would post back: every field of the loaded form as it was shown."""
    form = response.context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        data[name] = value.isoformat() if isinstance(value, datetime.date) else str(value)
    return data


def _second_client(client_class, user):
    return login(client_class(), user)


def test_the_second_form_save_from_the_same_version_is_refused_and_the_first_kept(world, client):
    person = world.a_doctor
    url = f"/people/{person.pk}/edit/"
    alice = login(client, world.hospital_a)
    bob = _second_client(type(client), world.commission)
    alice_form = _form_data(alice.get(url))
    bob_form = _form_data(bob.get(url))
    assert alice_form["version"] == bob_form["version"]

    first = alice.post(url, {**alice_form, "phone": "13912345678", "position": "主治医师"})
    assert first.status_code == 302

    second = bob.post(url, {**bob_form, "position": "科室副主任"})
    assert second.status_code == 200  # the form again, not saved
    page = second.content.decode()
    assert "已被 hospital_a 于" in page
    assert "手机号码" in page and "*******5678" in page
    assert "职务/岗位 医师→主治医师" in page
    # The user's own input stays in the form, now carrying the current version.
    form = second.context["form"]
    assert form["position"].value() == "科室副主任"
    person.refresh_from_db()
    assert form["version"].value() == str(person.version)
    assert person.position == "主治医师" and person.phone == "13912345678"

    # Having read what changed, saving again applies the input on purpose.
    third = bob.post(url, _form_data(second))
    assert third.status_code == 302
    person.refresh_from_db()
    assert person.position == "科室副主任" and person.phone == "13912345678"


def test_an_institution_form_saved_from_a_stale_version_is_refused(world, client):
    institution = world.a
    url = f"/org/{institution.pk}/edit/"
    alice = login(client, world.commission)
    bob = _second_client(type(client), world.commission)
    alice_form, bob_form = _form_data(alice.get(url)), _form_data(bob.get(url))
    assert alice.post(url, {**alice_form, "short_name": "甲中心"}).status_code == 302
    second = bob.post(url, {**bob_form, "code": "12310000"})
    assert second.status_code == 200
    message = second.context["form"].non_field_errors()[0]
    assert message.startswith("该医疗机构已被 commission 于") and "→甲中心" in message
    assert message in second.content.decode()
    institution.refresh_from_db()
    assert institution.short_name == "甲中心" and institution.code != "12310000"


def test_a_department_form_saved_from_a_stale_version_is_refused(world, client):
    department = world.a_surgery
    url = f"/org/{department.institution_id}/departments/{department.pk}/edit/"
    alice = login(client, world.hospital_a)
    bob = _second_client(type(client), world.commission)
    alice_form, bob_form = _form_data(alice.get(url)), _form_data(bob.get(url))
    assert alice.post(url, {**alice_form, "name": "普通外科"}).status_code == 302
    second = bob.post(url, {**bob_form, "clinical": ""})
    assert second.status_code == 200 and "科室名称 普外科→普通外科" in second.content.decode()
    department.refresh_from_db()
    assert department.name == "普通外科" and department.clinical


def test_the_api_answers_409_with_the_changes_for_a_stale_version(world, client):
    from rest_framework.test import APIClient

    person = world.a_doctor
    url = f"/api/v1/people/{person.pk}/"
    alice = login(APIClient(), world.hospital_a)
    bob = login(APIClient(), world.commission)
    loaded = alice.get(url)
    etag = loaded["ETag"]
    assert etag == f'"v{loaded.json()["version"]}"'

    first = alice.patch(url, {"position": "主治医师"}, format="json", HTTP_IF_MATCH=etag)
    assert first.status_code == 200 and first["ETag"] != etag

    # The same loaded version, given in the body this time.
    stale = {"position": "科室副主任", "version": loaded.json()["version"]}
    second = bob.patch(url, stale, format="json")
    assert second.status_code == 409
    body = second.json()
    assert "已被 hospital_a 于" in body["detail"] and "请核对后重新保存" in body["detail"]
    assert body["version"] == first.json()["version"]
    assert {"field": "position", "label": "职务/岗位", "before": "医师", "current": "主治医师"} in (
        body["changes"]
    )
    assert second["ETag"] == first["ETag"]
    person.refresh_from_db()
    assert person.position == "主治医师"

    # With the current version the change goes through.
    again = bob.patch(url, {**stale, "version": body["version"]}, format="json")
    assert again.status_code == 200 and again.json()["position"] == "科室副主任"


def test_the_api_refuses_a_version_that_is_not_one(world):
    from rest_framework.test import APIClient

    api = login(APIClient(), world.hospital_a)
    url = f"/api/v1/people/{world.a_doctor.pk}/"
    response = api.patch(url, {"position": "x"}, format="json", HTTP_IF_MATCH='"abc"')
    assert response.status_code == 400 and "版本号无效" in response.json()["version"][0]


def test_an_institution_patch_from_a_stale_etag_gets_409(world):
    from rest_framework.test import APIClient

    api = login(APIClient(), world.commission)
    url = f"/api/v1/institutions/{world.a.pk}/"
    etag = api.get(url)["ETag"]
    assert (
        api.patch(url, {"short_name": "甲"}, format="json", HTTP_IF_MATCH=etag).status_code == 200
    )
    refused = api.patch(url, {"short_name": "乙"}, format="json", HTTP_IF_MATCH=etag)
    assert refused.status_code == 409 and "医疗机构" in refused.json()["detail"]
    assert Institution.objects.get(pk=world.a.pk).short_name == "甲"


def test_unchecked_saves_still_move_the_version_on(world):
    """An import's overwrite (no version given) is a deliberate write, and a form loaded
    before it is then refused."""
    person = Person.objects.get(pk=world.a_doctor.pk)
    loaded = person.version
    services.person_update(person=Person.objects.get(pk=person.pk), position="主任")
    with pytest.raises(versions.VersionConflict):
        services.person_update(person=person, position="副主任", version=loaded)
    assert Person.objects.get(pk=person.pk).version == loaded + 1


def test_a_department_created_starts_at_version_one(world):
    created = Department.objects.create(institution=world.a, name="新科室")
    assert created.version == 1


def test_a_record_edited_from_a_stale_version_is_refused_on_the_page_and_in_the_api(world, client):
    from rest_framework.test import APIClient

    person = world.a_doctor
    title = person.titles.get()
    url = f"/people/{person.pk}/records/title/{title.pk}/edit/"
    alice = login(client, world.hospital_a)
    bob = _second_client(type(client), world.commission)
    alice_form, bob_form = _form_data(alice.get(url)), _form_data(bob.get(url))
    assert alice.post(url, {**alice_form, "obtained_on": "2019-03-01"}).status_code == 302
    second = bob.post(url, {**bob_form, "appointed_on": "2019-05-01"})
    assert second.status_code == 200
    assert "取得时间 2018-01-01→2019-03-01" in second.context["form"].non_field_errors()[0]
    title.refresh_from_db()
    assert str(title.obtained_on) == "2019-03-01" and title.appointed_on is None

    api = login(APIClient(), world.hospital_a)
    record_url = f"/api/v1/people/{person.pk}/titles/{title.pk}/"
    etag = api.get(record_url)["ETag"]
    saved = api.patch(record_url, {"appointed_on": "2019-06-01"}, format="json", HTTP_IF_MATCH=etag)
    assert saved.status_code == 200
    stale = api.patch(record_url, {"obtained_on": "2017-01-01"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 409 and stale.json()["changes"][0]["field"] == "appointed_on"
    title.refresh_from_db()
    assert str(title.obtained_on) == "2019-03-01"


def test_a_record_removed_while_it_was_being_edited_is_told_not_failed(world):
    from django.core.exceptions import ValidationError

    from yicai.people.models import TitleRecord

    loaded = TitleRecord.objects.get(person=world.a_doctor)
    services.record_delete(record=TitleRecord.objects.get(pk=loaded.pk))
    with pytest.raises(ValidationError) as refused:
        services.record_update(record=loaded, version=loaded.version, appointed_on=None)
    assert "已被他人删除" in refused.value.messages[0]
    assert not TitleRecord.objects.filter(pk=loaded.pk).exists()
