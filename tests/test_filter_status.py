"""A page's filter holding a value it cannot read answers 400 (issue 11, point 8), with the
same page and the filter's Chinese error naming the field; a valid filter answers 200. An
export asked for with a wrong filter is refused too, rather than sending every row."""

import re

import pytest

from tests.conftest import login

pytestmark = pytest.mark.django_db

CHOICE_ERROR = "不在可选范围内"  # the Chinese catalogue's message for a choice the form lacks

# persona, path, a wrong filter, a valid one, the field's label and what its error says
CASES = [
    ("commission", "/people/", "institution=%C2%B2", "q=", "机构", CHOICE_ERROR),
    ("commission", "/training/programmes/", "kind=nonsense", "kind=", "类别", CHOICE_ERROR),
    ("commission", "/org/", "relation=nonsense", "relation=", "隶属关系", CHOICE_ERROR),
    (
        "auditor",
        "/accounts/audit/",
        "since=2024-02-30",
        "since=2024-02-28",
        "起始日期",
        "日期格式不对",
    ),
    ("security", "/accounts/users/", "q=" + "长" * 151, "q=" + "长" * 150, "用户名 / 姓名", "150"),
]
IDS = [case[1] for case in CASES]


def _error_shown(response, label: str, message: str) -> bool:
    """The error in the list above the results (naming the field), or under the field."""
    text = response.content.decode()
    listed = re.search(
        rf'class="[^"]*form-errors.*?<li>{re.escape(label)}：[^<]*{message}', text, re.S
    )
    under = re.search(
        rf"{re.escape(label)}</label>.*?invalid-feedback[^>]*>[^<]*{message}", text, re.S
    )
    return bool(listed or under)


@pytest.mark.parametrize(("persona", "path", "wrong", "valid", "label", "message"), CASES, ids=IDS)
def test_a_wrong_filter_is_a_400_showing_the_fields_error(
    client, world, persona, path, wrong, valid, label, message
):
    login(client, getattr(world, persona))
    response = client.get(f"{path}?{wrong}")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert _error_shown(response, label, message)
    fine = client.get(f"{path}?{valid}")
    assert fine.status_code == 200
    assert not _error_shown(fine, label, message)
    assert client.get(path).status_code == 200  # no filter at all


@pytest.mark.parametrize(("persona", "path", "wrong", "valid", "label", "message"), CASES, ids=IDS)
def test_no_export_with_a_wrong_filter(client, world, persona, path, wrong, valid, label, message):
    login(client, getattr(world, persona))
    response = client.get(f"{path}?{wrong}&export=csv")
    assert response.status_code == 400
    assert "Content-Disposition" not in response
    assert _error_shown(response, label, message)


def test_htmx_gets_the_results_with_the_error_and_a_400(client, world):
    login(client, world.commission)
    headers = {"HX-Request": "true", "HX-Target": "results"}
    response = client.get("/training/programmes/?kind=nonsense", headers=headers)
    assert response.status_code == 400
    text = response.content.decode()
    assert "<html" not in text  # the results fragment only, which page.js lets htmx swap
    assert _error_shown(response, "类别", CHOICE_ERROR)
    people = client.get("/people/?institution=%C2%B2", headers=headers)
    assert people.status_code == 400
    assert _error_shown(people, "机构", CHOICE_ERROR)
