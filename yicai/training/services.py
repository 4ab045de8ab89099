"""Writes of the cultivation records: one function per business action, each in a transaction,
each checking the rules before it saves (errors name the field, in Chinese)."""

import datetime
import hashlib
import hmac
import re
import secrets
from decimal import Decimal

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yicai.access import audit
from yicai.access.models import AuditEntry
from yicai.training.models import (
    Apprenticeship,
    CaseLog,
    ConfirmationLink,
    Consultation,
    ExpertStudio,
    Mentorship,
    StudioFunding,
    StudioMember,
    StudioSubsidy,
    Technique,
    Visit,
)

LINK_SALT = "yicai.training.confirm"
LINK_DAYS = 14
# A case note is about the procedure, never the patient: no identity or phone numbers.
_LONG_NUMBER = re.compile(r"[0-9０-９]{7,}")


def _department_in(department, institution, errors: dict, field: str = "department") -> None:
    if department is not None and department.institution_id != institution.pk:
        errors[field] = _("科室不属于所选机构。")


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _no_patient_data(errors: dict, **texts: str) -> None:
    """Case notes and summaries describe the case, never the patient."""
    for field, text in texts.items():
        if _LONG_NUMBER.search(text or ""):
            errors[field] = _("不能填写身份证号、手机号等患者信息。")


def _saved(record):
    record.full_clean()
    record.save()
    return record


@transaction.atomic
def mentorship_create(
    *,
    mentor,
    apprentices,
    institution,
    start_on: datetime.date,
    department=None,
    end_on: datetime.date | None = None,
    goals: str = "",
    target_visits: int = 0,
    target_lectures: int = 0,
    target_operations: int = 0,
) -> Mentorship:
    """A mentor and their apprentices at an institution. The mentor is internal when they work
    there, external otherwise (an expert of a partner hospital)."""
    apprentices = list(apprentices)
    errors: dict[str, str] = {}
    if not apprentices:
        errors["apprentices"] = _("请至少选择一名徒弟。")
    elif any(person.pk == mentor.pk for person in apprentices):
        errors["apprentices"] = _("导师不能同时是自己的徒弟。")
    elif any(person.institution_id != institution.pk for person in apprentices):
        errors["apprentices"] = _("徒弟须是带教机构的人员。")
    _department_in(department, institution, errors)
    _raise(errors)
    kind = (
        Mentorship.Kind.INTERNAL
        if mentor.institution_id == institution.pk
        else Mentorship.Kind.EXTERNAL
    )
    mentorship = Mentorship(
        mentor=mentor,
        kind=kind,
        institution=institution,
        department=department,
        start_on=start_on,
        end_on=end_on,
        goals=goals,
        target_visits=target_visits,
        target_lectures=target_lectures,
        target_operations=target_operations,
    )
    mentorship.full_clean()
    mentorship.save()
    for person in apprentices:
        Apprenticeship.objects.create(mentorship=mentorship, apprentice=person)
    return mentorship


@transaction.atomic
def technique_register(
    *,
    institution,
    name: str,
    category: str,
    origin: str,
    department=None,
    mentorship: Mentorship | None = None,
    status: str = Technique.Status.PLANNED,
) -> Technique:
    errors: dict[str, str] = {}
    _department_in(department, institution, errors)
    if mentorship is not None and mentorship.institution_id != institution.pk:
        errors["mentorship"] = _("该师带徒关系不在本机构。")
    _raise(errors)
    technique = Technique(
        institution=institution,
        department=department,
        name=(name or "").strip(),
        category=category,
        origin=origin,
        mentorship=mentorship,
        status=status,
    )
    return _saved(technique)


@transaction.atomic
def case_log_create(
    *,
    apprentice,
    technique: Technique,
    performed_on: datetime.date,
    role: str,
    supervisor=None,
    mentorship: Mentorship | None = None,
    note: str = "",
) -> CaseLog:
    """An apprentice logs a procedure; it counts once verified (case_log_verify, or its
    supervisor's one-time link)."""
    errors: dict[str, str] = {}
    if apprentice.institution_id != technique.institution_id:
        errors["technique"] = _("该技术登记在其他机构，不能记在本人名下。")
    if supervisor is not None and supervisor.pk == apprentice.pk:
        errors["supervisor"] = _("审核人不能是本人。")
    if (
        mentorship is not None
        and not mentorship.apprenticeships.filter(apprentice=apprentice).exists()
    ):
        errors["mentorship"] = _("本人不是该师带徒关系的徒弟。")
    _no_patient_data(errors, note=note)
    _raise(errors)
    case_log = CaseLog(
        apprentice=apprentice,
        technique=technique,
        performed_on=performed_on,
        role=role,
        supervisor=supervisor,
        mentorship=mentorship,
        note=(note or "").strip(),
    )
    return _saved(case_log)


@transaction.atomic
def case_log_verify(*, case_log: CaseLog, user) -> CaseLog:
    """Confirmed in the app by a mentor, supervisor or administrator (never by the apprentice:
    a record is not its own evidence). The change is audited like any other."""
    if user.person_id is not None and user.person_id == case_log.apprentice_id:
        raise ValidationError(_("不能审核本人的记录。"))
    if case_log.verified:
        return case_log
    case_log.verified_at = timezone.now()
    case_log.verified_by = user
    case_log.verified_by_name = user.get_full_name() or user.get_username()
    case_log.save(update_fields=["verified_at", "verified_by", "verified_by_name"])
    return case_log


@transaction.atomic
def case_log_unverify(*, case_log: CaseLog, user) -> CaseLog:
    """Withdraw a confirmation (a mistake found later); what it counted for no longer counts."""
    if user.person_id is not None and user.person_id == case_log.apprentice_id:
        raise ValidationError(_("不能审核本人的记录。"))
    case_log.verified_at, case_log.verified_by, case_log.verified_by_name = None, None, ""
    case_log.save(update_fields=["verified_at", "verified_by", "verified_by_name"])
    return case_log


def _digest(nonce: str) -> str:
    return hashlib.sha256(nonce.encode()).hexdigest()


@transaction.atomic
def confirmation_link_create(*, case_log: CaseLog, user, days: int = LINK_DAYS) -> str:
    """A token for a one-time link that confirms this case log, for a supervisor without an
    account. The token is signed (any change to it is refused) and names its link, whose row
    keeps only a digest of the token's secret part."""
    if case_log.verified:
        raise ValidationError(_("该记录已审核，无需再发确认链接。"))
    nonce = secrets.token_urlsafe(24)
    link = ConfirmationLink.objects.create(
        case_log=case_log,
        token_digest=_digest(nonce),
        expires_at=timezone.now() + datetime.timedelta(days=days),
        created_by=user,
    )
    audit.record(
        AuditEntry.Event.CONFIRM,
        obj=case_log,
        summary=_("生成确认链接：%s") % case_log,
        data={"链接": link.pk, "有效期至": timezone.localtime(link.expires_at).isoformat()},
        action=AuditEntry.Action.CREATE,
    )
    return signing.dumps({"link": link.pk, "record": case_log.pk, "nonce": nonce}, salt=LINK_SALT)


def confirmation_link_open(token: str, *, for_update: bool = False) -> ConfirmationLink:
    """The link a token stands for, if it may still be used; ValidationError saying why not."""
    invalid = ValidationError(_("链接无效或已被修改。"))
    try:
        data = signing.loads(token, salt=LINK_SALT)
        link_id, record_id, nonce = data["link"], data["record"], data["nonce"]
    except (signing.BadSignature, KeyError, TypeError):
        raise invalid from None
    links = ConfirmationLink.objects.select_related(
        "case_log__apprentice", "case_log__technique__institution", "case_log__supervisor"
    )
    if for_update:
        links = links.select_for_update(of=("self",))
    link = links.filter(pk=link_id).first()
    if (
        link is None
        or link.case_log_id != record_id
        or not hmac.compare_digest(link.token_digest, _digest(str(nonce)))
    ):
        raise invalid
    if link.used_at is not None:
        raise ValidationError(_("该链接已使用过，每个链接只能确认一次。"))
    if link.expires_at <= timezone.now():
        raise ValidationError(_("该链接已过期，请联系机构重新发送。"))
    return link


@transaction.atomic
def confirmation_link_use(*, token: str, name: str, remote_addr: str | None = None) -> CaseLog:
    """The supervisor confirms the case log through the link, giving their name."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写您的姓名。")})
    link = confirmation_link_open(token, for_update=True)
    now = timezone.now()
    # A conditional update, so two clicks of one link never both confirm.
    if not ConfirmationLink.objects.filter(pk=link.pk, used_at__isnull=True).update(used_at=now):
        raise ValidationError(_("该链接已使用过，每个链接只能确认一次。"))
    case_log = link.case_log
    case_log.verified_at, case_log.verified_by, case_log.verified_by_name = now, None, name[:50]
    case_log.save(update_fields=["verified_at", "verified_by", "verified_by_name"])
    with audit.context(remote_addr=remote_addr):
        audit.record(
            AuditEntry.Event.CONFIRM,
            obj=case_log,
            summary=_("通过链接确认：%s") % case_log,
            data={"链接": link.pk, "确认人": name[:50]},
            action=AuditEntry.Action.UPDATE,
        )
    return case_log


@transaction.atomic
def studio_create(
    *,
    name: str,
    lead,
    tier: str,
    institution,
    founded_on: datetime.date,
    department=None,
    members=(),
) -> ExpertStudio:
    errors: dict[str, str] = {}
    _department_in(department, institution, errors)
    members = list(members)
    if any(person.pk == lead.pk for person in members):
        errors["members"] = _("领衔专家不必再列为成员。")
    _raise(errors)
    studio = ExpertStudio(
        name=(name or "").strip(),
        lead=lead,
        tier=tier,
        institution=institution,
        department=department,
        founded_on=founded_on,
    )
    studio.full_clean()
    studio.save()
    for person in members:
        studio_member_add(studio=studio, person=person, joined_on=founded_on)
    return studio


@transaction.atomic
def studio_member_add(*, studio: ExpertStudio, person, joined_on: datetime.date) -> StudioMember:
    member = StudioMember(studio=studio, person=person, joined_on=joined_on)
    return _saved(member)


@transaction.atomic
def studio_funding_record(
    *, studio: ExpertStudio, year: int, amount: Decimal | None = None, note: str = ""
) -> StudioFunding:
    """A year's money for a studio: by default the subsidy its tier has in the table."""
    if amount is None:
        subsidy = StudioSubsidy.objects.filter(tier=studio.tier).first()
        if subsidy is None:
            raise ValidationError({"amount": _("该级别没有经费标准，请填写金额。")})
        amount = subsidy.yearly_amount
    if studio.founded_on.year > year or (studio.closed_on and studio.closed_on.year < year):
        raise ValidationError({"year": _("该年度工作室不在运行期内。")})
    funding = StudioFunding(studio=studio, year=year, amount=amount, note=(note or "").strip())
    return _saved(funding)


@transaction.atomic
def studio_subsidy_set(*, tier: str, yearly_amount: Decimal) -> StudioSubsidy:
    """The commission changes a tier's yearly subsidy (recorded years keep their amounts)."""
    subsidy, _created = StudioSubsidy.objects.get_or_create(
        tier=tier, defaults={"yearly_amount": yearly_amount}
    )
    subsidy.yearly_amount = yearly_amount
    return _saved(subsidy)


@transaction.atomic
def visit_record(
    *,
    expert,
    kind: str,
    institution,
    held_on: datetime.date,
    department=None,
    studio: ExpertStudio | None = None,
    mentorship: Mentorship | None = None,
    patients: int = 0,
    attendees: int = 0,
    operations: int = 0,
    note: str = "",
) -> Visit:
    """An expert's visit, held or planned (a future date puts it on the calendar; it counts
    once the day has come)."""
    errors: dict[str, str] = {}
    _department_in(department, institution, errors)
    if studio is not None and (
        studio.institution_id != institution.pk
        or (studio.lead_id != expert.pk and not studio.members.filter(person=expert).exists())
    ):
        errors["studio"] = _("专家不属于该机构的这个工作室。")
    if mentorship is not None and (
        mentorship.institution_id != institution.pk or mentorship.mentor_id != expert.pk
    ):
        errors["mentorship"] = _("这不是该专家在本机构的师带徒关系。")
    _no_patient_data(errors, note=note)
    _raise(errors)
    visit = Visit(
        expert=expert,
        kind=kind,
        institution=institution,
        department=department,
        held_on=held_on,
        studio=studio,
        mentorship=mentorship,
        patients=patients,
        attendees=attendees,
        operations=operations,
        note=(note or "").strip(),
    )
    return _saved(visit)


@transaction.atomic
def consultation_record(
    *,
    expert,
    requester,
    institution,
    held_on: datetime.date,
    summary: str,
    advice: str = "",
    outcome: str = "",
) -> Consultation:
    """A remote consultation. The summary describes the case, never the patient: identity
    and phone numbers are refused."""
    errors: dict[str, str] = {}
    if requester.institution_id != institution.pk:
        errors["requester"] = _("申请医生须是申请机构的人员。")
    if expert.pk == requester.pk:
        errors["expert"] = _("会诊专家不能是申请医生本人。")
    _no_patient_data(errors, summary=summary, advice=advice, outcome=outcome)
    _raise(errors)
    consultation = Consultation(
        expert=expert,
        requester=requester,
        institution=institution,
        held_on=held_on,
        summary=(summary or "").strip(),
        advice=(advice or "").strip(),
        outcome=(outcome or "").strip(),
    )
    return _saved(consultation)
