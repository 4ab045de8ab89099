"""The applicants' pages: an application entered on a post's page and reviewed at once, the
officer's decision, scores and the ranking shown, the shortlist with a tie said, the checks,
the public notice published and exported (.xlsx and PDF, identity numbers masked, audited),
an objection settled and the hire made once however often it is posted; every refusal on
the form in the service's words; query counts that do not grow with the applicants."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from tests.conftest import login
from tests.recruitment.helpers import published_plan
from yicai.access.models import AuditEntry
from yicai.codes.queries import code_for
from yicai.people.models import Appointment, Person
from yicai.recruitment import services
from yicai.recruitment.models import Application

pytestmark = pytest.mark.django_db
D = datetime.date


def _post(world, places=1, **rules):
    plan = published_plan(world, on=D(2022, 4, 1), places=places, **rules)
    return plan.posts.get()


def _applicant(post, name, written, interview):
    application = services.application_create(
        by=None,
        post=post,
        name=name,
        id_number=factories.id_number(D(1994, 2, 3)),
        major="临床医学",
        applied_on=D(2022, 4, 10),
    )
    return services.application_scores(
        application=application, written_score=written, interview_score=interview
    )


def test_an_application_entered_on_the_page_is_reviewed_at_once(client, world):
    post = _post(world, max_age=30)
    login(client, world.hospital_a)
    new = f"/recruitment/posts/{post.pk}/applications/new/"
    assert client.get(new).status_code == 200
    refused = client.post(new, {"name": "王五", "id_number": "110101199001011234"})
    assert refused.status_code == 200  # the form again, nothing written
    assert "身份证号码无效：请核对位数、出生日期和末位校验码。" in refused.content.decode()
    assert not Application.objects.exists()
    number = factories.id_number(D(1990, 1, 1))
    saved = client.post(
        new,
        {
            "name": "王五",
            "id_number": number,
            "phone": "13800138000",
            "major": "临床医学",
            "education": code_for("education", "21").pk,
            "applied_on": "2022-04-12",
        },
    )
    made = Application.objects.get()
    assert saved.status_code == 302 and saved["Location"] == f"/recruitment/applications/{made.pk}/"
    page = client.get(saved["Location"]).content.decode()
    # 32 on the day the plan was published: over the post's 30.
    assert "2022-04-01 年满 32 周岁，超过岗位年龄上限 30 周岁。" in page
    assert made.status == "ineligible" and number not in page and made.id_number_masked in page
    # The officer decides otherwise, with a reason; without one, the service says so.
    decide = f"/recruitment/applications/{made.pk}/decide/"
    refused = client.post(decide, {"eligible": "1", "reason": ""})
    assert refused.status_code == 400 and "请填写审查理由。" in refused.content.decode()
    assert client.post(decide, {"eligible": "1", "reason": "经人社部门同意放宽"}).status_code == 302
    made.refresh_from_db()
    assert (made.status, made.eligibility_reason) == ("eligible", "经人社部门同意放宽")


def test_the_ranking_the_shortlist_with_a_tie_the_notice_and_one_hire(client, world):
    post = _post(world, places=1, department=world.a_cardiology)
    first = _applicant(post, "甲", Decimal(80), Decimal(85))
    _applicant(post, "戊", Decimal(80), Decimal(85))
    _applicant(post, "乙", Decimal(70), Decimal(80))
    login(client, world.hospital_a)
    page = client.get(f"/recruitment/posts/{post.pk}/").content.decode()
    assert page.index("甲") < page.index("戊") < page.index("乙") and "83.00" in page
    said = client.post(f"/recruitment/posts/{post.pk}/shortlist/", follow=True).content.decode()
    assert "甲、戊 成绩并列，剩余名额不足" in said
    step = f"/recruitment/applications/{first.pk}/"
    assert client.post(step + "shortlist/", {"reason": "加试 92 分"}).status_code == 302
    assert client.post(step + "check/", {"passed": "1"}).status_code == 302  # medical
    refused = client.post(step + "check/", {"passed": "0", "reason": ""})
    assert refused.status_code == 400 and "请填写不合格原因。" in refused.content.decode()
    assert client.post(step + "check/", {"passed": "1"}).status_code == 302  # background
    plan = post.plan
    notice_new = f"/recruitment/plans/{plan.pk}/notice/new/"
    assert "甲 · 岗位0" in client.get(notice_new).content.decode()
    published = client.post(notice_new, {"starts_on": "2022-06-01", "ends_on": "2022-06-07"})
    notice = plan.notices.get()
    assert published["Location"] == f"/recruitment/notices/{notice.pk}/"
    # The notice as a sheet and a PDF: identity numbers masked, each download audited.
    first.refresh_from_db()
    sheet = client.get(f"/recruitment/notices/{notice.pk}/export/xlsx/")
    rows = list(openpyxl.load_workbook(io.BytesIO(sheet.getvalue())).active.values)
    assert rows[1][1:5] == ("甲", "男性", "1994.02", first.id_number_masked)
    assert first.id_number not in str(rows)
    pdf = client.get(f"/recruitment/notices/{notice.pk}/export/pdf/")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert first.id_number.encode() not in pdf.content
    assert AuditEntry.objects.filter(event="export", object_repr__contains="公示").count() == 2
    # An objection, settled; then the hire, posted twice (a double click), made once.
    client.post(step + "object/", {"received_on": "2022-06-02", "content": "反映学历存疑"})
    objection = first.objections.get()
    client.post(
        f"/recruitment/objections/{objection.pk}/resolve/",
        {"upheld": "0", "resolution": "核验属实", "on": "2022-06-05"},
    )
    people, appointments = Person.objects.count(), Appointment.objects.count()
    for _twice in range(2):
        assert client.post(step + "hire/", {"on": "2022-06-10"}).status_code == 302
    assert (Person.objects.count(), Appointment.objects.count()) == (people + 1, appointments + 1)
    first.refresh_from_db()
    assert first.status == "hired" and first.person.department == world.a_cardiology
    listed = client.get("/people/?q=甲").content.decode()
    assert f"/people/{first.person_id}/" in listed
    # Filled against planned: the year's figures count the hire.
    figures = client.get("/recruitment/plans/figures/?year=2022").context["figures"]
    assert (figures.places, figures.filled) == (1, 1)
    assert figures.by_institution[0]["filled"] == 1


def test_the_applicants_list_filters_exports_masked_and_hides_another_hospital(client, world):
    post = _post(world)
    mine = _applicant(post, "本院考生", Decimal(60), Decimal(70))
    other = _post(world, title="乙院计划", institution=world.b)
    _applicant(other, "乙院考生", Decimal(60), Decimal(70))
    login(client, world.hospital_a)
    listed = client.get("/recruitment/applications/").content.decode()
    assert "本院考生" in listed and "乙院考生" not in listed
    assert client.get("/recruitment/applications/?status=nonsense").status_code == 400
    sheet = client.get(f"/recruitment/applications/?post={post.pk}&export=xlsx")
    rows = list(openpyxl.load_workbook(io.BytesIO(sheet.getvalue())).active.values)
    assert len(rows) == 2 and rows[1][5] == "本院考生" and rows[1][7] == mine.id_number_masked
    assert rows[1][19] == 66  # 60 × 0.4 + 70 × 0.6
    assert mine.id_number not in str(rows)
    # Another hospital's applicant is a 404, not a page.
    hidden = Application.objects.get(name="乙院考生")
    assert client.get(f"/recruitment/applications/{hidden.pk}/").status_code == 404


def test_the_post_page_reads_the_same_number_of_queries_for_2_or_12_applicants(client, world):
    post = _post(world, places=3)
    login(client, world.hospital_a)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/recruitment/posts/{post.pk}/").status_code == 200
        return len(captured)

    for number in range(2):
        _applicant(post, f"考生{number}", Decimal(60 + number), Decimal(70))
    few = queries()
    for number in range(2, 12):
        _applicant(post, f"考生{number}", Decimal(60 + number), Decimal(70))
    services.application_create(
        by=None, post=post, name="待审", id_number=factories.id_number(D(1990, 1, 1))
    )
    assert queries() == few
