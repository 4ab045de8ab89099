"""A commission adopting Yicai records 2023 first (issue 10, point 4): a past selection round
with its real dates, past case logs entered on the apprentices' behalf (one verified by the
mentor, one through a one-time link, one on paper with its reference, one with a scan), and
the 2023 secondment batch with its monthly reports, the leader's comments and completion;
through the pages, the API and the import, as administrators would. Then the overview "as of"
a past day and over a past year equals the figures counted here by hand, on the page, in the
API and in the lists its cards open."""

import copy
import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import reverse

from tests.builders import rolled_back_at_module_end
from tests.conftest import login
from tests.exchange.importing import commit, xlsx
from tests.training import helpers
from tests.training.api import API, signed_in
from yicai.access.models import AuditEntry
from yicai.exchange import services as exchange
from yicai.training.models import (
    CaseLog,
    CohortMember,
    MonthlyReport,
    Nomination,
    Programme,
    Secondment,
    SecondmentBatch,
    SelectionRound,
    StudioTier,
)
from yicai.training.services.activity import consultation_record, visit_record
from yicai.training.services.mentoring import (
    case_log_backfill,
    confirmation_link_create,
    confirmation_link_use,
    mentorship_create,
)
from yicai.training.services.programmes import cohort_create, programme_create
from yicai.training.services.secondments import (
    monthly_report_submit,
    secondment_need_raise,
    secondment_need_resolve,
)
from yicai.training.services.studios import studio_create, studio_update
from yicai.training.services.teams import team_create

pytestmark = pytest.mark.django_db
D = datetime.date
PDF = b"%PDF-1.4\n% a scanned case book page\n"


def _import(user, entity, rows, headers):
    job = exchange.import_job_create(user=user, entity=entity, upload=xlsx(rows, headers=headers))
    exchange.import_job_analyse(job=job)
    job.refresh_from_db()
    assert (job.invalid, job.problems) == (0, []), job.problems
    return commit(job)


def _ok(response, status=200):
    assert response.status_code == status, response.content.decode()[:800]
    return response


class History:
    """2021–2024 of hospital A (甲区中心医院), recorded in 2026, each record by the channel an
    administrator would use. Hand-counted figures are in the tests below."""

    def __init__(self, world, client):
        self.w, self.client = world, client
        self.selection_round()
        self.case_logs()
        self.secondments()
        self.others()

    # -- a past selection round: nominations, scores, decisions, approval, the cohort ---------

    def selection_round(self):
        w, client = self.w, self.client
        programme = programme_create(
            region=w.a.commission_region,
            name="育才计划",
            kind=Programme.Kind.RISING,
            duration_years=3,
            quota=5,
        )
        self.cohort = cohort_create(
            programme=programme, year=2023, name="2023年第一期", start_on=D(2023, 3, 1)
        )
        body = _ok(
            signed_in(w.commission).post(
                f"{API}/cohorts/{self.cohort.pk}/rounds/",
                {"name": "2023年遴选", "opens_on": "2023-01-01", "closes_on": "2023-01-31"},
                format="json",
            ),
            201,
        ).json()
        self.round = SelectionRound.objects.get(pk=body["id"])
        # 李心怡 nominated on the page, 周外科 through the API, each on their real day.
        login(client, w.hospital_a)
        _ok(
            client.post(
                reverse("training:round_nominate", args=[self.round.pk]),
                {
                    "institution": w.a.pk,
                    "person": w.a_doctor.pk,
                    "reason": "心内科青年骨干",
                    "nominated_on": "2023-01-10",
                },
            ),
            302,
        )
        _ok(
            signed_in(w.hospital_a).post(
                f"{API}/rounds/{self.round.pk}/nominations/",
                {
                    "institution": w.a.pk,
                    "person": w.a_surgeon.pk,
                    "reason": "普外科骨干",
                    "nominated_on": "2023-01-20",
                },
                format="json",
            ),
            201,
        )
        self.doctor = Nomination.objects.get(person=w.a_doctor)
        self.surgeon = Nomination.objects.get(person=w.a_surgeon)
        login(client, w.commission)
        _ok(client.post(reverse("training:round_review", args=[self.round.pk])), 302)
        api = signed_in(w.commission)
        for nomination, scores in ((self.doctor, (88, 91)), (self.surgeon, (70, 72))):
            for reviewer, score in zip(("评审专家甲", "评审专家乙"), scores, strict=True):
                _ok(
                    api.post(
                        f"{API}/nominations/{nomination.pk}/scores/",
                        {"reviewer_name": reviewer, "score": score},
                        format="json",
                    ),
                    201,
                )
        _ok(
            client.post(
                reverse("training:nomination_decide", args=[self.doctor.pk]),
                {"status": "approved", "decided_on": "2023-02-10"},
            ),
            302,
        )
        _ok(
            api.post(
                f"{API}/nominations/{self.surgeon.pk}/decide/",
                {"nomination_status": "rejected", "decided_on": "2023-02-12"},
                format="json",
            )
        )
        _ok(
            client.post(
                reverse("training:round_approve", args=[self.round.pk]),
                {"approved_on": "2023-02-20", "entered_on": "2023-03-01"},
            ),
            302,
        )

    # -- past case logs, entered on the apprentice's behalf ---------------------------------

    def case_logs(self):
        w, client = self.w, self.client
        self.mentorship = mentorship_create(
            mentor=w.partner_expert,
            apprentices=[w.a_doctor],
            institution=w.a,
            start_on=D(2022, 9, 1),
        )
        self.technique = helpers.technique(w, name="腹腔镜胆囊切除术")
        login(client, w.hospital_a)
        fields = {
            "apprentice": w.a_doctor.pk,
            "technique": self.technique.pk,
            "role": "independent",
            "supervisor": w.partner_expert.pk,
        }
        # On the page, left to the mentor, who verifies it in Yicai.
        _ok(
            client.post(
                reverse("training:case_backfill"), {**fields, "performed_on": "2023-05-10"}
            ),
            302,
        )
        self.by_mentor = CaseLog.objects.get(performed_on=D(2023, 5, 10))
        _ok(signed_in(w.mentor).post(f"{API}/case-logs/{self.by_mentor.pk}/verify/"))
        # Through the API, verified on paper (the case book's reference).
        body = _ok(
            signed_in(w.hospital_a).post(
                f"{API}/case-logs/",
                {**fields, "performed_on": "2023-06-15", "paper_reference": "病例本第3册第12页"},
                format="json",
            ),
            201,
        ).json()
        self.on_paper = CaseLog.objects.get(pk=body["id"])
        # From a spreadsheet, then confirmed by the mentor through a one-time link.
        rows = [
            {
                "日期": D(2023, 7, 20),
                "记录人": "李心怡",
                "技术": self.technique.name,
                "参与程度": "独立完成",
                "指导/审核人": "孙名医",
            }
        ]
        headers = ["日期", "记录人", "技术", "参与程度", "指导/审核人"]
        _import(w.hospital_a, "training_case_logs", rows, headers)
        self.by_link = CaseLog.objects.get(performed_on=D(2023, 7, 20))
        token = confirmation_link_create(case_log=self.by_link, user=w.hospital_a)
        confirmation_link_use(token=token, name="孙名医")
        # 2024, on the page, then its scan recorded on the paper-verification page.
        _ok(
            client.post(
                reverse("training:case_backfill"), {**fields, "performed_on": "2024-01-15"}
            ),
            302,
        )
        self.scanned = CaseLog.objects.get(performed_on=D(2024, 1, 15))
        scan = _upload("病例本扫描.pdf", PDF)
        _ok(
            client.post(
                reverse("training:case_paper", args=[self.scanned.pk]), {"paper_scan": scan}
            ),
            302,
        )
        # An assisted case, not verified: it counts for nothing.
        _ok(
            signed_in(w.hospital_a).post(
                f"{API}/case-logs/",
                {**fields, "role": "assisted", "performed_on": "2023-08-01"},
                format="json",
            ),
            201,
        )

    # -- the 2023 secondment batch with its reports, comments and completion ----------------

    def secondments(self):
        w, client = self.w, self.client
        api = signed_in(w.hospital_a)
        _ok(
            api.post(
                f"{API}/secondment-batches/",
                {"name": "2023年甲院赴沪进修", "year": 2023, "institution": w.a.pk},
                format="json",
            ),
            201,
        )
        self.batch = SecondmentBatch.objects.get()
        headers = ["姓名", "进修批次", "进修医院", "进修科室", "开始日期", "结束日期", "挂钩领导"]
        rows = [
            {
                "姓名": "李心怡",
                "进修批次": self.batch.name,
                "进修医院": "沪上合作医院",
                "进修科室": "心内科",
                "开始日期": D(2023, 2, 27),  # a year: to 2024-02-26
                "挂钩领导": "周外科",
            },
            {
                "姓名": "赵护士",
                "进修批次": self.batch.name,
                "进修医院": "沪上合作医院",
                "进修科室": "护理部",
                "开始日期": D(2023, 3, 1),
                "结束日期": D(2023, 8, 31),
            },
        ]
        _import(w.hospital_a, "training_secondments", rows, headers)
        self.doctor_away = Secondment.objects.get(person=w.a_doctor)
        self.nurse_away = Secondment.objects.get(person=w.a_ward_nurse)
        body = _ok(
            api.post(
                f"{API}/secondments/",
                {
                    "person": w.a_surgeon.pk,
                    "batch": self.batch.pk,
                    "host": w.partner.pk,
                    "host_department": "普外科",
                    "start_on": "2023-09-01",
                    "end_on": "2024-02-29",
                },
                format="json",
            ),
            201,
        ).json()
        self.surgeon_away = Secondment.objects.get(pk=body["id"])
        # 李心怡's reports, March to December, entered through the API on her behalf; 周外科's
        # comments on the 5th of the following month, entered from his paper notes.
        for month in range(3, 13):
            report = _ok(
                api.post(
                    f"{API}/secondments/{self.doctor_away.pk}/reports/",
                    {"month": f"2023-{month:02d}-01", "content": f"{month} 月跟台学习"},
                    format="json",
                ),
                201,
            ).json()
            commented_on = D(2023 + month // 12, month % 12 + 1, 5)
            if month < 12:
                _ok(
                    api.post(
                        f"{API}/reports/{report['id']}/comment/",
                        {"comment": "认真", "commented_on": commented_on.isoformat()},
                        format="json",
                    )
                )
        december = MonthlyReport.objects.get(secondment=self.doctor_away, month=D(2023, 12, 1))
        login(client, w.hospital_a)  # December's comment on the page
        _ok(
            client.post(
                reverse("training:report_comment", args=[december.pk]),
                {"comment": "年终小结很好", "commented_on": "2024-01-05"},
            ),
            302,
        )
        # 赵护士's reports, March to August, on the page; no leader comments them.
        for month in range(3, 9):
            _ok(
                client.post(
                    reverse("training:report_submit", args=[self.nurse_away.pk]),
                    {"month": f"2023-{month:02d}-01", "content": "专科护理"},
                ),
                302,
            )
        _ok(
            api.post(
                f"{API}/secondments/{self.nurse_away.pk}/complete/",
                {"completed_on": "2023-08-31", "report": "完成护理进修"},
                format="json",
            )
        )
        _ok(
            api.post(
                f"{API}/secondments/{self.surgeon_away.pk}/withdraw/",
                {"on": "2023-11-30"},
                format="json",
            )
        )
        _ok(
            client.post(
                reverse("training:complete", args=[self.doctor_away.pk]),
                {"completed_on": "2024-02-26", "report": "完成心内科进修"},
            ),
            302,
        )
        need = secondment_need_raise(
            secondment=self.doctor_away, content="需要导管室跟台机会", raised_on=D(2023, 11, 20)
        )
        secondment_need_resolve(need=need, resolution="已协调", resolved_on=D(2024, 1, 10))

    # -- what else 2023 held: mentorships, studios, a team, visits, a consultation -----------

    def others(self):
        w = self.w
        mentorship_create(
            mentor=w.a_surgeon,
            apprentices=[w.a_ward_nurse],
            institution=w.a,
            start_on=D(2021, 3, 1),
            end_on=D(2023, 6, 30),
            status="completed",
        )
        old = studio_create(
            name="甲院老工作室",
            lead=w.partner_expert,
            tier=StudioTier.DISTRICT,
            institution=w.a,
            founded_on=D(2021, 1, 1),
        )
        studio_update(studio=old, closed_on=D(2022, 12, 31))
        studio_create(
            name="甲院心内工作室",
            lead=w.partner_expert,
            tier=StudioTier.PROVINCIAL,
            institution=w.a,
            founded_on=D(2023, 6, 1),
        )
        team_create(
            name="沪上心内团队",
            lead=w.partner_expert,
            source=w.partner,
            institution=w.a,
            introduced_on=D(2022, 5, 1),
            ended_on=D(2024, 3, 31),
        )
        api = signed_in(w.hospital_a)
        for held_on in ("2022-11-01", "2023-04-12"):
            _ok(
                api.post(
                    f"{API}/visits/",
                    {
                        "expert": w.partner_expert.pk,
                        "visit_kind": "clinic",
                        "institution": w.a.pk,
                        "held_on": held_on,
                    },
                    format="json",
                ),
                201,
            )
        _import(
            w.hospital_a,
            "training_visits",
            [{"日期": D(2023, 9, 8), "专家": "孙名医", "形式": "授课", "参加人数": 40}],
            ["日期", "专家", "形式", "参加人数"],
        )
        consultation_record(
            expert=w.partner_expert,
            requester=w.a_doctor,
            institution=w.a,
            held_on=D(2023, 5, 5),
            summary="胸痛待查",
        )


def _upload(name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


@pytest.fixture(scope="module")
def _history(module_world, django_db_blocker, tmp_path_factory):
    """The history, recorded once for the module (ten tests read it)."""
    media = tmp_path_factory.mktemp("media")
    with rolled_back_at_module_end(django_db_blocker), override_settings(MEDIA_ROOT=media):
        built = History(module_world, Client())
        built.client, built.media = None, media
        yield built


@pytest.fixture
def history(_history, shared_world, client, settings):
    """A copy for the test (its in-memory changes stay in it), in a savepoint of its own, with
    the files the history uploaded."""
    history = copy.deepcopy(_history)
    history.w, history.client = shared_world, client
    settings.MEDIA_ROOT = history.media
    return history


# Counted by hand from History: 2023, and on 2023-12-31 / 2023-06-30.
YEAR_2023 = {"since": "2023-01-01", "until": "2023-12-31"}
IN_2023 = {
    "visits": 2,  # 2023-04-12 and 2023-09-08; not 2022-11-01
    "consultations": 1,
    "gaps_filled": 1,  # first verified independent case: 2023-05-10
    "gaps_filled_first_in_region": 1,
    "verified_independent_cases": 3,  # by the mentor, on paper, by link; not 2024's
    "studios": 1,  # the 2023 year's: the provincial one (the old one closed in 2022)
}
ON = {
    "2023-12-31": {
        "mentorships": 1,  # 孙名医's; 周外科's ended 2023-06-30
        "pairs": 1,
        "external_mentor_pairs": 1,
        "active_secondments": 1,  # 李心怡 (to 2024-02); 赵护士 done in Aug, 周外科 withdrew
        "reports_awaiting_comment": 1,  # December's, commented 2024-01-05
        "open_needs": 1,  # raised 2023-11-20, resolved 2024-01-10
        "flexible_teams": 1,
    },
    "2023-06-30": {
        "mentorships": 2,
        "pairs": 2,
        "external_mentor_pairs": 1,
        "active_secondments": 2,  # 李心怡 and 赵护士
        "reports_awaiting_comment": 5,  # 李心怡's June, 赵护士's March to June
        "open_needs": 0,
        "flexible_teams": 1,
    },
}
TODAY_FIGURES = {  # no dates given: this year, and today
    "visits": 0,
    "verified_independent_cases": 0,
    "mentorships": 1,
    "active_secondments": 0,
    "reports_awaiting_comment": 0,
    "open_needs": 0,
    "flexible_teams": 0,
}


def test_a_past_round_is_recorded_with_its_real_dates(history):
    h = history
    h.doctor.refresh_from_db()
    h.surgeon.refresh_from_db()
    h.round.refresh_from_db()
    assert (h.doctor.nominated_on, h.doctor.decided_on, h.doctor.status) == (
        D(2023, 1, 10),
        D(2023, 2, 10),
        Nomination.Status.APPROVED,
    )
    assert (h.surgeon.nominated_on, h.surgeon.decided_on, h.surgeon.status) == (
        D(2023, 1, 20),
        D(2023, 2, 12),
        Nomination.Status.REJECTED,
    )
    assert [s.score for s in h.doctor.scores.order_by("pk")] == [88, 91]
    assert (h.round.status, h.round.approved_on) == (SelectionRound.Status.APPROVED, D(2023, 2, 20))
    member = CohortMember.objects.get()
    assert (member.person, member.cohort, member.entered_on) == (
        h.w.a_doctor,
        h.cohort,
        D(2023, 3, 1),  # the cohort's first day, before the approval
    )
    # The page and the API show the dates as they happened.
    login(h.client, h.w.commission)
    page = h.client.get(reverse("training:round", args=[h.round.pk])).content.decode()
    assert "2023-01-10" in page and "2023-02-10" in page
    body = signed_in(h.w.commission).get(f"{API}/rounds/{h.round.pk}/").json()
    assert {n["person"]["name"]: n["nominated_on"] for n in body["nominations"]} == {
        "李心怡": "2023-01-10",
        "周外科": "2023-01-20",
    }


def test_past_case_logs_are_marked_as_entered_by_the_administrator(history):
    h = history
    cases = CaseLog.objects.filter(apprentice=h.w.a_doctor)
    assert cases.count() == 5
    assert {case.entered_by for case in cases} == {h.w.hospital_a}
    assert all(case.entered_on_behalf for case in cases)
    h.by_mentor.refresh_from_db()
    assert h.by_mentor.verified_by == h.w.mentor and not h.by_mentor.verified_on_paper
    h.by_link.refresh_from_db()
    assert h.by_link.verified_by_name == "孙名医" and not h.by_link.verified_on_paper
    h.on_paper.refresh_from_db()
    assert (h.on_paper.verified_on_paper, h.on_paper.paper_reference) == (True, "病例本第3册第12页")
    assert h.on_paper.verified_by == h.w.hospital_a
    h.scanned.refresh_from_db()
    assert h.scanned.verified_on_paper and h.scanned.paper_scan
    assert not h.scanned.paper_scan.name.endswith("病例本扫描.pdf")  # kept under a random name
    # The list shows who entered them and which were verified on paper, with the scan.
    login(h.client, h.w.hospital_a)
    page = h.client.get(reverse("training:cases")).content.decode()
    assert page.count("hospital_a 代录") == 5
    assert page.count('class="badge text-bg-primary paper"') == 2
    assert "病例本第3册第12页" in page
    # The scan is downloaded through a scoped view (the mentor oversees the apprentice).
    login(h.client, h.w.mentor)
    response = h.client.get(reverse("training:case_scan", args=[h.scanned.pk]))
    assert b"".join(response.streaming_content) == PDF
    login(h.client, h.w.hospital_b)
    assert h.client.get(reverse("training:case_scan", args=[h.scanned.pk])).status_code == 404


def test_an_import_without_an_account_enters_cases_but_verifies_none(history):
    """The command line imports as nobody: a case is entered, but a verification is in
    someone's name, so a verified or paper-verified case is refused with its field named."""
    h = history
    case = dict(
        apprentice=h.w.a_doctor,
        technique=h.technique,
        performed_on=D(2023, 11, 2),
        role="independent",
        supervisor=h.w.partner_expert,
    )
    entered = case_log_backfill(entered_by=None, **case)
    assert entered.entered_by is None and entered.verified_by is None
    for verification in ({"verified": True}, {"paper_reference": "病例本第9页"}):
        with pytest.raises(ValidationError) as refused:
            case_log_backfill(entered_by=None, **case, **verification)
        assert set(refused.value.message_dict) == {"verified"}


def test_a_paper_verification_is_audited(history):
    h = history
    for case in (h.on_paper, h.scanned):
        entries = AuditEntry.objects.filter(
            content_type__model="caselog", object_pk=str(case.pk), actor=h.w.hospital_a
        )
        changed = [entry.changes_dict for entry in entries]
        assert any("verified_on_paper" in change for change in changed), changed
    created = AuditEntry.objects.filter(
        content_type__model="caselog", object_pk=str(h.by_mentor.pk), action=0
    ).get()
    assert created.actor == h.w.hospital_a
    assert "entered_by" in created.changes_dict


def test_the_2023_batch_keeps_its_reports_comments_and_completion(history):
    h = history
    doctor = h.doctor_away
    doctor.refresh_from_db()
    assert (doctor.status, doctor.completed_on) == (Secondment.Status.COMPLETED, D(2024, 2, 26))
    reports = MonthlyReport.objects.filter(secondment=doctor).order_by("month")
    assert [r.month.month for r in reports] == list(range(3, 13))
    assert {r.entered_by for r in reports} == {h.w.hospital_a}
    assert {r.commented_by for r in reports} == {h.w.a_surgeon}  # in the leader's name
    assert {r.comment_entered_by for r in reports} == {h.w.hospital_a}
    assert reports.last().commented_at.date() == D(2024, 1, 5)
    assert MonthlyReport.objects.filter(secondment=h.nurse_away).count() == 6
    h.surgeon_away.refresh_from_db()
    assert (h.surgeon_away.status, h.surgeon_away.end_on) == ("withdrawn", D(2023, 11, 30))


def _figures_on_page(client, user, **params):
    login(client, user)
    response = client.get(reverse("training:overview"), params)
    assert response.status_code == 200
    return response.context["figures"], response.content.decode()


def test_the_overview_as_of_a_past_day_equals_the_hand_count(history):
    h = history
    for day, expected in ON.items():
        wanted = {**IN_2023, **expected}
        figures, _html = _figures_on_page(h.client, h.w.hospital_a, as_of=day, **YEAR_2023)
        assert {key: figures[key] for key in wanted} == wanted, day
        assert (figures["since"], figures["until"], figures["as_of"], figures["year"]) == (
            D(2023, 1, 1),
            D(2023, 12, 31),
            D.fromisoformat(day),
            2023,  # the studios of the "as of" year
        )
        body = signed_in(h.w.hospital_a).get(f"{API}/overview/", {"as_of": day, **YEAR_2023}).json()
        assert {key: body[key] for key in wanted} == wanted, day
        assert (body["as_of"], body["until"], body["year"]) == (day, "2023-12-31", 2023)


def test_without_dates_the_overview_is_this_year_and_today(history):
    figures, _html = _figures_on_page(history.client, history.w.hospital_a)
    assert {key: figures[key] for key in TODAY_FIGURES} == TODAY_FIGURES
    body = signed_in(history.w.hospital_a).get(f"{API}/overview/").json()
    assert {key: body[key] for key in TODAY_FIGURES} == TODAY_FIGURES


CARDS = {  # the card on the overview, the figure its list must hold
    "pairs": "mentorships",
    "studios": "studios",
    "visits": "visits",
    "consultations": "consultations",
    "gaps": "gaps_filled",
    "independent": "verified_independent_cases",
    "secondments": "active_secondments",
    "teams": "flexible_teams",
}


def test_each_card_as_of_a_past_day_opens_its_list_with_the_same_count(history):
    h = history
    for day in ON:
        figures, html = _figures_on_page(h.client, h.w.hospital_a, as_of=day, **YEAR_2023)
        for card, key in CARDS.items():
            found = re.search(rf'href="([^"]+)" data-figure="{card}"', html)
            assert found, card
            url = found.group(1).replace("&amp;", "&")
            response = h.client.get(url)
            assert response.status_code == 200, url
            count = response.context["page_obj"].paginator.count
            assert count == figures[key], (day, card, url)


def test_the_batch_as_of_a_past_day_counts_who_was_away(history):
    h = history
    login(h.client, h.w.hospital_a)
    response = h.client.get(reverse("training:secondments"), {"as_of": "2023-12-31"})
    (batch,) = response.context["batches"]
    assert (batch.members, batch.active) == (3, 1)
    assert response.context["figures"]["active"] == 1
    response = h.client.get(reverse("training:secondments"))
    assert response.context["batches"][0].active == 0  # "away today 0"
    api = signed_in(h.w.hospital_a)
    rows = api.get(f"{API}/secondment-batches/", {"as_of": "2023-10-31"}).json()["results"]
    assert [(row["members"], row["active"]) for row in rows] == [(3, 2)]  # 李心怡, 周外科
    rows = api.get(f"{API}/secondment-batches/").json()["results"]
    assert [(row["members"], row["active"]) for row in rows] == [(3, 0)]
    current = api.get(f"{API}/secondments/", {"status": "current", "as_of": "2023-06-30"})
    assert {row["person"]["name"] for row in current.json()["results"]} == {"李心怡", "赵护士"}


def test_the_schema_documents_until_and_as_of(history):
    schema = signed_in(history.w.hospital_a).get("/api/schema/", {"format": "json"}).json()
    parameters = {
        p["name"] for p in schema["paths"]["/api/v1/training/overview/"]["get"]["parameters"]
    }
    assert {"since", "until", "as_of", "year"} <= parameters
    batch = schema["paths"]["/api/v1/training/secondment-batches/"]["get"]["parameters"]
    assert "as_of" in {p["name"] for p in batch}


def test_the_history_pages_do_not_grow_their_queries_with_rows(history):
    """The overview, the case list and the secondment with its reports cost the same with
    more history."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    h = history
    login(h.client, h.w.hospital_a)
    urls = [
        reverse("training:overview") + "?as_of=2023-12-31&since=2023-01-01&until=2023-12-31",
        reverse("training:cases"),
        reverse("training:secondment", args=[h.doctor_away.pk]),
        reverse("training:secondments") + "?as_of=2023-06-30",
    ]

    def counts():
        found = []
        for url in urls:
            with CaptureQueriesContext(connection) as captured:
                assert h.client.get(url).status_code == 200
            found.append(len(captured))
        return found

    before = counts()
    more_cases = [
        case_log_backfill(
            entered_by=h.w.hospital_a,
            apprentice=h.w.a_doctor,
            technique=h.technique,
            performed_on=D(2023, 10, day),
            role="independent",
            supervisor=h.w.partner_expert,
            paper_reference=f"病例本第{day}页",
        )
        for day in range(1, 11)
    ]
    assert len(more_cases) == 10
    for month in range(1, 3):  # 2024's last reports, entered on the trainee's behalf
        monthly_report_submit(
            secondment=h.doctor_away,
            month=D(2024, month, 1),
            content="补录",
            entered_by=h.w.hospital_a,
        )
    for day in range(1, 11):
        visit_record(
            expert=h.w.partner_expert, kind="clinic", institution=h.w.a, held_on=D(2023, 5, day)
        )
    assert counts() == before
