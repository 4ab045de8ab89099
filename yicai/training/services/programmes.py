"""Programmes (培养计划): the commission defines programmes and cohorts and runs selection
rounds; institutions nominate their own staff; reviewers score; approval admits the chosen
within the quota and the programme's rules, all or nothing. Members get yearly goals and
annual reviews, and leave by completion (with a certificate number) or withdrawal."""

import datetime
from decimal import Decimal
from typing import Required, TypedDict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yicai.org.models import Institution, Region
from yicai.people.models import Person
from yicai.training.models import (
    GRADE_RANK,
    AnnualReview,
    Cohort,
    CohortMember,
    MemberGoal,
    Nomination,
    Programme,
    ReviewScore,
    SelectionRound,
    TitleGrade,
)
from yicai.training.services.rules import (
    assign,
    end_after_years,
    no_patient_data,
    raise_errors,
    saved,
)

PROGRAMME_FIELDS = (
    "name",
    "kind",
    "duration_years",
    "quota",
    "description",
    "requires_internal_mentor",
    "requires_external_mentor",
    "min_age",
    "max_age",
    "min_title_grade",
    "active",
)


class ProgrammeDefaults(TypedDict, total=False):
    """A programme as programme_create takes it (its region aside)."""

    name: Required[str]
    kind: Required[str]
    duration_years: Required[int]
    quota: Required[int]
    description: str
    requires_internal_mentor: bool
    requires_external_mentor: bool
    min_age: int
    max_age: int
    min_title_grade: str


# The sources' three plans (宝山, 2023), offered to a commission that has none yet; each is an
# ordinary row afterwards, to change or add to.
DEFAULT_PROGRAMMES: tuple[ProgrammeDefaults, ...] = (
    {
        "name": "头雁计划",
        "kind": Programme.Kind.LEAD_GOOSE,
        "duration_years": 3,
        "quota": 20,
        "description": "以“讲政治、懂管理、精业务”为培养重点，通过选拔任用、转任交流等途径，"
        "打造一支业务+管理的复合型管理人才队伍。",
        "min_title_grade": TitleGrade.ASSOCIATE_SENIOR,
    },
    {
        "name": "英才计划",
        "kind": Programme.Kind.ELITE,
        "duration_years": 3,
        "quota": 20,
        "description": "设立“英才库”，对入库的中青年医学专家开展为期三年的医教研防全方位培养，"
        "打造在全区乃至全市医疗诊治前沿发挥示范引领作用的医疗英才。",
        "max_age": 50,
        "min_title_grade": TitleGrade.ASSOCIATE_SENIOR,
    },
    {
        "name": "育才计划",
        "kind": Programme.Kind.RISING,
        "duration_years": 3,
        "quota": 25,
        "description": "利用医联体优质资源，对遴选出的优秀青年骨干重点培养，每人配备院内、院外"
        "两位带教导师，拓展导师带教、国内外进修等学习路径。",
        "requires_internal_mentor": True,
        "requires_external_mentor": True,
        "max_age": 40,
        "min_title_grade": TitleGrade.JUNIOR_PRACTITIONER,
    },
)


def _clean_text(value: str | None) -> str:
    return (value or "").strip()


@transaction.atomic
def programme_create(
    *,
    region: Region,
    name: str,
    kind: str,
    duration_years: int,
    quota: int,
    description: str = "",
    requires_internal_mentor: bool = False,
    requires_external_mentor: bool = False,
    min_age: int | None = None,
    max_age: int | None = None,
    min_title_grade: str = "",
    active: bool = True,
) -> Programme:
    programme = Programme(
        region=region,
        name=_clean_text(name),
        kind=kind,
        duration_years=duration_years,
        quota=quota,
        description=_clean_text(description),
        requires_internal_mentor=bool(requires_internal_mentor),
        requires_external_mentor=bool(requires_external_mentor),
        min_age=min_age,
        max_age=max_age,
        min_title_grade=min_title_grade or "",
        active=active,
    )
    return saved(programme)


@transaction.atomic
def programme_update(*, programme: Programme, **values: object) -> Programme:
    """Change a programme's rules; they apply to nominations and approvals from now on, and
    the quota may not fall below a cohort's members already admitted."""
    assign(programme, values, PROGRAMME_FIELDS)
    for field in ("name", "description", "min_title_grade"):  # text: never None
        setattr(programme, field, getattr(programme, field) or "")
    errors: dict[str, str] = {}
    if isinstance(programme.quota, int):
        largest = max((_places_taken(cohort) for cohort in programme.cohorts.all()), default=0)
        if programme.quota < largest:
            errors["quota"] = _("名额不能少于已入选人数（%d 人）。") % largest
    return saved(programme, errors)


@transaction.atomic
def programme_defaults_create(*, region: Region) -> list[Programme]:
    """The three plans of the sources (头雁 / 英才 / 育才) for a commission, skipping a name it
    already has."""
    have = set(Programme.objects.filter(region=region).values_list("name", flat=True))
    return [
        programme_create(region=region, **values)
        for values in DEFAULT_PROGRAMMES
        if values["name"] not in have
    ]


@transaction.atomic
def cohort_create(
    *,
    programme: Programme,
    year: int,
    name: str,
    start_on: datetime.date,
    end_on: datetime.date | None = None,
) -> Cohort:
    """A new intake; it lasts the programme's duration unless an end is given."""
    errors: dict[str, str] = {}
    if not programme.active:
        errors["programme"] = _("该培养计划已停用。")
    if end_on is None:
        end_on = end_after_years(start_on, programme.duration_years)
    cohort = Cohort(
        programme=programme, year=year, name=_clean_text(name), start_on=start_on, end_on=end_on
    )
    return saved(cohort, errors)


@transaction.atomic
def cohort_finish(*, cohort: Cohort) -> Cohort:
    """Close a cohort once every member has completed or withdrawn."""
    errors: dict[str, str] = {}
    active = cohort.members.filter(status=CohortMember.Status.ACTIVE).count()
    if cohort.status == Cohort.Status.FINISHED:
        errors["status"] = _("该期已结束。")
    elif active:
        errors["status"] = _("尚有 %d 名培养对象未结业或退出。") % active
    raise_errors(errors)
    cohort.status = Cohort.Status.FINISHED
    return saved(cohort, errors)


@transaction.atomic
def selection_round_open(
    *,
    cohort: Cohort,
    name: str,
    opens_on: datetime.date,
    closes_on: datetime.date,
    note: str = "",
) -> SelectionRound:
    errors: dict[str, str] = {}
    if cohort.status == Cohort.Status.FINISHED:
        errors["name"] = _("该期已结束，不能再发起遴选。")
    elif SelectionRound.objects.filter(cohort=cohort).exclude(status="approved").exists():
        errors["name"] = _("该期已有尚未批准的遴选。")
    selection = SelectionRound(
        cohort=cohort,
        name=_clean_text(name),
        opens_on=opens_on,
        closes_on=closes_on,
        note=_clean_text(note),
    )
    return saved(selection, errors)


def age_on(person: Person, day: datetime.date) -> int:
    born = person.birth_date
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def rule_errors(programme: Programme, cohort: Cohort, person: Person) -> list[str]:
    """What keeps a person out of a programme: its age limits (full years on the cohort's
    first day) and its lowest title grade, each named."""
    problems: list[str] = []
    age = age_on(person, cohort.start_on)
    if programme.max_age is not None and age > programme.max_age:
        problems.append(
            _("超过该计划的年龄上限（%(limit)d 周岁，本人 %(age)d 周岁）")
            % {"limit": programme.max_age, "age": age}
        )
    if programme.min_age is not None and age < programme.min_age:
        problems.append(
            _("未达到该计划的最低年龄（%(limit)d 周岁，本人 %(age)d 周岁）")
            % {"limit": programme.min_age, "age": age}
        )
    required = programme.min_title_grade
    if required and GRADE_RANK.get(person.title_grade, 0) < GRADE_RANK[required]:
        problems.append(
            _("职称不符合该计划要求（%(grade)s及以上）") % {"grade": TitleGrade(required).label}
        )
    return problems


def _membership_errors(cohort: Cohort, person: Person) -> list[str]:
    problems: list[str] = []
    if CohortMember.objects.filter(cohort=cohort, person=person).exists():
        problems.append(_("已是本期培养对象"))
    elif (
        CohortMember.objects.filter(
            person=person, cohort__programme=cohort.programme, status=CohortMember.Status.ACTIVE
        )
        .exclude(cohort=cohort)
        .exists()
    ):
        problems.append(_("正在参加本计划其他一期的培养"))
    return problems


@transaction.atomic
def nomination_create(
    *,
    selection_round: SelectionRound,
    person: Person,
    institution: Institution,
    reason: str,
    nominated_on: datetime.date | None = None,
) -> Nomination:
    """An institution nominates one of its own staff while the call is open; people the
    programme's rules exclude are refused at once. It is dated today, which must fall in the
    nomination period; a past round is recorded with the real day of each nomination (the
    caller lets only those who may back-fill give one), which must fall in the period too."""
    on = nominated_on or timezone.localdate()
    cohort = selection_round.cohort
    programme = cohort.programme
    errors: dict[str, str] = {}
    if selection_round.status != SelectionRound.Status.OPEN:
        errors["round"] = _("本次遴选已停止征集提名。")
    elif on > timezone.localdate():
        errors["nominated_on"] = _("提名日期不能晚于今天。")
    elif not selection_round.opens_on <= on <= selection_round.closes_on:
        errors["nominated_on" if nominated_on else "round"] = _(
            "不在提名期内（%(start)s 至 %(end)s）。"
        ) % {
            "start": selection_round.opens_on.isoformat(),
            "end": selection_round.closes_on.isoformat(),
        }
    if institution.relation != "managed":
        errors["institution"] = _("只能由辖区管理的机构提名。")
    elif institution.commission_region_id != programme.region_id:
        errors["institution"] = _("该机构不属于此培养计划的卫健委辖区。")
    elif person.institution_id != institution.pk:
        errors["person"] = _("只能提名本机构的人员。")
    else:
        problems = _membership_errors(cohort, person) + rule_errors(programme, cohort, person)
        if problems:
            errors["person"] = "；".join(problems) + "。"
    if not _clean_text(reason):
        errors["reason"] = _("请填写推荐理由。")
    no_patient_data(errors, reason=reason)
    nomination = Nomination(
        round=selection_round,
        person=person,
        institution=institution,
        reason=_clean_text(reason),
        nominated_on=on,
    )
    return saved(nomination, errors)


@transaction.atomic
def review_score_record(
    *,
    nomination: Nomination,
    reviewer_name: str,
    score: Decimal | int,
    reviewer: Person | None = None,
    comment: str = "",
) -> ReviewScore:
    """A reviewer's score (0–100) of a nomination, once per reviewer, during review."""
    errors: dict[str, str] = {}
    if nomination.round.status != SelectionRound.Status.REVIEWING:
        errors["score"] = _("只有评审阶段可以评分。")
    if reviewer is not None and not _clean_text(reviewer_name):
        reviewer_name = reviewer.name
    if reviewer is not None and reviewer.pk == nomination.person_id:
        errors["reviewer_name"] = _("被提名人不能为自己评分。")
    no_patient_data(errors, comment=comment)
    item = ReviewScore(
        nomination=nomination,
        reviewer_name=_clean_text(reviewer_name),
        reviewer=reviewer,
        score=score,
        comment=_clean_text(comment),
    )
    return saved(item, errors)


@transaction.atomic
def selection_round_review(*, selection_round: SelectionRound) -> SelectionRound:
    """Close the call: no more nominations, the reviewers score."""
    if selection_round.status != SelectionRound.Status.OPEN:
        raise ValidationError({"status": _("只有征集提名中的遴选可以进入评审。")})
    if not selection_round.nominations.exists():
        raise ValidationError({"status": _("还没有提名，不能进入评审。")})
    selection_round.status = SelectionRound.Status.REVIEWING
    return saved(selection_round)


@transaction.atomic
def nomination_decide(
    *, nomination: Nomination, status: str, decided_on: datetime.date | None = None
) -> Nomination:
    """Mark a nomination chosen (入选) or not during review, today or (a past round) on the
    day it was decided, not before it was made; approval admits the chosen."""
    if nomination.round.status != SelectionRound.Status.REVIEWING:
        raise ValidationError({"status": _("只有评审阶段可以决定是否入选。")})
    if status not in (Nomination.Status.APPROVED, Nomination.Status.REJECTED):
        raise ValidationError({"status": _("请选择入选或不入选。")})
    decided_on = decided_on or timezone.localdate()
    if decided_on > timezone.localdate():
        raise ValidationError({"decided_on": _("决定日期不能晚于今天。")})
    if decided_on < nomination.nominated_on:
        raise ValidationError(
            {
                "decided_on": _("决定日期不能早于提名日期（%s）。")
                % nomination.nominated_on.isoformat()
            }
        )
    nomination.status = status
    nomination.decided_on = decided_on
    return saved(nomination)


def _places_taken(cohort: Cohort) -> int:
    return cohort.members.exclude(status=CohortMember.Status.WITHDRAWN).count()


@transaction.atomic
def selection_round_approve(
    *,
    selection_round: SelectionRound,
    approved_on: datetime.date | None = None,
    entered_on: datetime.date | None = None,
) -> list[CohortMember]:
    """Approve a round: every nomination chosen becomes a member of the cohort, or none does.
    Refused while a nomination is undecided, beyond the programme's quota (members who
    withdrew free their place), or when someone chosen breaks a rule of the programme."""
    approved_on = approved_on or timezone.localdate()
    entered_on = entered_on or approved_on
    # One approval at a time per cohort, so two rounds cannot both fill the last places.
    cohort = (
        Cohort.objects.select_for_update()
        .select_related("programme")
        .get(pk=selection_round.cohort_id)
    )
    programme = cohort.programme
    errors: dict[str, str] = {}
    if selection_round.status != SelectionRound.Status.REVIEWING:
        raise ValidationError({"status": _("只有评审中的遴选可以批准。")})
    if cohort.status == Cohort.Status.FINISHED:
        raise ValidationError({"status": _("该期已结束。")})
    if approved_on > timezone.localdate():
        errors["approved_on"] = _("批准日期不能晚于今天。")
    if entered_on < approved_on and entered_on < cohort.start_on:
        errors["entered_on"] = _("入选日期不能早于批准日期和本期开始日期。")
    if entered_on > cohort.end_on:
        errors["entered_on"] = _("入选日期不能晚于本期结束日期。")
    nominations = list(selection_round.nominations.select_related("person").order_by("id"))
    undecided = [n for n in nominations if n.status == Nomination.Status.NOMINATED]
    if undecided:
        errors["status"] = _("尚有 %d 份提名未决定是否入选。") % len(undecided)
    decided = [n.decided_on for n in nominations if n.decided_on is not None]
    if decided and approved_on < max(decided):
        errors.setdefault(
            "approved_on",
            _("批准日期不能早于最后一份提名的决定日期（%s）。") % max(decided).isoformat(),
        )
    chosen = [n for n in nominations if n.status == Nomination.Status.APPROVED]
    problems: list[str] = []
    for nomination in chosen:
        person = nomination.person
        found = _membership_errors(cohort, person) + rule_errors(programme, cohort, person)
        if found:
            problems.append(f"{person.name}：{'；'.join(found)}")
    if problems:
        errors["nominations"] = "\n".join(problems)
    taken = _places_taken(cohort)
    if taken + len(chosen) > programme.quota:
        errors["quota"] = _(
            "超出名额：本期名额 %(quota)d 人，已有 %(taken)d 人，拟入选 %(chosen)d 人。"
        ) % {"quota": programme.quota, "taken": taken, "chosen": len(chosen)}
    raise_errors(errors)
    members = [
        saved(
            CohortMember(
                cohort=cohort,
                person=nomination.person,
                nomination=nomination,
                entered_on=entered_on,
            ),
            {},
        )
        for nomination in chosen
    ]
    selection_round.status = SelectionRound.Status.APPROVED
    selection_round.approved_on = approved_on
    saved(selection_round)
    if cohort.status == Cohort.Status.SELECTING:
        cohort.status = Cohort.Status.RUNNING
        saved(cohort)
    return members


def _year_in_membership(
    member: CohortMember, year: object, errors: dict[str, str], field: str = "year"
) -> None:
    if not isinstance(year, int):
        return  # the model's own check names it
    first = member.entered_on.year
    last = (member.exited_on or member.cohort.end_on).year
    if not first <= year <= last:
        errors[field] = _("年度须在培养期内（%(first)d—%(last)d 年）。") % {
            "first": first,
            "last": last,
        }


@transaction.atomic
def member_goal_add(
    *, member: CohortMember, year: int, text: str, target_kind: str = ""
) -> MemberGoal:
    """A yearly goal in the member's cultivation plan."""
    errors: dict[str, str] = {}
    if member.status != CohortMember.Status.ACTIVE:
        errors["text"] = _("该培养对象已结业或退出。")
    _year_in_membership(member, year, errors)
    no_patient_data(errors, text=text)
    goal = MemberGoal(member=member, year=year, text=_clean_text(text), target_kind=target_kind)
    return saved(goal, errors)


@transaction.atomic
def member_goal_delete(*, goal: MemberGoal) -> None:
    if goal.member.status != CohortMember.Status.ACTIVE:
        raise ValidationError({"text": _("该培养对象已结业或退出，培养目标不再修改。")})
    goal.delete()


@transaction.atomic
def annual_review_record(
    *,
    member: CohortMember,
    year: int,
    rating: str,
    reviewer: str,
    comments: str = "",
    reviewed_on: datetime.date | None = None,
) -> AnnualReview:
    """A member's assessment for a year of their membership, once a year, not ahead of it."""
    reviewed_on = reviewed_on or timezone.localdate()
    errors: dict[str, str] = {}
    _year_in_membership(member, year, errors)
    if isinstance(year, int) and year > timezone.localdate().year:
        errors["year"] = _("不能考核未来的年度。")
    if reviewed_on > timezone.localdate():
        errors["reviewed_on"] = _("考核日期不能晚于今天。")
    elif isinstance(year, int) and reviewed_on.year < year:
        errors["reviewed_on"] = _("考核日期不能早于所考核的年度。")
    if not _clean_text(reviewer):
        errors["reviewer"] = _("请填写考核人。")
    no_patient_data(errors, comments=comments)
    review = AnnualReview(
        member=member,
        year=year,
        rating=rating,
        reviewer=_clean_text(reviewer),
        comments=_clean_text(comments),
        reviewed_on=reviewed_on,
    )
    return saved(review, errors)


def _exit_errors(
    member: CohortMember, on: datetime.date, errors: dict[str, str], field: str
) -> None:
    if member.status != CohortMember.Status.ACTIVE:
        errors[field] = _("该培养对象已结业或退出。")
    elif not on:
        errors[field] = _("请填写日期。")
    elif on < member.entered_on:
        errors[field] = _("结业/退出日期不能早于入选日期（%s）。") % member.entered_on.isoformat()
    elif on > timezone.localdate():
        errors[field] = _("日期不能晚于今天。")


@transaction.atomic
def member_complete(*, member: CohortMember, completed_on: datetime.date) -> CohortMember:
    """A member completes the programme (结业) and gets a certificate number: region, year,
    cohort and their place in its completions, e.g. 310113-2023-004-012. A year assessed
    不合格 keeps them from completing."""
    cohort = (
        Cohort.objects.select_for_update()
        .select_related("programme__region")
        .get(pk=member.cohort_id)
    )
    errors: dict[str, str] = {}
    _exit_errors(member, completed_on, errors, "completed_on")
    failed = member.reviews.filter(rating=AnnualReview.Rating.UNQUALIFIED).values_list(
        "year", flat=True
    )
    if not errors and failed:
        errors["completed_on"] = _("%s 年度考核不合格，不能结业。") % "、".join(
            str(year) for year in sorted(failed)
        )
    raise_errors(errors)
    issued = CohortMember.objects.filter(cohort=cohort).exclude(certificate_number="").count() + 1
    member.status = CohortMember.Status.COMPLETED
    member.exited_on = completed_on
    member.exit_reason = ""
    member.certificate_number = (
        f"{cohort.programme.region.code}-{cohort.year}-{cohort.pk:03d}-{issued:03d}"
    )
    return saved(member, errors)


@transaction.atomic
def member_withdraw(*, member: CohortMember, on: datetime.date, reason: str) -> CohortMember:
    """A member leaves before completing (transfer, illness, failed assessment); their place
    in the quota is freed."""
    errors: dict[str, str] = {}
    _exit_errors(member, on, errors, "on")
    if not _clean_text(reason):
        errors["reason"] = _("请填写退出原因。")
    no_patient_data(errors, reason=reason)
    raise_errors(errors)
    member.status = CohortMember.Status.WITHDRAWN
    member.exited_on = on
    member.exit_reason = _clean_text(reason)
    return saved(member, errors)
