"""Every API endpoint × every persona × own versus others' rows: lists hold exactly the scope,
a row outside it is a 404, a role without the permission gets 403, and a refused write
writes nothing. The expectations are the pages' (tests/access/test_scope_matrix.py)."""

import datetime

import pytest

from tests import factories
from tests.scope_tables import (
    EDITS_PEOPLE,
    INSTITUTIONS,
    PEOPLE,
    PERSONAS,
    SEES_INSTITUTIONS,
    SEES_PEOPLE,
)
from yicai.codes.queries import code_for
from yicai.org.models import Department, Institution
from yicai.people.models import Education, Person, TitleRecord

DEPARTMENTS = ["a_cardiology", "a_cardio_ward", "a_surgery", "b_medicine"]
SEES_DEPARTMENTS = {
    "commission": set(DEPARTMENTS),
    "hospital_a": {"a_cardiology", "a_cardio_ward", "a_surgery"},
    "hospital_b": {"b_medicine"},
    "dept_head": {"a_cardiology", "a_cardio_ward"},
    "mentor": set(),  # the partner expert belongs to no department
    "trainee": {"a_cardiology"},
    "auditor": None,
    "security": None,
    "nobody": None,
}
EDITS_INSTITUTIONS = {"commission": set(INSTITUTIONS), "hospital_a": {"a"}, "hospital_b": {"b"}}
EDITS_DEPARTMENTS = {key: SEES_DEPARTMENTS[key] for key in EDITS_INSTITUTIONS}
CREATES_INSTITUTIONS = {"commission"}


def _expected(allowed: set | None, key: str, ok: int = 200) -> int:
    if allowed is None:
        return 403
    return ok if key in allowed else 404


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def _pks(world, keys) -> set[int]:
    return {getattr(world, key).pk for key in keys}


# --- lists -----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    ("url", "expected", "keys"),
    [
        ("/api/v1/people/", SEES_PEOPLE, PEOPLE),
        ("/api/v1/institutions/", SEES_INSTITUTIONS, INSTITUTIONS),
        ("/api/v1/departments/", SEES_DEPARTMENTS, DEPARTMENTS),
    ],
    ids=["people", "institutions", "departments"],
)
def test_each_list_holds_exactly_the_scope(world, as_api, persona, url, expected, keys):
    api = as_api(getattr(world, persona))
    response = api.get(url)
    allowed = expected[persona]
    if allowed is None:
        assert response.status_code == 403
        return
    assert _ids(response) == _pks(world, allowed)


@pytest.mark.parametrize("persona", PERSONAS)
def test_filters_cannot_reach_past_the_scope(world, as_api, persona):
    """Filtering by another institution's id is refused, never answered with its rows."""
    api = as_api(getattr(world, persona))
    allowed = SEES_PEOPLE[persona]
    for key in INSTITUTIONS:
        response = api.get(f"/api/v1/people/?institution={getattr(world, key).pk}")
        if allowed is None:
            assert response.status_code == 403
        elif key in SEES_INSTITUTIONS[persona]:
            assert _ids(response) <= _pks(world, allowed)
        else:
            assert response.status_code == 400
    for key in DEPARTMENTS:
        response = api.get(f"/api/v1/departments/?institution={getattr(world, key).pk}")
        if allowed is not None:
            assert _ids(response) <= _pks(world, SEES_DEPARTMENTS[persona])


# --- reads of one row ------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("target", PEOPLE)
def test_a_person_and_their_records_are_read_only_within_scope(world, as_api, persona, target):
    api = as_api(getattr(world, persona))
    person = getattr(world, target)
    title = TitleRecord.objects.get(person=person)
    expected = _expected(SEES_PEOPLE[persona], target)
    for url in (
        f"/api/v1/people/{person.pk}/",
        f"/api/v1/people/{person.pk}/titles/",
        f"/api/v1/people/{person.pk}/titles/{title.pk}/",
        f"/api/v1/people/{person.pk}/appointments/",
    ):
        response = api.get(url)
        assert response.status_code == expected, url
        if expected != 200:
            assert person.name not in response.content.decode()


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("target", INSTITUTIONS)
def test_an_institution_is_read_only_within_scope(world, as_api, persona, target):
    api = as_api(getattr(world, persona))
    institution = getattr(world, target)
    response = api.get(f"/api/v1/institutions/{institution.pk}/")
    assert response.status_code == _expected(SEES_INSTITUTIONS[persona], target)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("target", DEPARTMENTS)
def test_a_department_is_read_only_within_scope(world, as_api, persona, target):
    api = as_api(getattr(world, persona))
    department = getattr(world, target)
    response = api.get(f"/api/v1/departments/{department.pk}/")
    assert response.status_code == _expected(SEES_DEPARTMENTS[persona], target)


# --- writes ----------------------------------------------------------------------------------


def _person_snapshot(person) -> tuple:
    person = Person.objects.get(pk=person.pk)
    return (person.position, person.updated_at, person.educations.count(), person.titles.count())


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("target", PEOPLE)
def test_a_person_is_edited_only_within_the_editors_scope(world, as_api, persona, target):
    api = as_api(getattr(world, persona))
    person = getattr(world, target)
    before = _person_snapshot(person)
    expected = _expected(EDITS_PEOPLE.get(persona), target)
    response = api.patch(f"/api/v1/people/{person.pk}/", {"position": "改"}, format="json")
    assert response.status_code == expected
    if expected != 200:
        assert _person_snapshot(person) == before


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("target", PEOPLE)
def test_records_are_added_and_removed_only_within_the_editors_scope(
    world, as_api, persona, target
):
    api = as_api(getattr(world, persona))
    person = getattr(world, target)
    title = TitleRecord.objects.get(person=person)
    before = _person_snapshot(person)
    expected = _expected(EDITS_PEOPLE.get(persona), target)
    response = api.post(
        f"/api/v1/people/{person.pk}/educations/",
        {
            "level": code_for("education", "21").pk,
            "school": "某医学院",
            "graduated_on": "2005-07-01",
        },
        format="json",
    )
    assert response.status_code == _expected(EDITS_PEOPLE.get(persona), target, 201)
    response = api.delete(f"/api/v1/people/{person.pk}/titles/{title.pk}/")
    assert response.status_code == _expected(EDITS_PEOPLE.get(persona), target, 204)
    if expected != 200:
        assert _person_snapshot(person) == before
        assert TitleRecord.objects.filter(pk=title.pk).exists()
        assert not Education.objects.filter(person=person).exists()


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("target", INSTITUTIONS)
def test_a_person_is_created_only_in_an_institution_the_user_edits(world, as_api, persona, target):
    api = as_api(getattr(world, persona))
    institution = getattr(world, target)
    birth = datetime.date(1992, 2, 2)
    count = Person.objects.count()
    response = api.post(
        "/api/v1/people/",
        {
            "name": "新同事",
            "sex": code_for("sex", "1").pk,
            "birth_date": birth.isoformat(),
            "id_number": factories.id_number(birth),
            "category": "staff",
            "institution": institution.pk,
        },
        format="json",
    )
    editable = EDITS_INSTITUTIONS.get(persona)
    if editable is None:
        assert response.status_code == 403
    elif target in editable:
        assert response.status_code == 201
        assert Person.objects.get(pk=response.json()["id"]).institution == institution
        return
    else:
        assert response.status_code == 400
        assert "institution" in response.json()
    assert Person.objects.count() == count


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("target", PEOPLE)
def test_a_person_cannot_be_moved_into_an_institution_outside_the_scope(
    world, as_api, persona, target
):
    editable = EDITS_PEOPLE.get(persona)
    if editable is None or target not in editable:
        return  # covered above: 403 or 404
    api = as_api(getattr(world, persona))
    person = getattr(world, target)
    for key in INSTITUTIONS:
        institution = getattr(world, key)
        response = api.patch(
            f"/api/v1/people/{person.pk}/",
            {"institution": institution.pk, "department": None},
            format="json",
        )
        may = key in EDITS_INSTITUTIONS[persona]
        assert response.status_code == (200 if may else 400), key
        if not may:
            assert Person.objects.get(pk=person.pk).institution_id != institution.pk


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("target", INSTITUTIONS)
def test_an_institution_is_edited_only_within_scope(world, as_api, persona, target):
    api = as_api(getattr(world, persona))
    institution = getattr(world, target)
    response = api.patch(
        f"/api/v1/institutions/{institution.pk}/", {"affiliation": "改"}, format="json"
    )
    expected = _expected(EDITS_INSTITUTIONS.get(persona), target)
    assert response.status_code == expected
    stored = Institution.objects.get(pk=institution.pk).affiliation
    assert (stored == "改") == (expected == 200)


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_commission_creates_institutions(world, as_api, persona):
    api = as_api(getattr(world, persona))
    district = factories.region("310113")
    count = Institution.objects.count()
    response = api.post(
        "/api/v1/institutions/",
        {
            "name": "新设机构",
            "kind": "other",
            "region": district.pk,
            "commission_region": district.pk,
        },
        format="json",
    )
    created = persona in CREATES_INSTITUTIONS
    assert response.status_code == (201 if created else 403)
    assert Institution.objects.count() == count + created


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("target", INSTITUTIONS)
def test_a_department_is_created_only_in_an_institution_the_user_edits(
    world, as_api, persona, target
):
    api = as_api(getattr(world, persona))
    institution = getattr(world, target)
    count = Department.objects.count()
    response = api.post(
        "/api/v1/departments/", {"institution": institution.pk, "name": "新科室"}, format="json"
    )
    editable = EDITS_INSTITUTIONS.get(persona)
    if editable is None:
        assert response.status_code == 403
    elif target in editable:
        assert response.status_code == 201
        return
    else:
        assert response.status_code == 400
        assert "institution" in response.json()
    assert Department.objects.count() == count


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("target", DEPARTMENTS)
def test_a_department_is_edited_only_within_scope(world, as_api, persona, target):
    api = as_api(getattr(world, persona))
    department = getattr(world, target)
    response = api.patch(
        f"/api/v1/departments/{department.pk}/", {"clinical": False}, format="json"
    )
    expected = _expected(EDITS_DEPARTMENTS.get(persona), target)
    assert response.status_code == expected
    assert Department.objects.get(pk=department.pk).clinical == (expected != 200)
