"""`yicai demo`'s applicants (报名): the large hospitals' plans of last year went from the
applications to the hires, each step on a day after the one before; this year's published
plan waits for a visitor to shortlist and carry on. Everything through the services, so every
rule held; identity numbers valid, and nobody's in the district but the hired person's own.
Then what followed: partner agreements with their terms, introductions' entitlements (a
tranche paid, one due and unpaid, clawbacks proposed and approved), directed students at every
stage (a breach among them), an invitation event most experts attended and a referral.
The demo region is loaded once for the module (as of a fixed day)."""

import datetime
from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from tests.builders import rolled_back_at_module_end
from yicai.access.models import User
from yicai.demo import users
from yicai.demo.district import load_district
from yicai.demo.recruitment import load_recruitment
from yicai.people.identity import identity_errors
from yicai.people.models import Person
from yicai.people.timeline import events_for
from yicai.recruitment import queries, services
from yicai.recruitment.models import (
    Application,
    Breach,
    Clawback,
    DirectedContract,
    Entitlement,
    InvitationEvent,
    Objection,
    PartnerAgreement,
    PublicNotice,
    RecruitmentPlan,
    Referral,
)

TODAY = datetime.date(2026, 6, 17)
S = Application.Status


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    with rolled_back_at_module_end(django_db_blocker):
        load_district(people=300, today=TODAY)
        users.ensure_accounts("Demo-Pass-2026!")
        yield load_recruitment(today=TODAY)


@pytest.fixture
def demo(loaded, db):
    return loaded


def applications():
    return Application.objects.select_related(
        "post__plan__institution", "post__department", "notice", "person__source", "sex"
    )


def test_the_demo_holds_applicants_at_every_status_and_hires_on_file_as_staff(demo):
    statuses = Counter(applications().values_list("status", flat=True))
    assert set(statuses) == set(S.values), set(S.values) - set(statuses)
    assert statuses[S.HIRED] >= 10 and statuses[S.INELIGIBLE] >= 4
    hired = list(applications().filter(status=S.HIRED))
    for application in hired:
        post, person = application.post, application.person
        assert person is not None and person.category == Person.Category.STAFF
        assert person.source.code == services.HIRE_SOURCE[post.procedure]
        assert person.id_number_index == application.id_number_index
        assert person.appointments.filter(
            institution=post.plan.institution,
            department=post.department,
            position=post.name,
            start_on=application.hired_on,
        ).exists()
    sources = {application.person.source.code for application in hired}
    assert sources == {"open_recruitment", "simplified_recruitment"}
    # A second load adds nothing.
    count = Application.objects.count()
    assert load_recruitment(today=TODAY) == 0
    assert Application.objects.count() == count


def test_every_step_is_on_a_day_after_the_one_before(demo):
    for application in applications():
        plan = application.post.plan
        assert plan.published_on <= application.applied_on <= TODAY, application
        if application.notice is not None:
            assert plan.published_on <= application.notice.starts_on
        if application.status == S.HIRED:
            assert application.notice.ends_on < application.hired_on <= TODAY
            if plan.status == RecruitmentPlan.Status.CLOSED:
                assert application.hired_on < plan.closed_on
    for objection in Objection.objects.select_related("application__notice"):
        notice = objection.application.notice
        assert notice.starts_on <= objection.received_on <= objection.resolved_on <= notice.ends_on
    last_year = RecruitmentPlan.objects.filter(
        year=TODAY.year - 1, posts__applications__isnull=False
    )
    assert set(last_year.values_list("status", flat=True)) == {RecruitmentPlan.Status.CLOSED}
    assert last_year.distinct().count() == 2  # the two large hospitals'


def test_the_review_refused_and_an_officer_decided_with_the_reason(demo):
    refused = applications().filter(status=S.INELIGIBLE)
    assert refused.filter(eligibility_findings__contains="超过岗位年龄上限").exists()
    # A 专科 for a 本科 post: below the education, and no degree.
    below = refused.filter(eligibility_findings__contains="低于最低学历“大学本科毕业”")
    assert below.filter(eligibility_findings__contains="未取得学位").exists()
    decided = applications().exclude(eligibility_reason="")
    blank = decided.filter(eligibility_findings__contains="未填写学历")
    assert blank.filter(status=S.HIRED, education__isnull=True).exists()
    assert decided.filter(status=S.INELIGIBLE, eligibility_findings__contains="不完全一致").exists()
    # Still waiting for the officer, this year.
    assert applications().filter(status=S.APPLIED, post__plan__year=TODAY.year).count() == 2


def test_last_year_had_a_tie_a_failed_medical_check_an_objection_and_a_withdrawal(demo):
    last_year = applications().filter(post__plan__year=TODAY.year - 1)
    chosen = last_year.get(shortlist_reason__contains="并列")
    ranking = queries.post_ranking(chosen.post)
    mine = next(line.rank for line in ranking if line.application.pk == chosen.pk)
    tied = [line.application for line in ranking if line.rank == mine]
    assert len(tied) == 2 and {a.status for a in tied} == {S.HIRED, S.ELIGIBLE}
    # The one who failed the medical check: the next in rank took the place.
    unfit = last_year.get(status=S.FAILED, stage=Application.Stage.MEDICAL)
    post = unfit.post
    assert post.applications.filter(status=S.HIRED).count() == post.places
    ranks = [line.application.status for line in queries.post_ranking(post)]
    assert ranks[: post.places + 1].count(S.HIRED) == post.places
    objection = Objection.objects.get()
    assert (objection.upheld, objection.application.status) == (False, S.HIRED)
    assert last_year.filter(status=S.WITHDRAWN, stage=Application.Stage.EXAM).exists()
    assert last_year.filter(status=S.FAILED, stage=Application.Stage.EXAM).exists()
    # Some posts filled fewer places than planned: fewer qualified than places.
    assert any(
        post.applications.filter(status=S.HIRED).count() < post.places
        for post in {a.post for a in last_year}
    )


def test_identity_numbers_are_valid_and_nobody_elses(demo):
    numbers = []
    for application in applications():
        number = application.id_number
        assert identity_errors(number, application.birth_date, application.sex.code) == {}
        numbers.append(number)
    assert len(numbers) == len(set(numbers))
    on_file = Person.objects.filter(
        id_number_index__in=applications().values_list("id_number_index", flat=True)
    )
    assert set(on_file.values_list("pk", flat=True)) == set(
        applications().filter(status=S.HIRED).values_list("person", flat=True)
    )


def test_this_years_plan_waits_for_the_shortlist_and_the_rest(demo):
    plan = RecruitmentPlan.objects.get(year=TODAY.year, status=RecruitmentPlan.Status.PUBLISHED)
    posts = {post.name: post for post in plan.posts.all()}
    with transaction.atomic():
        found = services.post_shortlist(post=posts["口腔医师"])
        assert (len(found.chosen), len(found.tied)) == (1, 2)  # a tie at the last place
        with pytest.raises(ValidationError, match="1 名考生待资格审查"):
            services.post_shortlist(post=posts["临床医师（简易程序）"])
        transaction.set_rollback(True)
    waiting = posts["护士"].applications
    assert waiting.filter(status=S.ELIGIBLE, written_score__isnull=True).count() >= 5
    notice = PublicNotice.objects.get(plan=plan)
    assert notice.ends_on >= TODAY  # not over: the hire is refused until it is
    assert notice.applications.get().status == S.NOTICE
    imaging = Counter(posts["影像医师"].applications.values_list("status", flat=True))
    assert (imaging[S.MEDICAL], imaging[S.BACKGROUND], imaging[S.CLEARED]) == (1, 1, 1)


def test_the_hospital_finds_its_applicants_and_hires_on_their_pages(demo, as_user):
    client = as_user(User.objects.get(username="hospital"))
    hired = applications().filter(
        status=S.HIRED,
        post__department__isnull=False,
        post__plan__institution__name__startswith="宝山区中心医院",
    )[0]
    page = client.get(f"/recruitment/posts/{hired.post_id}/").content.decode()
    assert hired.name in page
    person = client.get(f"/people/{hired.person_id}/").content.decode()
    assert hired.post.name in person and hired.post.department.name in person


def test_partner_agreements_say_what_the_parties_undertake(demo):
    agreements = PartnerAgreement.objects.select_related("partner")
    assert agreements.count() >= 4
    assert all(agreement.terms for agreement in agreements)
    assert {agreement.kind for agreement in agreements} >= {"co_building", "alliance"}
    assert agreements.filter(partner__isnull=True).exclude(partner_name="").exists()
    assert all(agreement.signed_on <= TODAY for agreement in agreements)


def test_entitlements_hold_a_tranche_paid_one_due_and_clawbacks_to_decide(demo):
    commission = User.objects.get(username="commission")
    due = list(queries.payments_due(commission, as_of=TODAY))
    assert due and all(tranche.due_on <= TODAY for tranche in due)
    # The second 安家补贴 tranche, after the first year's review, waits for the finance office.
    assert any(t.entitlement.kind == Entitlement.Kind.SETTLEMENT and t.number == 2 for t in due)
    paid = Entitlement.objects.filter(tranches__paid_on__isnull=False).distinct()
    assert {entitlement.kind for entitlement in paid} == {"settlement", "research"}
    for entitlement in paid:
        for tranche in entitlement.tranches.filter(paid_on__isnull=False):
            assert tranche.due_on <= tranche.paid_on <= TODAY
    clawbacks = Clawback.objects.select_related("entitlement__introduction")
    statuses = Counter(clawbacks.values_list("status", flat=True))
    assert statuses[Clawback.Status.PROPOSED] >= 1 and statuses[Clawback.Status.APPROVED] >= 1
    for clawback in clawbacks:
        introduction = clawback.entitlement.introduction
        assert introduction.left_on == clawback.left_on <= TODAY
        assert 0 < clawback.amount <= clawback.paid
        # Whatever was still to be paid when they left is cancelled.
        assert not introduction.entitlements.filter(
            tranches__paid_on__isnull=True, tranches__cancelled_on__isnull=True
        ).exists()
        leaving = [e for e in events_for(introduction.person) if e.kind == "离开"]
        assert [e.date for e in leaving] == [introduction.left_on]


def test_directed_students_at_every_stage_and_a_breach_to_decide(demo):
    contracts = DirectedContract.objects.select_related("kind", "person")
    statuses = Counter(contracts.values_list("status", flat=True))
    assert set(statuses) == set(DirectedContract.Status.values), statuses
    assert set(contracts.values_list("kind__code", flat=True)) == {"order_directed", "rural_doctor"}
    studying = contracts.filter(status=DirectedContract.Status.STUDYING)
    years = set(studying.values_list("enrolled_year", flat=True))
    assert {2021, 2022} <= years  # TODAY is in the first half of 2026
    # Nobody still studying should have graduated by the last 30 June.
    assert not studying.filter(graduation_year__lt=TODAY.year).exists()
    figures = queries.directed_figures(User.objects.get(username="commission"))
    assert figures.total == contracts.count()
    for contract in contracts.exclude(status=DirectedContract.Status.STUDYING):
        person = contract.person
        assert person is not None and person.id_number_index == contract.id_number_index
        assert contract.graduated_on is not None and contract.graduated_on <= TODAY
        kinds = {event.kind for event in events_for(person)}
        assert "毕业" in kinds
        if contract.service_starts_on is not None:
            assert contract.graduated_on <= contract.service_starts_on <= TODAY
            assert "到岗履约" in kinds
    breach = Breach.objects.select_related("contract").get()
    assert breach.status == Breach.Status.PROPOSED and breach.amount > 0
    assert breach.contract.left_on == breach.left_on <= TODAY
    assert "违约" in {event.kind for event in events_for(breach.contract.person)}
    fulfilled = contracts.get(status=DirectedContract.Status.FULFILLED)
    assert "履约期满" in {event.kind for event in events_for(fulfilled.person)}
    # The district's own students (在读) have their contracts, by identity number (a contract
    # links the person once they graduate).
    students = Person.objects.filter(category=Person.Category.DIRECTED_STUDENT)
    own = students.filter(directed_contracts__isnull=True)
    indexes = set(studying.values_list("id_number_index", flat=True))
    assert own.exists() and set(own.values_list("id_number_index", flat=True)) <= indexes


def test_an_invitation_event_most_attended_and_an_expert_who_brought_two(demo):
    event = InvitationEvent.objects.get()
    assert event.held_on <= TODAY
    attended = Counter(event.invitees.values_list("attended", flat=True))
    assert attended[True] > attended[False] >= 1
    assert not event.invitees.exclude(person__category=Person.Category.EXTERNAL_EXPERT).exists()
    referrals = Referral.objects.all()
    assert referrals.count() == 2
    assert len({referral.referrer_id for referral in referrals}) == 1
    referrer = referrals[0].referrer
    assert event.invitees.filter(person=referrer, attended=True).exists()
    assert all(event.held_on < referral.referred_on <= TODAY for referral in referrals)
