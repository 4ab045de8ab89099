"""The import bench's roster generator and its django-import-export baseline."""

import io

import pytest
from django.core.management import call_command, get_commands
from python_calamine import CalamineWorkbook

from bench import baseline, roster
from yicai.codes.models import Code
from yicai.demo.district import load_district
from yicai.org.models import Department, Institution
from yicai.people.identity import identity_errors
from yicai.people.models import Licence, Person
from yicai.people.services import profile_refresh

ROWS = 50


@pytest.fixture
def district(db):
    return load_district(people=60)


@pytest.fixture
def roster_file(district, tmp_path):
    path = tmp_path / "roster.xlsx"
    assert roster.write_roster(path, ROWS, seed=7) == ROWS
    return path


def read(path):
    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(roster.SHEET)
    header, *rows = sheet.to_python()
    return header, [dict(zip(header, row, strict=True)) for row in rows]


def test_the_roster_has_the_header_and_one_row_a_person(roster_file):
    header, rows = read(roster_file)
    assert tuple(header) == roster.HEADERS
    assert len(rows) == ROWS


def test_identity_numbers_are_valid_unique_and_match_birth_date_and_sex(roster_file):
    _header, rows = read(roster_file)
    numbers = [row["身份证号码"] for row in rows]
    assert len(set(numbers)) == ROWS
    sex = {"男": "1", "女": "2"}
    for row in rows:
        assert identity_errors(row["身份证号码"], row["出生日期"], sex[row["性别"]]) == {}


def test_places_and_codes_exist_in_the_demo_database(roster_file):
    _header, rows = read(roster_file)
    names = {
        key: set(Code.objects.filter(table__key=key).values_list("name", flat=True))
        for key in ("ethnicity", "education", "degree")
    }
    leaf_titles = set(
        Code.objects.filter(table__key="title", parent__isnull=False).values_list("name", flat=True)
    )
    categories = {str(label) for label in Licence.PracticeCategory.labels}
    for row in rows:
        institution = Institution.objects.get(name=row["所在机构"])
        if row["所在科室"]:
            assert Department.objects.filter(institution=institution, name=row["所在科室"]).exists()
        assert row["民族"] in names["ethnicity"]
        assert row["最高学历"] in names["education"]
        assert not row["学位"] or row["学位"] in names["degree"]
        assert not row["现职称"] or row["现职称"] in leaf_titles
        assert not row["执业类别"] or row["执业类别"] in categories
        assert len(row["手机号码"]) == 11 and row["手机号码"].isdigit()
        assert row["人员类别"] == "在编在岗职工"
    licences = [row["执业证书编号"] for row in rows if row["执业证书编号"]]
    assert licences and len(set(licences)) == len(licences)


def test_the_same_seed_makes_the_same_rows(district):
    assert list(roster.roster_rows(5, seed=3)) == list(roster.roster_rows(5, seed=3))


def test_the_baseline_imports_every_row_as_yicai_would_store_it(roster_file):
    before = Person.objects.count()
    totals = baseline.run(roster_file)
    assert totals["Person"]["new"] == ROWS
    assert Person.objects.count() == before + ROWS
    people = Person.objects.order_by("-pk").select_related("sex")[:ROWS]
    for person in people:
        assert identity_errors(person.id_number, person.birth_date, person.sex.code) == {}
        summary = (person.institution_id, person.current_title_id, person.highest_education_id)
        profile_refresh(person=person)
        assert (
            person.institution_id,
            person.current_title_id,
            person.highest_education_id,
        ) == summary
        assert person.appointments.count() == 1 and person.educations.count() == 1


@pytest.mark.skipif("import" not in get_commands(), reason="no `yicai import` yet")
def test_yicai_import_accepts_every_row(roster_file):
    before = Person.objects.count()
    out = io.StringIO()
    call_command("import", "people", str(roster_file), "--commit", stdout=out)
    assert Person.objects.count() == before + ROWS, out.getvalue()
