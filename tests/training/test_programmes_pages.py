"""The programme pages as their users use them: the commission sets up programmes, cohorts
and rounds, scores and approves; a hospital nominates its own staff, sets goals and records
reviews; the talent pool lists and exports; nothing is written by bad input; list query
counts do not grow with rows."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.conftest import login
from tests.training.programmes import (
    admitted,
    cohort,
    nominate,
    programme,
    reviewing,
    selection,
)
from yicai.access.models import AuditEntry
from yicai.training.models import (
    AnnualReview,
    Cohort,
    CohortMember,
    MemberGoal,
    Nomination,
    Programme,
    ReviewScore,
    SelectionRound,
)
from yicai.training.services import programmes as programmes_services
from yicai.training.services.mentoring import mentorship_create
from yicai.training.services.programmes import member_withdraw, review_score_record

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _rows(response) -> list[tuple]:
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    return list(sheet.iter_rows(min_row=2, values_only=True))


# Programmes ---------------------------------------------------------------------------


def test_an_empty_list_offers_the_commission_the_three_default_programmes(client, world):
    login(client, world.commission)
    page = client.get(reverse("training:programmes"))
    html = page.content.decode()
    assert "没有符合条件的培养计划" in html
    assert 'id="create-defaults"' in html
    response = client.post(reverse("training:programme_defaults"))
    assert response.status_code == 302
    assert set(Programme.objects.values_list("name", flat=True)) == {
        "头雁计划",
        "英才计划",
        "育才计划",
    }
    page = client.get(reverse("training:programmes"))
    assert [item.name for item, _figures in page.context["rows"]] == [
        "头雁计划",
        "英才计划",
        "育才计划",
    ]


def test_a_hospital_neither_creates_programmes_nor_sees_the_buttons(client, world):
    login(client, world.hospital_a)
    page = client.get(reverse("training:programmes"))
    assert page.status_code == 200
    assert 'id="create-defaults"' not in page.content.decode()
    assert client.post(reverse("training:programme_defaults")).status_code == 403
    assert client.get(reverse("training:programme_create")).status_code == 403
    assert not Programme.objects.exists()


def test_the_commission_creates_a_programme_and_bad_input_saves_nothing(client, world):
    login(client, world.commission)
    url = reverse("training:programme_create")
    bad = {"name": "英才计划", "kind": "elite", "duration_years": "三", "quota": "-5"}
    response = client.post(url, bad)
    assert response.status_code == 200
    assert response.context["form"].errors.keys() >= {"duration_years", "quota"}
    assert not Programme.objects.exists()
    ages = {"name": "英才计划", "kind": "elite", "duration_years": 3, "quota": 20}
    response = client.post(url, {**ages, "min_age": 50, "max_age": 40})
    assert "最高年龄不能低于最低年龄" in response.content.decode()
    assert not Programme.objects.exists()
    response = client.post(url, {**ages, "max_age": 50, "min_title_grade": "associate_senior"})
    made = Programme.objects.get()
    assert response.url == reverse("training:programme", args=[made.pk])
    assert made.region == world.a.commission_region
    assert (made.max_age, made.min_title_grade) == (50, "associate_senior")


def test_the_programme_page_shows_its_cohorts_and_quota_use(client, world):
    members = admitted(world, world.a_doctor, world.a_surgeon)
    made = members[0].cohort.programme
    login(client, world.hospital_b)
    page = client.get(reverse("training:programme", args=[made.pk]))
    html = page.content.decode()
    assert "第一期" in html
    assert "2 / 25" in html
    assert not page.context["can_configure"]


def test_the_commission_opens_a_cohort_and_a_round(client, world):
    made = programme(world)
    login(client, world.commission)
    response = client.post(
        reverse("training:cohort_create", args=[made.pk]),
        {"year": TODAY.year, "name": "2026 年度", "start_on": TODAY.isoformat()},
    )
    created = Cohort.objects.get()
    assert response.url == reverse("training:cohort", args=[created.pk])
    assert created.end_on.year == TODAY.year + 3
    response = client.post(
        reverse("training:round_create", args=[created.pk]),
        {"name": "首轮", "opens_on": TODAY.isoformat(), "closes_on": "2000-01-01"},
    )
    assert response.status_code == 200
    assert "截止日期不能早于开始日期" in response.content.decode()
    assert not SelectionRound.objects.exists()
    login(client, world.hospital_a)
    response = client.post(
        reverse("training:round_create", args=[created.pk]),
        {"name": "首轮", "opens_on": TODAY.isoformat(), "closes_on": TODAY.isoformat()},
    )
    assert response.status_code == 403


# Rounds -------------------------------------------------------------------------------


def test_a_hospital_nominates_its_own_staff_on_the_round_page(client, world):
    selection_round = selection(cohort(world))
    login(client, world.hospital_a)
    page = client.get(reverse("training:round", args=[selection_round.pk]))
    form = page.context["nomination_form"]
    assert set(form.fields["person"].queryset) >= {world.a_doctor, world.a_surgeon}
    assert world.b_doctor not in form.fields["person"].queryset
    url = reverse("training:round_nominate", args=[selection_round.pk])
    response = client.post(
        url, {"institution": world.a.pk, "person": world.a_doctor.pk, "reason": "业务骨干"}
    )
    assert response.status_code == 302
    assert Nomination.objects.get().person == world.a_doctor


def test_a_hospital_cannot_nominate_another_hospital_s_person_by_id(client, world):
    selection_round = selection(cohort(world))
    login(client, world.hospital_a)
    url = reverse("training:round_nominate", args=[selection_round.pk])
    for values in (
        {"institution": world.a.pk, "person": world.b_doctor.pk, "reason": "冒名"},
        {"institution": world.b.pk, "person": world.b_doctor.pk, "reason": "冒名"},
        {"institution": "x", "person": "'; drop", "reason": "冒名"},
    ):
        response = client.post(url, values)
        assert response.status_code == 400
    assert not Nomination.objects.exists()


def test_a_rule_breaking_nominee_is_shown_the_rule(client, world):
    made = programme(world, max_age=30)
    selection_round = selection(cohort(world, of=made))
    login(client, world.hospital_a)
    response = client.post(
        reverse("training:round_nominate", args=[selection_round.pk]),
        {"institution": world.a.pk, "person": world.a_doctor.pk, "reason": "骨干"},
    )
    assert response.status_code == 400
    assert "超过该计划的年龄上限（30 周岁" in response.content.decode()
    assert not Nomination.objects.exists()


def test_the_commission_scores_decides_and_approves_on_the_round_page(client, world):
    selection_round = selection(cohort(world))
    first = nominate(selection_round, world.a_doctor)
    second = nominate(selection_round, world.b_doctor)
    login(client, world.commission)
    client.post(reverse("training:round_review", args=[selection_round.pk]))
    selection_round.refresh_from_db()
    assert selection_round.status == SelectionRound.Status.REVIEWING
    score_url = reverse("training:nomination_score", args=[first.pk])
    response = client.post(score_url, {"reviewer_name": "王评审", "score": "101"})
    assert response.status_code == 400
    assert not ReviewScore.objects.exists()
    client.post(score_url, {"reviewer_name": "王评审", "score": "92.5"})
    assert ReviewScore.objects.get().score == 92.5
    client.post(reverse("training:nomination_decide", args=[first.pk]), {"status": "approved"})
    client.post(reverse("training:nomination_decide", args=[second.pk]), {"status": "maybe"})
    second.refresh_from_db()
    assert second.status == Nomination.Status.NOMINATED
    approve = reverse("training:round_approve", args=[selection_round.pk])
    response = client.post(approve, {"approved_on": TODAY.isoformat()})
    assert response.status_code == 400
    assert "尚有 1 份提名未决定是否入选" in response.content.decode()
    assert not CohortMember.objects.exists()
    client.post(reverse("training:nomination_decide", args=[second.pk]), {"status": "rejected"})
    response = client.post(approve, {"approved_on": TODAY.isoformat()})
    assert response.status_code == 302
    assert [m.person for m in CohortMember.objects.all()] == [world.a_doctor]


def test_approval_beyond_the_quota_shows_why_and_admits_nobody(client, world):
    selection_round = selection(cohort(world, of=programme(world, quota=1)))
    nominations = [nominate(selection_round, p) for p in (world.a_doctor, world.b_doctor)]
    reviewing(selection_round, *nominations)
    login(client, world.commission)
    response = client.post(
        reverse("training:round_approve", args=[selection_round.pk]),
        {"approved_on": TODAY.isoformat()},
    )
    assert response.status_code == 400
    assert "超出名额：本期名额 1 人，已有 0 人，拟入选 2 人。" in response.content.decode()
    assert not CohortMember.objects.exists()


def test_a_hospital_cannot_score_decide_or_approve(client, world):
    selection_round = selection(cohort(world))
    made = nominate(selection_round, world.a_doctor)
    reviewing(selection_round)
    login(client, world.hospital_a)
    assert (
        client.post(
            reverse("training:nomination_score", args=[made.pk]),
            {"reviewer_name": "自评", "score": "100"},
        ).status_code
        == 403
    )
    assert (
        client.post(
            reverse("training:nomination_decide", args=[made.pk]), {"status": "approved"}
        ).status_code
        == 403
    )
    assert (
        client.post(reverse("training:round_approve", args=[selection_round.pk])).status_code == 403
    )
    made.refresh_from_db()
    assert made.status == Nomination.Status.NOMINATED
    assert not ReviewScore.objects.exists()


# Members ------------------------------------------------------------------------------


def test_the_hospital_sets_goals_and_reviews_and_the_commission_completes(client, world):
    member = admitted(world, world.a_doctor)[0]
    login(client, world.hospital_a)
    response = client.post(
        reverse("training:member_goal_add", args=[member.pk]),
        {"year": TODAY.year, "target_kind": "technique", "text": "独立开展经皮冠脉介入"},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("training:member_goal_add", args=[member.pk]),
        {"year": TODAY.year + 10, "text": "超期目标"},
    )
    assert response.status_code == 400
    assert "年度须在培养期内" in response.content.decode()
    assert MemberGoal.objects.count() == 1
    response = client.post(
        reverse("training:member_review", args=[member.pk]),
        {
            "year": TODAY.year,
            "rating": "excellent",
            "reviewer": "医院考核小组",
            "reviewed_on": TODAY.isoformat(),
        },
    )
    assert response.status_code == 302
    assert AnnualReview.objects.get().rating == AnnualReview.Rating.EXCELLENT
    complete = reverse("training:member_complete", args=[member.pk])
    assert client.post(complete, {"completed_on": TODAY.isoformat()}).status_code == 403
    login(client, world.commission)
    future = (TODAY + datetime.timedelta(days=3)).isoformat()
    assert client.post(complete, {"completed_on": future}).status_code == 400
    assert client.post(complete, {"completed_on": TODAY.isoformat()}).status_code == 302
    member.refresh_from_db()
    assert member.status == CohortMember.Status.COMPLETED
    page = client.get(reverse("training:member", args=[member.pk]))
    assert reverse("training:certificate", args=[member.pk]) in page.content.decode()


def test_another_hospital_cannot_touch_a_member(client, world):
    member = admitted(world, world.a_doctor)[0]
    login(client, world.hospital_b)
    assert client.get(reverse("training:member", args=[member.pk])).status_code == 404
    response = client.post(
        reverse("training:member_goal_add", args=[member.pk]), {"year": TODAY.year, "text": "x"}
    )
    assert response.status_code == 404
    assert not MemberGoal.objects.exists()


def test_the_cohort_page_shows_members_missing_a_mentor_and_exports(client, world):
    members = admitted(world, world.a_doctor, world.a_surgeon)
    made_cohort = members[0].cohort
    mentorship_create(
        mentor=world.partner_expert,
        apprentices=[world.a_doctor],
        institution=world.a,
        start_on=TODAY - datetime.timedelta(days=10),
    )
    login(client, world.commission)
    url = reverse("training:cohort", args=[made_cohort.pk])
    page = client.get(url)
    assert page.context["missing_mentor_count"] == 2  # both lack an internal mentor
    page = client.get(url, {"missing_mentor": "on"})
    assert len(page.context["page_obj"]) == 2
    response = client.get(url, {"export": "xlsx"})
    rows = {row[0]: row for row in _rows(response)}
    assert rows[world.a_doctor.name][5:7] == ("无", "有")
    assert AuditEntry.objects.filter(event=AuditEntry.Event.EXPORT).exists()


# The talent pool ----------------------------------------------------------------------


def test_the_pool_filters_by_programme_status_and_institution(client, world):
    members = admitted(world, world.a_doctor, world.a_surgeon, world.b_doctor)
    member_withdraw(member=members[1], on=TODAY, reason="调离")
    other = programme(world, name="英才计划", kind="elite")
    admitted(world, world.a_ward_nurse, of_cohort=cohort(world, of=other))
    login(client, world.commission)
    url = reverse("training:talent_pool")
    names = lambda page: {m.person.name for m in page.context["page_obj"]}  # noqa: E731
    assert names(client.get(url)) == {"李心怡", "周外科", "陈全科", "赵护士"}
    assert names(client.get(url, {"programme": other.pk})) == {"赵护士"}
    assert names(client.get(url, {"status": "withdrawn"})) == {"周外科"}
    assert names(client.get(url, {"institution": world.b.pk})) == {"陈全科"}
    assert names(client.get(url, {"q": "李"})) == {"李心怡"}
    page = client.get(url, {"programme": "abc", "status": "<script>"})
    assert page.status_code == 400  # a bad filter is refused, the page saying which
    text = page.content.decode()
    assert "培养计划：所选的一项不在可选范围内" in text
    assert "状态：“&lt;script&gt;”不在可选范围内" in text


def test_an_empty_pool_says_so(client, world):
    login(client, world.hospital_a)
    assert (
        "英才库中没有符合条件的人员" in client.get(reverse("training:talent_pool")).content.decode()
    )


def test_the_pool_exports_the_rows_in_scope_and_is_audited(client, world):
    admitted(world, world.a_doctor, world.b_doctor)
    login(client, world.hospital_b)
    response = client.get(reverse("training:talent_pool"), {"export": "xlsx"})
    assert [row[0] for row in _rows(response)] == [world.b_doctor.name]
    entry = AuditEntry.objects.filter(event=AuditEntry.Event.EXPORT).latest("pk")
    assert "导出英才库" in entry.object_repr
    response = client.get(reverse("training:talent_pool"), {"export": "csv"})
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    assert world.b_doctor.name in content
    assert world.a_doctor.name not in content


# Query counts -------------------------------------------------------------------------


def _more_people(world, n):
    return [factories.person(world.a, f"骨干{i}", title="233") for i in range(n)]


def test_list_query_counts_do_not_grow_with_rows(client, world, django_assert_max_num_queries):
    login(client, world.commission)
    made_cohort = cohort(world)
    admitted(world, world.a_doctor, of_cohort=made_cohort)
    pages = [
        reverse("training:programmes"),
        reverse("training:talent_pool"),
        reverse("training:cohort", args=[made_cohort.pk]),
        reverse("training:programme", args=[made_cohort.programme_id]),
    ]
    counts = {}
    for url in pages:
        with django_assert_max_num_queries(40) as few:
            client.get(url)
        counts[url] = len(few.captured_queries)
    for name in ("英才计划", "头雁计划", "名医计划"):
        extra = programme(world, name=name)
        cohort(world, of=extra)
    second = cohort(world, of=made_cohort.programme, name="第二期")
    admitted(world, *_more_people(world, 4), of_cohort=second)
    programmes_services.member_complete(member=CohortMember.objects.first(), completed_on=TODAY)
    admitted(world, world.a_surgeon, of_cohort=made_cohort)
    for url in pages:
        with django_assert_max_num_queries(counts[url]):
            client.get(url)


def test_the_round_page_query_count_does_not_grow_with_nominations(
    client, world, django_assert_max_num_queries
):
    selection_round = selection(cohort(world))
    nominate(selection_round, world.a_doctor)
    login(client, world.commission)
    url = reverse("training:round", args=[selection_round.pk])
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    people = _more_people(world, 4)
    nominations = [nominate(selection_round, person) for person in people]
    reviewing(selection_round)
    for nomination in nominations:
        nomination.refresh_from_db()
        for reviewer in ("王评审", "李评审"):
            review_score_record(nomination=nomination, reviewer_name=reviewer, score=80)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_every_form_page_opens_for_the_commission(client, world):
    member = admitted(world, world.a_doctor)[0]
    made_cohort = member.cohort
    login(client, world.commission)
    for url in (
        reverse("training:programme_create"),
        reverse("training:programme_edit", args=[made_cohort.programme_id]),
        reverse("training:cohort_create", args=[made_cohort.programme_id]),
        reverse("training:round_create", args=[made_cohort.pk]),
        reverse("training:member", args=[member.pk]),
    ):
        page = client.get(url)
        assert page.status_code == 200, url
        assert 'type="submit"' in page.content.decode()


def test_the_menu_lists_the_programme_pages(world):
    from yicai.menu import menu_for

    def labels(user):
        return {item.label for section in menu_for(user) for item in section.items}

    pages = {"培养计划", "英才库", "职业生涯规划"}
    assert pages <= labels(world.hospital_a)
    assert pages & labels(world.trainee) == {"职业生涯规划"}  # their own plan
    assert not pages & labels(world.auditor)
