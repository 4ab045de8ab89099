"""The one text search, pages by key, the bounded count and the order by full pinyin: what
lets the person list, the API and the pickers answer as quickly at a million people."""

import datetime

import pytest
from django.db import connection

from tests import factories
from tests.conftest import login
from yicai import pagination
from yicai.people import queries
from yicai.people.models import Person


def _person(institution, name: str, **extra):
    """A person born on a day of their own: identity numbers stay unique however many."""
    _person.born += datetime.timedelta(days=1)
    return factories.person(institution, name, birth=_person.born, **extra)


_person.born = datetime.date(1970, 1, 1)


def _names(response) -> list[str]:
    return [person.name for person in response.context["page_obj"]]


def _found(world, text: str) -> set[str]:
    people = Person.objects.filter(institution=world.a)
    return {person.name for person in queries.matching(people, text)}


def _first(world, text: str) -> list[str]:
    people = Person.objects.filter(institution=world.a)
    return [person.name for person in queries.first_matches(people, text, 20)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("李", {"李心怡", "王李明"}),  # a surname, and the character further on in a name
        ("李心", {"李心怡"}),  # the start of a name
        ("心怡", {"李心怡"}),  # part of a given name
        ("李心怡", {"李心怡"}),  # the whole name
        ("怡", {"李心怡"}),  # one character of a given name
        ("lxy", {"李心怡"}),  # pinyin initials
        ("LX", {"李心怡"}),
        ("l", {"李心怡", "刘安"}),  # one letter: initials and full pinyin alike
        ("lixin", {"李心怡"}),  # full pinyin
        ("li xin", {"李心怡"}),
        ("wangli", {"王李明"}),
        ("zhs", {"赵护士"}),
        ("曾", {"曾小明"}),  # a polyphonic surname (ceng or zeng)
        ("ceng", {"曾小明"}),
        ("不存在", set()),
    ],
)
def test_every_search_path_finds_what_it_should(world, text, expected):
    _person(world.a, "王李明")
    _person(world.a, "刘安")
    _person(world.a, "曾小明")
    assert _found(world, text) == expected
    assert set(_first(world, text)) == expected  # the pickers' query: the same people


def test_the_last_four_digits_and_the_whole_number_find_their_person(world):
    surgeon = world.a_surgeon
    assert _found(world, surgeon.id_number[-4:]) >= {"周外科"}
    assert _found(world, surgeon.id_number) == {"周外科"}
    assert _found(world, surgeon.id_number.lower()) == {"周外科"}
    assert _found(world, world.b_doctor.id_number) == set()  # another institution's


def services_pinyin(name: str) -> str:
    from yicai.people.services import name_pinyin

    return name_pinyin(name)


def test_sorting_by_name_sorts_by_full_pinyin(world, client):
    # By initials 刘安 (la) comes before 李兵 (lb); by full pinyin libing comes before liuan.
    _person(world.a, "刘安")
    _person(world.a, "李兵")
    login(client, world.hospital_a)
    names = _names(client.get("/people/", {"q": "l"}))
    assert names.index("李兵") < names.index("刘安")
    assert names == sorted(names, key=services_pinyin)


def _walk(rows, order, size, parts=None, backward=False) -> list[int]:
    """Every row, page by page: following next links, or previous links from the last page."""
    pages, cursor = [], None
    while True:
        page = pagination.keyset_page(rows, order, parts=parts, cursor=cursor, size=size)
        pages.append([row.pk for row in page])
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    if backward:
        pages, cursor = [pages[-1]], page.previous_cursor
        while cursor is not None:
            page = pagination.keyset_page(rows, order, parts=parts, cursor=cursor, size=size)
            pages.insert(0, [row.pk for row in page])
            cursor = page.previous_cursor
    return [pk for pks in pages for pk in pks]


@pytest.mark.parametrize("sort", sorted(queries.SORTS))
def test_pages_by_key_skip_and_repeat_no_row_even_among_namesakes(world, sort):
    for index in range(7):  # namesakes: the same pinyin, the same birth date
        _person(world.a, "王伟", department=world.a_surgery)
        _person(world.b, "王卫", title="233")
        _person(world.a, f"张{'一二三四五六七'[index]}")
    rows = Person.objects.order_by(*queries.SORTS[sort])
    expected = list(rows.values_list("pk", flat=True))
    assert _walk(rows, queries.SORTS[sort], size=4) == expected
    assert _walk(rows, queries.SORTS[sort], size=4, backward=True) == expected


@pytest.mark.parametrize(
    ("text", "found", "bound"),
    [
        ("王", 7, 1000),  # the surname, walked; the character further on
        ("ww", 4, 1000),  # full pinyin, walked; initials, sorted
        ("ww", 4, 1),  # initials beyond the bound: sorted by the database
        ("王伟", 3, 1000),  # the start of a name and further on, both sorted
    ],
)
def test_pages_over_parts_merge_them_in_order_without_repeats(
    world, monkeypatch, text, found, bound
):
    monkeypatch.setattr(pagination, "COUNT_BOUND", bound)
    for name in ("王伟", "王卫", "王李", "李王", "黄王", "汪洋", "王伟", "吴王伟"):
        _person(world.a, name)
    people = Person.objects.all()
    rows = queries.matching(people, text)
    parts = queries.matching_parts(people, text)
    assert len(parts) == 2
    expected = list(rows.order_by(*queries.SORTS["name"]).values_list("pk", flat=True))
    assert len(expected) == found
    assert _walk(rows, queries.SORTS["name"], size=2, parts=parts) == expected
    assert _walk(rows, queries.SORTS["name"], size=2, parts=parts, backward=True) == expected


def test_a_tampered_cursor_gives_the_first_page(world, client):
    login(client, world.hospital_a)
    first = _names(client.get("/people/"))
    for cursor in ("not-base64!", pagination.encode_cursor({"after": [1]}), "e30"):
        assert _names(client.get("/people/", {"cursor": cursor})) == first


def test_the_count_stops_at_its_bound_and_says_so(world, client, monkeypatch):
    monkeypatch.setattr(pagination, "COUNT_BOUND", 4)
    for index in range(4):
        _person(world.a, f"王{'一二三四'[index]}")
    login(client, world.hospital_a)
    exact = client.get("/people/", {"q": "王"})  # four: exactly the bound
    assert (exact.context["page_obj"].count, exact.context["page_obj"].more) == (4, False)
    assert "共 4 人" in exact.content.decode()
    _person(world.a, "王五")
    bounded = client.get("/people/", {"q": "王"})
    assert (bounded.context["page_obj"].count, bounded.context["page_obj"].more) == (4, True)
    assert "4 人以上" in bounded.content.decode()
    assert len(bounded.context["page_obj"]) == 5  # the page is not cut by the count


def test_the_export_is_not_cut_by_the_bounded_count(world, client, monkeypatch):
    monkeypatch.setattr(pagination, "COUNT_BOUND", 2)
    for index in range(4):
        _person(world.a, f"王{'一二三四'[index]}")
    login(client, world.hospital_a)
    response = client.get("/people/", {"q": "王", "export": "csv"})
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert len(lines) == 1 + 4


def test_the_api_pages_by_key_through_every_person(world, client):
    for index in range(60):
        _person(world.a, f"王{index:02d}")
    login(client, world.hospital_a)
    seen, url = [], "/api/v1/people/?q=wang"
    while url:
        body = client.get(url).json()
        seen += [row["id"] for row in body["results"]]
        url = body["next"]
    assert len(seen) == len(set(seen)) == 60
    assert seen == list(
        Person.objects.filter(name__startswith="王", institution=world.a)
        .order_by(*queries.SORTS["name"])
        .values_list("pk", flat=True)
    )


@pytest.mark.parametrize(
    "url", ["/people/?q=王", "/people/?q=zw", "/people/?q=心怡", "/api/v1/people/?q=王"]
)
def test_search_queries_do_not_grow_with_the_people_found(world, client, url):
    login(client, world.hospital_a)
    client.get(url)  # warm the caches (content types, code tables)
    for index in range(3):
        _person(world.a, f"王心怡{index}")
    with CaptureCount() as few:
        client.get(url)
    for index in range(40):
        _person(world.a, f"张伟心怡{index}")
        _person(world.a, f"王{index}")
    with CaptureCount() as many:
        client.get(url)
    assert few.count == many.count


class CaptureCount:
    def __enter__(self):
        from django.test.utils import CaptureQueriesContext

        self.context = CaptureQueriesContext(connection)
        self.context.__enter__()
        return self

    def __exit__(self, *exc):
        self.context.__exit__(*exc)
        self.count = len(self.context.captured_queries)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's GIN index")
def test_the_name_characters_index_answers_the_search_on_postgresql(world):
    people = queries.matching(Person.objects.all(), "心怡")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = people.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "person_name_characters" in plan
