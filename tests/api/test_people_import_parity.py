"""The same person given to the API and as a roster row is accepted or refused by both, with
the same message: both go through the same rules (identity number, phone, dates, the
department of the institution, one person per identity number)."""

import datetime

import pytest

from tests import factories
from tests.exchange.importing import preview, problems, xlsx
from yicai.codes.queries import code_for

BIRTH = datetime.date(1990, 3, 15)
HEADERS = [
    "姓名",
    "性别",
    "身份证号码",
    "出生日期",
    "手机号码",
    "所在机构",
    "所在科室",
    "参加工作时间",
]
API_FIELDS = {
    "姓名": "name",
    "性别": "sex",
    "身份证号码": "id_number",
    "出生日期": "birth_date",
    "手机号码": "phone",
    "所在机构": "institution",
    "所在科室": "department",
    "参加工作时间": "work_start_on",
}


def _row(world, **cells):
    row = {
        "姓名": "吴同规",
        "性别": "男",
        "身份证号码": factories.id_number(BIRTH),
        "出生日期": BIRTH,
        "手机号码": "13800138000",
        "所在机构": world.a.name,
        "所在科室": "普外科",
        "参加工作时间": datetime.date(2012, 8, 1),
    }
    row.update(cells)
    return row


def _payload(world, row) -> dict:
    """The row as the API takes it: codes and organisations by id, dates as ISO text."""
    departments = {"普外科": world.a_surgery.pk, "全科": world.b_medicine.pk}
    sexes = {"男": code_for("sex", "1").pk, "女": code_for("sex", "2").pk}
    payload = {"category": "staff"}
    for header, field in API_FIELDS.items():
        value = row[header]
        if header == "性别":
            value = sexes[value]
        elif header == "所在机构":
            value = world.a.pk
        elif header == "所在科室":
            value = departments[value]
        elif hasattr(value, "isoformat"):
            value = value.isoformat()
        payload[field] = value
    return payload


CASES = [
    ("a valid person", {}, None),
    ("a bad check digit", {"身份证号码": "310113199003151230"}, "id_number"),
    (
        "a birth date the number does not have",
        {"出生日期": datetime.date(1991, 3, 15)},
        "birth_date",
    ),
    ("a sex the number does not have", {"性别": "女"}, "sex"),
    ("a seven-digit phone", {"手机号码": "6600123"}, "phone"),
    ("a ten-digit mobile", {"手机号码": "1380013800"}, "phone"),
    ("a landline without its area code", {"手机号码": "66001234"}, "phone"),
    (
        "a birth date in the future",
        {"出生日期": datetime.date(2999, 1, 1), "身份证号码": None},
        "birth_date",
    ),
    ("a work start in the future", {"参加工作时间": datetime.date(2999, 1, 1)}, "work_start_on"),
    ("a department of another institution", {"所在科室": "全科"}, "department"),
]


@pytest.mark.parametrize(("case", "cells", "field"), CASES, ids=[case[0] for case in CASES])
def test_the_import_and_the_api_give_the_same_answer(world, as_api, case, cells, field):
    row = _row(world, **cells)
    if row["身份证号码"] is None:  # a date the number cannot agree with: no number given
        row["身份证号码"] = factories.id_number(datetime.date(1990, 1, 1))
        row["出生日期"] = datetime.date(2999, 1, 1)
    # The commission may put people in either hospital: a department of the other is wrong
    # for both, not out of reach for one of them.
    job = preview(world.commission, xlsx([row], headers=HEADERS))
    found = problems(job)
    response = as_api(world.commission).post("/api/v1/people/", _payload(world, row), format="json")
    if field is None:
        assert (job.new, job.invalid) == (1, 0), found
        assert response.status_code == 201, response.content
        return
    assert job.invalid == 1 and response.status_code == 400, (found, response.content)
    import_messages = {reason for _row, _column, reason in found}
    api_messages = set(response.json()[field])
    assert import_messages & api_messages, (import_messages, api_messages)


def test_someone_already_on_file_is_an_update_for_the_import_and_a_refusal_for_the_api(
    world, as_api
):
    """Not a difference of rules: the import matches people by their number and updates
    them; the API's create makes a new person and says the number is taken."""
    row = _row(
        world,
        **{
            "身份证号码": world.a_doctor.id_number,
            "出生日期": world.a_doctor.birth_date,
            "性别": "女",
        },
    )
    job = preview(world.hospital_a, xlsx([row], headers=HEADERS))
    assert (job.new, job.updated, job.invalid) == (0, 1, 0), problems(job)
    response = as_api(world.hospital_a).post("/api/v1/people/", _payload(world, row), format="json")
    assert response.status_code == 400
    assert "该身份证号码已存在于人才档案中。" in response.json()["id_number"]
