"""Search, filters, sort, htmx fragments and the timeline."""

import datetime

import pytest

from tests import factories
from tests.conftest import login
from yicai.codes.queries import code_for
from yicai.people import services, timeline


def _names(response) -> list[str]:
    return [person.name for person in response.context["page_obj"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [("李心", ["李心怡"]), ("lxy", ["李心怡"]), ("LX", ["李心怡"]), ("zhs", ["赵护士"])],
)
def test_search_by_name_or_pinyin_initials(world, client, query, expected):
    login(client, world.hospital_a)
    assert _names(client.get("/people/", {"q": query})) == expected


def test_search_by_the_last_four_digits_of_the_identity_number(world, client):
    login(client, world.hospital_a)
    last4 = world.a_surgeon.id_number[-4:]
    assert "周外科" in _names(client.get("/people/", {"q": last4}))


def test_search_by_a_full_identity_number_uses_the_blind_index(world, client):
    login(client, world.hospital_a)
    assert _names(client.get("/people/", {"q": world.a_ward_nurse.id_number})) == ["赵护士"]


def test_search_never_finds_people_outside_the_scope(world, client):
    login(client, world.hospital_a)
    assert _names(client.get("/people/", {"q": world.b_doctor.id_number})) == []
    assert _names(client.get("/people/", {"q": "cqk"})) == []


def test_filters_by_department_title_grade_education_tag_and_age(world, client):
    login(client, world.hospital_a)
    doctor = world.a_doctor
    services.education_add(
        person=doctor,
        level=code_for("education", "14"),
        school="复旦大学",
        major="内科学",
        graduated_on=datetime.date(2012, 6, 30),
        degree=code_for("degree", "345"),
    )
    services.tag_add(
        person=doctor, tag=code_for("talent_tag", "shortage"), valid_from=datetime.date(2024, 1, 1)
    )
    services.tag_add(
        person=world.a_surgeon,
        tag=code_for("talent_tag", "shortage"),
        valid_from=datetime.date(2020, 1, 1),
        valid_to=datetime.date(2021, 1, 1),
    )
    get = lambda **params: sorted(_names(client.get("/people/", params)))  # noqa: E731
    assert get(institution=world.a.pk, department=world.a_cardiology.pk) == ["李心怡"]
    assert get(title_grade="associate_senior") == ["周外科"]
    assert get(education=code_for("education", "10").pk) == ["李心怡"]
    assert get(tag=code_for("talent_tag", "shortage").pk) == ["李心怡"]  # expired tag excluded
    young = factories.person(world.a, "钱年轻", birth=datetime.date.today().replace(year=2000))
    assert young.name in get(age_band="-30")
    assert "李心怡" not in get(age_band="-30")


def test_sorting_by_age(world, client):
    login(client, world.hospital_a)
    factories.person(world.a, "老专家", birth=datetime.date(1962, 1, 1))
    assert _names(client.get("/people/", {"sort": "birth"}))[0] == "老专家"
    assert _names(client.get("/people/", {"sort": "-birth"}))[-1] == "老专家"


def test_an_htmx_request_gets_only_the_results_fragment(world, client):
    login(client, world.hospital_a)
    response = client.get(
        "/people/", {"q": "lxy"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results"
    )
    body = response.content.decode()
    assert "李心怡" in body and "result-count" in body
    assert "<html" not in body and "person-filter" not in body


def test_an_empty_result_says_so(world, client):
    login(client, world.hospital_a)
    body = client.get("/people/", {"q": "不存在的人"}).content.decode()
    assert "没有符合条件的人员" in body


def test_pagination_keeps_the_filters(world, client):
    login(client, world.hospital_a)
    for index in range(30):
        factories.person(world.a, f"分页{index:02d}", department=world.a_surgery)
    filters = {"department": world.a_surgery.pk, "institution": world.a.pk}
    first = client.get("/people/", filters)
    page = first.context["page_obj"]
    assert (page.count, page.more) == (31, False)
    assert f"department={world.a_surgery.pk}" in first.content.decode()
    assert f"cursor={page.next_cursor}" in first.content.decode()
    second = client.get("/people/", {**filters, "cursor": page.next_cursor})
    assert len(second.context["page_obj"]) == 6
    assert second.context["page_obj"].number == 2


def test_the_timeline_shows_every_record_in_date_order(world, client):
    login(client, world.hospital_a)
    person = world.a_doctor
    services.licence_add(
        person=person,
        number="110310000000001",
        category="1",
        scope="内科专业",
        issued_on=datetime.date(2013, 9, 1),
    )
    services.tag_add(
        person=person,
        tag=code_for("talent_tag", "young_backbone"),
        valid_from=datetime.date(2022, 3, 1),
        note="区青年骨干",
    )
    events = client.get(f"/people/{person.pk}/").context["events"]
    kinds = [event.kind for event in events]
    assert {"任职", "职称", "执业", "人才标签"} <= set(kinds)
    dates = [event.date for event in events]
    assert dates == sorted(dates, reverse=True)


def test_another_app_adds_timeline_events_without_editing_people(world, client):
    @timeline.register("tests.visits")
    def visits(person):
        yield timeline.Event(datetime.date(2024, 5, 6), "坐诊", f"{person.name} 专家坐诊")

    try:
        login(client, world.hospital_a)
        body = client.get(f"/people/{world.a_doctor.pk}/").content.decode()
        assert "李心怡 专家坐诊" in body
    finally:
        timeline._providers.pop("tests.visits")


def test_the_home_page_counts_what_is_recorded(world, client):
    login(client, world.commission)
    figures = client.get("/").context["figures"]
    assert figures["total"] == 5
    assert figures["senior"] == 2  # 周外科 副主任医师, 孙名医 主任医师
    assert figures["managed"] == 2 and figures["partner"] == 1
    login(client, world.hospital_a)
    assert client.get("/").context["figures"]["total"] == 3


def test_choosing_an_institution_offers_only_its_departments(world, client):
    login(client, world.commission)
    response = client.get(
        "/people/",
        {"institution": world.b.pk},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="id_department",
    )
    choices = list(response.context["form"].fields["department"].queryset)
    assert choices == [world.b_medicine]
