"""The best hand-written SQL of each page `python -m bench scale` measures."""


def region_ids(user) -> list[int]:

    return []


def statements(name, text, region_ids, path):
    return None


def run(connection, statements) -> None:
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)
            cursor.fetchall()
