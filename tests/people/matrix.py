"""people's part of the scope matrix (collected by `tests.builders.app_matrices`): the
profile of A's doctor 李心怡 as a PDF, on the page and through the API. Whoever sees her page
may print it (person.view): HR of A and the commission, her department's head, she herself;
anyone else who sees people gets a 404, as for her page. The rest of people's URLs are in
tests/access/test_scope_matrix.py."""

from tests.scope_tables import SEES_PEOPLE, rows


def build(records, world) -> None:
    """Nothing more: the page records' person (A's doctor) is the one printed."""


CASES = {
    "people:profile_pdf": rows(SEES_PEOPLE, "a_doctor"),
    "api-people-profile-pdf": rows(SEES_PEOPLE, "a_doctor", anonymous=401),
}
PAGE_KWARGS = {"people:profile_pdf": lambda r: {"pk": r.person.pk}}
KWARGS = {"api-people-profile-pdf": lambda r: {"pk": r.person.pk}}
