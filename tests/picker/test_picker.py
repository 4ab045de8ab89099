"""The person picker (yicai/picker.py): its JSON endpoint searches the people a source allows,
a page at a time, tells namesakes apart and resolves pasted names; its form field refuses
anyone outside the source, keeps an edited record's current person and renders only the
chosen ones. A source of this module's own (everyone the user sees) stands in for the apps'."""

import datetime
import re

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from tests.conftest import login
from yicai import picker
from yicai.access.scope import has_perm
from yicai.people.models import Person
from yicai.people.queries import people_for

pytestmark = pytest.mark.django_db
SOURCE = "tests.seen"
URL = f"/pick/{SOURCE}/"


@pytest.fixture(autouse=True)
def seen_source(monkeypatch):
    """Everyone the user may see, in a department when `department` is given."""

    def build(user, params):
        people = people_for(user)
        if department := picker.param_id(params, "department"):
            people = people.filter(department_id=department)
        return people.order_by("name_initials")

    monkeypatch.setattr(picker, "_SOURCES", dict(picker._SOURCES))
    picker.register_source(SOURCE, build, permission="person.view")


def names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["name"] for row in response.json()["results"]]


def add_people(institution, count, *, prefix="测试", department=None):
    return [
        factories.person(
            institution,
            f"{prefix}{index:02d}",
            department=department,
            birth=datetime.date(1980, 1, 1) + datetime.timedelta(days=index),
        )
        for index in range(count)
    ]


# --- the endpoint ------------------------------------------------------------------------------


def test_it_needs_a_login(client, world):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_an_unknown_source_is_not_found(client, world):
    login(client, world.hospital_a)
    assert client.get("/pick/training.nobody/").status_code == 404


@pytest.mark.parametrize("persona", ["auditor", "security", "nobody"])
def test_a_role_without_the_sources_permission_gets_403(client, world, persona):
    login(client, getattr(world, persona))
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"names": "李心怡"}).status_code == 403


def test_hospital_b_never_gets_a_person_of_a(client, world):
    login(client, world.hospital_b)
    assert names(client.get(URL)) == ["陈全科"]
    assert names(client.get(URL, {"q": "李心怡"})) == []
    assert client.post(URL, {"names": "李心怡"}).json()["results"] == []


def test_hospital_a_gets_its_own_people_in_the_sources_order(client, world):
    login(client, world.hospital_a)
    assert names(client.get(URL)) == ["李心怡", "赵护士", "周外科"]


def test_it_finds_by_name_initials_full_pinyin_and_last_four_digits(client, world):
    login(client, world.hospital_a)
    assert names(client.get(URL, {"q": "心怡"})) == ["李心怡"]
    assert names(client.get(URL, {"q": "lxy"})) == ["李心怡"]
    assert names(client.get(URL, {"q": "zhou"})) == ["周外科"]
    assert names(client.get(URL, {"q": "zhouwai"})) == ["周外科"]
    last4 = world.a_surgeon.id_number_last4
    assert "周外科" in names(client.get(URL, {"q": last4}))


def test_namesakes_are_told_apart_by_sex_birth_year_and_department(client, world):
    factories.person(
        world.a, "陈楠", department=world.a_cardiology, birth=datetime.date(1988, 3, 1)
    )
    factories.person(
        world.a, "陈楠", department=world.a_surgery, birth=datetime.date(1990, 5, 1), male=False
    )
    login(client, world.hospital_a)
    rows = client.get(URL, {"q": "陈楠"}).json()["results"]
    assert [row["name"] for row in rows] == ["陈楠", "陈楠"]
    details = {row["detail"] for row in rows}
    assert details == {
        "男性 · 1988 年生 · 甲区中心医院 · 心血管内科",
        "女性 · 1990 年生 · 甲区中心医院 · 普外科",
    }


def test_it_never_returns_an_identity_or_phone_number(client, world):
    person = factories.person(world.a, "钱电话", phone="13812345678")
    login(client, world.hospital_a)
    response = client.get(URL, {"q": "钱电话"})
    (row,) = response.json()["results"]
    assert set(row) == {"id", "name", "detail"}
    body = response.content.decode()
    assert person.id_number[-4:] not in body
    assert "5678" not in body and "1381" not in body


def test_it_pages_twenty_at_a_time_with_a_link_to_the_next(client, world):
    add_people(world.a, 45, department=world.a_surgery)
    login(client, world.hospital_a)
    first = client.get(URL, {"q": "cs", "department": world.a_surgery.pk}).json()
    assert len(first["results"]) == 20
    second = client.get(first["next"]).json()
    third = client.get(second["next"]).json()
    assert len(second["results"]) == 20 and len(third["results"]) == 5
    assert third["next"] is None
    everyone = [row["name"] for page in (first, second, third) for row in page["results"]]
    assert everyone == [f"测试{index:02d}" for index in range(45)]
    assert f"department={world.a_surgery.pk}" in first["next"]


def test_the_endpoints_query_count_does_not_grow_with_the_people(
    client, world, django_assert_max_num_queries
):
    login(client, world.hospital_a)
    add_people(world.a, 3)
    client.get(URL, {"q": "cs"})  # the session and the user's roles, read once
    with CaptureQueriesContext(connection) as few:
        assert len(names(client.get(URL, {"q": "cs"}))) == 3
        client.post(URL, {"names": "测试00 测试01"})
    add_people(world.a, 40, prefix="另测")
    with django_assert_max_num_queries(len(few)):
        assert len(names(client.get(URL, {"q": "cs"}))) == 3
        client.post(URL, {"names": "测试00 测试01 另测00 另测01 另测02"})


# --- pasted names ------------------------------------------------------------------------------


def test_a_pasted_list_adds_exact_names_and_reports_namesakes_and_unknown_names(client, world):
    factories.person(world.a, "陈楠", department=world.a_cardiology)
    factories.person(world.a, "陈楠", department=world.a_surgery)
    login(client, world.hospital_a)
    pasted = "1\t李心怡\n2\t周外科、赵护士，陈楠；王五 李心怡"
    answer = client.post(URL, {"names": pasted}).json()
    assert [row["name"] for row in answer["results"]] == ["李心怡", "周外科", "赵护士"]
    assert answer["complete"] is False
    assert "已添加 3 人" in answer["message"]
    assert "陈楠（2 人）" in answer["message"]
    assert "王五" in answer["message"]


def test_a_clean_paste_is_complete(client, world):
    login(client, world.hospital_a)
    answer = client.post(URL, {"names": "李心怡\r\n赵护士\r\n"}).json()
    assert answer == {
        "results": answer["results"],
        "message": "已添加 2 人。",
        "complete": True,
    }


def test_a_paste_only_finds_people_of_the_source(client, world):
    login(client, world.hospital_a)
    answer = client.post(f"{URL}?department={world.a_surgery.pk}", {"names": "周外科,李心怡"})
    assert [row["name"] for row in answer.json()["results"]] == ["周外科"]
    assert "李心怡" in answer.json()["message"]


# --- the form field ---------------------------------------------------------------------------


class OneForm(forms.Form):
    person = picker.PersonPickerField(SOURCE, label="指导人")
    helper = picker.PersonPickerField(SOURCE, label="协助人", required=False)

    def __init__(self, user, *args, keep=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].bind(user, keep=keep)
        self.fields["helper"].bind(user, {"department": None})


class ManyForm(forms.Form):
    people = picker.PeoplePickerField(SOURCE, label="参加人员")

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].bind(user)


def test_the_field_takes_a_person_of_the_source(world):
    form = OneForm(world.hospital_a, {"person": world.a_doctor.pk})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"person": world.a_doctor, "helper": None}


def test_a_post_naming_someone_outside_the_source_is_refused_in_chinese(world):
    form = OneForm(world.hospital_a, {"person": world.b_doctor.pk})
    assert not form.is_valid()
    assert form.errors["person"] == ["所选指导人不在可选范围内。"]
    many = ManyForm(world.hospital_a, {"people": [world.a_doctor.pk, world.b_doctor.pk]})
    assert not many.is_valid()
    assert many.errors["people"] == ["所选参加人员不在可选范围内。"]


def test_a_required_picker_left_empty_says_so(world):
    form = OneForm(world.hospital_a, {})
    assert not form.is_valid()
    assert form.errors["person"] == ["请选择指导人。"]


def test_an_edit_keeps_the_records_current_person_without_offering_them(client, world):
    kept = OneForm(world.hospital_b, {"person": world.a_doctor.pk}, keep=[world.a_doctor])
    assert kept.is_valid(), kept.errors
    refused = OneForm(world.hospital_b, {"person": world.a_surgeon.pk}, keep=[world.a_doctor])
    assert not refused.is_valid()
    login(client, world.hospital_b)
    assert "李心怡" not in names(client.get(URL))


def test_the_widget_renders_only_the_chosen_people(world):
    add_people(world.a, 5)
    html = OneForm(world.hospital_a, initial={"person": world.a_doctor}).as_p()
    options = re.findall(r"<option[^>]*>([^<]*)</option>", html)
    assert options == ["李心怡", ""]  # the chosen one; the optional field's empty choice
    assert 'data-picker="/pick/tests.seen/"' in html
    assert "周外科" not in html and "测试00" not in html
    assert "1985 年生" in html  # what tells the chosen one from a namesake


def test_an_id_outside_the_source_shows_no_name_when_the_form_comes_back(world):
    form = OneForm(world.hospital_a, {"person": world.b_doctor.pk})
    assert not form.is_valid()
    assert "陈全科" not in form.as_p()


def test_the_form_page_renders_with_the_same_queries_however_many_people(world):
    def rendered():
        with CaptureQueriesContext(connection) as captured:
            OneForm(world.hospital_a, initial={"person": world.a_doctor}).as_p()
        return len(captured)

    rendered()  # the user's roles, read once
    few = rendered()
    add_people(world.a, 30)
    assert rendered() == few


# --- without JavaScript: names typed in a box ---------------------------------------------------


def test_without_javascript_typed_names_are_resolved_on_the_server(world):
    many = ManyForm(world.hospital_a, {"people__names": "李心怡、周外科"})
    assert many.is_valid(), many.errors
    assert set(many.cleaned_data["people"]) == {world.a_doctor, world.a_surgeon}
    one = OneForm(world.hospital_a, {"person__names": "赵护士"})
    assert one.is_valid(), one.errors
    assert one.cleaned_data["person"] == world.a_ward_nurse


def test_without_javascript_an_unknown_or_shared_name_is_an_error_not_a_guess(world):
    factories.person(world.a, "陈楠")
    factories.person(world.a, "陈楠")
    many = ManyForm(world.hospital_a, {"people__names": "李心怡 陈楠 王五"})
    assert not many.is_valid()
    (namesakes, unknown) = many.errors["people"]
    assert "陈楠（2 人）" in namesakes and "王五" in unknown
    assert 'value="李心怡 陈楠 王五"' in str(many["people"])
    one = OneForm(world.hospital_a, {"person__names": "李心怡 周外科"})
    assert not one.is_valid()
    assert one.errors["person"] == ["指导人只能选择一人。"]


# --- a source of another app, for a role that sees no person records ----------------------------


def test_a_source_decides_its_own_permission_and_scope(client, world):
    """The accounts app's kind of source: a security administrator (users.manage, no
    person.view) chooses among people the source itself allows."""
    assert has_perm(world.security, "users.manage")
    assert not has_perm(world.security, "person.view")
    picker.register_source(
        "tests.bindable",
        lambda user, params: Person.objects.filter(user__isnull=True),
        permission="users.manage",
    )

    class BindForm(forms.Form):
        person = picker.PersonPickerField("tests.bindable", label="人员")

    form = BindForm({"person": world.a_surgeon.pk})
    form.fields["person"].bind(world.security)
    assert form.is_valid(), form.errors
    taken = BindForm({"person": world.a_doctor.pk})  # the trainee's account holds her
    taken.fields["person"].bind(world.security)
    assert not taken.is_valid()
    login(client, world.security)
    offered = names(client.get("/pick/tests.bindable/", {"q": "zhou"}))
    assert offered == ["周外科"]
    assert client.get(URL).status_code == 403  # no person.view: not the other sources
