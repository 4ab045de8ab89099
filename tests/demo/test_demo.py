"""The demo district: what `yicai demo` loads, and that it loads it once."""

import io
import os
import random
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from stdnum.cn import uscc

from tests.builders import rolled_back_at_module_end
from yicai.access import passwords
from yicai.access.models import Role, RoleAssignment, User
from yicai.codes.models import Code
from yicai.demo import district, users
from yicai.demo.district import load_district
from yicai.org.models import Department, DisciplineDesignation, Institution
from yicai.people import services
from yicai.people.identity import identity_errors
from yicai.people.models import Appointment, Licence, Person, TalentTag, TitleRecord

PASSWORD = "Demo-Yicai-2026!"
SUMMARY = (
    "institution_id",
    "department_id",
    "position",
    "current_title_id",
    "title_grade",
    "highest_education_id",
    "name_initials",
)


def counts() -> dict[str, int]:
    return {
        "institutions": Institution.objects.count(),
        "departments": Department.objects.count(),
        "people": Person.objects.count(),
        "appointments": Appointment.objects.count(),
        "titles": TitleRecord.objects.count(),
        "designations": DisciplineDesignation.objects.count(),
        "users": User.objects.count(),
    }


def assert_summaries_match_the_records(people) -> None:
    for person in people:
        stored = {name: getattr(person, name) for name in SUMMARY}
        services.profile_refresh(person=person)
        person.refresh_from_db()
        person.name_initials = services.name_initials(person.name)
        assert {name: getattr(person, name) for name in SUMMARY} == stored, person.name


def assert_identities_are_valid(people) -> None:
    for person in people:
        number = person.id_number
        assert len(number) == 18
        assert identity_errors(number, person.birth_date, person.sex.code) == {}, number
        assert person.id_number_last4 == number[-4:]
        assert person.phone.startswith("1") and len(person.phone) == 11
        assert person.phone[1] in "3456789"


@pytest.mark.django_db
def test_the_demo_command_loads_a_whole_district_once(monkeypatch, client):
    monkeypatch.setenv(users.PASSWORD_ENV, PASSWORD)
    out = io.StringIO()
    call_command("demo", stdout=out)
    output = out.getvalue()

    managed = Institution.objects.filter(relation="managed", commission_region__code="310113")
    partners = Institution.objects.filter(relation="partner", commission_region__code="310113")
    assert managed.count() >= 10
    assert set(managed.values_list("region__code", flat=True)) == {"310113"}
    assert set(managed.values_list("kind", flat=True)) >= {
        "general",
        "tcm",
        "specialist",
        "community",
        "township",
    }
    assert partners.count() >= 3
    assert all(partners.values_list("affiliation", flat=True))
    assert set(partners.values_list("region__code", flat=True)) <= {
        "310104",
        "310110",
        "110101",
        "110102",
    }
    assert 2800 <= Person.objects.count() <= 3200
    for partner in partners:
        assert 15 <= partner.people.filter(category="external_expert").count() <= 25
    titled = Person.objects.filter(category="staff").exclude(title_grade="")
    share = {
        grade: titled.filter(title_grade=grade).count() * 100 / titled.count()
        for grade in (
            "senior",
            "associate_senior",
            "intermediate",
            "junior_practitioner",
            "junior_assistant",
        )
    }
    assert 1.5 <= share["senior"] <= 5 and 8 <= share["associate_senior"] <= 16, share
    assert 28 <= share["intermediate"] <= 42 and 28 <= share["junior_practitioner"] <= 42, share
    assert 9 <= share["junior_assistant"] <= 20, share
    sample = random.Random(7).sample(list(Person.objects.select_related("sex")), 200)
    assert_identities_are_valid(sample)
    assert_summaries_match_the_records(sample[:60])
    assert "http://127.0.0.1:8000" in output and PASSWORD in output
    assert ".venv/bin/yicai totp USER" in output  # runnable as printed, from the repository
    assert "先执行" not in output  # the test database is migrated already

    before = counts()
    started = time.perf_counter()
    call_command("demo", stdout=io.StringIO())
    assert time.perf_counter() - started < 15
    assert counts() == before

    for persona in users.PERSONAS:
        client.logout()
        response = client.post(
            "/accounts/login/", {"username": persona.username, "password": PASSWORD}
        )
        assert response.status_code == 302, persona.username
        assert "/accounts/login/" not in response["Location"]
        assert (
            int(client.session["_auth_user_id"]) == User.objects.get(username=persona.username).pk
        )


def test_a_generated_password_meets_the_policy(db):
    for _ in range(20):
        assert users.password_problems(passwords.generate()) == []


def test_it_refuses_a_demo_password_the_policy_rejects(db, monkeypatch):
    monkeypatch.setenv(users.PASSWORD_ENV, "short")
    with pytest.raises(CommandError, match="YICAI_DEMO_PASSWORD"):
        call_command("demo", stdout=io.StringIO())
    assert not Person.objects.exists()


# The tests above need an empty database; the ones below share one district.
@pytest.fixture(scope="module")
def small_district(django_db_setup, django_db_blocker):
    """A 300-person district loaded once for the module, rolled back at its end."""
    with rolled_back_at_module_end(django_db_blocker):
        yield load_district(people=300)


@pytest.fixture
def small(small_district, db):
    return small_district


def test_a_smaller_district_has_the_same_shape(small):
    assert small.created
    assert 280 <= Person.objects.count() <= 320
    assert Institution.objects.filter(relation="managed").count() >= 10
    assert Institution.objects.filter(relation="partner").count() >= 3
    central = Institution.objects.get(name=district.blueprint.CENTRAL.name)
    assert central.kind == "general" and central.grade == "3"
    assert 15 <= central.departments.filter(clinical=True).count() <= 25
    assert central.departments.filter(parent__isnull=False).exists()
    people = list(Person.objects.select_related("sex"))
    assert_identities_are_valid(people)
    assert_summaries_match_the_records(random.Random(3).sample(people, 80))
    numbers = [person.id_number for person in people]
    assert len(set(numbers)) == len(numbers)


def test_every_institution_has_a_real_looking_organisation_code(small):
    for code in Institution.objects.values_list("code", flat=True):
        assert uscc.is_valid(code), code


def test_titles_and_categories_agree(small):
    series = {
        "11": "230",
        "12": "230",
        "21": "250",
        "22": "250",
        "31": "240",
        "32": "240",
        "41": "260",
        "42": "260",
        "43": "260",
    }
    for record in TitleRecord.objects.select_related("title__parent", "person__personnel_category"):
        assert record.grade == record.title.attrs["grade"]
        category = record.person.personnel_category
        if category is not None and category.code in series:
            assert record.title.parent.code == series[category.code]


def test_designations_have_leads_who_are_tagged(small):
    top = DisciplineDesignation.objects.filter(kind="top_priority")
    assert top.filter(department__name="心血管内科").exists()
    assert DisciplineDesignation.objects.filter(kind="weak").exists()
    for designation in DisciplineDesignation.objects.select_related("department", "lead"):
        assert designation.lead is not None
        assert designation.lead.institution_id == designation.department.institution_id
        assert designation.lead.tags.filter(tag__code="discipline_leader").exists()


def test_people_carry_sources_and_talent_tags(small):
    sources = set(Person.objects.values_list("source__code", flat=True))
    assert {"local_recruitment", "introduction", "flexible_introduction"} <= sources
    experts = Person.objects.filter(category="external_expert")
    assert set(experts.values_list("source__code", flat=True)) == {"flexible_introduction"}
    assert set(experts.values_list("title_grade", flat=True)) <= {"senior", "associate_senior"}
    tags = set(TalentTag.objects.values_list("tag__code", flat=True))
    assert {"shortage", "discipline_leader", "famous_doctor", "rural_doctor"} <= tags


def test_people_carry_what_every_personnel_file_has(small):
    """参加工作时间, 政治面貌, 编制情况 and 执业类别, as a hospital's roster has them."""
    staff = Person.objects.filter(category="staff").prefetch_related("appointments")
    assert not staff.filter(work_start_on=None).exists()
    assert not staff.filter(political_status=None).exists()
    assert not staff.filter(staffing=None).exists()
    assert {"01", "03", "13"} <= set(staff.values_list("political_status__code", flat=True))
    assert {"1", "2"} <= set(staff.values_list("staffing__code", flat=True))
    assert set(staff.filter(position="科主任").values_list("staffing__code", flat=True)) == {"1"}
    for person in staff[:100]:  # the working life starts with (or before) the first post
        assert person.work_start_on <= min(post.start_on for post in person.appointments.all())
    for licence in Licence.objects.select_related("person__practice_category")[:100]:
        practice = licence.person.practice_category
        if licence.category == "9":  # a nurse's registration has no practice category
            assert practice is None
        else:
            assert practice.code == licence.category


def test_loading_again_changes_nothing(small):
    before = counts()
    again = load_district(people=300)
    assert not again.created
    assert counts() == before


def test_demo_accounts_hold_their_roles_and_people(small):
    accounts = {account.persona.username: account for account in users.ensure_accounts(PASSWORD)}
    assert RoleAssignment.objects.get(user__username="commission").region.code == "310113"
    hospital = RoleAssignment.objects.get(user__username="hospital", role=Role.INSTITUTION_ADMIN)
    assert hospital.institution.name == district.blueprint.CENTRAL.name
    dept = RoleAssignment.objects.get(user__username="dept")
    assert dept.department.name == "心血管内科"
    mentor = accounts["mentor"].user.person
    assert mentor.category == "external_expert"
    trainee = accounts["trainee"].user.person
    assert trainee.department.name == "心血管内科"
    assert trainee.institution.name == district.blueprint.CENTRAL.name
    assert trainee.personnel_category.code == "11"
    assert RoleAssignment.objects.get(user__username="finance").region.code == "310113"
    assert {name for name, account in accounts.items() if account.totp_secret} == {
        "commission",
        "finance",
        "auditor",
        "security",
    }
    assert all(
        user.check_password(PASSWORD) and not user.must_change_password
        for user in User.objects.filter(username__in=accounts)
    )


def test_a_rerun_resets_the_demo_passwords(small):
    users.ensure_accounts(PASSWORD)
    users.ensure_accounts("Another-Pass-99!")
    assert User.objects.get(username="dept").check_password("Another-Pass-99!")


def test_highest_education_is_the_lowest_level_code(small):
    levels = dict(Code.objects.filter(table__key="education").values_list("pk", "code"))
    for person in Person.objects.exclude(highest_education=None).prefetch_related("educations")[
        :100
    ]:
        assert levels[person.highest_education_id] == min(
            levels[record.level_id] for record in person.educations.all()
        )


def test_generated_records_pass_model_validation(small):
    """The rows were written in bulk, past full_clean; they must pass it all the same."""
    people = random.Random(11).sample(list(Person.objects.all()), 60)
    checked = 0
    for person in people:
        person.full_clean(exclude=["id_number_index"])
        records = [
            *person.appointments.all(),
            *person.titles.all(),
            *person.educations.all(),
            *person.licences.all(),
            *person.tags.all(),
        ]
        for record in records:
            record.full_clean()  # raises on any invalid row
        checked += 1 + len(records)
    assert checked > 60 * 3  # each person comes with several records, all of them checked


@pytest.mark.own_database  # a SQLite file of its own
def test_the_demo_migrates_an_empty_database_before_loading_it(tmp_path):
    """`yicai demo` on a database nobody migrated: it migrates first, then loads, instead of
    failing on a missing table. Run as a user runs it, on a database file of its own, with the
    smallest district it allows (50 people: too few for most of the cultivation year, which
    it leaves out rather than failing)."""
    database = tmp_path / "empty.sqlite3"
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(YICAI_SQLITE_PATH=str(database), **{users.PASSWORD_ENV: PASSWORD})
    done = subprocess.run(
        [sys.executable, "-m", "yicai", "demo", "--people", "50"],
        env=env,
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "数据库尚未迁移" in done.stdout and "Traceback" not in done.stderr
    with sqlite3.connect(database) as db:
        usernames = {row[0] for row in db.execute("SELECT username FROM access_user")}
        people = db.execute("SELECT COUNT(*) FROM people_person").fetchone()[0]
        hired = db.execute(
            "SELECT COUNT(*) FROM recruitment_application WHERE status = 'hired'"
        ).fetchone()[0]
        graduated = db.execute(
            "SELECT COUNT(*) FROM recruitment_directedcontract WHERE person_id IS NOT NULL"
        ).fetchone()[0]
        served = db.execute(
            "SELECT COUNT(*) FROM people_person WHERE category = 'served_talent'"
        ).fetchone()[0]
    assert {persona.username for persona in users.PERSONAS} <= usernames
    # The 50 generated, the applicants the recruitment demo hired and the directed students
    # it graduated (each a new person), and the 八个一 service's 30 served talents.
    assert hired > 0 and graduated > 0 and served == 30
    assert people == 50 + hired + graduated + served
