"""Hostile input gets a 400 that names the field in Chinese, and nothing is written."""

import datetime
import re

import pytest

from tests import factories
from yicai.access.models import AuditEntry
from yicai.codes.models import Code
from yicai.codes.queries import code_for
from yicai.org.models import Department, Institution
from yicai.people.models import Appointment, Education, Licence, Person, TitleRecord

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _payload(world, **overrides) -> dict:
    birth = datetime.date(1990, 3, 15)
    payload = {
        "name": "吴新人",
        "sex": code_for("sex", "1").pk,
        "birth_date": birth.isoformat(),
        "id_number": factories.id_number(birth),
        "category": "staff",
        "institution": world.a.pk,
        "department": world.a_surgery.pk,
    }
    payload.update(overrides)
    return {key: value for key, value in payload.items() if value is not ...}


def _assert_refused(response, field: str, message: str | None = None) -> None:
    assert response.status_code == 400, response.content
    body = response.json()
    assert field in body, body
    messages = body[field] if isinstance(body[field], list) else [body[field]]
    assert all(CHINESE.search(text) for text in messages), messages
    if message is not None:
        assert message in " ".join(messages), messages


def _counts() -> tuple:
    return (
        Person.objects.count(),
        Institution.objects.count(),
        Department.objects.count(),
        Education.objects.count(),
        TitleRecord.objects.count(),
        Licence.objects.count(),
        Appointment.objects.count(),
        AuditEntry.objects.count(),
    )


HOSTILE_PEOPLE = [
    ("bad check digit", {"id_number": "310113199003151230"}, "id_number", None),
    ("number of another birthday", {"birth_date": "1991-03-15"}, "birth_date", None),
    ("unknown sex code", {"sex": 999999}, "sex", "性别"),
    ("a code of another table", {"sex": "ethnicity"}, "sex", "性别"),
    ("sex as text", {"sex": "男"}, "sex", None),
    ("overlong name", {"name": "张" * 51}, "name", "50"),
    ("blank name", {"name": "   "}, "name", None),
    ("missing name", {"name": ...}, "name", None),
    ("NUL in the name", {"name": "张\x00三"}, "name", None),
    ("date that is not one", {"birth_date": "2020-13-45"}, "birth_date", None),
    ("birth in the future", {"birth_date": "2999-01-01", "id_number": ""}, "birth_date", None),
    ("unknown category", {"category": "alien"}, "category", None),
    ("institution as an object", {"institution": {"id": 1}}, "institution", None),
    ("unknown institution", {"institution": 10**12}, "institution", "机构"),
    ("phone with letters", {"phone": "138-0013-abcd"}, "phone", "手机号码"),
    ("overlong position", {"position": "岗" * 61}, "position", None),
    ("overlong identity number", {"id_number": "1" * 31}, "id_number", None),
]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [case[1:] for case in HOSTILE_PEOPLE],
    ids=[case[0] for case in HOSTILE_PEOPLE],
)
def test_hostile_person_input_is_refused_and_nothing_is_written(
    world, as_api, overrides, field, message
):
    if overrides.get("sex") == "ethnicity":
        overrides = {**overrides, "sex": code_for("ethnicity", "01").pk}
    api = as_api(world.hospital_a)
    before = _counts()
    response = api.post("/api/v1/people/", _payload(world, **overrides), format="json")
    _assert_refused(response, field, message)
    assert _counts() == before


def test_a_department_of_another_institution_is_refused(world, as_api):
    # The hospital cannot even name B's department; the commission can, but not under A.
    api = as_api(world.hospital_a)
    before = _counts()
    payload = _payload(world, department=world.b_medicine.pk)
    _assert_refused(api.post("/api/v1/people/", payload, format="json"), "department")
    assert _counts() == before
    api = as_api(world.commission)
    before = _counts()
    response = api.post("/api/v1/people/", payload, format="json")
    _assert_refused(response, "department", "科室不属于所选机构")
    assert _counts() == before


def test_a_duplicate_identity_number_is_refused(world, as_api):
    api = as_api(world.commission)
    payload = _payload(
        world,
        id_number=world.a_doctor.id_number,
        birth_date=world.a_doctor.birth_date.isoformat(),
        sex=code_for("sex", "2").pk,
    )
    before = _counts()
    _assert_refused(api.post("/api/v1/people/", payload, format="json"), "id_number", "已存在")
    assert _counts() == before


def test_an_edit_that_breaks_the_stored_number_changes_nothing(world, as_api):
    api = as_api(world.hospital_a)
    person = world.a_doctor
    before = _counts()
    response = api.patch(
        f"/api/v1/people/{person.pk}/", {"birth_date": "1970-01-01"}, format="json"
    )
    _assert_refused(response, "birth_date")
    person.refresh_from_db()
    assert person.birth_date == datetime.date(1985, 6, 1)
    assert _counts() == before


@pytest.mark.parametrize(
    "body",
    [b"[1, 2]", b"{not json", b'"text"', b"null"],
    ids=["a list", "broken json", "a string", "null"],
)
def test_a_body_that_is_not_an_object_is_a_400(world, as_api, body):
    api = as_api(world.hospital_a)
    before = _counts()
    response = api.post("/api/v1/people/", body, content_type="application/json")
    assert response.status_code == 400
    assert CHINESE.search(response.content.decode("utf-8"))
    assert _counts() == before


def test_a_form_encoded_body_is_refused(world, as_api):
    api = as_api(world.hospital_a)
    response = api.post("/api/v1/people/", {"name": "x"}, format="multipart")
    assert response.status_code == 415


HOSTILE_RECORDS = [
    ("educations", {"level": 10**9, "school": "x", "graduated_on": "2000-01-01"}, "level"),
    (
        "educations",
        {"level": "education:21", "school": "x", "graduated_on": "2999-01-01"},
        "graduated_on",
    ),
    (
        "educations",
        {"level": "education:21", "school": "x" * 101, "graduated_on": "2000-01-01"},
        "school",
    ),
    ("titles", {"title": "title-series", "obtained_on": "2020-01-01"}, "title"),
    ("titles", {"title": "title:233", "obtained_on": "yesterday"}, "obtained_on"),
    (
        "licences",
        {
            "number": "1",
            "practice_category": "1",
            "issued_on": "2020-01-01",
            "expires_on": "2010-01-01",
        },
        "expires_on",
    ),
    ("licences", {"number": "1", "practice_category": "7"}, "practice_category"),
    ("licences", {"number": "1" * 41, "practice_category": "1"}, "number"),
    (
        "appointments",
        {"institution": "a", "department": "b_medicine", "start_on": "2020-01-01"},
        "department",
    ),
    (
        "appointments",
        {"institution": "a", "start_on": "2020-01-01", "end_on": "2019-01-01"},
        "end_on",
    ),
    ("tags", {"tag": "talent_tag:shortage", "valid_from": True}, "valid_from"),
]


def _resolve(world, payload: dict) -> dict:
    resolved = {}
    for key, value in payload.items():
        if isinstance(value, str) and ":" in value and key in {"level", "title", "tag"}:
            table, code = value.split(":")
            value = code_for(table, code).pk
        elif value == "title-series":
            value = Code.objects.filter(table__key="title", parent__isnull=True).first().pk
        elif key in {"institution", "department"}:
            value = getattr(world, value).pk
        resolved[key] = value
    return resolved


@pytest.mark.parametrize(
    ("kind", "payload", "field"),
    HOSTILE_RECORDS,
    ids=[f"{kind}-{field}" for kind, _payload, field in HOSTILE_RECORDS],
)
def test_hostile_record_input_is_refused_and_nothing_is_written(
    world, as_api, kind, payload, field
):
    api = as_api(world.commission)
    before = _counts()
    url = f"/api/v1/people/{world.a_surgeon.pk}/{kind}/"
    response = api.post(url, _resolve(world, payload), format="json")
    _assert_refused(response, field)
    assert _counts() == before


def test_a_licence_number_already_registered_is_refused(world, as_api):
    api = as_api(world.commission)
    payload = {"number": "110310000099999", "practice_category": "1"}
    url = f"/api/v1/people/{world.a_surgeon.pk}/licences/"
    assert api.post(url, payload, format="json").status_code == 201
    before = _counts()
    url = f"/api/v1/people/{world.b_doctor.pk}/licences/"
    _assert_refused(api.post(url, payload, format="json"), "non_field_errors")
    assert _counts() == before


def test_hostile_institution_input_is_refused(world, as_api):
    api = as_api(world.commission)
    district = factories.region("310113")
    good = {"name": "丁卫生院", "kind": "township", "region": district.pk}
    before = _counts()
    for overrides, field in [
        ({"name": world.a.name}, "name"),
        ({"name": "院" * 101}, "name"),
        ({"kind": "spaceport"}, "kind"),
        ({"grade": 4}, "grade"),
        ({"region": "宝山"}, "region"),
        ({"commission_region": factories.region("310000").pk}, "commission_region"),
        ({"active": "perhaps"}, "active"),
    ]:
        payload = {"commission_region": district.pk, **good, **overrides}
        response = api.post("/api/v1/institutions/", payload, format="json")
        _assert_refused(response, field)
    assert _counts() == before


def test_an_institution_moved_out_of_the_commissions_reach_is_refused(world, as_api):
    api = as_api(world.commission)
    elsewhere = factories.region("310104")
    before = _counts()
    response = api.patch(
        f"/api/v1/institutions/{world.a.pk}/", {"commission_region": elsewhere.pk}, format="json"
    )
    _assert_refused(response, "commission_region", "管辖范围")
    world.a.refresh_from_db()
    assert world.a.commission_region.code == "310113"
    assert _counts() == before


def test_hostile_department_input_is_refused(world, as_api):
    api = as_api(world.commission)
    before = _counts()
    for payload, field in [
        ({"institution": world.a.pk, "name": "全科", "parent": world.b_medicine.pk}, "parent"),
        ({"institution": world.a.pk, "name": "普外科"}, "non_field_errors"),
        ({"institution": world.a.pk, "name": "科" * 61}, "name"),
        ({"institution": "甲", "name": "新科"}, "institution"),
        ({"name": "新科"}, "institution"),
    ]:
        _assert_refused(api.post("/api/v1/departments/", payload, format="json"), field)
    response = api.patch(
        f"/api/v1/departments/{world.a_cardiology.pk}/",
        {"parent": world.a_cardio_ward.pk},
        format="json",
    )
    _assert_refused(response, "parent", "上级科室")
    assert _counts() == before


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("institution=abc", "institution"),
        ("institution=999999999999999999999", "institution"),
        ("sort=drop", "sort"),
        ("age_band=200-300", "age_band"),
        ("title_grade=emperor", "title_grade"),
        ("category=alien", "category"),
        ("q=%00", "q"),
    ],
)
def test_a_bad_filter_is_a_400_not_a_silent_full_list(world, as_api, query, field):
    api = as_api(world.hospital_a)
    _assert_refused(api.get(f"/api/v1/people/?{query}"), field)


def test_an_institution_filter_outside_the_scope_is_refused(world, as_api):
    api = as_api(world.hospital_a)
    _assert_refused(api.get(f"/api/v1/people/?institution={world.b.pk}"), "institution")
    _assert_refused(api.get("/api/v1/institutions/?relation=enemy"), "relation")
    _assert_refused(api.get("/api/v1/departments/?institution=x"), "institution")
