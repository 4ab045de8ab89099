"""The mentorship pages: the list (filters, export, empty state), the agreement with what the
held visits did, and the create and edit forms, which keep the rules of the services, stay
within the user's scope and write nothing when refused."""

import datetime
import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.conftest import login
from tests.training.helpers import case, mentorship, technique
from yicai.access.models import AuditEntry
from yicai.training.models import Apprenticeship, Mentorship, Visit
from yicai.training.services.activity import visit_record, visit_update
from yicai.training.services.mentoring import case_log_verify, mentorship_update

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def _form(world, **changes) -> dict:
    data = {
        "mentor": world.partner_expert.pk,
        "apprentices": [world.a_doctor.pk, world.a_surgeon.pk],
        "institution": world.a.pk,
        "department": world.a_cardiology.pk,
        "start_on": "2024-09-01",
        "end_on": "2026-08-31",
        "status": "active",
        "target_visits": "24",
        "target_lectures": "6",
        "target_operations": "20",
        "goals": "独立开展单孔腹腔镜胆囊切除术",
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def _apprentices(item) -> set:
    return set(item.apprenticeships.values_list("apprentice__name", flat=True))


def test_a_hospital_creates_a_mentorship_and_then_changes_its_agreement_and_apprentices(
    world, client
):
    login(client, world.hospital_a)
    created = client.post("/training/mentorships/new/", _form(world))
    item = Mentorship.objects.get()
    assert created.status_code == 302 and created.url == f"/training/mentorships/{item.pk}/"
    assert (item.kind, item.target_visits, item.department) == (
        "external",
        24,
        world.a_cardiology,
    )
    assert _apprentices(item) == {"李心怡", "周外科"}

    page = client.get(f"/training/mentorships/{item.pk}/edit/")
    assert page.status_code == 200
    assert set(page.context["form"].initial["apprentices"]) == {world.a_doctor, world.a_surgeon}
    changed = _form(
        world,
        apprentices=[world.a_doctor.pk, world.a_ward_nurse.pk],
        target_visits="30",
        status="completed",
        end_on="2025-12-31",
    )
    assert client.post(f"/training/mentorships/{item.pk}/edit/", changed).status_code == 302
    item.refresh_from_db()
    assert (item.target_visits, item.status, item.end_on) == (
        30,
        "completed",
        datetime.date(2025, 12, 31),
    )
    assert _apprentices(item) == {"李心怡", "赵护士"}
    # django-auditlog keeps who changed what.
    entry = AuditEntry.objects.get_for_object(item).filter(action=AuditEntry.Action.UPDATE).get()
    assert entry.actor == world.hospital_a
    assert entry.changes_dict["target_visits"] == [24, 30]
    assert (
        AuditEntry.objects.filter(action=AuditEntry.Action.DELETE, object_repr="周外科").count()
        == 1
    )


def test_a_mentor_of_the_institution_is_internal(world, client):
    login(client, world.hospital_a)
    client.post(
        "/training/mentorships/new/",
        _form(world, mentor=world.a_surgeon.pk, apprentices=[world.a_doctor.pk]),
    )
    assert Mentorship.objects.get().kind == "internal"


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"apprentices": []}, "apprentices"),
        ({"end_on": "2024-08-31"}, "end_on"),  # before the start
        ({"target_visits": "-1"}, "target_visits"),
        ({"target_lectures": "many"}, "target_lectures"),
        ({"start_on": "1899-12-31"}, "start_on"),
        ({"status": "forever"}, "status"),
        ({"goals": "跟随患者 310101199001011234 的全程治疗"}, "goals"),
    ],
)
def test_a_bad_agreement_is_refused_by_field_and_nothing_is_written(world, client, changes, field):
    login(client, world.hospital_a)
    response = client.post("/training/mentorships/new/", _form(world, **changes))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert "尚未保存任何内容" in response.content.decode()
    assert not Mentorship.objects.exists() and not Apprenticeship.objects.exists()


@pytest.mark.parametrize(
    "who, changes, field",
    [
        # Another institution's ids are not among a hospital's choices.
        ("hospital_a", {"apprentices": ["b_doctor"]}, "apprentices"),
        ("hospital_a", {"institution": "b"}, "institution"),
        ("hospital_a", {"department": "b_medicine"}, "department"),
        ("hospital_a", {"mentor": "b_doctor"}, "mentor"),
        # The commission may choose across its district: the service says what does not fit.
        ("commission", {"department": "b_medicine"}, "department"),
        ("commission", {"apprentices": ["b_doctor"]}, "apprentices"),
        ("commission", {"mentor": "a_doctor"}, "apprentices"),  # the mentor among them
    ],
)
def test_hostile_choices_are_refused_and_nothing_is_written(world, client, who, changes, field):
    def pk(name):
        return getattr(world, name).pk

    values = {
        name: [pk(v) for v in value] if isinstance(value, list) else pk(value)
        for name, value in changes.items()
    }
    login(client, getattr(world, who))
    response = client.post("/training/mentorships/new/", _form(world, **values))
    assert response.status_code == 200
    assert field in response.context["form"].errors, response.context["form"].errors
    assert not Mentorship.objects.exists() and not Apprenticeship.objects.exists()


def test_the_service_says_why_the_commission_may_not_pair_another_institutions_apprentice(
    world, client
):
    login(client, world.commission)
    response = client.post(
        "/training/mentorships/new/", _form(world, apprentices=[world.b_doctor.pk])
    )
    assert "徒弟须是带教机构的人员" in response.content.decode()


def test_an_apprentice_with_case_logs_under_the_mentorship_cannot_be_removed(world, client):
    pair = mentorship(world, world.a_doctor, world.a_surgeon)
    case(world, technique(world), mentorship=pair)  # 李心怡 logged one under it
    login(client, world.hospital_a)
    response = client.post(
        f"/training/mentorships/{pair.pk}/edit/",
        _form(world, apprentices=[world.a_surgeon.pk], target_visits="99"),
    )
    assert response.status_code == 200
    assert "李心怡 在本师带徒关系下已有病例记录，不能移除。" in response.content.decode()
    pair.refresh_from_db()
    assert _apprentices(pair) == {"李心怡", "周外科"}
    assert pair.target_visits == 0  # nothing of the refused change was kept
    # The apprentice without case logs may go.
    client.post(
        f"/training/mentorships/{pair.pk}/edit/", _form(world, apprentices=[world.a_doctor.pk])
    )
    assert _apprentices(pair) == {"李心怡"}


def test_a_mentorship_with_visits_keeps_its_mentor_and_institution(world):
    pair = mentorship(world)
    visit_record(
        expert=world.partner_expert,
        kind="clinic",
        institution=world.a,
        held_on=TODAY - DAY,
        mentorship=pair,
    )
    with pytest.raises(ValidationError) as raised:
        mentorship_update(mentorship=pair, mentor=world.a_surgeon)
    assert "mentor" in raised.value.message_dict
    pair.refresh_from_db()
    assert pair.mentor == world.partner_expert


def test_another_hospital_cannot_open_or_post_to_the_mentorship(world, client):
    pair = mentorship(world)
    login(client, world.hospital_b)
    assert client.get(f"/training/mentorships/{pair.pk}/").status_code == 404
    assert client.get(f"/training/mentorships/{pair.pk}/edit/").status_code == 404
    posted = client.post(
        f"/training/mentorships/{pair.pk}/edit/",
        _form(world, institution=world.b.pk, apprentices=[world.b_doctor.pk]),
    )
    assert posted.status_code == 404
    pair.refresh_from_db()
    assert pair.institution == world.a and _apprentices(pair) == {"李心怡"}


def _visit(world, pair, on, kind="clinic", **extra):
    return visit_record(
        expert=world.partner_expert,
        kind=kind,
        institution=world.a,
        held_on=on,
        mentorship=pair,
        **extra,
    )


def _done(client, pair) -> tuple:
    page = client.get(f"/training/mentorships/{pair.pk}/")
    assert page.status_code == 200
    return tuple(row["done"] for row in page.context["agreement"])


def _recorded(pair) -> tuple:
    held = Visit.objects.filter(mentorship=pair, held_on__lte=TODAY)
    return (
        held.count(),
        held.filter(kind__in=["lecture", "online_teaching"]).count(),
        sum(held.values_list("operations", flat=True)),
    )


def test_the_agreement_shows_what_the_held_visits_did_after_edits_and_deletions(world, client):
    pair = mentorship(world)  # target_operations=20
    _visit(world, pair, TODAY - 30 * DAY)
    lecture = _visit(world, pair, TODAY - 20 * DAY, kind="lecture", attendees=40)
    _visit(world, pair, TODAY - 10 * DAY, kind="online_teaching")
    surgery = _visit(world, pair, TODAY, kind="surgery_guidance", operations=3)
    planned = _visit(world, pair, TODAY + 7 * DAY, kind="lecture", operations=5)
    visit_record(  # the same expert at A, outside the mentorship
        expert=world.partner_expert, kind="lecture", institution=world.a, held_on=TODAY - DAY
    )
    login(client, world.hospital_a)
    assert _done(client, pair) == _recorded(pair) == (4, 2, 3)
    page = client.get(f"/training/mentorships/{pair.pk}/").content.decode()
    assert 'data-done="3"' in page

    edit = client.get(f"/training/visits/{surgery.pk}/edit/").context["form"].initial
    values = {
        name: getattr(value, "pk", value) for name, value in edit.items() if value is not None
    }
    assert (
        client.post(
            f"/training/visits/{surgery.pk}/edit/", {**values, "operations": "5"}
        ).status_code
        == 302
    )
    assert _done(client, pair) == _recorded(pair) == (4, 2, 5)

    visit_update(visit=planned, held_on=TODAY - DAY)  # it took place early
    assert _done(client, pair) == _recorded(pair) == (5, 3, 10)

    assert client.post(f"/training/visits/{lecture.pk}/delete/").status_code == 302
    assert _done(client, pair) == _recorded(pair) == (4, 2, 10)


def test_the_detail_shows_apprentices_with_their_verified_cases(world, client):
    pair = mentorship(world, world.a_doctor, world.a_surgeon)
    item = technique(world)
    case_log_verify(case_log=case(world, item, mentorship=pair), user=world.mentor)
    case(world, item, role="assisted", mentorship=pair)  # not verified yet
    login(client, world.mentor)
    page = client.get(f"/training/mentorships/{pair.pk}/")
    progress = dict(page.context["apprentices"])
    (row,) = progress[world.a_doctor]
    assert (row["technique__name"], row["independent"], row["assisted"], row["unverified"]) == (
        "单孔腹腔镜胆囊切除术",
        1,
        0,
        1,
    )
    assert progress[world.a_surgeon] == []
    assert not page.context["can_edit"]  # a mentor reads; the hospital edits


def test_the_list_filters_exports_and_shows_an_empty_state(world, client):
    first = mentorship(world)
    second = mentorship(world, world.a_surgeon)
    mentorship_update(mentorship=second, status="completed")
    _visit(world, first, TODAY - DAY, kind="lecture")
    login(client, world.hospital_a)

    def shown(**filters):
        return [
            item.pk for item in client.get("/training/mentorships/", filters).context["page_obj"]
        ]

    assert set(shown()) == {first.pk, second.pk}
    assert shown(q="周外") == [second.pk]
    assert shown(status="completed") == [second.pk]
    assert shown(institution=world.a.pk, q="李心") == [first.pk]
    empty = client.get("/training/mentorships/", {"q": "无此人"})
    assert "没有符合条件的师带徒关系" in empty.content.decode()

    export = client.get("/training/mentorships/", {"export": "xlsx", "status": "active"})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[4], r[9], r[11]) for r in rows] == [("孙名医", "李心怡", 1, 1)]
    assert AuditEntry.objects.filter(event="export").exists()

    login(client, world.hospital_b)
    assert shown() == []
    assert "没有符合条件的师带徒关系" in client.get("/training/mentorships/").content.decode()


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_list_and_detail_query_counts_do_not_grow_with_rows(world, client):
    login(client, world.hospital_a)
    pair = mentorship(world)
    _visit(world, pair, TODAY - DAY)
    few = (
        _queries(client, "/training/mentorships/"),
        _queries(client, f"/training/mentorships/{pair.pk}/"),
    )
    item = technique(world)
    for n in range(8):
        other = mentorship(world, world.a_surgeon, world.a_ward_nurse)
        _visit(world, other, TODAY - n * DAY, kind="lecture", operations=n)
        _visit(world, pair, TODAY - n * DAY)
        case(world, technique(world, f"技术{n}"), mentorship=pair)
    case(world, item, apprentice=world.a_surgeon, supervisor=None)
    mentorship_update(
        mentorship=pair, apprentices=[world.a_doctor, world.a_surgeon, world.a_ward_nurse]
    )
    many = (
        _queries(client, "/training/mentorships/"),
        _queries(client, f"/training/mentorships/{pair.pk}/"),
    )
    assert many == few


def test_the_list_is_paginated_with_its_filters_kept(world, client, settings):
    settings.PAGE_SIZE = 2
    for _ in range(3):
        mentorship(world)
    login(client, world.hospital_a)
    first = client.get("/training/mentorships/", {"status": "active"})
    assert len(first.context["page_obj"]) == 2
    assert "?status=active&amp;page=2" in first.content.decode()
    second = client.get("/training/mentorships/", {"status": "active", "page": "2"})
    assert len(second.context["page_obj"]) == 1
