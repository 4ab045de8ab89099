"""Partner agreements and recruitment plans: recorded and changed, every problem of a
submission named at once; a plan's steps from draft to close, each once."""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yicai.access import audit
from yicai.access.models import AuditEntry, RequestUser
from yicai.codes.models import Code
from yicai.documents import checked_suffix
from yicai.org.models import Department, Institution
from yicai.org.queries import INSTITUTION_OUT_OF_SCOPE
from yicai.people.identity import normalise, seal_identity, seal_phone
from yicai.people.models import Person
from yicai.people.queries import PERSON_OUT_OF_SCOPE, people_for
from yicai.people.services import (
    appointment_add,
    education_add,
    person_create,
    person_update,
    record_update,
    title_add,
)
from yicai.recruitment import eligibility, queries
from yicai.recruitment.models import (
    Application,
    Breach,
    Clawback,
    DirectedContract,
    DirectedKind,
    Entitlement,
    Introduction,
    InvitationEvent,
    Invitee,
    Objection,
    OwedBack,
    PartnerAgreement,
    Post,
    PublicNotice,
    RecruitmentPlan,
    Referral,
    Tranche,
)
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
    "terms",
    "note",
)


def _document(document: File[bytes] | None, errors: dict[str, str]) -> str:
    """The suffix of a document uploaded with a record (PDF, JPG or PNG), "" for none."""
    if document is None:
        return ""
    return checked_suffix(document, "document", _("协议文本"), errors)


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


def _saved(
    agreement: PartnerAgreement, by: RequestUser | None, document: File[bytes] | None = None
) -> PartnerAgreement:
    errors = _errors(agreement, by)
    suffix = _document(document, errors)
    # The model's constraints on a field named here would say the same again.
    full_clean_or_raise(agreement, errors, exclude=sorted({*errors, "document"}))
    if document is not None:  # under a random name, its suffix by its content
        agreement.document.save(f"agreement{suffix}", document, save=False)
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
    terms: str = "",
    note: str = "",
    document: File[bytes] | None = None,
) -> PartnerAgreement:
    """Record an agreement `by` a user (who must keep the institution's records), with its
    signed text when uploaded."""
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
        terms=(terms or "").strip(),
        note=(note or "").strip(),
    )
    return _saved(agreement, by, document)


@transaction.atomic
def agreement_update(
    *,
    agreement: PartnerAgreement,
    by: RequestUser | None,
    document: File[bytes] | None = None,
    **fields: Any,
) -> PartnerAgreement:
    """Change an agreement's fields (AGREEMENT_FIELDS); a document uploaded replaces the
    one kept."""
    _changed(agreement, AGREEMENT_FIELDS, fields)
    return _saved(agreement, by, document)


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


def _saved_introduction(
    introduction: Introduction, by: RequestUser | None, document: File[bytes] | None = None
) -> Introduction:
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
    tiers = queries.tier_names()
    if introduction.tier and tiers and introduction.tier not in tiers:
        errors["tier"] = _("层次“%(tier)s”不在人才层次中（%(tiers)s）。") % {
            "tier": introduction.tier,
            "tiers": "、".join(tiers),
        }
    # A title left out is the one the person holds on file.
    introduction.title_grade = introduction.title_grade or person.title_grade
    suffix = _document(document, errors)
    full_clean_or_raise(introduction, errors, exclude=sorted({*errors, "document"}))
    if document is not None:
        introduction.document.save(f"introduction{suffix}", document, save=False)
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
    document: File[bytes] | None = None,
) -> Introduction:
    """Record an introduction `by` a user (who must keep the institution's and the person's
    records; None: the command line), with the signed agreement when uploaded."""
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
    return _saved_introduction(introduction, by, document)


@transaction.atomic
def introduction_update(
    *,
    introduction: Introduction,
    by: RequestUser | None,
    document: File[bytes] | None = None,
    **fields: Any,
) -> Introduction:
    """Change an introduction's fields (INTRODUCTION_FIELDS); a document uploaded replaces
    the one kept."""
    _changed(introduction, INTRODUCTION_FIELDS, fields)
    return _saved_introduction(introduction, by, document)


@transaction.atomic
def introduction_delete(*, introduction: Introduction) -> None:
    introduction.delete()


# --- Applications: from the eligibility review to a hire ----------------------------------

APPLICATION_FIELDS = (
    "exam_number",
    "name",
    "id_number",
    "phone",
    "sex",
    "birth_date",
    "education",
    "degree",
    "school",
    "major",
    "title",
    "applied_on",
    "note",
)
Stage = Application.Stage
AppStatus = Application.Status
# Where each status stands when the applicant withdraws or fails there.
_STAGE_OF: dict[str, str] = {
    AppStatus.APPLIED: Stage.ELIGIBILITY,
    AppStatus.ELIGIBLE: Stage.EXAM,
    AppStatus.MEDICAL: Stage.MEDICAL,
    AppStatus.BACKGROUND: Stage.BACKGROUND,
    AppStatus.CLEARED: Stage.BACKGROUND,
    AppStatus.NOTICE: Stage.NOTICE,
}
_REVIEWABLE = (AppStatus.APPLIED, AppStatus.ELIGIBLE, AppStatus.INELIGIBLE)
# The person's source on file, by the post's procedure (codes person_source).
HIRE_SOURCE: dict[str, str] = {
    Post.Procedure.OPEN: "open_recruitment",
    Post.Procedure.SIMPLIFIED: "simplified_recruitment",
}


def _locked_application(application: Application) -> Application:
    """The application as it stands, held until the transaction ends (two tabs, a double
    click: the second sees what the first did)."""
    # The application's row only: PostgreSQL refuses FOR UPDATE on the nullable side of an
    # outer join (the notice); the post, plan and notice are read here, never changed.
    found = (
        Application.objects.select_for_update(of=("self",))
        .select_related("post__plan", "notice")
        .filter(pk=application.pk)
        .first()
    )
    if found is None:
        raise ValidationError({"status": _("该报名记录已被删除。")})
    return found


def _refuse_unless(application: Application, *statuses: str) -> None:
    if application.status not in statuses:
        raise ValidationError(
            {"status": _("该考生当前为“%s”，不能进行此操作。") % application.get_status_display()}
        )


def _review(application: Application) -> None:
    """Run the eligibility review (unless an officer has decided) and set the status."""
    if application.eligibility_decided_by_id is not None or application.eligibility_reason:
        return
    post = application.post
    found = eligibility.review(
        min_education=post.min_education,
        min_degree=post.min_degree,
        title_required=post.title_required,
        max_age=post.max_age,
        specialty=post.specialty,
        education=application.education,
        degree=application.degree,
        title=application.title,
        birth_date=application.birth_date,
        major=application.major,
        # Everyone's age on one day: the announcement's, else the application's.
        on=post.plan.published_on or application.applied_on,
    )
    application.eligibility_findings = found.findings
    if found.refusals:
        application.status = AppStatus.INELIGIBLE
    elif found.questions:
        application.status = AppStatus.APPLIED
    else:
        application.status = AppStatus.ELIGIBLE


def _saved_application(
    application: Application, by: RequestUser | None, id_number: str | None, phone: str | None
) -> Application:
    errors: dict[str, str] = {}
    # The plan as it stands (closed meanwhile in another tab?), held while this is written.
    plan = application.post.plan = _locked(application.post.plan)
    if (
        by is not None
        and not queries.managed_institutions(by).filter(pk=plan.institution_id).exists()
    ):
        errors["post"] = str(INSTITUTION_OUT_OF_SCOPE)
    if plan.status != Status.PUBLISHED:
        errors["post"] = _("计划状态为“%s”：只有已发布的计划接受报名。") % plan.get_status_display()
    if id_number is not None:
        if not normalise(id_number or ""):
            errors["id_number"] = _("请填写身份证号码。")
        else:
            errors.update(seal_identity(application, id_number))
    if phone is not None:
        errors.update(seal_phone(application, phone))
    index = application.id_number_index
    if "id_number" not in errors and index:
        # One post per applicant in a plan (每人限报一个岗位).
        other = (
            Application.objects.filter(post__plan=plan, id_number_index=index)
            .exclude(pk=application.pk)
            .select_related("post")
            .first()
        )
        if other is not None:
            errors["id_number"] = _("该考生已报名本计划的岗位“%s”，每人限报一个岗位。") % other.post
    if application.applied_on and plan.published_on and application.applied_on < plan.published_on:
        errors["applied_on"] = _("报名日期不能早于计划发布日期（%s）。") % plan.published_on
    full_clean_or_raise(application, errors, exclude=sorted({*errors, "id_number_index"}))
    _review(application)
    application.save()
    return application


@transaction.atomic
def application_create(
    *,
    by: RequestUser | None,
    post: Post,
    name: str,
    id_number: str,
    applied_on: datetime.date | None = None,
    phone: str = "",
    sex: Code | None = None,
    birth_date: datetime.date | None = None,
    exam_number: str = "",
    education: Code | None = None,
    degree: Code | None = None,
    school: str = "",
    major: str = "",
    title: Code | None = None,
    note: str = "",
) -> Application:
    """An application to a post of a published plan, reviewed at once against the post's
    rules: eligible, ineligible with the reasons, or left to an officer saying what to check."""
    application = Application(
        post=post,
        name=(name or "").strip(),
        sex=sex,
        birth_date=birth_date,
        exam_number=(exam_number or "").strip(),
        education=education,
        degree=degree,
        school=(school or "").strip(),
        major=(major or "").strip(),
        title=title,
        applied_on=applied_on or timezone.localdate(),
        note=(note or "").strip(),
    )
    return _saved_application(application, by, id_number, phone)


@transaction.atomic
def application_update(
    *,
    application: Application,
    by: RequestUser | None,
    id_number: str | None = None,
    phone: str | None = None,
    **fields: Any,
) -> Application:
    """Correct an applicant's details (APPLICATION_FIELDS) until the review is settled by the
    exams; the review runs again unless an officer decided it."""
    application = _locked_application(application)
    _refuse_unless(application, *_REVIEWABLE)
    _changed(application, APPLICATION_FIELDS, fields)
    return _saved_application(application, by, id_number, phone)


@transaction.atomic
def application_delete(*, application: Application) -> None:
    """Delete an application entered by mistake, before anything was decided on it."""
    application = _locked_application(application)
    if application.status != AppStatus.APPLIED or application.written_score is not None:
        raise ValidationError({"status": _("只能删除待资格审查、尚无成绩的报名记录。")})
    application.delete()


@transaction.atomic
def eligibility_decide(
    *, application: Application, by: RequestUser | None, eligible: bool, reason: str
) -> Application:
    """An officer's decision on the review (人工审查): it stands over what the automatic
    review found, which is kept beside it, with the reason."""
    application = _locked_application(application)
    _refuse_unless(application, *_REVIEWABLE)
    if application.written_score is not None or application.interview_score is not None:
        raise ValidationError({"status": _("该考生已有考试成绩，资格审查结论不能再改。")})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写审查理由。")})
    application.status = AppStatus.ELIGIBLE if eligible else AppStatus.INELIGIBLE
    application.eligibility_reason = reason
    application.eligibility_decided_by = by if by is not None and by.is_authenticated else None
    application.save(update_fields=["status", "eligibility_reason", "eligibility_decided_by"])
    return application


@transaction.atomic
def application_scores(
    *,
    application: Application,
    written_score: Decimal | None,
    interview_score: Decimal | None,
    exam_number: str | None = None,
) -> Application:
    """Record (or correct) an eligible applicant's exam scores, until the medical check's
    candidates are chosen from them."""
    application = _locked_application(application)
    if application.status != AppStatus.ELIGIBLE:
        raise ValidationError(
            {
                "status": _("只能为资格审查通过、尚未确定体检人选的考生登记成绩（该考生%s）。")
                % application.get_status_display()
            }
        )
    application.written_score = written_score
    application.interview_score = interview_score
    if exam_number is not None:
        application.exam_number = exam_number.strip()
    full_clean_or_raise(application, exclude=["id_number_index"])
    application.save(update_fields=["written_score", "interview_score", "exam_number"])
    return application


@dataclass(frozen=True)
class Shortlist:
    """Who went on to the medical check, and a tie at the last open place left to decide."""

    chosen: list[Application]
    tied: list[Application]


def _open_places(post: Post) -> int:
    return post.places - post.applications.filter(status__in=queries.HOLDING_PLACE).count()


def _ready_to_rank(post: Post) -> None:
    """Every applicant of the post is reviewed and scored (or out) before anyone is chosen:
    a rank read from half the scores is no rank."""
    waiting = post.applications.filter(status=AppStatus.APPLIED).count()
    unscored = [
        application
        for application in post.applications.filter(status=AppStatus.ELIGIBLE)
        if queries.combined_score(application, post.plan) is None
    ]
    if waiting or unscored:
        raise ValidationError(
            {
                "status": _(
                    "还有 %(waiting)d 名考生待资格审查、%(unscored)d 名考生缺少成绩："
                    "请先完成审查、登记成绩，或登记其放弃、缺考。"
                )
                % {"waiting": waiting, "unscored": len(unscored)}
            }
        )


@transaction.atomic
def post_shortlist(*, post: Post) -> Shortlist:
    """Send the best-ranked eligible applicants to the medical check (入围体检), as many as
    the post has places not held; again after someone drops out, the next in rank (递补).
    Applicants tied at the last open place are not chosen among: an officer decides
    (application_shortlist), after an extra test for instance."""
    plan = _locked(post.plan)
    if plan.status != Status.PUBLISHED:
        raise ValidationError({"status": _("只有已发布的计划可以确定体检人选。")})
    list(post.applications.select_for_update().values_list("pk", flat=True))
    _ready_to_rank(post)
    open_places = _open_places(post)
    if open_places <= 0:
        raise ValidationError({"status": _("本岗位 %d 个名额已全部有人选。") % post.places})
    waiting = [
        ranked
        for ranked in queries.post_ranking(post)
        if ranked.application.status == AppStatus.ELIGIBLE
    ]
    chosen: list[Application] = []
    tied: list[Application] = []
    for rank in sorted({ranked.rank for ranked in waiting}):
        group = [ranked.application for ranked in waiting if ranked.rank == rank]
        if len(chosen) + len(group) > open_places:
            tied = group if len(chosen) < open_places else []
            break
        chosen.extend(group)
    if not chosen and not tied:
        raise ValidationError({"status": _("没有可递补的考生。")})
    for application in chosen:
        application.status = AppStatus.MEDICAL
        application.save(update_fields=["status"])
    return Shortlist(chosen, tied)


@transaction.atomic
def application_shortlist(*, application: Application, reason: str) -> Application:
    """An officer sends one applicant to the medical check out of a tie at the last open
    place (decided by an extra test, say), saying why: never past a better-ranked applicant
    still waiting."""
    application = _locked_application(application)
    post = application.post
    _refuse_unless(application, AppStatus.ELIGIBLE)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写确定理由（如加试结果）。")})
    _ready_to_rank(post)
    if _open_places(post) <= 0:
        raise ValidationError({"status": _("本岗位 %d 个名额已全部有人选。") % post.places})
    ranking = queries.post_ranking(post)
    mine = next(ranked.rank for ranked in ranking if ranked.application.pk == application.pk)
    ahead = [
        ranked.application.name
        for ranked in ranking
        if ranked.rank < mine and ranked.application.status == AppStatus.ELIGIBLE
    ]
    if ahead:
        raise ValidationError({"status": _("排名在前的考生尚未确定：%s。") % "、".join(ahead)})
    application.status = AppStatus.MEDICAL
    application.shortlist_reason = reason
    application.save(update_fields=["status", "shortlist_reason"])
    return application


@transaction.atomic
def application_check(*, application: Application, passed: bool, reason: str = "") -> Application:
    """The medical check's (体检) or the background check's (考察) result: on to the next, or
    out at this stage, saying why."""
    application = _locked_application(application)
    _refuse_unless(application, AppStatus.MEDICAL, AppStatus.BACKGROUND)
    reason = (reason or "").strip()
    if passed:
        application.status = (
            AppStatus.BACKGROUND if application.status == AppStatus.MEDICAL else AppStatus.CLEARED
        )
    else:
        if not reason:
            raise ValidationError({"reason": _("请填写不合格原因。")})
        application.stage = _STAGE_OF[application.status]
        application.status, application.outcome_reason = AppStatus.FAILED, reason
    application.save(update_fields=["status", "stage", "outcome_reason"])
    return application


@transaction.atomic
def application_out(*, application: Application, withdrawn: bool, reason: str) -> Application:
    """The applicant withdraws (放弃) or fails (缺考, 成绩不合格 ...) where they stand; their
    place, if they held one, goes to the next in rank."""
    application = _locked_application(application)
    stage = _STAGE_OF.get(application.status)
    if stage is None:
        raise ValidationError(
            {"status": _("该考生已是“%s”，不能再变更。") % application.get_status_display()}
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写原因。")})
    application.status = AppStatus.WITHDRAWN if withdrawn else AppStatus.FAILED
    application.stage, application.outcome_reason = stage, reason
    application.save(update_fields=["status", "stage", "outcome_reason"])
    return application


@transaction.atomic
def notice_publish(
    *,
    plan: RecruitmentPlan,
    by: RequestUser | None,
    starts_on: datetime.date,
    ends_on: datetime.date,
    title: str = "",
) -> PublicNotice:
    """Publish the notice (公示) of the plan's applicants who passed both checks."""
    plan = _locked(plan)
    if plan.status != Status.PUBLISHED:
        raise ValidationError({"status": _("只有已发布的计划可以公示。")})
    cleared = list(
        Application.objects.select_for_update(of=("self",))
        .filter(post__plan=plan, status=AppStatus.CLEARED)
        .order_by("post", "id")
    )
    if not cleared:
        raise ValidationError({"status": _("没有待公示的考生（体检、考察均合格者）。")})
    errors: dict[str, str] = {}
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = _("截止日期不能早于起始日期。")
    if starts_on and plan.published_on and starts_on < plan.published_on:
        errors["starts_on"] = _("公示不能早于计划发布日期（%s）。") % plan.published_on
    notice = PublicNotice(
        plan=plan,
        title=(title or "").strip() or _("%s拟聘用人员公示") % plan,
        starts_on=starts_on,
        ends_on=ends_on,
        published_by=by if by is not None and by.is_authenticated else None,
    )
    full_clean_or_raise(notice, errors, exclude=sorted(errors))
    notice.save()
    for application in cleared:
        application.status, application.notice = AppStatus.NOTICE, notice
        application.save(update_fields=["status", "notice"])
    return notice


@transaction.atomic
def objection_record(
    *, application: Application, received_on: datetime.date, content: str
) -> Objection:
    """An objection to a candidate on the notice; it holds the hire until it is resolved."""
    application = _locked_application(application)
    _refuse_unless(application, AppStatus.NOTICE)
    errors: dict[str, str] = {}
    notice = application.notice
    if notice is not None and received_on and received_on < notice.starts_on:
        errors["received_on"] = _("收到日期不能早于公示开始日期（%s）。") % notice.starts_on
    objection = Objection(
        application=application, received_on=received_on, content=(content or "").strip()
    )
    full_clean_or_raise(objection, errors, exclude=sorted(errors))
    objection.save()
    return objection


@transaction.atomic
def objection_resolve(
    *,
    objection: Objection,
    by: RequestUser | None,
    upheld: bool,
    resolution: str,
    on: datetime.date | None = None,
) -> Objection:
    """Settle an objection: found true, the candidate is out at the notice; else the hire
    may go ahead."""
    application = _locked_application(objection.application)
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    if objection.resolved_on is not None:
        raise ValidationError({"status": _("该异议已于 %s 处理。") % objection.resolved_on})
    resolution = (resolution or "").strip()
    if not resolution:
        raise ValidationError({"resolution": _("请填写核查结果。")})
    objection.resolved_on = _day(on, objection.received_on, "resolved_on")
    objection.upheld, objection.resolution = upheld, resolution
    objection.resolved_by = by if by is not None and by.is_authenticated else None
    objection.save()
    if upheld and application.status == AppStatus.NOTICE:
        application.status, application.stage = AppStatus.FAILED, Stage.NOTICE
        application.outcome_reason = resolution
        application.save(update_fields=["status", "stage", "outcome_reason"])
    return objection


def _hired_person(application: Application, on: datetime.date) -> Person:
    """The applicant on file as staff: the person of the same identity number, updated, or
    a new one; their education and title as applied, unless already recorded."""
    post = application.post
    source = Code.objects.get(table__key="person_source", code=HIRE_SOURCE[post.procedure])
    person = Person.objects.filter(id_number_index=application.id_number_index).first()
    staff: dict[str, Any] = {"category": Person.Category.STAFF, "source": source}
    if post.staffing_id is not None:
        staff["staffing"] = post.staffing
    if person is None:
        person = person_create(
            name=application.name,
            sex=application.sex,
            birth_date=application.birth_date,
            id_number=application.id_number,
            phone=application.phone if application.phone_cipher else "",
            work_start_on=on,
            **staff,
        )
    else:
        person = person_update(person=person, **staff)
    if (
        application.education is not None
        and not person.educations.filter(
            level=application.education, school=application.school
        ).exists()
    ):
        education_add(
            person=person,
            level=application.education,
            degree=application.degree,
            school=application.school,
            major=application.major,
        )
    if application.title is not None and not person.titles.filter(title=application.title).exists():
        title_add(person=person, title=application.title)
    appointment_add(
        person=person,
        institution=post.plan.institution,
        department=post.department,
        position=post.name,
        start_on=on,
    )
    return person


@transaction.atomic
def application_hire(*, application: Application, on: datetime.date | None = None) -> Application:
    """Hire (聘用) a candidate whose notice is over with no objection open: the person on file
    (found by identity number, or new), their appointment to the post's department, their
    source (公开招聘 / 简易程序). Once: a second submission finds the hire made and changes
    nothing."""
    application = _locked_application(application)
    if application.status == AppStatus.HIRED:
        return application
    _refuse_unless(application, AppStatus.NOTICE)
    notice = application.notice
    if notice is None:  # a candidate on notice is on one: the database's guard, not a path
        raise ValidationError({"status": _("该考生不在任何公示中。")})
    day = _day(on, None, "hired_on")
    if day <= notice.ends_on:
        raise ValidationError(
            {"hired_on": _("公示期至 %s 结束，结束后才能聘用。") % notice.ends_on}
        )
    if application.objections.filter(resolved_on__isnull=True).exists():
        raise ValidationError({"status": _("该考生有尚未处理的公示异议。")})
    application.person = _hired_person(application, day)
    application.status, application.hired_on = AppStatus.HIRED, day
    application.save(update_fields=["person", "status", "hired_on"])
    return application


def _erase(application: Application, on: datetime.date) -> None:
    application.name, application.exam_number = "", ""
    application.birth_date, application.sex = None, None
    application.id_number_cipher, application.id_number_index = "", None
    application.id_number_last4 = ""
    application.phone_cipher, application.phone_last4 = "", ""
    application.school, application.major, application.note = "", "", ""
    application.eligibility_findings = application.eligibility_reason = ""
    application.shortlist_reason = application.outcome_reason = ""
    application.purged_on = on


@transaction.atomic
def applications_purge(*, today: datetime.date | None = None, days: int | None = None) -> int:
    """Erase the personal data of applicants not hired, `days` (settings
    YICAI_APPLICANT_RETENTION_DAYS) after their plan closed (PIPL: kept no longer than
    necessary). The rows stay, with their post, status, stage and scores: the counts do not
    change. One audit entry says how many, of which plans."""
    today = today or timezone.localdate()
    days = settings.YICAI_APPLICANT_RETENTION_DAYS if days is None else days
    due = list(
        queries.applications_due_for_purge(today, days)
        .select_for_update(of=("self",))
        .select_related("post")
    )
    if not due:
        return 0
    for application in due:
        _erase(application, today)
    # In bulk, past the change log's signals: its entries would repeat what is erased.
    Application.objects.bulk_update(due, [*ERASED_FIELDS, "purged_on"])
    Objection.objects.filter(application__in=due).update(content="", resolution="")
    plans = sorted({application.post.plan_id for application in due})
    audit.record(
        AuditEntry.Event.CHANGE,
        summary=_("删除未聘用考生的个人信息：%d 人") % len(due),
        data={"plans": plans, "applications": len(due), "retention_days": days},
        action=AuditEntry.Action.DELETE,
    )
    return len(due)


ERASED_FIELDS = (
    "name",
    "exam_number",
    "birth_date",
    "sex",
    "id_number_cipher",
    "id_number_index",
    "id_number_last4",
    "phone_cipher",
    "phone_last4",
    "school",
    "major",
    "note",
    "eligibility_findings",
    "eligibility_reason",
    "shortlist_reason",
    "outcome_reason",
)


# --- Introductions' entitlements: tranches, payments, leaving and clawbacks ----------------

_CENT = Decimal("0.01")


def yuan(amount: Decimal) -> str:
    """An amount as finance offices write it: 133,333.33."""
    return f"{amount:,.2f}"


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (a month too short for it: its last day)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # unreachable: every month has a 28th


def _month_boundary(start: datetime.date, months: int) -> datetime.date:
    """The day `months` months from `start` are complete: the same day, or, where the month
    has no such day (a start on 31 January), the first of the next month."""
    day = add_months(start, months)
    return day if day.day == start.day else day + datetime.timedelta(days=1)


def full_months(start: datetime.date, end: datetime.date) -> int:
    """Complete months from `start` up to `end` (exclusive): 2021-07-01 to 2023-03-01 is 20."""
    months = (end.year - start.year) * 12 + end.month - start.month
    while months > 0 and _month_boundary(start, months) > end:
        months -= 1
    return max(months, 0)


def commitment_last_day(introduction: Introduction) -> datetime.date | None:
    """The last day of the service commitment (5 years from 2021-07-01: 2026-06-30), or None
    when no commitment was recorded."""
    if not introduction.service_years:
        return None
    boundary = _month_boundary(introduction.introduced_on, introduction.service_years * 12)
    return boundary - datetime.timedelta(days=1)


def clawback_amount(
    paid: Decimal, repayment: str, months_served: int, months_committed: int
) -> Decimal:
    """What the agreement asks back of `paid`: all of it, none, or the share of the months
    not served (half up, to the cent)."""
    if repayment == Entitlement.Repayment.NONE or months_served >= months_committed:
        return Decimal("0.00")
    if repayment == Entitlement.Repayment.FULL:
        return paid.quantize(_CENT)
    unserved = months_committed - months_served
    return (paid * unserved / months_committed).quantize(_CENT, ROUND_HALF_UP)


def _end_post(person: Person, institution: Institution, day: datetime.date) -> None:
    """Someone who leaves an institution holds its post until that day (a post begun later
    is another matter, left as it is)."""
    for post in person.appointments.filter(institution=institution, end_on__isnull=True):
        if post.start_on is None or post.start_on <= day:
            record_update(record=post, end_on=day)


def _locked_introduction(introduction: Introduction) -> Introduction:
    found = Introduction.objects.select_for_update().filter(pk=introduction.pk).first()
    if found is None:
        raise ValidationError({"status": _("该引进记录已被删除。")})
    return found


@transaction.atomic
def entitlement_add(
    *,
    introduction: Introduction,
    kind: str,
    amount: Decimal,
    tranches: list[tuple[Decimal, datetime.date, str]],
    repayment: str = Entitlement.Repayment.PRO_RATA,
    note: str = "",
) -> Entitlement:
    """An entitlement of the introduction, paid in `tranches` (amount, due date, condition),
    whose amounts add up to `amount` exactly."""
    introduction = _locked_introduction(introduction)
    errors: dict[str, str] = {}
    if introduction.left_on is not None:
        errors["introduction"] = _("该人员已于 %s 离开，不能再增加待遇。") % introduction.left_on
    if not tranches:
        errors["tranches"] = _("请至少填写一期发放安排。")
    elif amount is not None and sum((part for part, _due, _if in tranches), Decimal(0)) != amount:
        errors["tranches"] = _("各期金额之和（%(sum)s 元）与待遇金额（%(amount)s 元）不一致。") % {
            "sum": yuan(sum((part for part, _due, _if in tranches), Decimal(0))),
            "amount": yuan(amount),
        }
    early = [due for _part, due, _if in tranches if due < introduction.introduced_on]
    if early:
        errors["tranches"] = _("应发日期不能早于引进日期（%s）。") % introduction.introduced_on
    entitlement = Entitlement(
        introduction=introduction,
        kind=kind,
        amount=amount,
        repayment=repayment,
        note=(note or "").strip(),
    )
    full_clean_or_raise(entitlement, errors, exclude=sorted({*errors, "introduction"}))
    entitlement.save()
    for number, (part, due_on, condition) in enumerate(tranches, start=1):
        tranche = Tranche(
            entitlement=entitlement,
            number=number,
            amount=part,
            due_on=due_on,
            condition=(condition or "").strip(),
        )
        try:
            full_clean_or_raise(tranche)
        except ValidationError as error:
            problem = "；".join(str(message) for message in error.messages)
            said = _("第 %(n)d 期：%(problem)s") % {"n": number, "problem": problem}
            raise ValidationError({"tranches": said}) from error
        tranche.save()
    return entitlement


@transaction.atomic
def tranche_pay(
    *,
    tranche: Tranche,
    by: RequestUser | None,
    paid_on: datetime.date | None = None,
    voucher: str = "",
) -> Tranche:
    """Record a tranche's payment, once: a second click finds it paid and is refused."""
    tranche = (
        Tranche.objects.select_for_update()
        .select_related("entitlement__introduction")
        .get(pk=tranche.pk)
    )
    if tranche.paid_on is not None:
        raise ValidationError({"status": _("该期已于 %s 发放。") % tranche.paid_on})
    if tranche.cancelled_on is not None:
        raise ValidationError(
            {
                "status": _("该期已于 %(day)s 取消：%(why)s")
                % {"day": tranche.cancelled_on, "why": tranche.cancel_reason}
            }
        )
    introduction = tranche.entitlement.introduction
    day = _day(paid_on, introduction.introduced_on, "paid_on")
    if introduction.left_on is not None and day > introduction.left_on:
        raise ValidationError(
            {"paid_on": _("该人员已于 %s 离开，之后不能再发放。") % introduction.left_on}
        )
    tranche.paid_on, tranche.voucher = day, (voucher or "").strip()
    tranche.paid_by = by if by is not None and by.is_authenticated else None
    tranche.save(update_fields=["paid_on", "voucher", "paid_by"])
    return tranche


@transaction.atomic
def introduction_leave(
    *, introduction: Introduction, left_on: datetime.date, reason: str = ""
) -> list[Clawback]:
    """The introduced person leaves (离职、调出): tranches not paid are cancelled; before the
    commitment's last day, each entitlement the agreement asks back gets a clawback to
    approve, computed from what was paid and the months served."""
    introduction = _locked_introduction(introduction)
    if introduction.left_on is not None:
        raise ValidationError({"left_on": _("已登记于 %s 离开。") % introduction.left_on})
    day = _day(left_on, introduction.introduced_on, "left_on")
    introduction.left_on, introduction.left_reason = day, (reason or "").strip()
    introduction.save(update_fields=["left_on", "left_reason"])
    _end_post(introduction.person, introduction.institution, day)
    entitlements = list(introduction.entitlements.prefetch_related("tranches"))
    Tranche.objects.filter(
        entitlement__in=entitlements, paid_on__isnull=True, cancelled_on__isnull=True
    ).update(cancelled_on=day, cancel_reason=_("人员已离开"))
    last_day = commitment_last_day(introduction)
    if last_day is None or day >= last_day:
        return []  # no commitment, or it was served to its last day
    committed = (introduction.service_years or 0) * 12
    served = full_months(introduction.introduced_on, day + datetime.timedelta(days=1))
    clawbacks = []
    for entitlement in entitlements:
        paid = sum(
            (t.amount for t in entitlement.tranches.all() if t.paid_on is not None), Decimal(0)
        )
        owed = clawback_amount(paid, entitlement.repayment, served, committed)
        if owed <= 0:
            continue
        clawbacks.append(
            Clawback.objects.create(
                entitlement=entitlement,
                left_on=day,
                months_served=served,
                months_committed=committed,
                paid=paid,
                amount=owed,
                basis=_clawback_basis(entitlement, paid, served, committed, owed),
            )
        )
    return clawbacks


def _clawback_basis(
    entitlement: Entitlement, paid: Decimal, served: int, committed: int, owed: Decimal
) -> str:
    if entitlement.repayment == Entitlement.Repayment.FULL:
        return _("已发放 %(paid)s 元，协议约定未满服务期全额退还。") % {"paid": yuan(paid)}
    return _(
        "已发放 %(paid)s 元 ×（承诺 %(committed)d 个月 − 已服务 %(served)d 个月）÷ "
        "%(committed)d 个月 = %(owed)s 元"
    ) % {"paid": yuan(paid), "committed": committed, "served": served, "owed": yuan(owed)}


_Owed = TypeVar("_Owed", bound=OwedBack)


def owed_decide(
    owed: _Owed, by: RequestUser | None, approve: bool, reason: str, on: datetime.date | None
) -> _Owed:
    """Approve what is owed back, or waive it saying why; once."""
    owed = type(owed)._default_manager.select_for_update().get(pk=owed.pk)
    if owed.status != OwedBack.Status.PROPOSED:
        raise ValidationError(
            {"status": _("该退还已%s。") % owed.get_status_display().removeprefix("已")}
        )
    reason = (reason or "").strip()
    if not approve and not reason:
        raise ValidationError({"reason": _("免除退还须说明理由。")})
    owed.status = OwedBack.Status.APPROVED if approve else OwedBack.Status.WAIVED
    owed.decided_on = _day(on, owed.left_on, "decided_on")
    owed.decided_by = by if by is not None and by.is_authenticated else None
    owed.reason = reason
    owed.save(update_fields=["status", "decided_on", "decided_by", "reason"])
    return owed


@transaction.atomic
def clawback_decide(
    *,
    clawback: Clawback,
    by: RequestUser | None,
    approve: bool,
    reason: str = "",
    on: datetime.date | None = None,
) -> Clawback:
    """The commission approves a proposed clawback, or waives it saying why; once."""
    return owed_decide(clawback, by, approve, reason, on)


@transaction.atomic
def breach_decide(
    *,
    breach: Breach,
    by: RequestUser | None,
    approve: bool,
    reason: str = "",
    on: datetime.date | None = None,
) -> Breach:
    """The commission approves a directed student's breach repayment, or waives it; once."""
    return owed_decide(breach, by, approve, reason, on)


# --- Directed students (农村订单定向医学生, 乡村医生定向委托培养) ---------------------------

DIRECTED_FIELDS = (
    "kind",
    "name",
    "id_number",
    "phone",
    "school",
    "major",
    "enrolled_year",
    "graduation_year",
    "sponsor",
    "service_place",
    "service_years",
    "fees_covered",
    "repayment",
    "penalty",
    "note",
)
Directed = DirectedContract.Status


def _locked_contract(contract: DirectedContract) -> DirectedContract:
    found = (
        DirectedContract.objects.select_for_update(of=("self",))
        .select_related("kind", "sponsor", "service_place", "person")
        .filter(pk=contract.pk)
        .first()
    )
    if found is None:
        raise ValidationError({"status": _("该协议已被删除。")})
    return found


def _refuse_contract_unless(contract: DirectedContract, *statuses: str) -> None:
    if contract.status not in statuses:
        raise ValidationError(
            {"status": _("协议当前为“%s”，不能进行此操作。") % contract.get_status_display()}
        )


def _saved_contract(
    contract: DirectedContract, by: RequestUser | None, id_number: str | None, phone: str | None
) -> DirectedContract:
    errors: dict[str, str] = {}
    if (
        by is not None
        and not queries.managed_institutions(by).filter(pk=contract.sponsor_id).exists()
    ):
        errors["sponsor"] = str(INSTITUTION_OUT_OF_SCOPE)
    if id_number is not None:
        if not normalise(id_number or ""):
            errors["id_number"] = _("请填写身份证号码。")
        else:
            errors.update(seal_identity(contract, id_number))
    if phone is not None:
        errors.update(seal_phone(contract, phone))
    index = contract.id_number_index
    if "id_number" not in errors and index and contract.kind_id is not None:
        same = DirectedContract.objects.filter(kind=contract.kind, id_number_index=index)
        if same.exclude(pk=contract.pk).exists():
            errors["id_number"] = _("该学生已有同类定向培养协议。")
    full_clean_or_raise(contract, errors, exclude=sorted({*errors, "id_number_index"}))
    contract.save()
    return contract


@transaction.atomic
def directed_contract_create(
    *,
    by: RequestUser | None,
    kind: DirectedKind,
    name: str,
    id_number: str,
    school: str,
    major: str,
    enrolled_year: int,
    sponsor: Institution,
    graduation_year: int | None = None,
    service_years: int | None = None,
    service_place: Institution | None = None,
    fees_covered: Decimal = Decimal(0),
    repayment: str = DirectedContract.Repayment.FULL,
    penalty: Decimal = Decimal(0),
    phone: str = "",
    note: str = "",
) -> DirectedContract:
    """A directed student's contract; the years owed are the kind's unless the contract says
    otherwise, graduation five years after enrolment unless given (五年制本科)."""
    contract = DirectedContract(
        kind=kind,
        name=(name or "").strip(),
        school=(school or "").strip(),
        major=(major or "").strip(),
        enrolled_year=enrolled_year,
        # None left for the validation to name, when the enrolment is missing too.
        graduation_year=graduation_year or (enrolled_year + 5 if enrolled_year else None),  # type: ignore[misc]
        sponsor=sponsor,
        service_place=service_place,
        service_years=service_years or kind.service_years,
        fees_covered=fees_covered if fees_covered is not None else Decimal(0),
        repayment=repayment,
        penalty=penalty if penalty is not None else Decimal(0),
        note=(note or "").strip(),
    )
    return _saved_contract(contract, by, id_number, phone)


@transaction.atomic
def directed_contract_update(
    *,
    contract: DirectedContract,
    by: RequestUser | None,
    id_number: str | None = None,
    phone: str | None = None,
    **fields: Any,
) -> DirectedContract:
    """Correct a contract's terms while the student has not started serving."""
    contract = _locked_contract(contract)
    _refuse_contract_unless(contract, Directed.STUDYING, Directed.GRADUATED, Directed.PLACED)
    _changed(contract, DIRECTED_FIELDS, fields)
    return _saved_contract(contract, by, id_number, phone)


def _directed_person(contract: DirectedContract, category: str) -> Person:
    """The student on file: the person of the same identity number, updated, or a new one."""
    source = Code.objects.get(table__key="person_source", code="directed_student")
    person = Person.objects.filter(id_number_index=contract.id_number_index).first()
    if person is None:
        return person_create(
            name=contract.name,
            sex=contract.sex,
            birth_date=contract.birth_date,
            id_number=contract.id_number,
            phone=contract.phone if contract.phone_cipher else "",
            category=category,
            source=source,
        )
    return person_update(person=person, category=category, source=source)


@transaction.atomic
def directed_graduate(
    *, contract: DirectedContract, on: datetime.date | None = None
) -> DirectedContract:
    """The student graduates: on file as a person (a directed student), found by identity
    number or new."""
    contract = _locked_contract(contract)
    _refuse_contract_unless(contract, Directed.STUDYING)
    contract.graduated_on = _day(on, None, "graduated_on")
    contract.person = _directed_person(contract, Person.Category.DIRECTED_STUDENT)
    contract.status = Directed.GRADUATED
    contract.save(update_fields=["graduated_on", "person", "status"])
    return contract


@transaction.atomic
def directed_assign(*, contract: DirectedContract, service_place: Institution) -> DirectedContract:
    """The graduate is assigned their service place (分配), not yet there."""
    contract = _locked_contract(contract)
    _refuse_contract_unless(contract, Directed.GRADUATED, Directed.PLACED)
    contract.service_place, contract.status = service_place, Directed.PLACED
    contract.save(update_fields=["service_place", "status"])
    return contract


@transaction.atomic
def directed_start(
    *,
    contract: DirectedContract,
    on: datetime.date | None = None,
    service_place: Institution | None = None,
    department: Department | None = None,
) -> DirectedContract:
    """The graduate starts at the service place (到岗): staff there from `on`, with an
    appointment; the years owed count from that day."""
    contract = _locked_contract(contract)
    _refuse_contract_unless(contract, Directed.GRADUATED, Directed.PLACED)
    place = service_place or contract.service_place
    if place is None:
        raise ValidationError({"service_place": _("请选择服务单位。")})
    if department is not None and department.institution_id != place.pk:
        raise ValidationError({"department": _("科室不属于服务单位。")})
    day = _day(on, contract.graduated_on, "service_starts_on")
    person = _directed_person(contract, Person.Category.STAFF)
    appointment_add(person=person, institution=place, department=department, start_on=day)
    contract.person, contract.service_place = person, place
    contract.service_starts_on, contract.status = day, Directed.IN_SERVICE
    contract.save(update_fields=["person", "service_place", "service_starts_on", "status"])
    return contract


def service_last_day(contract: DirectedContract) -> datetime.date | None:
    """The last day of the years owed, counted from the first day at the service place."""
    if contract.service_starts_on is None:
        return None
    months = contract.service_years * 12
    return _month_boundary(contract.service_starts_on, months) - datetime.timedelta(days=1)


@transaction.atomic
def directed_leave(
    *, contract: DirectedContract, on: datetime.date, reason: str = ""
) -> DirectedContract:
    """The graduate leaves the service place: on or after the last day owed, the contract is
    fulfilled; before it, a breach (违约) with the repayment the contract states, to approve."""
    contract = _locked_contract(contract)
    _refuse_contract_unless(contract, Directed.IN_SERVICE)
    started = contract.service_starts_on or contract.graduated_on or on
    day = _day(on, started, "left_on")
    last_day = service_last_day(contract)
    contract.left_on, contract.left_reason = day, (reason or "").strip()
    if last_day is not None and day >= last_day:
        contract.status = Directed.FULFILLED
    else:
        contract.status = Directed.BREACHED
        committed = contract.service_years * 12
        served = full_months(started, day + datetime.timedelta(days=1))
        repayment = (
            Entitlement.Repayment.FULL
            if contract.repayment == DirectedContract.Repayment.FULL
            else Entitlement.Repayment.PRO_RATA
        )
        owed = clawback_amount(contract.fees_covered, repayment, served, committed)
        Breach.objects.create(
            contract=contract,
            left_on=day,
            months_served=served,
            months_committed=committed,
            paid=contract.fees_covered,
            amount=owed,
            penalty=contract.penalty,
            basis=_breach_basis(contract, served, committed, owed),
        )
    contract.save(update_fields=["left_on", "left_reason", "status"])
    if contract.person is not None and contract.service_place is not None:
        _end_post(contract.person, contract.service_place, day)
    return contract


def _breach_basis(contract: DirectedContract, served: int, committed: int, owed: Decimal) -> str:
    penalty = _("，另违约金 %s 元") % yuan(contract.penalty) if contract.penalty else ""
    if contract.repayment == DirectedContract.Repayment.FULL:
        return _("培养费用 %(fees)s 元全额退还%(penalty)s。") % {
            "fees": yuan(contract.fees_covered),
            "penalty": penalty,
        }
    return _(
        "培养费用 %(fees)s 元 ×（应服务 %(committed)d 个月 − 已服务 %(served)d 个月）÷ "
        "%(committed)d 个月 = %(owed)s 元%(penalty)s。"
    ) % {
        "fees": yuan(contract.fees_covered),
        "committed": committed,
        "served": served,
        "owed": yuan(owed),
        "penalty": penalty,
    }


@transaction.atomic
def directed_fulfil(
    *, contract: DirectedContract, on: datetime.date | None = None
) -> DirectedContract:
    """The years owed are served (the graduate stays on as staff): obligation met."""
    contract = _locked_contract(contract)
    _refuse_contract_unless(contract, Directed.IN_SERVICE)
    last_day = service_last_day(contract)
    day = _day(on, contract.service_starts_on, "on")
    if last_day is not None and day < last_day:
        raise ValidationError({"on": _("服务期至 %s 才满。") % last_day})
    contract.status = Directed.FULFILLED
    contract.save(update_fields=["status"])
    return contract


# --- The expert network: who brought whom, invitation events ------------------------------


def _institution_kept(
    by: RequestUser | None, institution: Institution, errors: dict[str, str]
) -> None:
    if by is not None and not queries.managed_institutions(by).filter(pk=institution.pk).exists():
        errors["institution"] = str(INSTITUTION_OUT_OF_SCOPE)


def _person_kept(
    by: RequestUser | None, person: Person, field: str, errors: dict[str, str]
) -> None:
    if by is not None and not queries.experts(by).filter(pk=person.pk).exists():
        errors[field] = str(PERSON_OUT_OF_SCOPE)


@transaction.atomic
def referral_create(
    *,
    by: RequestUser | None,
    institution: Institution,
    referrer: Person,
    referred: Person,
    referred_on: datetime.date,
    note: str = "",
) -> Referral:
    """Record that `referrer` brought `referred` to `institution` (both on file)."""
    errors: dict[str, str] = {}
    _institution_kept(by, institution, errors)
    _person_kept(by, referrer, "referrer", errors)
    _person_kept(by, referred, "referred", errors)
    referral = Referral(
        institution=institution,
        referrer=referrer,
        referred=referred,
        referred_on=referred_on,
        note=(note or "").strip(),
    )
    full_clean_or_raise(referral, errors, exclude=sorted(errors))
    referral.save()
    return referral


@transaction.atomic
def referral_delete(*, referral: Referral) -> None:
    referral.delete()


EVENT_FIELDS = ("institution", "title", "held_on", "note")


def _saved_event(event: InvitationEvent, by: RequestUser | None) -> InvitationEvent:
    errors: dict[str, str] = {}
    _institution_kept(by, event.institution, errors)
    full_clean_or_raise(event, errors, exclude=sorted(errors))
    event.save()
    return event


@transaction.atomic
def event_create(
    *,
    by: RequestUser | None,
    institution: Institution,
    title: str,
    held_on: datetime.date,
    note: str = "",
) -> InvitationEvent:
    """An invitation of experts (邀请活动) of `institution` on a day."""
    event = InvitationEvent(
        institution=institution, title=(title or "").strip(), held_on=held_on, note=note
    )
    return _saved_event(event, by)


@transaction.atomic
def event_update(
    *, event: InvitationEvent, by: RequestUser | None, **fields: Any
) -> InvitationEvent:
    _changed(event, EVENT_FIELDS, fields)
    return _saved_event(event, by)


@transaction.atomic
def invitee_add(
    *,
    by: RequestUser | None,
    event: InvitationEvent,
    person: Person,
    attended: bool = True,
    note: str = "",
) -> Invitee:
    """An expert on the event's list: came, or invited and did not come."""
    errors: dict[str, str] = {}
    _person_kept(by, person, "person", errors)
    invitee = Invitee(event=event, person=person, attended=attended, note=(note or "").strip())
    full_clean_or_raise(invitee, errors, exclude=sorted(errors))
    invitee.save()
    return invitee


@transaction.atomic
def invitee_remove(*, invitee: Invitee) -> None:
    invitee.delete()
