"""Partner agreements and recruitment plans: recorded and changed, every problem of a
submission named at once; a plan's steps from draft to close, each once."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yicai.access.models import RequestUser
from yicai.codes.models import Code
from yicai.org.models import Department, Institution
from yicai.org.queries import INSTITUTION_OUT_OF_SCOPE
from yicai.people.models import Person
from yicai.people.queries import PERSON_OUT_OF_SCOPE, people_for
from yicai.recruitment import queries
from yicai.recruitment.models import Introduction, PartnerAgreement, Post, RecruitmentPlan
from yicai.validation import full_clean_or_raise

AGREEMENT_FIELDS = (
    "institution",
    "department",
    "partner",
    "partner_name",
    "kind",
    "title",
    "signed_on",
    "starts_on",
    "ends_on",
    "note",
)


def _changed(record: Any, names: tuple[str, ...], fields: dict[str, Any]) -> None:
    """Set `fields` (of `names`, trimmed); another name is a caller's mistake."""
    unknown = set(fields) - set(names)
    if unknown:
        raise TypeError(f"not {type(record).__name__} fields: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(record, name, value.strip() if isinstance(value, str) else value)


def _errors(agreement: PartnerAgreement, by: RequestUser | None) -> dict[str, str]:
    """The service's own checks; `by` None is the command line, which may write anywhere."""
    errors: dict[str, str] = {}
    institution = agreement.institution
    if by is not None and not queries.managed_institutions(by).filter(pk=institution.pk).exists():
        errors["institution"] = str(INSTITUTION_OUT_OF_SCOPE)
    department = agreement.department
    if department is not None and department.institution_id != institution.pk:
        errors["department"] = _("科室不属于所选机构。")
    partner = agreement.partner
    if partner is None and not agreement.partner_name:
        errors["partner"] = _("请选择合作机构，或填写未登记机构的名称。")
    elif partner is not None and agreement.partner_name:
        errors["partner_name"] = _("已选择登记在册的合作机构，不必再填写名称。")
    elif partner is not None and partner.relation != Institution.Relation.PARTNER:
        errors["partner"] = str(queries.NOT_A_PARTNER)
    ends_on, starts_on = agreement.ends_on, agreement.starts_on
    if ends_on is not None and starts_on is not None and ends_on < starts_on:
        errors["ends_on"] = _("截止日期不能早于起始日期。")
    return errors


def _saved(agreement: PartnerAgreement, by: RequestUser | None) -> PartnerAgreement:
    errors = _errors(agreement, by)
    # The model's constraints on a field named here would say the same again.
    full_clean_or_raise(agreement, errors, exclude=sorted(errors))
    agreement.save()
    return agreement


@transaction.atomic
def agreement_create(
    *,
    by: RequestUser | None,
    institution: Institution,
    kind: str,
    title: str,
    signed_on: datetime.date,
    starts_on: datetime.date,
    partner: Institution | None = None,
    partner_name: str = "",
    department: Department | None = None,
    ends_on: datetime.date | None = None,
    note: str = "",
) -> PartnerAgreement:
    """Record an agreement `by` a user (who must keep the institution's records)."""
    agreement = PartnerAgreement(
        institution=institution,
        department=department,
        partner=partner,
        partner_name=(partner_name or "").strip(),
        kind=kind,
        title=(title or "").strip(),
        signed_on=signed_on,
        starts_on=starts_on,
        ends_on=ends_on,
        note=(note or "").strip(),
    )
    return _saved(agreement, by)


@transaction.atomic
def agreement_update(
    *, agreement: PartnerAgreement, by: RequestUser | None, **fields: Any
) -> PartnerAgreement:
    """Change an agreement's fields (AGREEMENT_FIELDS)."""
    _changed(agreement, AGREEMENT_FIELDS, fields)
    return _saved(agreement, by)


# --- Recruitment plans -------------------------------------------------------------------

PLAN_FIELDS = ("institution", "year", "title", "written_weight", "interview_weight", "note")
POST_FIELDS = (
    "name",
    "department",
    "specialty",
    "places",
    "procedure",
    "organiser",
    "min_education",
    "min_degree",
    "title_required",
    "max_age",
    "staffing",
    "note",
)
Status = RecruitmentPlan.Status


def _locked(plan: RecruitmentPlan) -> RecruitmentPlan:
    """The plan as it stands, held until the transaction ends: two clicks on "approve", or an
    approval while the hospital edits a post, happen one after the other."""
    found = RecruitmentPlan.objects.select_for_update().filter(pk=plan.pk).first()
    if found is None:
        raise ValidationError({"status": _("该计划已被删除。")})
    return found


def locked_message(plan: RecruitmentPlan) -> str:
    """Why a plan's fields and posts cannot change now (the page says it as the service)."""
    if plan.status == Status.SUBMITTED:
        return _("计划正在等待卫健委审批，不能修改；退回后才能修改。")
    return _("计划状态为“%s”，不能再修改。") % plan.get_status_display()


def _still_editable(plan: RecruitmentPlan) -> None:
    if not plan.editable:
        raise ValidationError({"status": locked_message(plan)})


def _day(on: datetime.date | None, not_before: datetime.date | None, field: str) -> datetime.date:
    """The day a step was taken (today by default; earlier for a plan of past years), never in
    the future and never before the step it follows."""
    today = timezone.localdate()
    day = on or today
    if day > today:
        raise ValidationError({field: _("日期不能晚于今天。")})
    if not_before is not None and day < not_before:
        raise ValidationError({field: _("日期不能早于上一步的日期（%s）。") % not_before})
    return day


def _saved_plan(plan: RecruitmentPlan, by: RequestUser | None) -> RecruitmentPlan:
    errors: dict[str, str] = {}
    if (
        by is not None
        and not queries.managed_institutions(by).filter(pk=plan.institution_id).exists()
    ):
        errors["institution"] = str(INSTITUTION_OUT_OF_SCOPE)
    written, interview = plan.written_weight, plan.interview_weight
    if written is not None and interview is not None and written + interview != 100:
        errors["interview_weight"] = _("笔试与面试成绩占比之和须为 100%。")
    full_clean_or_raise(plan, errors, exclude=sorted(errors))
    plan.save()
    return plan


@transaction.atomic
def plan_create(
    *,
    by: RequestUser | None,
    institution: Institution,
    year: int,
    title: str,
    written_weight: int = 40,
    interview_weight: int = 60,
    note: str = "",
) -> RecruitmentPlan:
    """A draft plan of `institution` (one `by` a user must be theirs to edit)."""
    plan = RecruitmentPlan(
        institution=institution,
        year=year,
        title=(title or "").strip(),
        written_weight=written_weight,
        interview_weight=interview_weight,
        note=(note or "").strip(),
    )
    return _saved_plan(plan, by)


@transaction.atomic
def plan_update(*, plan: RecruitmentPlan, by: RequestUser | None, **fields: Any) -> RecruitmentPlan:
    """Change a draft or returned plan's fields (PLAN_FIELDS); its institution only while it
    has no posts (their departments are that institution's)."""
    plan = _locked(plan)
    _still_editable(plan)
    moved = fields.get("institution", plan.institution) != plan.institution
    if moved and plan.posts.exists():
        raise ValidationError({"institution": _("计划已有岗位，不能更换招聘单位。")})
    _changed(plan, PLAN_FIELDS, fields)
    return _saved_plan(plan, by)


@transaction.atomic
def plan_delete(*, plan: RecruitmentPlan) -> None:
    """Delete a plan never submitted (a submitted one is on the commission's record)."""
    plan = _locked(plan)
    if plan.status != Status.DRAFT or plan.submitted_on is not None:
        raise ValidationError({"status": _("只能删除从未报送的草稿计划。")})
    plan.delete()


def _saved_post(post: Post) -> Post:
    errors: dict[str, str] = {}
    department = post.department
    if department is not None and department.institution_id != post.plan.institution_id:
        errors["department"] = _("科室不属于招聘单位。")
    full_clean_or_raise(post, errors, exclude=sorted(errors))
    post.save()
    return post


@transaction.atomic
def post_add(
    *,
    plan: RecruitmentPlan,
    name: str,
    specialty: str,
    places: int,
    procedure: str,
    organiser: str = Post.Organiser.INSTITUTION,
    department: Department | None = None,
    min_education: Code | None = None,
    min_degree: Code | None = None,
    title_required: Code | None = None,
    max_age: int | None = None,
    staffing: Code | None = None,
    note: str = "",
) -> Post:
    """A post of a draft or returned plan."""
    plan = _locked(plan)
    _still_editable(plan)
    post = Post(
        plan=plan,
        name=(name or "").strip(),
        specialty=(specialty or "").strip(),
        places=places,
        procedure=procedure,
        organiser=organiser,
        department=department,
        min_education=min_education,
        min_degree=min_degree,
        title_required=title_required,
        max_age=max_age,
        staffing=staffing,
        note=(note or "").strip(),
    )
    return _saved_post(post)


@transaction.atomic
def post_update(*, post: Post, **fields: Any) -> Post:
    """Change a post (POST_FIELDS) while its plan may be edited."""
    post = _locked_post(post)
    _changed(post, POST_FIELDS, fields)
    return _saved_post(post)


@transaction.atomic
def post_delete(*, post: Post) -> None:
    _locked_post(post).delete()


def _locked_post(post: Post) -> Post:
    """The post as it stands, its plan held and still open to changes: an edit in another tab
    does not bring back a post deleted meanwhile."""
    plan = _locked(post.plan)
    _still_editable(plan)
    found = Post.objects.filter(pk=post.pk, plan=plan).first()
    if found is None:
        raise ValidationError({"status": _("该岗位已被删除。")})
    found.plan = plan
    return found


@transaction.atomic
def plan_submit(*, plan: RecruitmentPlan, on: datetime.date | None = None) -> RecruitmentPlan:
    """Send a draft (or a returned plan, corrected) to the commission."""
    plan = _locked(plan)
    _still_editable(plan)
    if not plan.posts.exists():
        raise ValidationError({"status": _("计划还没有岗位，不能报送。")})
    # Sent again after a return: not before the return, and the return's decision is over.
    plan.submitted_on = _day(on, plan.decided_on, "submitted_on")
    plan.status = Status.SUBMITTED
    plan.decided_on, plan.decided_by, plan.return_reason = None, None, ""
    plan.save(update_fields=["status", "submitted_on", "decided_on", "decided_by", "return_reason"])
    return plan


def _decided(
    plan: RecruitmentPlan,
    by: RequestUser | None,
    on: datetime.date | None,
    errors: dict[str, str] | None = None,
) -> None:
    """Record the commission's decision on a submitted plan (with `errors` found before)."""
    errors = dict(errors or {})
    if plan.status != Status.SUBMITTED:
        errors["status"] = _("只有待审批的计划可以审批（该计划%s）。") % plan.get_status_display()
    if errors:
        raise ValidationError(errors)
    plan.decided_on = _day(on, plan.submitted_on, "decided_on")
    plan.decided_by = by if by is not None and by.is_authenticated else None


@transaction.atomic
def plan_approve(
    *, plan: RecruitmentPlan, by: RequestUser | None, on: datetime.date | None = None
) -> RecruitmentPlan:
    """The commission approves a submitted plan; a second approval is refused, not repeated."""
    plan = _locked(plan)
    _decided(plan, by, on)
    plan.status, plan.return_reason = Status.APPROVED, ""
    plan.save(update_fields=["status", "decided_on", "decided_by", "return_reason"])
    return plan


@transaction.atomic
def plan_return(
    *,
    plan: RecruitmentPlan,
    by: RequestUser | None,
    reason: str,
    on: datetime.date | None = None,
) -> RecruitmentPlan:
    """The commission returns a submitted plan to its institution, saying why."""
    plan = _locked(plan)
    reason = (reason or "").strip()
    _decided(plan, by, on, {} if reason else {"reason": _("请填写退回原因。")})
    plan.status, plan.return_reason = Status.RETURNED, reason
    plan.save(update_fields=["status", "decided_on", "decided_by", "return_reason"])
    return plan


def _next_step(
    plan: RecruitmentPlan,
    on: datetime.date | None,
    *,
    was: str,
    becomes: str,
    day: str,
    after: str,
    refused: str,
) -> RecruitmentPlan:
    """Move the plan from `was` to `becomes` on the day `on` (into the field `day`, not before
    the field `after`), or refuse with `refused`."""
    plan = _locked(plan)
    if plan.status != was:
        raise ValidationError({"status": refused})
    setattr(plan, day, _day(on, getattr(plan, after), day))
    plan.status = becomes
    plan.save(update_fields=["status", day])
    return plan


@transaction.atomic
def plan_publish(*, plan: RecruitmentPlan, on: datetime.date | None = None) -> RecruitmentPlan:
    """Publish an approved plan (its announcement is out: applications open)."""
    return _next_step(
        plan,
        on,
        was=Status.APPROVED,
        becomes=Status.PUBLISHED,
        day="published_on",
        after="decided_on",
        refused=_("只有已批准的计划可以发布。"),
    )


@transaction.atomic
def plan_close(*, plan: RecruitmentPlan, on: datetime.date | None = None) -> RecruitmentPlan:
    """Close a published plan: its recruitment is over."""
    return _next_step(
        plan,
        on,
        was=Status.PUBLISHED,
        becomes=Status.CLOSED,
        day="closed_on",
        after="published_on",
        refused=_("只有已发布的计划可以结束。"),
    )


# --- Introductions -----------------------------------------------------------------------

INTRODUCTION_FIELDS = (
    "person",
    "institution",
    "department",
    "introduced_on",
    "mode",
    "category",
    "tier",
    "title_grade",
    "previous_employer",
    "post",
    "service_years",
    "note",
)


def _saved_introduction(introduction: Introduction, by: RequestUser | None) -> Introduction:
    errors: dict[str, str] = {}
    institution, person = introduction.institution, introduction.person
    if by is not None:
        if not queries.managed_institutions(by).filter(pk=institution.pk).exists():
            errors["institution"] = str(INSTITUTION_OUT_OF_SCOPE)
        if not people_for(by, "person.edit").filter(pk=person.pk).exists():
            errors["person"] = str(PERSON_OUT_OF_SCOPE)
    department = introduction.department
    if department is not None and department.institution_id != institution.pk:
        errors["department"] = _("科室不属于引进单位。")
    # A title left out is the one the person holds on file.
    introduction.title_grade = introduction.title_grade or person.title_grade
    full_clean_or_raise(introduction, errors, exclude=sorted(errors))
    introduction.save()
    return introduction


@transaction.atomic
def introduction_create(
    *,
    by: RequestUser | None,
    person: Person,
    institution: Institution,
    introduced_on: datetime.date,
    mode: str,
    category: str,
    department: Department | None = None,
    tier: str = "",
    title_grade: str = "",
    previous_employer: str = "",
    post: str = "",
    service_years: int | None = None,
    note: str = "",
) -> Introduction:
    """Record an introduction `by` a user (who must keep the institution's and the person's
    records; None: the command line)."""
    introduction = Introduction(
        person=person,
        institution=institution,
        department=department,
        introduced_on=introduced_on,
        mode=mode,
        category=category,
        tier=(tier or "").strip(),
        title_grade=title_grade or "",
        previous_employer=(previous_employer or "").strip(),
        post=(post or "").strip(),
        service_years=service_years,
        note=(note or "").strip(),
    )
    return _saved_introduction(introduction, by)


@transaction.atomic
def introduction_update(
    *, introduction: Introduction, by: RequestUser | None, **fields: Any
) -> Introduction:
    """Change an introduction's fields (INTRODUCTION_FIELDS)."""
    _changed(introduction, INTRODUCTION_FIELDS, fields)
    return _saved_introduction(introduction, by)


@transaction.atomic
def introduction_delete(*, introduction: Introduction) -> None:
    introduction.delete()
