"""The continuing-education pages: each persona's rows on every list and in every export,
attendance added only for people in the user's scope, configuration by the commission
only, the timeline, and query counts that do not grow with the rows."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import login
from tests.training.education import DAY, attend, enrolment, event, external, quota, secondment
from yicai.menu import menu_for
from yicai.people import timeline
from yicai.training.models import (
    Attendance,
    CreditRequirement,
    EducationEvent,
    Enrolment,
    ExternalCredit,
    TrainingKind,
    TrainingQuota,
)

YEAR = DAY.year
EVERYONE = ("commission", "hospital_a", "hospital_b", "dept_head", "mentor", "trainee")
NOBODY = ("auditor", "security", "nobody")
EXPORTERS = {"commission", "hospital_a", "hospital_b", "dept_head"}


@pytest.fixture
def records(world):
    a_event = event(world, title="院内小讲课")
    attend(a_event, world.a_doctor)
    b_event = event(
        world,
        title="乙院技能培训",
        institution=world.b,
        speaker=world.partner_expert,
        speaker_name="",
    )
    attend(b_event, world.b_doctor)
    return {
        "events": {
            "a_event": a_event,
            "a_cardio": event(world, title="心内科病例讨论", department=world.a_cardiology),
            "a_surgery": event(world, title="普外科技术交流", department=world.a_surgery),
            "b_event": b_event,
        },
        "enrolments": {
            "a_doctor": enrolment(world.a_doctor),
            "a_surgeon": enrolment(world.a_surgeon, TrainingKind.DEGREE),
            "b_doctor": enrolment(world.b_doctor),
        },
        "quotas": {
            "a": quota(world, world.a, TrainingKind.SHORT_COURSE, 2),
            "b": quota(world, world.b, TrainingKind.SHORT_COURSE, 1),
        },
    }


EVENTS = {
    "commission": {"a_event", "a_cardio", "a_surgery", "b_event"},
    "hospital_a": {"a_event", "a_cardio", "a_surgery"},
    "hospital_b": {"b_event"},
    "dept_head": {"a_cardio"},
    "mentor": {"b_event"},  # 孙名医 spoke there
    "trainee": {"a_event"},  # 李心怡 attended it
}
# Staff only: 孙名医, an external expert, has no credits to keep.
CREDIT_PEOPLE = {
    "commission": {"李心怡", "赵护士", "周外科", "陈全科"},
    "hospital_a": {"李心怡", "赵护士", "周外科"},
    "hospital_b": {"陈全科"},
    "dept_head": {"李心怡", "赵护士"},
    "mentor": set(),
    "trainee": {"李心怡"},
}
ENROLMENTS = {
    "commission": {"a_doctor", "a_surgeon", "b_doctor"},
    "hospital_a": {"a_doctor", "a_surgeon"},
    "hospital_b": {"b_doctor"},
    "dept_head": {"a_doctor"},
    "mentor": set(),
    "trainee": {"a_doctor"},
}
QUOTAS = {
    "commission": {"a", "b"},
    "hospital_a": {"a"},
    "hospital_b": {"b"},
    "dept_head": set(),
    "mentor": set(),
    "trainee": set(),
}


def _names(items, shown):
    ids = {item.pk for item in shown}
    return {name for name, item in items.items() if item.pk in ids}


def _csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))[1:]


PAGES = {
    "events": ("/training/education/", 2),  # title column
    "credits": (f"/training/education/credits/?year={YEAR}", 0),
    "enrolments": ("/training/education/enrolments/", 0),
    "quotas": (f"/training/education/quotas/?year={YEAR}", 1),
}


@pytest.mark.parametrize("who", EVERYONE)
def test_every_list_and_export_shows_each_role_its_rows(world, client, records, who):
    login(client, getattr(world, who))
    shown = {}
    for page, (url, _column) in PAGES.items():
        response = client.get(url)
        assert response.status_code == 200, page
        shown[page] = list(response.context["page_obj"])
    assert _names(records["events"], shown["events"]) == EVENTS[who]
    assert {person.name for person in shown["credits"]} == CREDIT_PEOPLE[who]
    assert _names(records["enrolments"], shown["enrolments"]) == ENROLMENTS[who]
    assert _names(records["quotas"], shown["quotas"]) == QUOTAS[who]

    expected_exports = {
        "events": {records["events"][name].title for name in EVENTS[who]},
        "credits": CREDIT_PEOPLE[who],
        "enrolments": {records["enrolments"][name].person.name for name in ENROLMENTS[who]},
        "quotas": {records["quotas"][name].institution.name for name in QUOTAS[who]},
    }
    for page, (url, column) in PAGES.items():
        sep = "&" if "?" in url else "?"
        response = client.get(f"{url}{sep}export=csv")
        if who not in EXPORTERS:
            assert response.status_code == 403, page
            continue
        assert {row[column] for row in _csv(response)} == expected_exports[page], page


@pytest.mark.parametrize("who", NOBODY)
def test_oversight_roles_and_accounts_without_roles_are_refused_everywhere(
    world, client, records, who
):
    login(client, getattr(world, who))
    a_event = records["events"]["a_event"]
    for url in (
        "/training/education/",
        "/training/education/new/",
        f"/training/education/{a_event.pk}/",
        "/training/education/credits/",
        "/training/education/credits/external/new/",
        "/training/education/quotas/",
        "/training/education/enrolments/",
        "/training/education/enrolments/new/",
        f"/training/education/enrolments/{records['enrolments']['a_doctor'].pk}/edit/",
    ):
        assert client.get(url).status_code == 403, url
    posts = (
        f"/training/education/{a_event.pk}/attendance/",
        f"/training/education/{a_event.pk}/delete/",
        f"/training/education/attendance/{Attendance.objects.first().pk}/remove/",
        "/training/education/credits/requirement/",
        "/training/education/quotas/set/",
    )
    for url in posts:
        assert client.post(url).status_code == 403, url
    assert EducationEvent.objects.count() == 4 and Attendance.objects.count() == 2


def test_the_lists_show_an_empty_state(world, client):
    login(client, world.hospital_a)
    for url, text in (
        ("/training/education/", "没有符合条件的继续教育活动"),
        ("/training/education/enrolments/", "没有符合条件的学历教育或短期培训记录"),
        ("/training/education/quotas/", "没有符合条件的培训指标"),
        ("/training/education/credits/?q=无此人", "没有符合条件的人员"),
    ):
        assert text in client.get(url).content.decode(), url


def _event_form(world, **extra):
    return {
        "kind": "case_discussion",
        "title": "疑难病例讨论：不明原因发热",
        "institution": world.a.pk,
        "department": world.a_cardiology.pk,
        "held_on": DAY.isoformat(),
        "speaker": world.a_surgeon.pk,
        "speaker_name": "",
        "hours": "2",
        "credit_class": "class_ii",
        "credits": "1",
        "note": "",
    } | extra


def test_a_hospital_records_an_event_and_its_attendance_from_its_own_staff(world, client):
    login(client, world.hospital_a)
    refused = client.post("/training/education/new/", _event_form(world, institution=world.b.pk))
    assert refused.status_code == 200 and "institution" in refused.context["form"].errors
    hostile = client.post("/training/education/new/", _event_form(world, credits="-1"))
    assert "credits" in hostile.context["form"].errors
    assert not EducationEvent.objects.exists()
    created = client.post("/training/education/new/", _event_form(world))
    lecture = EducationEvent.objects.get()
    assert created.url == f"/training/education/{lecture.pk}/"
    page = client.get(created.url)
    offered = set(page.context["attendance_form"].fields["people"].queryset)
    assert offered == {world.a_doctor, world.a_ward_nurse, world.a_surgeon}

    url = f"/training/education/{lecture.pk}/attendance/"
    other = client.post(url, {"people": [world.a_doctor.pk, world.b_doctor.pk]})
    assert other.status_code == 200 and "people" in other.context["attendance_form"].errors
    assert not Attendance.objects.exists()
    assert client.post(url, {"people": [world.a_doctor.pk, world.a_surgeon.pk]}).status_code == 302
    again = client.post(url, {"people": [world.a_doctor.pk]})
    assert "李心怡" in again.content.decode() and Attendance.objects.count() == 2

    deleted = client.post(f"/training/education/{lecture.pk}/delete/", follow=True)
    assert "请先移除参加人员" in deleted.content.decode()
    for row in Attendance.objects.all():
        client.post(f"/training/education/attendance/{row.pk}/remove/")
    assert client.post(f"/training/education/{lecture.pk}/delete/").status_code == 302
    assert not EducationEvent.objects.exists()


def test_another_hospital_can_neither_open_nor_change_an_event(world, client, records):
    a_event = records["events"]["a_event"]
    row = Attendance.objects.get(event=a_event)
    login(client, world.hospital_b)
    assert client.get(f"/training/education/{a_event.pk}/").status_code == 404
    assert client.post(f"/training/education/{a_event.pk}/", _event_form(world)).status_code == 404
    attendance = f"/training/education/{a_event.pk}/attendance/"
    assert client.post(attendance, {"people": [world.b_doctor.pk]}).status_code == 404
    assert client.post(f"/training/education/attendance/{row.pk}/remove/").status_code == 404
    assert client.post(f"/training/education/{a_event.pk}/delete/").status_code == 404
    assert Attendance.objects.filter(pk=row.pk).exists()


def test_an_attendee_sees_the_event_without_forms_and_a_department_head_cannot_edit(
    world, client, records
):
    a_event, a_cardio = records["events"]["a_event"], records["events"]["a_cardio"]
    login(client, world.trainee)
    page = client.get(f"/training/education/{a_event.pk}/")
    assert page.status_code == 200 and page.context["form"] is None
    assert "李心怡" in page.content.decode()
    login(client, world.dept_head)
    assert client.get(f"/training/education/{a_cardio.pk}/").context["attendance_form"] is None
    assert client.post(f"/training/education/{a_cardio.pk}/", _event_form(world)).status_code == 403


def test_a_hospital_sees_only_its_own_attendees_of_a_regional_event(world, client):
    regional = event(world, title="区级学术会议")
    attend(regional, world.a_doctor, world.b_doctor)
    login(client, world.hospital_a)
    page = client.get(f"/training/education/{regional.pk}/")
    assert [row.person for row in page.context["attendances"]] == [world.a_doctor]
    assert page.context["hidden_count"] == 1


def test_only_the_commission_sets_the_requirement(world, client):
    values = {"year": YEAR + 1, "total": "30", "class_i": "10", "class_ii": "20"}
    login(client, world.hospital_a)
    assert client.get("/training/education/credits/").context["requirement_form"] is None
    assert client.post("/training/education/credits/requirement/", values).status_code == 403
    assert not CreditRequirement.objects.filter(year=YEAR + 1).exists()
    login(client, world.commission)
    bad = client.post(
        "/training/education/credits/requirement/", values | {"total": "20"}, follow=True
    )
    assert "不能少于" in bad.content.decode()
    client.post("/training/education/credits/requirement/", values)
    assert CreditRequirement.objects.get(year=YEAR + 1).total == 30
    page = client.get(f"/training/education/credits/?year={YEAR + 1}")
    assert page.context["requirement"].total == 30


def test_the_below_requirement_filter_and_export_agree(world, client):
    external(world, credits="5")
    external(world, credit_class="class_ii", credits="20")
    login(client, world.hospital_a)
    below = client.get(f"/training/education/credits/?year={YEAR}&standing=below")
    assert {p.name for p in below.context["page_obj"]} == {"赵护士", "周外科"}
    met = client.get(f"/training/education/credits/?year={YEAR}&standing=met&export=csv")
    (row,) = _csv(met)
    assert (row[0], row[4], row[5], row[6], row[-1]) == ("李心怡", "5.0", "20.0", "25.0", "是")


def test_a_trainee_reports_their_own_external_credits_and_a_hospital_only_its_staff(world, client):
    values = {
        "earned_on": DAY.isoformat(),
        "title": "国家级心血管病学术会议",
        "provider": "中华医学会",
        "credit_class": "class_i",
        "credits": "6",
    }
    login(client, world.trainee)
    form = client.get("/training/education/credits/external/new/").context["form"]
    assert "person" not in form.fields
    client.post("/training/education/credits/external/new/", values | {"person": world.b_doctor.pk})
    assert list(ExternalCredit.objects.values_list("person", flat=True)) == [world.a_doctor.pk]
    login(client, world.hospital_a)
    refused = client.post(
        "/training/education/credits/external/new/", values | {"person": world.b_doctor.pk}
    )
    assert "person" in refused.context["form"].errors
    login(client, world.dept_head)  # neither edits records nor logs their own
    assert client.get("/training/education/credits/external/new/").status_code == 403
    assert ExternalCredit.objects.count() == 1


def test_only_the_commission_sets_quotas_and_only_for_managed_institutions(world, client):
    values = {"institution": world.a.pk, "year": YEAR, "kind": "degree", "number": "4"}
    login(client, world.hospital_a)
    assert client.get("/training/education/quotas/").context["quota_form"] is None
    assert client.post("/training/education/quotas/set/", values).status_code == 403
    login(client, world.commission)
    partner = client.post(
        "/training/education/quotas/set/", values | {"institution": world.partner.pk}, follow=True
    )
    assert "培训指标未保存" in partner.content.decode()
    client.post("/training/education/quotas/set/", values | {"number": "-1"})
    assert not TrainingQuota.objects.exists()
    client.post("/training/education/quotas/set/", values)
    assert TrainingQuota.objects.get().number == 4


def test_enrolments_are_recorded_and_changed_within_the_scope(world, client, records):
    values = {
        "person": world.a_ward_nurse.pk,
        "kind": "short_course",
        "provider": "省护理学会",
        "programme": "PICC专科护士培训",
        "start_on": DAY.isoformat(),
        "end_on": "",
        "status": "enrolled",
    }
    login(client, world.hospital_a)
    other = client.post(
        "/training/education/enrolments/new/", values | {"person": world.b_doctor.pk}
    )
    assert "person" in other.context["form"].errors
    backwards = client.post(
        "/training/education/enrolments/new/", values | {"end_on": "2025-01-01"}
    )
    assert "end_on" in backwards.context["form"].errors
    assert client.post("/training/education/enrolments/new/", values).status_code == 302
    course = Enrolment.objects.get(person=world.a_ward_nurse)
    edit = f"/training/education/enrolments/{course.pk}/edit/"
    changed = values | {"status": "completed", "end_on": "2025-06-30"}
    assert client.post(edit, changed).status_code == 302
    course.refresh_from_db()
    assert (course.status, course.end_on) == ("completed", datetime.date(2025, 6, 30))
    login(client, world.hospital_b)
    assert client.get(edit).status_code == 404
    login(client, world.dept_head)  # sees, does not edit
    assert client.get(edit).status_code == 403


def test_attendance_and_enrolments_are_on_the_persons_timeline(world, records):
    titles = [(e.kind, e.title, e.detail) for e in timeline.events_for(world.a_doctor)]
    assert ("继续教育", "小讲课：院内小讲课（甲区中心医院）", "Ⅱ类学分 2.0 分") in titles
    assert ("短期培训", "复旦大学上海医学院 超声介入短训班", "") in titles


def test_the_menu_shows_the_pages_to_those_who_may_open_them(world):
    def labels(user):
        return {item.label for section in menu_for(user) for item in section.items}

    pages = {"继续教育活动", "继续教育学分", "学历教育与短期培训", "培训指标"}
    assert pages <= labels(world.hospital_a)
    assert pages & labels(world.trainee) == {"继续教育学分"}  # their own credits only
    assert not pages & labels(world.auditor)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        assert response.status_code == 200
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    return len(captured)


URLS = [
    "/training/education/",
    "/training/education/?export=csv",
    "/training/education/?export=xlsx",
    f"/training/education/credits/?year={YEAR}",
    f"/training/education/credits/?year={YEAR}&standing=below&export=csv",
    "/training/education/enrolments/",
    "/training/education/enrolments/?export=csv",
    f"/training/education/quotas/?year={YEAR}",
    f"/training/education/quotas/?year={YEAR}&export=csv",
]


def test_query_counts_do_not_grow_with_rows(world, client):
    login(client, world.commission)
    people = [world.a_doctor, world.a_surgeon, world.a_ward_nurse, world.b_doctor]

    def add(n):
        lecture = event(world, title=f"小讲课{n}", credits="0.5")
        attend(lecture, *people)
        external(world, people[n % 4], credits="1")
        enrolment(people[n % 4], programme=f"培训班{n}")
        institution = world.a if n % 2 else world.b
        kind = list(TrainingKind)[n % 3]
        quota(world, institution, kind, n + 1, year=YEAR + n // 6)
        secondment(world, people[n % 4], datetime.date(YEAR, 1, 1) + datetime.timedelta(days=n))

    add(0)
    few = [_queries(client, url) for url in URLS]
    for n in range(1, 12):
        add(n)
    assert [_queries(client, url) for url in URLS] == few
    one, four = event(world, title="一人参加"), event(world, title="四人参加")
    attend(one, people[0])
    attend(four, *people)
    detail = "/training/education/{}/"
    assert _queries(client, detail.format(one.pk)) == _queries(client, detail.format(four.pk))
