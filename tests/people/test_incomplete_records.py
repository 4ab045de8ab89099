"""Records a roster leaves incomplete are kept, shown as incomplete and listed for HR."""

from tests.conftest import login
from yicai.codes.queries import code_for
from yicai.people import services


def test_a_title_without_its_date_is_kept_and_marked_incomplete(world, client):
    person = world.a_doctor
    services.title_add(person=person, title=code_for("title", "232"))
    services.education_add(person=person, level=code_for("education", "21"))
    person.refresh_from_db()
    assert person.current_title.name == "副主任医师"  # the highest held, dated or not
    login(client, world.hospital_a)
    page = client.get(f"/people/{person.pk}/").content.decode()
    assert "档案不完整" in page
    assert "职称“副主任医师”缺取得时间" in page
    assert "学历“大学本科毕业”缺毕业院校、毕业时间" in page


def test_the_list_of_incomplete_records_names_only_those_people(world, client):
    services.title_add(person=world.a_doctor, title=code_for("title", "234"))
    login(client, world.hospital_a)
    listed = client.get("/people/", {"incomplete": "on"}).content.decode()
    assert world.a_doctor.name in listed
    assert world.a_ward_nurse.name not in listed
    everyone = client.get("/people/").content.decode()
    assert world.a_ward_nurse.name in everyone


def test_a_complete_record_shows_no_warning(world, client):
    login(client, world.hospital_a)
    page = client.get(f"/people/{world.a_ward_nurse.pk}/").content.decode()
    assert "档案不完整" not in page


def test_hr_completes_an_incomplete_record_on_its_edit_page(world, client):
    record = services.education_add(person=world.a_doctor, level=code_for("education", "21"))
    login(client, world.hospital_a)
    page = client.get(f"/people/{world.a_doctor.pk}/").content.decode()
    edit = f"/people/{world.a_doctor.pk}/records/education/{record.pk}/edit/"
    assert edit in page
    response = client.post(
        edit,
        {
            "level": record.level_id,
            "school": "复旦大学",
            "graduated_on": "2012-07-01",
            "full_time": "on",
        },
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.school, str(record.graduated_on)) == ("复旦大学", "2012-07-01")
    page = client.get(f"/people/{world.a_doctor.pk}/").content.decode()
    assert "缺毕业院校" not in page


def test_a_refused_edit_changes_nothing(world, client):
    record = services.education_add(person=world.a_doctor, level=code_for("education", "21"))
    login(client, world.hospital_a)
    edit = f"/people/{world.a_doctor.pk}/records/education/{record.pk}/edit/"
    response = client.post(
        edit, {"level": record.level_id, "school": "复旦大学", "graduated_on": "2999-01-01"}
    )
    assert response.status_code == 200
    assert "日期不能晚于今天" in response.content.decode()
    record.refresh_from_db()
    assert (record.school, record.graduated_on) == ("", None)


def test_hospital_b_cannot_edit_a_record_of_hospital_a(world, client):
    record = services.education_add(person=world.a_doctor, level=code_for("education", "21"))
    login(client, world.hospital_b)
    edit = f"/people/{world.a_doctor.pk}/records/education/{record.pk}/edit/"
    assert client.get(edit).status_code == 404
    assert client.post(edit, {"level": record.level_id, "school": "x"}).status_code == 404
    record.refresh_from_db()
    assert record.school == ""
