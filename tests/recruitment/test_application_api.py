"""Applicants over the API (/api/v1/recruitment/applications/ and the steps to a hire): the
same services as the pages, so the same refusals in the same words; identity and phone numbers
written and answered only masked; another institution's applicants a 404 and out of the
list, none for a department head; one person however often a hire is posted; a list that
costs the same for 2 or 10 applicants."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from tests.conftest import login
from tests.recruitment.helpers import published_plan
from yicai.codes.queries import code_for
from yicai.people.models import Appointment, Person
from yicai.recruitment import services
from yicai.recruitment.models import Application

pytestmark = pytest.mark.django_db
D = datetime.date
API = "/api/v1/recruitment"
URL = f"{API}/applications/"
INVALID_NUMBER = "110101199001011234"  # a wrong check digit


def _post(world, institution=None, places=1, **rules):
    plan = published_plan(world, institution, on=D(2022, 4, 1), places=places, **rules)
    return plan.posts.get()


def _applicant(post, name, written=None, interview=None, major="临床医学", **fields):
    application = services.application_create(
        by=None,
        post=post,
        name=name,
        id_number=factories.id_number(D(1994, 2, 3)),
        major=major,
        applied_on=D(2022, 4, 10),
        **fields,
    )
    if written is None and interview is None:
        return application
    return services.application_scores(
        application=application, written_score=written, interview_score=interview
    )


class Watched:
    """The API client as one persona, each answer kept: `numbers` (full identity or phone
    numbers) may appear in none of them."""

    def __init__(self, api):
        self.api, self.answers = api, []

    def _kept(self, response):
        self.answers.append(response)
        return response

    def get(self, url, params=None):
        return self._kept(self.api.get(url, params))

    def post(self, url, body=None):
        return self._kept(self.api.post(url, body or {}, format="json"))

    def patch(self, url, body):
        return self._kept(self.api.patch(url, body, format="json"))

    def delete(self, url):
        return self._kept(self.api.delete(url))

    def assert_never_shown(self, *numbers):
        for response in self.answers:
            for number in numbers:
                assert number.encode() not in response.content, response.request["PATH_INFO"]


def test_an_application_is_added_read_corrected_and_deleted_its_numbers_masked(world, as_api):
    post = _post(world)
    api = Watched(as_api(world.hospital_a))
    number, phone = factories.id_number(D(1994, 2, 3)), "13800138000"
    created = api.post(
        URL,
        {
            "post": post.pk,
            "name": "王五",
            "id_number": number,
            "phone": phone,
            "major": "临床医学",
            "education": code_for("education", "21").pk,
            "applied_on": "2022-04-12",
        },
    )
    assert created.status_code == 201, created.data
    body = created.json()
    made = Application.objects.get()
    assert (body["id"], body["application_status"], body["application_status_display"]) == (
        made.pk,
        "eligible",
        "资格审查通过",
    )
    # The birth date and sex were read from the number; the numbers only masked.
    assert (body["birth_date"], body["sex"]["name"]) == ("1994-02-03", "男性")
    assert (body["id_number_masked"], body["phone_masked"]) == (
        made.id_number_masked,
        made.phone_masked,
    )
    assert "id_number" not in body and "phone" not in body
    assert (body["post"], body["plan"], body["institution"]) == (
        {"id": post.pk, "name": "岗位0"},
        post.plan_id,
        {"id": world.a.pk, "name": world.a.name},
    )
    assert (body["combined_score"], body["application_stage"], body["objections"]) == (
        None,
        "",
        [],
    )
    row = f"{URL}{made.pk}/"
    assert api.get(row).json() == body
    # A correction without the numbers keeps them; a new phone number replaces the old one.
    changed = api.patch(row, {"school": "某医科大学", "phone": "13900139000"})
    assert changed.status_code == 200, changed.data
    made.refresh_from_db()
    assert (made.school, made.id_number, made.phone) == ("某医科大学", number, "13900139000")
    assert changed.json()["phone_masked"] == made.phone_masked != body["phone_masked"]
    listed = api.get(URL).json()["results"]
    assert [line["id"] for line in listed] == [made.pk] and "objections" not in listed[0]
    # Deleted while nothing is decided on it (a major to check); refused once reviewed.
    refused = api.delete(row)
    assert (refused.status_code, refused.json()) == (
        400,
        {"status": ["只能删除待资格审查、尚无成绩的报名记录。"]},
    )
    waiting = _applicant(post, "赵六", major="")
    assert api.get(f"{URL}{waiting.pk}/").json()["application_status"] == "applied"
    assert api.delete(f"{URL}{waiting.pk}/").status_code == 204
    assert list(Application.objects.all()) == [made]
    api.assert_never_shown(number, phone, "13900139000", waiting.id_number)


def test_refusals_are_the_pages_in_the_same_words(world, as_api, client):
    post = _post(world)
    theirs = _post(world, world.b, title="乙院计划")
    api = Watched(as_api(world.hospital_a))
    page = login(client, world.hospital_a)
    new = {"post": post.pk, "name": "王五", "id_number": INVALID_NUMBER}
    refused = api.post(URL, new)
    assert (refused.status_code, refused.json()) == (
        400,
        {"id_number": ["身份证号码无效：请核对位数、出生日期和末位校验码。"]},
    )
    form = page.post(f"/recruitment/posts/{post.pk}/applications/new/", new)
    assert refused.json()["id_number"][0] in form.content.decode()
    missing = api.post(URL, {"post": post.pk, "name": "王五"})
    assert missing.json() == {"id_number": ["请填写身份证号码。"]}
    elsewhere = api.post(
        URL, {**new, "post": theirs.pk, "id_number": factories.id_number(D(1990, 1, 1))}
    )
    assert elsewhere.json() == {"post": ["所选岗位不存在或不在您的管辖范围内。"]}
    assert not Application.objects.exists()
    # An officer's decision needs its reason, on the page and in the API alike.
    waiting = _applicant(post, "待审")
    silent = api.post(f"{URL}{waiting.pk}/decide/", {"eligible": True})
    assert (silent.status_code, silent.json()) == (400, {"reason": ["请填写审查理由。"]})
    form = page.post(
        f"/recruitment/applications/{waiting.pk}/decide/", {"eligible": "1", "reason": ""}
    )
    assert form.status_code == 400 and "请填写审查理由。" in form.content.decode()
    gone = api.post(f"{URL}{waiting.pk}/out/", {"withdrawn": True})
    assert gone.json() == {"reason": ["请填写原因。"]}
    decided = api.post(f"{URL}{waiting.pk}/decide/", {"eligible": False, "reason": "学历不符"})
    assert decided.json()["application_status"] == "ineligible"
    assert decided.json()["eligibility_reason"] == "学历不符"
    # A step out of turn says where the applicant stands.
    early = api.post(f"{URL}{waiting.pk}/check/", {"passed": True})
    assert early.json() == {"status": ["该考生当前为“资格审查未通过”，不能进行此操作。"]}
    api.assert_never_shown(waiting.id_number)


def test_from_the_scores_to_one_hire_over_the_api(world, as_api, client):
    post = _post(world, department=world.a_cardiology)
    first = _applicant(post, "甲")
    tied = _applicant(post, "戊", Decimal(80), Decimal(85))
    third = _applicant(post, "乙", Decimal(70), Decimal(80))
    api = Watched(as_api(world.hospital_a))
    step = f"{URL}{first.pk}/"
    scored = api.post(step + "scores/", {"written_score": "80", "interview_score": "85.00"})
    assert scored.status_code == 200, scored.data
    assert (scored.json()["written_score"], scored.json()["combined_score"]) == ("80.00", "83.00")
    # A score left out is kept.
    kept = api.post(step + "scores/", {"exam_number": "2022001"}).json()
    assert (kept["interview_score"], kept["exam_number"]) == ("85.00", "2022001")
    ranking = api.get(f"{API}/posts/{post.pk}/ranking/").json()
    assert (ranking["places"], ranking["applied"], ranking["holding"]) == (1, 3, 0)
    assert [(line["rank"], line["name"], line["combined"]) for line in ranking["ranking"]] == [
        (1, "甲", "83.00"),
        (1, "戊", "83.00"),
        (3, "乙", "76.00"),
    ]
    assert ranking["ranking"][0]["application"] == first.pk
    # A tie at the one place: nobody chosen, the tied named; an officer decides, with a reason.
    shortlist = api.post(f"{API}/posts/{post.pk}/shortlist/")
    assert shortlist.status_code == 200
    assert shortlist.json() == {
        "chosen": [],
        "tied": [{"id": first.pk, "name": "甲"}, {"id": tied.pk, "name": "戊"}],
    }
    silent = api.post(step + "shortlist/")
    assert silent.json() == {"reason": ["请填写确定理由（如加试结果）。"]}
    assert api.post(step + "shortlist/", {"reason": "加试 92 分"}).json()["application_status"] == (
        "medical"
    )
    failed = api.post(step + "check/", {"passed": False})
    assert failed.json() == {"reason": ["请填写不合格原因。"]}
    assert api.post(step + "check/", {"passed": True}).json()["application_status"] == "background"
    assert api.post(step + "check/", {"passed": True}).json()["application_status"] == "cleared"
    out = api.post(f"{URL}{third.pk}/out/", {"withdrawn": True, "reason": "另有工作"}).json()
    assert (out["application_status"], out["application_stage"]) == ("withdrawn", "exam")
    assert out["application_stage_display"] == "考试"
    # The notice of those who passed both checks, masked as posted.
    published = api.post(
        f"{API}/plans/{post.plan_id}/notice/", {"starts_on": "2022-06-01", "ends_on": "2022-06-07"}
    )
    assert published.status_code == 201, published.data
    notice = published.json()
    first.refresh_from_db()
    assert (notice["title"], notice["ends_on"]) == ("2022 年度招聘计划拟聘用人员公示", "2022-06-07")
    (line,) = notice["applications"]
    assert (line["id"], line["id_number_masked"], line["combined_score"]) == (
        first.pk,
        first.id_number_masked,
        "83.00",
    )
    assert line["department"] == {"id": world.a_cardiology.pk, "name": world.a_cardiology.name}
    assert api.get(f"{API}/notices/{notice['id']}/").json() == notice
    again = api.post(
        f"{API}/plans/{post.plan_id}/notice/", {"starts_on": "2022-06-01", "ends_on": "2022-06-07"}
    )
    assert again.json() == {"status": ["没有待公示的考生（体检、考察均合格者）。"]}
    # Not before the notice is over; not while an objection is open (as the page says).
    early = api.post(step + "hire/", {"on": "2022-06-05"})
    assert early.json() == {"on": ["公示期至 2022-06-07 结束，结束后才能聘用。"]}
    objected = api.post(
        step + "objections/", {"received_on": "2022-06-02", "content": "反映学历存疑"}
    )
    assert objected.status_code == 201, objected.data
    (objection,) = objected.json()["objections"]
    assert (objection["content"], objection["resolved_on"]) == ("反映学历存疑", None)
    held = api.post(step + "hire/", {"on": "2022-06-10"})
    assert (held.status_code, held.json()) == (400, {"status": ["该考生有尚未处理的公示异议。"]})
    form = login(client, world.hospital_a).post(
        step.replace("/api/v1", "") + "hire/", {"on": "2022-06-10"}
    )
    assert form.status_code == 400 and "该考生有尚未处理的公示异议。" in form.content.decode()
    resolve = f"{API}/objections/{objection['id']}/resolve/"
    assert api.post(resolve, {"upheld": False}).json() == {"resolution": ["请填写核查结果。"]}
    resolved = api.post(resolve, {"upheld": False, "resolution": "核验属实", "on": "2022-06-05"})
    assert resolved.status_code == 200 and resolved.json()["id"] == first.pk
    assert resolved.json()["objections"][0]["resolved_on"] == "2022-06-05"
    # Hired, posted twice (a retry): one person, one appointment.
    people, appointments = Person.objects.count(), Appointment.objects.count()
    answers = [api.post(step + "hire/", {"on": "2022-06-10"}) for _twice in range(2)]
    assert [answer.status_code for answer in answers] == [200, 200]
    assert (Person.objects.count(), Appointment.objects.count()) == (people + 1, appointments + 1)
    first.refresh_from_db()
    hired = answers[1].json()
    assert (hired["application_status"], hired["hired_on"], hired["person"]) == (
        "hired",
        "2022-06-10",
        first.person_id,
    )
    assert first.person.department == world.a_cardiology
    api.assert_never_shown(first.id_number, tied.id_number, third.id_number)


def test_another_institutions_applicants_are_404_and_unlisted(world, as_api):
    post = _post(world)
    mine = _applicant(post, "本院考生", Decimal(60), Decimal(70))
    theirs = _applicant(_post(world, world.b, title="乙院计划"), "乙院考生")
    hospital_b = as_api(world.hospital_b)
    assert [line["id"] for line in hospital_b.get(URL).json()["results"]] == [theirs.pk]
    row = f"{URL}{mine.pk}/"
    assert hospital_b.get(row).status_code == 404
    assert hospital_b.patch(row, {"school": "改"}, format="json").status_code == 404
    assert hospital_b.delete(row).status_code == 404
    for step, body in (("decide", {"eligible": True, "reason": "越权"}), ("hire", {})):
        assert hospital_b.post(f"{row}{step}/", body, format="json").status_code == 404
    assert hospital_b.get(f"{API}/posts/{post.pk}/ranking/").status_code == 404
    assert (
        hospital_b.post(f"{API}/posts/{post.pk}/shortlist/", {}, format="json").status_code == 404
    )
    notice = hospital_b.post(
        f"{API}/plans/{post.plan_id}/notice/",
        {"starts_on": "2022-06-01", "ends_on": "2022-06-07"},
        format="json",
    )
    assert notice.status_code == 404
    assert [line["id"] for line in as_api(world.hospital_a).get(URL).json()["results"]] == [mine.pk]
    assert as_api(world.hospital_a).get(f"{URL}{theirs.pk}/").status_code == 404
    # A plan is an institution's: its department head sees no applicant and changes none.
    head = as_api(world.dept_head)
    assert head.get(URL).json()["results"] == []
    assert head.get(row).status_code == 404
    assert head.post(f"{row}decide/", {"eligible": True}, format="json").status_code == 403
    for user in (world.trainee, world.mentor, world.auditor):
        assert as_api(user).get(URL).status_code == 403
    mine.refresh_from_db()
    assert (mine.school, mine.status) == ("", "eligible")


def test_the_list_filters_and_costs_the_same_for_2_or_10_applicants(world, as_api):
    post = _post(world, places=3)
    other = _post(world, title="另一计划")
    api = as_api(world.commission)
    bachelor = code_for("education", "21")

    def count():
        with CaptureQueriesContext(connection) as captured:
            answer = api.get(URL)
        assert answer.status_code == 200
        return len(captured), len(answer.json()["results"])

    for number in range(2):
        _applicant(post, f"考生{number}", Decimal(60 + number), Decimal(70), education=bachelor)
    few, listed = count()
    assert listed == 2
    for number in range(2, 10):
        target = post if number % 2 else other
        _applicant(target, f"考生{number}", Decimal(60 + number), Decimal(70), education=bachelor)
    assert count() == (few, 10)
    by_post = api.get(URL, {"post": other.pk}).json()["results"]
    assert {line["post"]["id"] for line in by_post} == {other.pk} and len(by_post) == 4
    assert [line["name"] for line in api.get(URL, {"q": "考生3"}).json()["results"]] == ["考生3"]
    assert api.get(URL, {"status": "hired"}).json()["results"] == []
    assert api.get(URL, {"year": 2021}).json()["results"] == []
    assert api.get(URL, {"status": "nonsense"}).status_code == 400
    assert api.get(URL, {"post": "99999999999999999999"}).status_code == 400  # past any id


def test_the_schema_describes_the_endpoints(world, as_api):
    paths = as_api(world.hospital_a).get("/api/schema/?format=json").json()["paths"]
    assert set(paths[URL]) == {"get", "post"}
    assert set(paths[f"{URL}{{id}}/"]) == {"get", "patch", "delete"}
    for step in ("decide", "scores", "shortlist", "check", "out", "objections", "hire"):
        assert set(paths[f"{URL}{{id}}/{step}/"]) == {"post"}
    assert set(paths[f"{API}/posts/{{id}}/ranking/"]) == {"get"}
    assert set(paths[f"{API}/plans/{{id}}/notice/"]) == {"post"}
    assert set(paths[f"{API}/notices/{{id}}/"]) == {"get"}
    assert set(paths[f"{API}/objections/{{id}}/resolve/"]) == {"post"}
