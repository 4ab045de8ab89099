# ruff: noqa: S608 - the SQL text is made of constants and integer ids; values are parameters
"""The best hand-written SQL of each page `python -m bench scale` measures, with the same
indexes Yicai uses: one statement for the page's rows (each index-served part fetched in the
list's order up to a page, the page read by those ids with what the page shows), and one for
the bounded count (each part up to 1,001 ids). `%s` placeholders, through Django's cursor, so
the same text runs on PostgreSQL and SQLite where the two agree.
"""

PAGE = 25
API_PAGE = 50
PICKER = 20
BOUND = 1000
ORDER = "p.name_pinyin, p.id"
SORTED = {"postgresql": "p.name_pinyin || '', p.id", "sqlite": "+p.name_pinyin, p.id"}
# What the list shows: name, sex, birth date, masked number, institution, department, title,
# education (the picker shows a subset; reading the same costs the same).
COLUMNS = """p.id, p.name, sex.name, p.birth_date, p.id_number_last4,
    COALESCE(i.short_name, i.name), d.name, t.name, e.name"""
SHOWN = """people_person p
    JOIN codes_code sex ON sex.id = p.sex_id
    LEFT JOIN org_institution i ON i.id = p.institution_id
    LEFT JOIN org_department d ON d.id = p.department_id
    LEFT JOIN codes_code t ON t.id = p.current_title_id
    LEFT JOIN codes_code e ON e.id = p.highest_education_id"""


def institution_ids(user) -> list[int]:
    """The institutions the user's scope reaches (the commission officer: the district's)."""
    from yicai.org.queries import institutions_for

    return sorted(institutions_for(user).values_list("pk", flat=True))


def _successor(prefix: str) -> str:
    stem = prefix.rstrip("z")
    return stem[:-1] + chr(ord(stem[-1]) + 1)


def parts(vendor: str, text: str | None) -> list[tuple[str, list, bool]]:
    """The WHERE clause of each index-served part of a search for `text`, and whether an
    index walks it in name order (else its matches are fetched and sorted)."""
    if text is None:
        return [("1 = 1", [], True)]
    if text.isdigit() or (len(text) == 4 and text[:3].isdigit()):
        return [("p.id_number_last4 = %s", [text.upper()], False)]
    if text.isascii():
        upper = _successor(text)
        letters = [("p.name_pinyin >= %s AND p.name_pinyin < %s", [text, upper], True)]
        if len(text) > 1 and not set(text) & set("iuv"):
            letters.append(("p.name_initials >= %s AND p.name_initials < %s", [text, upper], False))
        return letters
    assert len(text) == 1, "the bench searches one surname"
    surname = ("SUBSTR(p.name, 1, 1) = %s", [text], True)
    if vendor == "postgresql":
        later = (
            "(ARRAY['^' || left(p.name, 1)] || string_to_array(substr(p.name, 2), NULL))"
            " @> %s::text[]",
            [[text]],
            True,
        )
    else:
        later = ("unlikely(SUBSTR(p.name, 2) LIKE %s)", [f"%{text}%"], False)
    return [surname, later]


def _in_scope(institutions: list[int]) -> str:
    return f"p.institution_id IN ({', '.join(str(int(pk)) for pk in institutions)})"


def page(vendor, text, institutions, size, after=None) -> tuple[str, list]:
    scope = _in_scope(institutions)
    keyset, keyset_params = "", []
    if after is not None:
        keyset = " AND (p.name_pinyin, p.id) > (%s, %s)"
        keyset_params = list(after)
    ids, params = [], []
    for where, values, walk in parts(vendor, text):
        # A part not walked is sorted: its order through an expression no index gives.
        order = ORDER if walk else SORTED[vendor]
        ids.append(
            f"SELECT * FROM (SELECT p.id FROM people_person p WHERE {scope} AND {where}"
            f"{keyset} ORDER BY {order} LIMIT {size + 1}) part"
        )
        params += [*values, *keyset_params]
    sql = (
        f"SELECT {COLUMNS} FROM {SHOWN} WHERE p.id IN ({' UNION '.join(ids)}) "
        f"ORDER BY {ORDER} LIMIT {size + 1}"
    )
    return sql, params


def count(vendor, text, institutions) -> tuple[str, list]:
    scope = _in_scope(institutions)
    ids, params = [], []
    for where, values, _walk in parts(vendor, text):
        ids.append(
            f"SELECT * FROM (SELECT p.id FROM people_person p WHERE {scope} AND {where}"
            f" LIMIT {BOUND + 1}) part"
        )
        params += values
    return f"SELECT COUNT(*) FROM ({' UNION '.join(ids)}) found", params


def home(institutions, key: str) -> list[tuple[str, list]]:
    """The home page as Yicai answers a district: is the scope large (a count bounded at
    20,001), then the kept figures."""
    scope = _in_scope(institutions)
    return [
        (
            f"SELECT COUNT(*) FROM (SELECT p.id FROM people_person p WHERE {scope} LIMIT 20001) s",
            [],
        ),
        ("SELECT figures, computed_at FROM insights_figuresnapshot WHERE key = %s", [key]),
    ]


def statements(vendor, what: str, text, institutions, after=None, key=None):
    if what == "list":
        return [page(vendor, text, institutions, PAGE, after), count(vendor, text, institutions)]
    if what == "api":
        return [page(vendor, text, institutions, API_PAGE, after)]
    if what == "picker":
        return [page(vendor, text, institutions, PICKER)]
    if what == "home":
        return home(institutions, key)
    raise ValueError(what)


def run(connection, statements) -> None:
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)
            cursor.fetchall()
