"""Happy paths of /api/v1/: read, create and edit institutions, departments and people, add and
remove a person's records; numbers go in, only masked forms come out."""

import datetime

from stdnum.cn import ric

from tests import factories
from yicai.access.models import AuditEntry
from yicai.codes.queries import code_for
from yicai.org.models import Department, Institution
from yicai.people.models import Education, Person


def _person_payload(world, **overrides) -> dict:
    birth = datetime.date(1990, 3, 15)
    return {
        "name": "吴新人",
        "sex": code_for("sex", "1").pk,
        "birth_date": birth.isoformat(),
        "id_number": factories.id_number(birth),
        "phone": "13800138000",
        "category": "staff",
        "institution": world.a.pk,
        "department": world.a_surgery.pk,
        "position": "住院医师",
        **overrides,
    }


def test_the_person_list_pages_by_cursor_and_masks_numbers(world, as_api):
    api = as_api(world.commission)
    response = api.get("/api/v1/people/")
    assert response.status_code == 200
    body = response.json()
    assert {row["name"] for row in body["results"]} == {
        world.a_doctor.name,
        world.a_ward_nurse.name,
        world.a_surgeon.name,
        world.b_doctor.name,
        world.partner_expert.name,
    }
    assert set(body) == {"next", "previous", "results"}
    doctor = next(row for row in body["results"] if row["id"] == world.a_doctor.pk)
    assert doctor["id_number_masked"].endswith(world.a_doctor.id_number[-4:])
    assert doctor["id_number_masked"].startswith("*" * 14)
    assert "id_number" not in doctor and "phone" not in doctor
    assert world.a_doctor.id_number not in response.content.decode()


def test_the_person_list_follows_its_cursor_to_the_next_page(world, as_api):
    for index in range(55):
        factories.person(world.a, f"翻页{index:02d}")
    api = as_api(world.hospital_a)
    first = api.get("/api/v1/people/?sort=-birth").json()
    assert len(first["results"]) == 50 and first["next"]
    second = api.get(first["next"]).json()
    names = [row["name"] for row in first["results"] + second["results"]]
    assert len(names) == len(set(names)) == 58
    assert second["next"] is None


def test_the_institution_sort_pages_through_every_row_once(world, as_api):
    for index in range(60):
        factories.person(world.b if index % 2 else world.a, f"机构序{index:02d}")
    api = as_api(world.commission)
    seen, url = [], "/api/v1/people/?sort=institution"
    while url:
        body = api.get(url).json()
        seen += [row["id"] for row in body["results"]]
        url = body["next"]
    assert len(seen) == len(set(seen)) == Person.objects.count()


def test_the_person_list_filters_as_the_page_does(world, as_api):
    api = as_api(world.commission)

    def names(query: str) -> set[str]:
        response = api.get(f"/api/v1/people/?{query}")
        assert response.status_code == 200, response.content
        return {row["name"] for row in response.json()["results"]}

    assert names("q=lxy") == {world.a_doctor.name}
    assert names(f"q={world.b_doctor.id_number[-4:]}") == {world.b_doctor.name}
    assert names(f"institution={world.b.pk}") == {world.b_doctor.name}
    assert names(f"department={world.a_cardio_ward.pk}") == {world.a_ward_nurse.name}
    assert names("title_grade=senior") == {world.partner_expert.name}
    assert names("category=external_expert") == {world.partner_expert.name}
    assert names("age_band=30-39") == set()
    tag = code_for("talent_tag", "shortage")
    assert names(f"tag={tag.pk}") == set()


def test_a_person_is_read_with_its_records_nested(world, as_api):
    api = as_api(world.hospital_a)
    response = api.get(f"/api/v1/people/{world.a_doctor.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert body["institution"] == {"id": world.a.pk, "name": world.a.name}
    assert [t["title"]["code"] for t in body["titles"]] == ["233"]
    assert [a["department"]["name"] for a in body["appointments"]] == ["心血管内科"]
    assert body["educations"] == [] and body["licences"] == [] and body["tags"] == []


def test_a_person_is_created_with_encrypted_numbers_and_audited(world, as_api):
    api = as_api(world.hospital_a)
    payload = _person_payload(world)
    response = api.post("/api/v1/people/", payload, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    person = Person.objects.get(pk=body["id"])
    assert person.id_number == payload["id_number"]
    assert person.phone == "13800138000"
    assert body["id_number_masked"].endswith(payload["id_number"][-4:])
    assert body["phone_masked"] == "*******8000"
    assert payload["id_number"] not in response.content.decode()
    assert "13800138000" not in response.content.decode()
    entry = AuditEntry.objects.filter(object_pk=str(person.pk), event="change").last()
    assert entry is not None and entry.actor_id == world.hospital_a.pk


def test_a_person_is_edited_in_part_and_numbers_are_kept_unless_sent(world, as_api):
    api = as_api(world.hospital_a)
    person = world.a_surgeon
    number = person.id_number
    response = api.patch(
        f"/api/v1/people/{person.pk}/",
        {"position": "主任医师", "department": world.a_cardiology.pk},
        format="json",
    )
    assert response.status_code == 200, response.content
    person.refresh_from_db()
    assert person.position == "主任医师"
    assert person.department == world.a_cardiology
    assert person.id_number == number
    # The current appointment follows the profile's post.
    assert person.appointments.get(end_on__isnull=True).department == world.a_cardiology
    response = api.patch(f"/api/v1/people/{person.pk}/", {"phone": ""}, format="json")
    assert response.status_code == 200
    assert response.json()["phone_masked"] == ""


def test_a_person_is_replaced_whole_with_put(world, as_api):
    api = as_api(world.hospital_b)
    person = world.b_doctor
    payload = _person_payload(
        world,
        name="陈全科",
        birth_date=person.birth_date.isoformat(),
        institution=world.b.pk,
        department=world.b_medicine.pk,
    )
    del payload["id_number"]
    response = api.put(f"/api/v1/people/{person.pk}/", payload, format="json")
    assert response.status_code == 200, response.content
    person.refresh_from_db()
    assert person.position == "住院医师" and person.phone == "13800138000"


def test_records_are_added_listed_read_and_removed(world, as_api):
    api = as_api(world.hospital_a)
    person = world.a_surgeon
    base = f"/api/v1/people/{person.pk}"
    added = {}
    for kind, payload in {
        "educations": {
            "level": code_for("education", "21").pk,
            "degree": code_for("degree", "301").pk if code_for("degree", "301") else None,
            "school": "复旦大学上海医学院",
            "major": "临床医学",
            "graduated_on": "2008-07-01",
        },
        "titles": {"title": code_for("title", "231").pk, "obtained_on": "2022-12-01"},
        "licences": {
            "number": "110310000012345",
            "practice_category": "1",
            "scope": "外科专业",
            "registered_institution": world.a.pk,
            "issued_on": "2010-01-01",
        },
        "appointments": {
            "institution": world.a.pk,
            "department": world.a_surgery.pk,
            "position": "科主任",
            "start_on": "2024-01-01",
        },
        "tags": {"tag": code_for("talent_tag", "shortage").pk, "valid_from": "2024-01-01"},
    }.items():
        response = api.post(f"{base}/{kind}/", payload, format="json")
        assert response.status_code == 201, (kind, response.content)
        added[kind] = response.json()["id"]
        listed = api.get(f"{base}/{kind}/").json()["results"]
        assert added[kind] in [row["id"] for row in listed]
        assert api.get(f"{base}/{kind}/{added[kind]}/").status_code == 200
    person.refresh_from_db()
    assert person.title_grade == "senior"  # the service refreshed the summary columns
    assert person.position == "科主任"
    detail = api.get(f"{base}/").json()
    assert detail["licences"][0]["practice_category"] == "1"
    assert detail["highest_education"]["code"] == "21"
    for kind, pk in added.items():
        response = api.delete(f"{base}/{kind}/{pk}/")
        assert response.status_code == 204, kind
        assert api.get(f"{base}/{kind}/{pk}/").status_code == 404
    person.refresh_from_db()
    assert person.title_grade == "associate_senior"
    assert not Education.objects.filter(person=person).exists()


def test_institutions_are_listed_with_counts_and_filtered(world, as_api):
    api = as_api(world.commission)
    body = api.get("/api/v1/institutions/").json()
    by_name = {row["name"]: row for row in body["results"]}
    assert set(by_name) == {world.a.name, world.b.name, world.partner.name}
    assert by_name[world.a.name]["staff_count"] == 3
    assert by_name[world.a.name]["department_count"] == 3
    partner = api.get("/api/v1/institutions/?relation=partner").json()["results"]
    assert [row["name"] for row in partner] == [world.partner.name]
    assert api.get("/api/v1/institutions/?q=社区").json()["results"][0]["id"] == world.b.pk


def test_the_commission_creates_an_institution_and_a_hospital_edits_its_own(world, as_api):
    api = as_api(world.commission)
    district = factories.region("310113")
    response = api.post(
        "/api/v1/institutions/",
        {
            "name": "丙镇卫生院",
            "kind": "township",
            "region": district.pk,
            "commission_region": district.pk,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    created = Institution.objects.get(pk=response.json()["id"])
    assert created.grade == "0" and created.relation == "managed"

    api = as_api(world.hospital_a)
    response = api.patch(
        f"/api/v1/institutions/{world.a.pk}/",
        # A hospital cannot move itself to another commission: that field is ignored.
        {"short_name": "甲中心", "commission_region": factories.region("310104").pk},
        format="json",
    )
    assert response.status_code == 200, response.content
    world.a.refresh_from_db()
    assert world.a.short_name == "甲中心"
    assert world.a.commission_region == district


def test_departments_are_created_listed_and_edited(world, as_api):
    api = as_api(world.hospital_a)
    response = api.post(
        "/api/v1/departments/",
        {"institution": world.a.pk, "name": "心内一病区", "parent": world.a_cardiology.pk},
        format="json",
    )
    assert response.status_code == 201, response.content
    created = Department.objects.get(pk=response.json()["id"])
    assert created.institution == world.a and created.parent == world.a_cardiology
    listed = api.get(f"/api/v1/departments/?institution={world.a.pk}").json()["results"]
    assert created.pk in [row["id"] for row in listed]
    response = api.patch(f"/api/v1/departments/{created.pk}/", {"clinical": False}, format="json")
    assert response.status_code == 200
    created.refresh_from_db()
    assert created.clinical is False


def test_an_identity_number_with_a_lowercase_x_is_accepted(world, as_api):
    birth = datetime.date(1990, 3, 15)
    body = "31011319900315" + "123"
    number = body + ric.calc_check_digit(body + "0")
    if not number.endswith("X"):  # find one ending in X
        for order in range(100, 999):
            body = f"31011319900315{order:03d}"
            number = body + ric.calc_check_digit(body + "0")
            if number.endswith("X") and order % 2:
                break
    api = as_api(world.hospital_a)
    payload = _person_payload(world, id_number=number.lower(), birth_date=birth.isoformat())
    response = api.post("/api/v1/people/", payload, format="json")
    assert response.status_code == 201, response.content
    assert Person.objects.get(pk=response.json()["id"]).id_number == number
