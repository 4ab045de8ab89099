"""Who reaches which programme page, row and export: every persona against every new page.

Programmes, cohorts and rounds are the region's: everyone working in it sees them. Members,
nominations and career plans go by the person: the commission sees its district, a hospital
its own staff, a department head their department, a mentor their apprentices, a trainee
themself; the oversight roles and an account without roles see nothing."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from tests.builders import once_per_module
from tests.conftest import login
from tests.training.careers import plan
from tests.training.programmes import cohort, nominate, reviewing, selection
from yicai.access.models import AuditEntry
from yicai.access.scope import scoped
from yicai.training.models import CareerPlan, CohortMember, Nomination, Programme
from yicai.training.services.mentoring import mentorship_create
from yicai.training.services.programmes import member_complete, selection_round_approve

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
EVERYONE = ("commission", "hospital_a", "hospital_b", "dept_head", "mentor", "trainee")
NOBODY = ("auditor", "security", "nobody")
ALL = EVERYONE + NOBODY

# By person: 李心怡 (A, cardiology, the trainee, apprentice of the mentor), 周外科 (A,
# surgery), 陈全科 (B).
PEOPLE = {
    "commission": {"李心怡", "周外科", "陈全科"},
    "hospital_a": {"李心怡", "周外科"},
    "hospital_b": {"陈全科"},
    "dept_head": {"李心怡"},
    "mentor": {"李心怡"},
    "trainee": {"李心怡"},
}
NOMINATED = PEOPLE | {"mentor": set()}  # a mentor does not oversee nominations
EXPORTERS = ("commission", "hospital_a", "hospital_b", "dept_head")


def programme_scope_records(world):
    mentorship_create(
        mentor=world.partner_expert,
        apprentices=[world.a_doctor],
        institution=world.a,
        start_on=TODAY - datetime.timedelta(days=90),
    )
    made_cohort = cohort(world)
    selection_round = selection(made_cohort)
    nominations = [
        nominate(selection_round, person)
        for person in (world.a_doctor, world.a_surgeon, world.b_doctor)
    ]
    reviewing(selection_round, *nominations)
    selection_round.refresh_from_db()
    members = selection_round_approve(selection_round=selection_round)
    by_name = {member.person.name: member for member in members}
    member_complete(member=by_name["李心怡"], completed_on=TODAY)
    plans = {
        person.name: plan(person) for person in (world.a_doctor, world.a_surgeon, world.b_doctor)
    }
    return {
        "cohort": made_cohort,
        "programme": made_cohort.programme,
        "round": selection_round,
        "members": by_name,
        "plans": plans,
    }


_built, records = once_per_module(programme_scope_records)


def _names(queryset, path="person__name") -> set[str]:
    return set(queryset.values_list(path, flat=True))


@pytest.mark.parametrize("who", ALL)
def test_rows_follow_the_scope(world, records, who):
    user = getattr(world, who)
    assert _names(scoped(user, CohortMember.objects.all())) == PEOPLE.get(who, set())
    assert _names(scoped(user, Nomination.objects.all())) == NOMINATED.get(who, set())
    assert _names(scoped(user, CareerPlan.objects.all())) == PEOPLE.get(who, set())
    programmes = scoped(user, Programme.objects.all())
    assert list(programmes) == ([records["programme"]] if who in EVERYONE else [])


@pytest.mark.parametrize("who", ALL)
def test_the_region_s_pages_open_for_everyone_working_in_it(client, world, records, who):
    login(client, getattr(world, who))
    expected = 200 if who in EVERYONE else 403
    for url in (
        reverse("training:programmes"),
        reverse("training:programme", args=[records["programme"].pk]),
        reverse("training:cohort", args=[records["cohort"].pk]),
        reverse("training:round", args=[records["round"].pk]),
        reverse("training:talent_pool"),
        reverse("training:careers"),
    ):
        assert client.get(url).status_code == expected, url


@pytest.mark.parametrize("who", EVERYONE)
def test_the_pages_list_only_the_people_in_scope(client, world, records, who):
    login(client, getattr(world, who))
    expected = PEOPLE[who]

    def listed(url, attribute):
        rows = client.get(url).context[attribute]
        return {row.person.name for row in rows}

    assert listed(reverse("training:talent_pool"), "page_obj") == expected
    assert listed(reverse("training:cohort", args=[records["cohort"].pk]), "page_obj") == expected
    assert (
        listed(reverse("training:round", args=[records["round"].pk]), "nominations")
        == (NOMINATED[who])
    )
    page = client.get(reverse("training:careers"))
    assert {p.person.name for p, _met, _total in page.context["rows"]} == expected


@pytest.mark.parametrize("who", ALL)
def test_a_member_plan_and_certificate_open_only_in_scope(client, world, records, who):
    login(client, getattr(world, who))
    seen = PEOPLE.get(who, set())
    for name in ("李心怡", "周外科", "陈全科"):
        member, career = records["members"][name], records["plans"][name]
        expected = 200 if name in seen else (404 if who in EVERYONE else 403)
        assert client.get(reverse("training:member", args=[member.pk])).status_code == expected
        assert client.get(reverse("training:career", args=[career.pk])).status_code == expected
    completed = records["members"]["李心怡"]
    expected = 200 if "李心怡" in seen else (404 if who in EVERYONE else 403)
    response = client.get(reverse("training:certificate", args=[completed.pk]))
    assert response.status_code == expected


@pytest.mark.parametrize("who", ALL)
def test_exports_hold_the_rows_in_scope_or_are_refused(client, world, records, who):
    login(client, getattr(world, who))
    urls = {
        "pool": reverse("training:talent_pool"),
        "cohort": reverse("training:cohort", args=[records["cohort"].pk]),
        "careers": reverse("training:careers"),
        "programmes": reverse("training:programmes"),
    }
    for key, url in urls.items():
        before = AuditEntry.objects.filter(event=AuditEntry.Event.EXPORT).count()
        response = client.get(url, {"export": "xlsx"})
        after = AuditEntry.objects.filter(event=AuditEntry.Event.EXPORT).count()
        if who not in EXPORTERS:
            assert response.status_code == 403, key
            assert after == before
            continue
        assert response.status_code == 200, key
        assert after == before + 1
        sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        rows = list(sheet.iter_rows(min_row=2, values_only=True))
        if key == "programmes":
            assert [row[0] for row in rows] == ["育才计划"]
        elif key == "careers":
            assert rows == []  # the plans have no goals yet: one row per goal
        else:
            assert {row[0] for row in rows} == PEOPLE[who], key


@pytest.mark.parametrize("who", ALL)
def test_only_the_commission_configures(client, world, records, who):
    login(client, getattr(world, who))
    programme = records["programme"]
    response = client.post(
        reverse("training:cohort_create", args=[programme.pk]),
        {"year": TODAY.year, "name": "第二期", "start_on": TODAY.isoformat()},
    )
    assert response.status_code == (302 if who == "commission" else 403)
    response = client.get(reverse("training:programme_edit", args=[programme.pk]))
    assert response.status_code == (200 if who == "commission" else 403)
