"""Back-filling relaxes only the rules about *now* (dated today, inside an open window, only the
apprentice or the trainee posts) and keeps those about the facts (a supervisor who may
supervise, a person of the institution, periods in order, nothing in the future); the path
without back-filling still refuses what it refused; only administrators with
training.backfill back-fill, and only for their own institutions."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.conftest import login
from tests.training import helpers
from tests.training.api import API, signed_in
from yicai.access.models import Role
from yicai.access.scope import PERMISSIONS
from yicai.training.declarations import BACKFILL
from yicai.training.models import CaseLog, MonthlyReport, Nomination, Programme, Secondment
from yicai.training.queries.activity import visit_counts
from yicai.training.queries.mentoring import gaps_filled
from yicai.training.services.mentoring import case_log_unverify
from yicai.training.services.programmes import (
    cohort_create,
    nomination_create,
    nomination_decide,
    programme_create,
    selection_round_approve,
    selection_round_open,
    selection_round_review,
)
from yicai.training.services.secondments import (
    monthly_report_submit,
    secondment_complete,
    secondment_create,
    secondment_withdraw,
)

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = timezone.localdate()


# -- nominations and decisions ------------------------------------------------------------------


@pytest.fixture
def past_round(world):
    programme = programme_create(
        region=world.a.commission_region,
        name="英才计划",
        kind=Programme.Kind.ELITE,
        duration_years=3,
        quota=3,
    )
    cohort = cohort_create(programme=programme, year=2022, name="2022年", start_on=D(2022, 4, 1))
    return selection_round_open(
        cohort=cohort, name="2022年遴选", opens_on=D(2022, 1, 1), closes_on=D(2022, 2, 28)
    )


def _nominate(selection_round, person, **extra):
    return nomination_create(
        selection_round=selection_round,
        person=person,
        institution=person.institution,
        reason="骨干",
        **extra,
    )


def test_a_nomination_without_a_date_is_made_today_and_refused_outside_the_window(
    world, past_round
):
    with pytest.raises(ValidationError) as refused:
        _nominate(past_round, world.a_doctor)
    assert refused.value.message_dict == {"round": ["不在提名期内（2022-01-01 至 2022-02-28）。"]}
    assert not Nomination.objects.exists()


def test_a_past_nomination_keeps_its_day_inside_the_window(world, past_round):
    made = _nominate(past_round, world.a_doctor, nominated_on=D(2022, 2, 1))
    assert made.nominated_on == D(2022, 2, 1)
    for day, message in (
        (D(2022, 3, 1), "不在提名期内（2022-01-01 至 2022-02-28）。"),
        (TODAY + datetime.timedelta(days=1), "提名日期不能晚于今天。"),
    ):
        with pytest.raises(ValidationError) as refused:
            _nominate(past_round, world.a_surgeon, nominated_on=day)
        assert refused.value.message_dict == {"nominated_on": [message]}


def test_decisions_and_approval_are_in_order(world, past_round):
    made = _nominate(past_round, world.a_doctor, nominated_on=D(2022, 2, 1))
    selection_round_review(selection_round=past_round)
    made.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        nomination_decide(nomination=made, status="approved", decided_on=D(2022, 1, 31))
    assert refused.value.message_dict == {
        "decided_on": ["决定日期不能早于提名日期（2022-02-01）。"]
    }
    nomination_decide(nomination=made, status="approved", decided_on=D(2022, 3, 10))
    past_round.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        selection_round_approve(selection_round=past_round, approved_on=D(2022, 3, 9))
    assert refused.value.message_dict["approved_on"] == [
        "批准日期不能早于最后一份提名的决定日期（2022-03-10）。"
    ]
    (member,) = selection_round_approve(
        selection_round=past_round, approved_on=D(2022, 3, 15), entered_on=D(2022, 4, 1)
    )
    assert member.entered_on == D(2022, 4, 1)


def test_a_decision_without_a_date_is_today(world):
    from tests.training.programmes import admitted

    (member,) = admitted(world, world.a_doctor)
    assert member.nomination.decided_on == TODAY
    assert member.nomination.nominated_on == TODAY


@pytest.fixture
def without_backfill(monkeypatch):
    """An institution administrator whose role keeps today's records but does not back-fill."""
    monkeypatch.setitem(
        PERMISSIONS, Role.INSTITUTION_ADMIN, PERMISSIONS[Role.INSTITUTION_ADMIN] - {BACKFILL}
    )


def test_without_the_permission_a_nomination_is_dated_today_only(
    world, client, past_round, without_backfill
):
    login(client, world.hospital_a)
    page = client.get(reverse("training:round", args=[past_round.pk])).content.decode()
    assert 'name="nominated_on"' not in page
    response = signed_in(world.hospital_a).post(
        f"{API}/rounds/{past_round.pk}/nominations/",
        {
            "institution": world.a.pk,
            "person": world.a_doctor.pk,
            "reason": "骨干",
            "nominated_on": "2022-02-01",
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"nominated_on": ["只有可以补录历史记录的管理员可以填写以往的日期。"]}
    assert not Nomination.objects.exists()
    # With the permission the same call is accepted.
    response = signed_in(world.commission).post(
        f"{API}/rounds/{past_round.pk}/nominations/",
        {
            "institution": world.a.pk,
            "person": world.a_doctor.pk,
            "reason": "骨干",
            "nominated_on": "2022-02-01",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["nominated_on"] == "2022-02-01"


def test_a_page_nomination_with_its_date_outside_the_window_says_so(world, client, past_round):
    login(client, world.hospital_a)
    response = client.post(
        reverse("training:round_nominate", args=[past_round.pk]),
        {
            "institution": world.a.pk,
            "person": world.a_doctor.pk,
            "reason": "骨干",
            "nominated_on": "2022-03-01",
        },
    )
    assert response.status_code == 400
    assert response.context["nomination_form"].errors["nominated_on"] == [
        "不在提名期内（2022-01-01 至 2022-02-28）。"
    ]


# -- case logs ----------------------------------------------------------------------------------


@pytest.fixture
def item(world):
    helpers.mentorship(world)  # 孙名医 mentors 李心怡
    return helpers.technique(world)


def _backfill_payload(world, item, **extra):
    return {
        "apprentice": world.a_doctor.pk,
        "technique": item.pk,
        "performed_on": "2021-04-01",
        "role": "independent",
        "supervisor": world.partner_expert.pk,
        **extra,
    }


def test_the_apprentice_still_logs_only_their_own_cases(world, item, client):
    api = signed_in(world.trainee)
    response = api.post(
        f"{API}/case-logs/",
        {"technique": item.pk, "performed_on": "2021-04-01", "role": "observed"},
        format="json",
    )
    assert response.status_code == 201
    logged = CaseLog.objects.get()
    assert logged.entered_by == world.trainee and not logged.entered_on_behalf
    # Naming someone else is back-filling, which a trainee may not do.
    response = api.post(f"{API}/case-logs/", _backfill_payload(world, item), format="json")
    assert response.status_code == 403
    login(client, world.trainee)
    assert client.get(reverse("training:case_backfill")).status_code == 403
    assert CaseLog.objects.count() == 1


@pytest.mark.parametrize("who", ["mentor", "dept_head"])
def test_a_mentor_or_department_head_does_not_back_fill(world, item, client, who):
    user = getattr(world, who)
    response = signed_in(user).post(
        f"{API}/case-logs/", _backfill_payload(world, item), format="json"
    )
    assert response.status_code == 403
    login(client, user)
    assert client.get(reverse("training:case_backfill")).status_code == 403
    assert not CaseLog.objects.exists()


def test_hospital_b_cannot_back_fill_for_a(world, item, client):
    response = signed_in(world.hospital_b).post(
        f"{API}/case-logs/", _backfill_payload(world, item), format="json"
    )
    assert response.status_code == 400
    assert response.json()["apprentice"] == ["记录人不存在或不在您可以代录的人员中。"]
    login(client, world.hospital_b)
    payload = _backfill_payload(world, item)
    response = client.post(reverse("training:case_backfill"), payload)
    assert response.status_code == 200 and "apprentice" in response.context["form"].errors
    case_log = helpers.case(world, item)
    assert client.get(reverse("training:case_paper", args=[case_log.pk])).status_code == 404
    response = signed_in(world.hospital_b).post(
        f"{API}/case-logs/{case_log.pk}/paper/", {"paper_reference": "伪造"}, format="json"
    )
    assert response.status_code == 404
    assert CaseLog.objects.get().verified is False


NOT_A_SUPERVISOR = "指导/审核人须是记录人的导师或同科室人员。"
FACTS = [
    ({"supervisor": "a_surgeon"}, "supervisor", NOT_A_SUPERVISOR),  # another department's
    ({"apprentice": "a_surgeon"}, "supervisor", NOT_A_SUPERVISOR),  # not 周外科's mentor
    ({"performed_on": "tomorrow"}, "performed_on", "日期不能晚于今天。"),
    ({"performed_on": "1899-12-31"}, "performed_on", "日期不能早于 1900 年。"),
    ({"note": "患者 310101199001011234"}, "note", "不能填写身份证号、手机号等患者信息。"),
]


@pytest.mark.parametrize(("change", "field", "message"), FACTS)
def test_a_back_filled_case_keeps_the_rules_about_the_facts(world, item, change, field, message):
    tomorrow = (TODAY + datetime.timedelta(days=1)).isoformat()
    values = {
        name: getattr(world, value).pk
        if hasattr(world, value)
        else (tomorrow if value == "tomorrow" else value)
        for name, value in change.items()
    }
    response = signed_in(world.hospital_a).post(
        f"{API}/case-logs/", _backfill_payload(world, item, **values), format="json"
    )
    assert response.status_code == 400
    assert response.json()[field] == [message]
    assert not CaseLog.objects.exists()


def test_a_case_verified_on_paper_counts_and_needs_its_document(world, item, client):
    case_log = helpers.case(world, item, on=D(2021, 5, 1))
    api = signed_in(world.hospital_a)
    response = api.post(f"{API}/case-logs/{case_log.pk}/paper/", {}, format="json")
    assert response.status_code == 400
    assert response.json() == {"paper_reference": ["请填写纸质审核凭证编号，或上传扫描件。"]}
    login(client, world.hospital_a)
    not_a_scan = SimpleUploadedFile("scan.pdf", b"MZ\x90\x00 not a pdf")
    response = client.post(
        reverse("training:case_paper", args=[case_log.pk]), {"paper_scan": not_a_scan}
    )
    assert response.context["form"].errors == {"paper_scan": ["扫描件须是 PDF、JPG 或 PNG 文件。"]}
    assert gaps_filled(world.hospital_a).count() == 0
    scan = SimpleUploadedFile("病例本.html", b"\x89PNG\r\n\x1a\n....")  # a PNG, misnamed
    response = api.post(
        f"{API}/case-logs/{case_log.pk}/paper/",
        {"paper_reference": "病例本第2页", "paper_scan": scan},
        format="multipart",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["verified"], body["verified_on_paper"], body["paper_reference"]) == (
        True,
        True,
        "病例本第2页",
    )
    assert body["paper_scan"] == reverse("training:case_scan", args=[case_log.pk])
    assert gaps_filled(world.hospital_a).get() == item  # it counts like any other
    case_log.refresh_from_db()
    assert case_log.paper_scan.name.endswith(".png")  # kept by what it is, not its name
    again = api.post(f"{API}/case-logs/{case_log.pk}/paper/", {"paper_reference": "x"})
    assert again.json() == {"paper_reference": ["该记录已审核。"]}
    # Withdrawn like any verification; the paper's reference goes with it.
    case_log_unverify(case_log=case_log, user=world.hospital_a)
    case_log.refresh_from_db()
    assert not case_log.verified and not case_log.verified_on_paper
    assert case_log.paper_reference == ""


def test_a_paper_verification_is_refused_to_the_trainee_and_the_mentor(world, item, client):
    case_log = helpers.case(world, item, on=D(2021, 5, 1))
    for user in (world.trainee, world.mentor):
        response = signed_in(user).post(
            f"{API}/case-logs/{case_log.pk}/paper/", {"paper_reference": "x"}, format="json"
        )
        assert response.status_code == 403
        login(client, user)
        assert client.get(reverse("training:case_paper", args=[case_log.pk])).status_code == 403
    assert not CaseLog.objects.get().verified


# -- secondments --------------------------------------------------------------------------------


@pytest.fixture
def finished(world):
    """李心怡's 2022 secondment, completed, with 周外科 as her linked leader."""
    made = secondment_create(
        person=world.a_doctor,
        host=world.partner,
        host_department="心内科",
        start_on=D(2022, 3, 1),
        end_on=D(2022, 8, 31),
        linked_leader=world.a_surgeon,
    )
    secondment_complete(secondment=made, completed_on=D(2022, 8, 31), report="完成")
    return made


def test_a_finished_secondment_takes_its_reports_from_an_administrator_only(
    world, finished, client
):
    with pytest.raises(ValidationError) as refused:  # the trainee, now: it has ended
        monthly_report_submit(
            secondment=finished, person=world.a_doctor, month=D(2022, 4, 1), content="补"
        )
    assert refused.value.message_dict == {"month": ["该进修已结束，不能再提交月报。"]}
    login(client, world.hospital_a)
    response = client.post(
        reverse("training:report_submit", args=[finished.pk]),
        {"month": "2022-04-01", "content": "四月学习"},
    )
    assert response.status_code == 302
    report = MonthlyReport.objects.get()
    assert report.entered_by == world.hospital_a
    # The facts still hold: a month of the secondment, not of the future.
    response = client.post(
        reverse("training:report_submit", args=[finished.pk]),
        {"month": "2022-10-01", "content": "十月"},
    )
    assert response.context["report_form"].errors == {"month": ["该月份不在进修期内。"]}
    login(client, world.hospital_b)
    response = client.post(
        reverse("training:report_submit", args=[finished.pk]),
        {"month": "2022-05-01", "content": "乙院代写"},
    )
    assert response.status_code == 404
    assert MonthlyReport.objects.count() == 1


def test_a_leaders_past_comment_is_entered_with_its_day(world, finished):
    report = monthly_report_submit(
        secondment=finished, month=D(2022, 4, 1), content="四月", entered_by=world.hospital_a
    )
    api = signed_in(world.hospital_a)
    url = f"{API}/reports/{report.pk}/comment/"
    for day, message in (
        ("2022-03-31", "批注日期不能早于月报所属月份。"),
        ((TODAY + datetime.timedelta(days=1)).isoformat(), "批注日期不能晚于今天。"),
    ):
        response = api.post(url, {"comment": "好", "commented_on": day}, format="json")
        assert response.json() == {"commented_on": [message]}
    response = api.post(url, {"comment": "好", "commented_on": "2022-05-03"}, format="json")
    assert response.status_code == 200
    report.refresh_from_db()
    assert (report.commented_by, report.comment_entered_by) == (world.a_surgeon, world.hospital_a)
    assert timezone.localtime(report.commented_at).date() == D(2022, 5, 3)
    # The leader comments today, their own: no day to give.
    leader = factories.user("leader", person=world.a_surgeon, roles=[(Role.STAFF, {})])
    response = signed_in(leader).post(
        url, {"comment": "继续努力", "commented_on": "2022-05-04"}, format="json"
    )
    assert response.status_code == 200
    report.refresh_from_db()
    assert report.comment_entered_by is None
    assert timezone.localtime(report.commented_at).date() == TODAY


def test_a_secondment_may_not_overlap_a_completed_one(world, finished):
    with pytest.raises(ValidationError) as refused:
        secondment_create(
            person=world.a_doctor,
            host=world.partner,
            host_department="超声科",
            start_on=D(2022, 6, 1),
        )
    assert refused.value.message_dict == {"start_on": ["该人员在这段时间已有进修安排。"]}
    after = secondment_create(
        person=world.a_doctor, host=world.partner, host_department="超声科", start_on=D(2022, 9, 1)
    )
    assert after.status == Secondment.Status.ACTIVE


def test_a_withdrawal_is_not_dated_in_the_future(world):
    made = secondment_create(
        person=world.a_doctor, host=world.partner, host_department="超声科", start_on=D(2023, 1, 1)
    )
    with pytest.raises(ValidationError) as refused:
        secondment_withdraw(secondment=made, on=TODAY + datetime.timedelta(days=1))
    assert refused.value.message_dict == {"on": ["中止日期不能晚于今天。"]}


def test_a_past_visit_is_recorded_as_any_other(world):
    response = signed_in(world.hospital_a).post(
        f"{API}/visits/",
        {
            "expert": world.partner_expert.pk,
            "visit_kind": "ward_round",
            "institution": world.a.pk,
            "held_on": "2021-06-18",
        },
        format="json",
    )
    assert response.status_code == 201
    assert visit_counts(world.hospital_a, since=D(2021, 1, 1), until=D(2021, 12, 31))["total"] == 1
