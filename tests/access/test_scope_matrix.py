"""Every role × every person and organisation page and export × own versus others' records:
the right rows, 403 or 404 in each cell."""

import io

import openpyxl
import pytest

from tests.conftest import login
from tests.scope_tables import (
    EDITS_PEOPLE,
    EXPORTS_INSTITUTIONS,
    EXPORTS_PEOPLE,
    INSTITUTIONS,
    PEOPLE,
    PERSONAS,
    SEES_INSTITUTIONS,
    SEES_PEOPLE,
)
from yicai.access.models import AuditEntry
from yicai.people import services as people_services


def _expected_status(allowed: set | None, key: str, role_has_permission: bool) -> int:
    if not role_has_permission:
        return 403
    return 200 if key in allowed else 404


def _names(world, keys):
    return {getattr(world, key).name for key in keys}


def _sheet_column(response, header: str) -> list:
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.active.iter_rows(values_only=True))
    column = rows[0].index(header)
    return [row[column] for row in rows[1:]]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("target", PEOPLE)
def test_person_record_is_shown_only_within_scope(world, client, persona, target):
    login(client, getattr(world, persona))
    allowed = SEES_PEOPLE[persona]
    person = getattr(world, target)
    response = client.get(f"/people/{person.pk}/")
    assert response.status_code == _expected_status(allowed, target, allowed is not None)
    if response.status_code != 200:
        assert person.name not in response.content.decode()


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("target", PEOPLE)
def test_person_edit_form_opens_only_for_editors_within_scope(world, client, persona, target):
    login(client, getattr(world, persona))
    person = getattr(world, target)
    response = client.get(f"/people/{person.pk}/edit/")
    editable = EDITS_PEOPLE.get(persona)
    assert response.status_code == _expected_status(editable, target, editable is not None)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("target", PEOPLE)
def test_identity_reveal_is_refused_outside_editors_scope(world, client, persona, target):
    login(client, getattr(world, persona))
    person = getattr(world, target)
    response = client.post(f"/people/{person.pk}/reveal/")
    editable = EDITS_PEOPLE.get(persona)
    assert response.status_code == _expected_status(editable, target, editable is not None)
    assert (person.id_number in response.content.decode()) == (response.status_code == 200)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("target", PEOPLE)
def test_phone_reveal_is_refused_outside_editors_scope(world, client, persona, target):
    person = getattr(world, target)
    phone = "13912345678"
    people_services.person_update(person=person, phone=phone)
    login(client, getattr(world, persona))
    response = client.post(f"/people/{person.pk}/reveal-phone/")
    editable = EDITS_PEOPLE.get(persona)
    assert response.status_code == _expected_status(editable, target, editable is not None)
    assert (phone in response.content.decode()) == (response.status_code == 200)
    reveals = AuditEntry.objects.filter(event="reveal_phone", object_id=person.pk)
    assert reveals.count() == (1 if response.status_code == 200 else 0)


@pytest.mark.parametrize("persona", PERSONAS)
def test_person_list_shows_exactly_the_scope(world, client, persona):
    login(client, getattr(world, persona))
    response = client.get("/people/")
    allowed = SEES_PEOPLE[persona]
    if allowed is None:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    page = response.content.decode()
    for key in PEOPLE:
        assert (getattr(world, key).name in page) == (key in allowed), key


@pytest.mark.parametrize("persona", PERSONAS)
def test_person_export_has_exactly_the_scope_and_masks_numbers(world, client, persona):
    login(client, getattr(world, persona))
    response = client.get("/people/?export=xlsx")
    allowed = EXPORTS_PEOPLE.get(persona)
    if allowed is None:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    assert set(_sheet_column(response, "姓名")) == _names(world, allowed)
    numbers = _sheet_column(client.get("/people/?export=xlsx"), "身份证号码")
    full = {getattr(world, key).id_number for key in PEOPLE}
    assert numbers and all("*" in number and number not in full for number in numbers)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("target", INSTITUTIONS)
def test_institution_page_is_shown_only_within_scope(world, client, persona, target):
    login(client, getattr(world, persona))
    allowed = SEES_INSTITUTIONS[persona]
    institution = getattr(world, target)
    response = client.get(f"/org/{institution.pk}/")
    assert response.status_code == _expected_status(allowed, target, allowed is not None)


@pytest.mark.parametrize("persona", PERSONAS)
def test_institution_list_and_export_show_exactly_the_scope(world, client, persona):
    login(client, getattr(world, persona))
    allowed = SEES_INSTITUTIONS[persona]
    response = client.get("/org/")
    if allowed is None:
        assert response.status_code == 403
    else:
        page = response.content.decode()
        for key in INSTITUTIONS:
            assert (getattr(world, key).name in page) == (key in allowed), key
    export = client.get("/org/?export=xlsx")
    exportable = EXPORTS_INSTITUTIONS.get(persona)
    if exportable is None:
        assert export.status_code == 403
    else:
        assert set(_sheet_column(export, "机构名称")) == _names(world, exportable)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    ("url", "who"),
    [
        ("/accounts/audit/", {"auditor"}),
        ("/accounts/audit/?export=xlsx", {"auditor"}),
        ("/accounts/users/", {"security"}),
        ("/accounts/policy/", {"security"}),
        ("/people/new/", {"commission", "hospital_a", "hospital_b"}),
    ],
)
def test_administration_pages_open_only_for_their_role(world, client, persona, url, who):
    login(client, getattr(world, persona))
    response = client.get(url)
    assert response.status_code == (200 if persona in who else 403)


def test_an_anonymous_visitor_is_sent_to_the_login_page(world, client):
    for url in ["/", "/people/", f"/people/{world.a_doctor.pk}/", "/org/", "/accounts/audit/"]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_a_user_with_several_roles_sees_the_union(world, client):
    from yicai.access import services
    from yicai.access.models import Role

    services.role_assign(
        user=world.hospital_b, role=Role.DEPARTMENT_HEAD, department=world.a_surgery
    )
    login(client, world.hospital_b)
    page = client.get("/people/").content.decode()
    assert "陈全科" in page and "周外科" in page
    assert "李心怡" not in page


# A correction request (PIPL art. 46) about a_doctor, filed by the trainee who is a_doctor:
# HR who may edit a_doctor (hospital A, the commission) see and resolve it, the person sees it,
# nobody else learns it exists.
SEES_CORRECTION = {"commission", "hospital_a", "trainee"}
RESOLVES_CORRECTION = {"commission", "hospital_a"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_correction_request_is_seen_and_resolved_only_within_scope(world, client, persona):
    correction = people_services.correction_request_file(
        user=world.trainee, topic="education", wrong="毕业院校有误", correct="上海交通大学"
    )
    url = f"/people/corrections/{correction.pk}/"
    login(client, getattr(world, persona))
    response = client.get(url)
    assert response.status_code == (200 if persona in SEES_CORRECTION else 404)
    listing = client.get("/people/corrections/")
    if persona in EDITS_PEOPLE:
        shown = f'id="correction-{correction.pk}"' in listing.content.decode()
        assert shown == (persona in RESOLVES_CORRECTION)
    else:
        assert listing.status_code == 403
    response = client.post(url, {"decision": "reject", "resolution": "不符"})
    if persona in RESOLVES_CORRECTION:
        assert response.status_code == 302
    else:
        assert response.status_code == (403 if persona == "trainee" else 404)
    correction.refresh_from_db()
    assert correction.status == ("rejected" if persona in RESOLVES_CORRECTION else "pending")
