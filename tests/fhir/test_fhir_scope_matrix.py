"""Every persona × every FHIR resource type: reads within the scope, 404 outside it, searches
returning exactly the scope, 403 for roles that see no such data at all (as on the pages)."""

import pytest

from tests.conftest import login
from tests.fhir.helpers import fhir_get, fhir_search, ids

# The same matrix as the pages' (None: the role sees no such data at all, 403).
from tests.scope_tables import (
    INSTITUTIONS,
    PEOPLE,
    PERSONAS,
    SEES_INSTITUTIONS,
    SEES_PEOPLE,
)

# Appointments made by the factories: everyone with a department has one.
WITH_APPOINTMENT = ["a_doctor", "a_ward_nurse", "a_surgeon", "b_doctor"]


def _status(allowed: set | None, key: str) -> int:
    if allowed is None:
        return 403
    return 200 if key in allowed else 404


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("target", PEOPLE)
def test_practitioner_read_is_limited_to_the_scope(world, client, persona, target):
    login(client, getattr(world, persona))
    person = getattr(world, target)
    status = _status(SEES_PEOPLE[persona], target)
    response = client.get(f"/fhir/Practitioner/{person.pk}")
    body = fhir_get(client, f"/fhir/Practitioner/{person.pk}", status=status)
    if status == 200:
        assert body["id"] == str(person.pk)
    else:
        assert person.name not in response.content.decode()


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("target", WITH_APPOINTMENT)
def test_practitioner_role_read_is_limited_to_the_scope(world, client, persona, target):
    login(client, getattr(world, persona))
    appointment = getattr(world, target).appointments.get()
    status = _status(SEES_PEOPLE[persona], target)
    body = fhir_get(client, f"/fhir/PractitionerRole/{appointment.pk}", status=status)
    if status == 200:
        assert body["practitioner"]["reference"] == f"Practitioner/{getattr(world, target).pk}"


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("target", INSTITUTIONS)
def test_organization_read_is_limited_to_the_scope(world, client, persona, target):
    login(client, getattr(world, persona))
    institution = getattr(world, target)
    status = _status(SEES_INSTITUTIONS[persona], target)
    body = fhir_get(client, f"/fhir/Organization/{institution.pk}", status=status)
    if status == 200:
        assert body["name"] == institution.name


@pytest.mark.parametrize("persona", PERSONAS)
def test_practitioner_search_returns_exactly_the_scope(world, client, persona):
    login(client, getattr(world, persona))
    allowed = SEES_PEOPLE[persona]
    if allowed is None:
        fhir_get(client, "/fhir/Practitioner", status=403)
        return
    bundle = fhir_get(client, "/fhir/Practitioner?_count=100")
    assert ids(bundle) == {getattr(world, key).pk for key in allowed}
    assert bundle["total"] == len(allowed)


@pytest.mark.parametrize("persona", PERSONAS)
def test_practitioner_role_search_returns_exactly_the_scope(world, client, persona):
    login(client, getattr(world, persona))
    allowed = SEES_PEOPLE[persona]
    if allowed is None:
        fhir_get(client, "/fhir/PractitionerRole", status=403)
        return
    bundle = fhir_get(client, "/fhir/PractitionerRole?_count=100")
    expected = {
        getattr(world, key).appointments.get().pk for key in WITH_APPOINTMENT if key in allowed
    }
    assert ids(bundle) == expected
    assert bundle["total"] == len(expected)


@pytest.mark.parametrize("persona", PERSONAS)
def test_organization_search_returns_exactly_the_scope(world, client, persona):
    login(client, getattr(world, persona))
    allowed = SEES_INSTITUTIONS[persona]
    if allowed is None:
        fhir_get(client, "/fhir/Organization", status=403)
        return
    bundle = fhir_get(client, "/fhir/Organization?_count=100")
    assert ids(bundle) == {getattr(world, key).pk for key in allowed}
    assert bundle["total"] == len(allowed)


@pytest.mark.parametrize("persona", PERSONAS)
def test_search_filters_cannot_reach_past_the_scope(world, client, persona):
    """Asking for another institution's people by organization or identifier finds nothing."""
    login(client, getattr(world, persona))
    allowed = SEES_PEOPLE[persona]
    if allowed is None:
        return
    for key in PEOPLE:
        person = getattr(world, key)
        for url in (
            f"/fhir/Practitioner?organization={person.institution_id}&_count=100",
            f"/fhir/Practitioner?identifier={person.id_number}",
            f"/fhir/PractitionerRole?practitioner={person.pk}",
        ):
            # A full identity number is searched by POST _search, never in a URL.
            search = fhir_search if "identifier" in url else fhir_get
            found = ids(search(client, url))
            assert found <= {getattr(world, k).pk for k in allowed} | {
                a.pk for k in allowed for a in getattr(world, k).appointments.all()
            }, url
            if "identifier" in url:
                assert found == ({person.pk} if key in allowed else set())
