"""Applicants through the services, on a plan of 2022 entered with its real dates: the
eligibility review against the post's rules (refused with the reason, or left to an officer
when details are blank), the officer's decision, the combined score and the ranking checked
against values computed by hand (ties and rounding included), the medical-check shortlist
with a tie at the last place and the next in rank after a failure, the public notice with an
objection, and the hire: one person and one appointment however often it is submitted."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests import factories
from tests.recruitment.helpers import published_plan
from yicai.access.models import AuditEntry
from yicai.codes.queries import code_for
from yicai.people.models import Appointment, Person
from yicai.recruitment import queries, services
from yicai.recruitment.models import Application, Post

pytestmark = pytest.mark.django_db

D = datetime.date
S = Application.Status
PUBLISHED = D(2022, 4, 1)
BORN = D(1992, 5, 1)


def _post(world, **rules):
    """A post of 2022 (published on 1 April) with the rules given."""
    plan = published_plan(world, on=PUBLISHED, **rules)
    return plan.posts.get()


def _apply(post, name="张三", *, birth=BORN, male=True, **details):
    values = {
        "education": code_for("education", "21"),
        "degree": code_for("degree", "410"),
        "major": "临床医学",
        "applied_on": D(2022, 4, 10),
        **details,
    }
    return services.application_create(
        by=None,
        post=post,
        name=name,
        **{"id_number": factories.id_number(birth, male=male), **values},
    )


def _errors(call):
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


def test_the_review_refuses_what_is_wrong_and_leaves_what_is_blank_to_an_officer(world):
    post = _post(
        world,
        min_education=code_for("education", "21"),
        min_degree=code_for("degree", "4"),
        max_age=35,
        specialty="临床医学",
    )
    # 35 on the day the plan was published, one day short of 36: eligible.
    fits = _apply(post, "合格", birth=D(1986, 4, 2))
    assert (fits.status, fits.eligibility_findings) == (S.ELIGIBLE, "")
    # 36 that very day.
    too_old = _apply(post, "超龄", birth=D(1986, 4, 1))
    assert too_old.status == S.INELIGIBLE
    assert too_old.eligibility_findings == "2022-04-01 年满 36 周岁，超过岗位年龄上限 35 周岁。"
    # 专科, no degree: both refused, both said.
    college = _apply(post, "专科", education=code_for("education", "31"), degree=None)
    assert college.status == S.INELIGIBLE
    assert college.eligibility_findings.splitlines() == [
        "学历“大学专科毕业”低于最低学历“大学本科毕业”。",
        "未取得学位，岗位要求“学士”。",
    ]
    # A master's degree meets a bachelor's; a major worded otherwise contains the post's.
    master = _apply(
        post,
        "硕士",
        education=code_for("education", "14"),
        degree=code_for("degree", "310"),
        major="临床医学（全科方向）",
    )
    assert master.status == S.ELIGIBLE
    # Blank education and another major: nobody is refused for a blank cell.
    blank = _apply(post, "空白", education=None, degree=None, major="中医学")
    assert blank.status == S.APPLIED
    assert blank.eligibility_findings.splitlines() == [
        "未填写学历，无法核对最低学历（大学本科毕业）。",
        "未填写学位，无法核对最低学位（学士）。",
        "所学专业“中医学”与岗位专业“临床医学”不完全一致，请人工核对。",
    ]
    # 肄业 is no completed education: an officer judges it.
    dropout = _apply(post, "肄业", education=code_for("education", "13"))
    assert dropout.status == S.APPLIED
    assert "未毕业" in dropout.eligibility_findings


def test_a_title_is_met_by_the_same_series_at_the_same_grade_or_above(world):
    post = _post(world, title_required=code_for("title", "233"))  # 主治医师
    higher = _apply(post, "副主任", title=code_for("title", "232"))
    lower = _apply(post, "医师", title=code_for("title", "234"))
    nurse = _apply(post, "主管护师", title=code_for("title", "253"))
    none = _apply(post, "无职称")
    assert [a.status for a in (higher, lower, nurse, none)] == [
        S.ELIGIBLE,
        S.INELIGIBLE,
        S.INELIGIBLE,
        S.APPLIED,
    ]
    assert nurse.eligibility_findings == "职称“主管护师”不符合岗位要求“主治医师”。"


def test_an_officer_decides_with_a_reason_and_the_review_found_is_kept(world):
    post = _post(world, min_education=code_for("education", "21"))
    blank = _apply(post, education=None)
    assert _errors(
        lambda: services.eligibility_decide(
            application=blank, by=world.hospital_a, eligible=True, reason=" "
        )
    ) == {"reason": ["请填写审查理由。"]}
    decided = services.eligibility_decide(
        application=blank, by=world.hospital_a, eligible=True, reason="现场核验本科毕业证书"
    )
    assert decided.status == S.ELIGIBLE
    assert decided.eligibility_findings == "未填写学历，无法核对最低学历（大学本科毕业）。"
    # A correction of details afterwards keeps the officer's decision.
    services.application_update(application=decided, by=None, phone="13800138000")
    decided.refresh_from_db()
    assert decided.status == S.ELIGIBLE and decided.phone == "13800138000"


def test_an_application_is_checked_and_its_numbers_kept_encrypted(world):
    post = _post(world)
    assert _errors(
        lambda: services.application_create(
            by=None, post=post, name="王五", id_number="110101199001011234"
        )
    ) == {"id_number": ["身份证号码无效：请核对位数、出生日期和末位校验码。"]}
    assert _errors(
        lambda: services.application_create(by=None, post=post, name="王五", id_number="")
    ) == {"id_number": ["请填写身份证号码。"]}
    number = factories.id_number(D(1995, 3, 8), male=False)
    made = services.application_create(
        by=None, post=post, name="王五", id_number=number, phone="138 0013 8000"
    )
    # Birth date and sex read from the number; the number itself only as ciphertext.
    assert (made.birth_date, made.sex.code) == (D(1995, 3, 8), "2")
    assert number not in made.id_number_cipher and made.id_number == number
    assert made.id_number_masked.endswith(number[-4:]) and made.phone == "13800138000"
    # One post per applicant in a plan.
    assert _errors(
        lambda: services.application_create(by=None, post=post, name="王五", id_number=number)
    ) == {"id_number": ["该考生已报名本计划的岗位“岗位0”，每人限报一个岗位。"]}


def test_applications_open_only_on_a_published_plan_and_not_before_it(world):
    from tests.recruitment.helpers import plan

    draft = plan(world).posts.get()
    assert "只有已发布的计划接受报名" in _errors(lambda: _apply(draft))["post"][0]
    post = _post(world)
    assert _errors(lambda: _apply(post, applied_on=D(2022, 3, 31))) == {
        "applied_on": ["报名日期不能早于计划发布日期（2022-04-01）。"]
    }


def _scored(post, name, written, interview, **details):
    application = _apply(post, name, **details)
    return services.application_scores(
        application=application,
        written_score=Decimal(written) if written is not None else None,
        interview_score=Decimal(interview) if interview is not None else None,
    )


def test_the_combined_score_and_the_ranking_as_computed_by_hand(world):
    post = _post(world, places=2)  # weights 40 / 60
    a = _scored(post, "甲", "80", "85")  # 32 + 51 = 83.00
    b = _scored(post, "乙", "85", "81.67")  # 34 + 49.002 = 83.002 -> 83.00
    c = _scored(post, "丙", "90", "75")  # 36 + 45 = 81.00
    d = _scored(post, "丁", "75", "85")  # 30 + 51 = 81.00
    e = _scored(post, "戊", "80", "85")  # 83.00, tied with 甲 on both scores
    f = _scored(post, "己", "87.5", "75")  # 35 + 45 = 80.00
    ranking = [(r.application.name, r.combined, r.rank) for r in queries.post_ranking(post)]
    assert ranking == [
        ("甲", Decimal("83.00"), 1),
        ("戊", Decimal("83.00"), 1),  # equal on both: a shared rank
        ("乙", Decimal("83.00"), 3),  # equal combined, lower interview
        ("丁", Decimal("81.00"), 4),  # interview 85 before 75
        ("丙", Decimal("81.00"), 5),
        ("己", Decimal("80.00"), 6),
    ]
    assert [x.pk for x in (a, e, b, d, c, f)] == [
        r.application.pk for r in queries.post_ranking(post)
    ]


def test_the_combined_score_rounds_half_up_and_needs_only_what_the_weights_ask(world):
    half = _post(world, written_weight=50, interview_weight=50)
    rounded = _scored(half, "半", "80.01", "80.00")  # 40.005 + 40 = 80.005
    assert queries.combined_score(rounded, half.plan) == Decimal("80.01")
    interview_only = _post(world, title="简易程序", written_weight=0, interview_weight=100)
    talked = _scored(interview_only, "面", None, "88.5")
    assert queries.combined_score(talked, interview_only.plan) == Decimal("88.50")
    missing = _scored(half, "缺", "90", None)
    assert queries.combined_score(missing, half.plan) is None
    assert _errors(lambda: _scored(half, "超", "100.5", "90")) == {
        "written_score": ["成绩须在 0–100 之间。"]
    }


def test_the_shortlist_takes_the_best_leaves_a_tie_to_an_officer_and_fills_a_place_freed(world):
    post = _post(world, places=1)
    first = _scored(post, "甲", "80", "85")
    tied = _scored(post, "戊", "80", "85")
    third = _scored(post, "乙", "70", "80")
    unscored = _apply(post, "未考")
    assert _errors(lambda: services.post_shortlist(post=post)) == {
        "status": [
            "还有 0 名考生待资格审查、1 名考生缺少成绩："
            "请先完成审查、登记成绩，或登记其放弃、缺考。"
        ]
    }
    services.application_out(application=unscored, withdrawn=False, reason="缺考")
    # Two share rank 1 for one place: nobody is picked among them.
    listed = services.post_shortlist(post=post)
    assert listed.chosen == [] and {x.pk for x in listed.tied} == {first.pk, tied.pk}
    # The third cannot go past them; one of the tied can, with the reason.
    assert _errors(lambda: services.application_shortlist(application=third, reason="加试")) == {
        "status": ["排名在前的考生尚未确定：甲、戊。"]
    }
    services.application_shortlist(application=first, reason="加试成绩 92 分，高于戊")
    assert _errors(lambda: services.post_shortlist(post=post)) == {
        "status": ["本岗位 1 个名额已全部有人选。"]
    }
    # 甲 fails the medical check: the place goes to the next in rank (递补).
    services.application_check(application=first, passed=False, reason="体检不合格")
    again = services.post_shortlist(post=post)
    assert [x.pk for x in again.chosen] == [tied.pk]
    first.refresh_from_db()
    assert (first.status, first.stage) == (S.FAILED, Application.Stage.MEDICAL)


def _to_notice(world, post, name="甲", **details):
    application = _scored(post, name, "80", "85", **details)
    services.post_shortlist(post=post)
    services.application_check(application=application, passed=True)
    services.application_check(application=application, passed=True)
    application.refresh_from_db()
    assert application.status == S.CLEARED
    services.notice_publish(
        plan=post.plan, by=world.hospital_a, starts_on=D(2022, 6, 1), ends_on=D(2022, 6, 7)
    )
    application.refresh_from_db()
    return application


def test_a_hire_waits_for_the_notice_to_end_and_its_objections_to_be_settled(world):
    post = _post(world, places=1, department=world.a_cardiology)
    candidate = _to_notice(world, post)
    assert (
        candidate.status == S.NOTICE and candidate.notice.title == "2022 年度招聘计划拟聘用人员公示"
    )
    assert _errors(lambda: services.application_hire(application=candidate, on=D(2022, 6, 7))) == {
        "hired_on": ["公示期至 2022-06-07 结束，结束后才能聘用。"]
    }
    objection = services.objection_record(
        application=candidate, received_on=D(2022, 6, 3), content="反映其学历证书存疑"
    )
    assert _errors(lambda: services.application_hire(application=candidate, on=D(2022, 6, 8))) == {
        "status": ["该考生有尚未处理的公示异议。"]
    }
    services.objection_resolve(
        objection=objection,
        by=world.hospital_a,
        upheld=False,
        resolution="经学信网核验，学历属实",
        on=D(2022, 6, 6),
    )
    people, appointments = Person.objects.count(), Appointment.objects.count()
    hired = services.application_hire(application=candidate, on=D(2022, 6, 10))
    # A second submission (a double click, another tab) finds the hire made.
    again = services.application_hire(application=candidate, on=D(2022, 6, 11))
    assert (Person.objects.count(), Appointment.objects.count()) == (people + 1, appointments + 1)
    assert again.person_id == hired.person_id and again.hired_on == D(2022, 6, 10)
    person = hired.person
    assert (person.name, person.category, person.source.code) == (
        "甲",
        Person.Category.STAFF,
        "simplified_recruitment",
    )
    appointment = person.appointments.get()
    assert (appointment.institution, appointment.department, appointment.position) == (
        world.a,
        world.a_cardiology,
        "岗位0",
    )
    assert appointment.start_on == D(2022, 6, 10)
    assert person.educations.get().level.code == "21"


def test_an_objection_found_true_puts_the_candidate_out(world):
    post = _post(world, places=1)
    candidate = _to_notice(world, post)
    objection = services.objection_record(
        application=candidate, received_on=D(2022, 6, 2), content="反映其隐瞒处分"
    )
    services.objection_resolve(
        objection=objection, by=None, upheld=True, resolution="查实受过处分", on=D(2022, 6, 5)
    )
    candidate.refresh_from_db()
    assert (candidate.status, candidate.stage, candidate.outcome_reason) == (
        S.FAILED,
        Application.Stage.NOTICE,
        "查实受过处分",
    )
    assert _errors(
        lambda: services.objection_resolve(
            objection=objection, by=None, upheld=False, resolution="再议"
        )
    ) == {"status": ["该异议已于 2022-06-05 处理。"]}


def test_a_hire_of_someone_on_file_updates_their_profile_and_adds_the_appointment(world):
    post = _post(world, places=1, procedure=Post.Procedure.OPEN)
    on_file = world.b_doctor
    # The same person: the application carries their identity number.
    candidate = _scored(post, on_file.name, "80", "85", id_number=on_file.id_number)
    services.post_shortlist(post=post)
    services.application_check(application=candidate, passed=True)
    services.application_check(application=candidate, passed=True)
    services.notice_publish(plan=post.plan, by=None, starts_on=D(2022, 6, 1), ends_on=D(2022, 6, 7))
    people = Person.objects.count()
    hired = services.application_hire(application=candidate, on=D(2022, 7, 1))
    assert Person.objects.count() == people and hired.person_id == on_file.pk
    on_file.refresh_from_db()
    assert (on_file.source.code, on_file.institution) == ("open_recruitment", world.a)
    assert on_file.appointments.filter(institution=world.a, start_on=D(2022, 7, 1)).exists()


def test_the_purge_erases_who_was_not_hired_after_the_retention_and_keeps_the_counts(world):
    post = _post(world, places=1)
    hired = _to_notice(world, post)
    services.application_hire(application=hired, on=D(2022, 6, 10))
    out = _scored(post, "落选", "60", "60")
    refused = _apply(post, "超龄", education=code_for("education", "31"))
    plan = post.plan
    services.plan_close(plan=plan, on=D(2022, 7, 1))
    counts = dict(queries.status_counts(plan))
    # A year after the close is not yet past it.
    assert services.applications_purge(today=D(2023, 7, 1), days=365) == 0
    assert services.applications_purge(today=D(2023, 7, 2), days=365) == 2
    for kept in (out, refused):
        kept.refresh_from_db()
        assert (kept.name, kept.id_number_cipher, kept.id_number_index, kept.birth_date) == (
            "",
            "",
            None,
            None,
        )
        assert kept.purged_on == D(2023, 7, 2)
    out.refresh_from_db()
    assert out.written_score == Decimal("60.00")  # scores are no personal details
    hired.refresh_from_db()
    assert hired.name == "甲" and hired.id_number_last4
    assert dict(queries.status_counts(plan)) == counts
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.DELETE).latest("id")
    assert entry.additional_data["applications"] == 2
    assert services.applications_purge(today=D(2023, 7, 3), days=365) == 0
