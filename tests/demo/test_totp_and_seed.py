"""`yicai totp` and `yicai seed`."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests import factories
from tests.builders import rolled_back_at_module_end
from yicai.access import services as access_services
from yicai.demo.district import load_district
from yicai.demo.seed import seed_people
from yicai.people import services
from yicai.people.identity import identity_errors
from yicai.people.models import Appointment, Education, Person, TitleRecord


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_totp_prints_a_code_the_device_accepts():
    user = factories.user("otp-user")
    device = access_services.totp_device_ensure(user=user)
    code = run("totp", "otp-user").strip()
    assert len(code) == 6 and code.isdigit()
    device.refresh_from_db()
    assert device.verify_token(code)


@pytest.mark.django_db
def test_totp_says_when_the_user_does_not_exist():
    with pytest.raises(CommandError, match="no such user"):
        run("totp", "nobody-here")


@pytest.mark.django_db
def test_totp_says_when_the_user_has_no_device():
    factories.user("no-device")
    TOTPDevice.objects.filter(user__username="no-device").delete()
    with pytest.raises(CommandError, match="no confirmed TOTP device"):
        run("totp", "no-device")


def test_seed_needs_institutions(db):
    with pytest.raises(CommandError, match="yicai demo"):
        run("seed", "--people", "10")
    with pytest.raises(CommandError, match="no institution"):
        run("seed", "--people", "10", "--institution", "999999")


# The tests above need a database without institutions; the ones below share one district.
@pytest.fixture(scope="module")
def loaded_district(django_db_setup, django_db_blocker):
    """A 120-person district loaded once for the module, rolled back at its end."""
    with rolled_back_at_module_end(django_db_blocker):
        yield load_district(people=120)


@pytest.fixture
def district(loaded_district, db):
    return loaded_district


def test_seed_adds_exactly_the_people_asked_for(district):
    before = Person.objects.count(), Appointment.objects.count(), Education.objects.count()
    output = run("seed", "--people", "500", "--batch-size", "200")
    assert Person.objects.count() == before[0] + 500
    assert Appointment.objects.count() == before[1] + 500
    assert Education.objects.count() == before[2] + 500
    assert "500" in output and "people/s" in output


def test_seeded_people_are_consistent(district):
    first = Person.objects.order_by("-pk").values_list("pk", flat=True).first()
    seed_people(people=300, batch_size=128)
    seeded = list(Person.objects.filter(pk__gt=first).select_related("sex"))
    assert len(seeded) == 300
    for person in seeded[:150]:
        assert identity_errors(person.id_number, person.birth_date, person.sex.code) == {}
        assert person.name_initials == services.name_initials(person.name)
        assert person.appointments.count() == 1
        assert person.educations.count() == 1
        assert person.titles.count() == (1 if person.title_grade else 0)
        stored = (
            person.institution_id,
            person.department_id,
            person.position,
            person.current_title_id,
            person.title_grade,
            person.highest_education_id,
        )
        services.profile_refresh(person=person)
        person.refresh_from_db()
        assert stored == (
            person.institution_id,
            person.department_id,
            person.position,
            person.current_title_id,
            person.title_grade,
            person.highest_education_id,
        )


def test_repeated_seeds_never_repeat_an_identity_number(district):
    seed_people(people=400, seed=1)
    seed_people(people=400, seed=1)  # the same draws: every number must be redrawn
    indexes = list(Person.objects.values_list("id_number_index", flat=True))
    assert len(indexes) == len(set(indexes))


def test_seed_into_one_institution(district):
    institution = factories.institution("种子测试医院")
    factories.department(institution, "骨科")
    run("seed", "--people", "50", "--institution", str(institution.pk))
    assert Person.objects.filter(institution=institution).count() == 50
    assert set(
        TitleRecord.objects.filter(person__institution=institution).values_list("grade", flat=True)
    ) - {""}


def test_worker_processes_make_the_same_people_as_one_process(district):
    def run_seed(workers: int) -> list[tuple]:
        first = Person.objects.order_by("-pk").values_list("pk", flat=True).first()
        with transaction.atomic():
            seed_people(people=300, batch_size=100, seed=5, workers=workers)
            made = list(
                Person.objects.filter(pk__gt=first)
                .order_by("pk")
                .values_list("name", "birth_date", "department_id", "title_grade")
            )
            transaction.set_rollback(True)
        return made

    alone = run_seed(0)
    assert len(alone) == 300
    assert run_seed(1) == alone
