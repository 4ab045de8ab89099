"""Mentorships, techniques, case logs and the one-time links that confirm them."""

import datetime
import hashlib
import hmac
import secrets
from collections.abc import Iterable, Sequence
from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yicai.access import audit
from yicai.access.models import AuditEntry, User
from yicai.documents import checked_suffix
from yicai.org.models import Department, Institution
from yicai.people.models import Person
from yicai.training.models import (
    Apprenticeship,
    CaseLog,
    ConfirmationLink,
    MentorEvaluation,
    Mentorship,
    Technique,
    Visit,
)
from yicai.training.queries.mentoring import (
    SUPERVISOR_NOT_ALLOWED,
    TECHNIQUE_NOT_THERE,
    supervisors_for,
)
from yicai.training.services.rules import (
    assign,
    department_in,
    no_patient_data,
    raise_errors,
    saved,
)

LINK_SALT = "yicai.training.confirm"
LINK_DAYS = 14


MENTORSHIP_FIELDS = (
    "mentor",
    "institution",
    "department",
    "start_on",
    "end_on",
    "goals",
    "target_visits",
    "target_lectures",
    "target_operations",
    "status",
)
TECHNIQUE_FIELDS = ("name", "category", "origin", "department", "mentorship", "status")


def _apprentice_errors(
    mentor: Person,
    apprentices: Sequence[Person],
    institution: Institution,
    errors: dict[str, str],
    kept: frozenset[int] = frozenset(),
) -> None:
    """Apprentices: at least one, never the mentor, people of the mentoring institution (those
    kept from before may have moved on since; their history stays)."""
    if not apprentices:
        errors["apprentices"] = _("请至少选择一名徒弟。")
    elif any(person.pk == mentor.pk for person in apprentices):
        errors["apprentices"] = _("导师不能同时是自己的徒弟。")
    elif any(
        person.institution_id != institution.pk and person.pk not in kept for person in apprentices
    ):
        errors["apprentices"] = _("徒弟须是带教机构的人员。")


def _once(people: Iterable[Person]) -> list[Person]:
    """Each person once, in the order given."""
    return list({person.pk: person for person in people}.values())


def _kind(mentor: Person, institution: Institution) -> str:
    return (
        Mentorship.Kind.INTERNAL
        if mentor.institution_id == institution.pk
        else Mentorship.Kind.EXTERNAL
    )


@transaction.atomic
def mentorship_create(
    *,
    mentor: Person,
    apprentices: Iterable[Person],
    institution: Institution,
    start_on: datetime.date,
    department: Department | None = None,
    end_on: datetime.date | None = None,
    goals: str = "",
    target_visits: int = 0,
    target_lectures: int = 0,
    target_operations: int = 0,
    status: str = Mentorship.Status.ACTIVE,
) -> Mentorship:
    """A mentor and their apprentices at an institution. The mentor is internal when they work
    there, external otherwise (an expert of a partner hospital)."""
    apprentices = _once(apprentices)
    errors: dict[str, str] = {}
    _apprentice_errors(mentor, apprentices, institution, errors)
    department_in(department, institution, errors)
    no_patient_data(errors, goals=goals)
    mentorship = Mentorship(
        mentor=mentor,
        kind=_kind(mentor, institution),
        institution=institution,
        department=department,
        start_on=start_on,
        end_on=end_on,
        goals=(goals or "").strip(),
        target_visits=target_visits,
        target_lectures=target_lectures,
        target_operations=target_operations,
        status=status,
    )
    saved(mentorship, errors)
    for person in apprentices:
        Apprenticeship.objects.create(mentorship=mentorship, apprentice=person)
    return mentorship


@transaction.atomic
def mentorship_update(
    *, mentorship: Mentorship, apprentices: Iterable[Person] | None = None, **fields: object
) -> Mentorship:
    """Change a mentorship's agreement, and its apprentices when `apprentices` is given (the
    whole new list: those missing are removed, new ones added). The rules of
    mentorship_create apply; besides, an apprentice with case logs under the mentorship stays,
    and a mentorship with visits or techniques keeps its mentor and institution (they were
    recorded as this mentor's, at this institution)."""
    before = Mentorship.objects.select_for_update().get(pk=mentorship.pk)
    assign(mentorship, fields, MENTORSHIP_FIELDS)
    mentorship.goals = (mentorship.goals or "").strip()
    current = {
        link.apprentice_id: link for link in mentorship.apprenticeships.select_related("apprentice")
    }
    wanted = (
        _once(apprentices)
        if apprentices is not None
        else [link.apprentice for link in current.values()]
    )
    moved = mentorship.institution_id != before.institution_id
    errors: dict[str, str] = {}
    _apprentice_errors(
        mentorship.mentor,
        wanted,
        mentorship.institution,
        errors,
        kept=frozenset() if moved else frozenset(current),
    )
    department_in(mentorship.department, mentorship.institution, errors)
    no_patient_data(errors, goals=mentorship.goals)
    removed = set(current) - {person.pk for person in wanted}
    if removed and "apprentices" not in errors:
        logged = sorted(
            {
                current[pk].apprentice.name
                for pk in CaseLog.objects.filter(
                    mentorship=mentorship, apprentice_id__in=removed
                ).values_list("apprentice_id", flat=True)
            }
        )
        if logged:
            errors["apprentices"] = _("%s 在本师带徒关系下已有病例记录，不能移除。") % "、".join(
                logged
            )
    if mentorship.mentor_id != before.mentor_id and mentorship.visits.exists():
        errors["mentor"] = _("本师带徒关系已有专家活动记录，不能更换导师。")
    if moved and (mentorship.visits.exists() or mentorship.techniques.exists()):
        errors["institution"] = _("本师带徒关系已有专家活动或新技术记录，不能更换带教机构。")
    mentorship.kind = _kind(mentorship.mentor, mentorship.institution)
    saved(mentorship, errors)
    Apprenticeship.objects.filter(mentorship=mentorship, apprentice_id__in=removed).delete()
    for person in wanted:
        if person.pk not in current:
            Apprenticeship.objects.create(mentorship=mentorship, apprentice=person)
    return mentorship


def _technique_errors(technique: Technique, errors: dict[str, str]) -> None:
    department_in(technique.department, technique.institution, errors)
    if technique.mentorship is not None and (
        technique.mentorship.institution_id != technique.institution_id
    ):
        errors["mentorship"] = _("该师带徒关系不在本机构。")
    technique.name = (technique.name or "").strip()
    if (
        technique.name
        and Technique.objects.filter(institution_id=technique.institution_id, name=technique.name)
        .exclude(pk=technique.pk)
        .exists()
    ):
        errors["name"] = _("本机构已登记同名的新技术新项目。")


@transaction.atomic
def technique_register(
    *,
    institution: Institution,
    name: str,
    category: str,
    origin: str,
    department: Department | None = None,
    mentorship: Mentorship | None = None,
    status: str = Technique.Status.PLANNED,
) -> Technique:
    technique = Technique(
        institution=institution,
        department=department,
        name=name,
        category=category,
        origin=origin,
        mentorship=mentorship,
        status=status,
    )
    errors: dict[str, str] = {}
    _technique_errors(technique, errors)
    return saved(technique, errors)


@transaction.atomic
def technique_update(*, technique: Technique, **fields: object) -> Technique:
    """Change what is registered of a technique; its institution stays (its case logs were
    made there)."""
    assign(technique, fields, TECHNIQUE_FIELDS)
    errors: dict[str, str] = {}
    _technique_errors(technique, errors)
    return saved(technique, errors)


@transaction.atomic
def technique_delete(*, technique: Technique) -> None:
    """Remove a technique registered by mistake; one with case logs stays (they are its
    evidence)."""
    logged = technique.case_logs.count()
    if logged:
        raise ValidationError(
            _("“%(name)s”已有 %(n)d 条病例记录，不能删除。") % {"name": technique.name, "n": logged}
        )
    technique.delete()


@transaction.atomic
def case_log_create(
    *,
    apprentice: Person,
    technique: Technique,
    performed_on: datetime.date,
    role: str,
    supervisor: Person | None = None,
    mentorship: Mentorship | None = None,
    note: str = "",
    entered_by: User | None = None,
) -> CaseLog:
    """A procedure logged by the apprentice (or, back-filled, by an administrator on their
    behalf: `case_log_backfill`); it counts once verified (case_log_verify, its supervisor's
    one-time link, or the paper it was verified on). The supervisor is one of the
    apprentice's mentors or a colleague of their department, whoever enters it."""
    errors: dict[str, str] = {}
    if apprentice.institution_id != technique.institution_id:
        errors["technique"] = str(TECHNIQUE_NOT_THERE)
    if supervisor is not None and supervisor.pk == apprentice.pk:
        errors["supervisor"] = _("审核人不能是本人。")
    elif (
        supervisor is not None and not supervisors_for(apprentice).filter(pk=supervisor.pk).exists()
    ):
        errors["supervisor"] = str(SUPERVISOR_NOT_ALLOWED)
    if (
        mentorship is not None
        and not mentorship.apprenticeships.filter(apprentice=apprentice).exists()
    ):
        errors["mentorship"] = _("本人不是该师带徒关系的徒弟。")
    no_patient_data(errors, note=note)
    case_log = CaseLog(
        apprentice=apprentice,
        technique=technique,
        performed_on=performed_on,
        role=role,
        supervisor=supervisor,
        mentorship=mentorship,
        note=(note or "").strip(),
        entered_by=entered_by,
    )
    return saved(case_log, errors)  # the service's problems with the record's own, at once


@transaction.atomic
def case_log_backfill(
    *,
    entered_by: User | None,  # None: the command line's import
    verified: bool = False,
    paper_reference: str = "",
    paper_scan: File[bytes] | None = None,
    **fields: Any,  # case_log_create's
) -> CaseLog:
    """A past case an administrator enters on the apprentice's behalf, marked as entered by
    them: the rules of case_log_create apply (only who may post is relaxed, by the caller's
    permission). With a paper reference or scan it is recorded as verified on that paper;
    `verified` verifies it in the administrator's name; otherwise it awaits the mentor, in
    Yicai or through a one-time link. The form, the API and the import all come here."""
    on_paper = bool((paper_reference or "").strip()) or paper_scan is not None
    if entered_by is None and (on_paper or verified):
        # A verification is in someone's name: the command line imports as nobody.
        raise ValidationError(
            {"verified": _("不指定账号导入（命令行未给 --user）时不能登记为已审核。")}
        )
    case_log = case_log_create(entered_by=entered_by, **fields)
    if entered_by is None:
        return case_log
    if on_paper:
        case_log_verify_on_paper(
            case_log=case_log,
            user=entered_by,
            paper_reference=paper_reference,
            paper_scan=paper_scan,
        )
    elif verified:
        case_log_verify(case_log=case_log, user=entered_by)
    return case_log


def _may_verify(case_log: CaseLog, user: User) -> None:
    if user.person_id is not None and user.person_id == case_log.apprentice_id:
        raise ValidationError(_("不能审核本人的记录。"))


@transaction.atomic
def case_log_verify(*, case_log: CaseLog, user: User) -> CaseLog:
    """Confirmed in the app by a mentor, supervisor or administrator (never by the apprentice:
    a record is not its own evidence). The change is audited like any other."""
    _may_verify(case_log, user)
    if case_log.verified:
        return case_log
    _verified_by(case_log, user)
    case_log.save(update_fields=["verified_at", "verified_by", "verified_by_name"])
    return case_log


def _verified_by(case_log: CaseLog, user: User) -> None:
    """Who verified a case and when, under the name they had then (an account may go)."""
    case_log.verified_at = timezone.now()
    case_log.verified_by = user
    case_log.verified_by_name = user.get_full_name() or user.get_username()


@transaction.atomic
def case_log_verify_on_paper(
    *,
    case_log: CaseLog,
    user: User,
    paper_reference: str = "",
    paper_scan: File[bytes] | None = None,
) -> CaseLog:
    """A case verified on paper before it reached Yicai (the mentor signed the case book):
    recorded by an administrator with the document's reference and/or a scan of it (PDF,
    JPG or PNG). It is marked as such, counts like any verified case, and the change is
    audited."""
    _may_verify(case_log, user)
    paper_reference = (paper_reference or "").strip()
    errors: dict[str, str] = {}
    if case_log.verified:
        errors["paper_reference"] = _("该记录已审核。")
    elif not paper_reference and paper_scan is None:
        errors["paper_reference"] = _("请填写纸质审核凭证编号，或上传扫描件。")
    elif len(paper_reference) > 100:
        errors["paper_reference"] = _("纸质审核凭证不能超过 100 个字。")
    suffix = (
        checked_suffix(paper_scan, "paper_scan", _("扫描件"), errors)
        if paper_scan is not None
        else ""
    )
    raise_errors(errors)
    _verified_by(case_log, user)
    case_log.verified_on_paper = True
    case_log.paper_reference = paper_reference
    if paper_scan is not None:  # under a random name (scan_path), its suffix by its content
        case_log.paper_scan.save(f"scan{suffix}", paper_scan, save=False)
    return saved(case_log)


@transaction.atomic
def case_log_unverify(*, case_log: CaseLog, user: User) -> CaseLog:
    """Withdraw a confirmation (a mistake found later); what it counted for no longer counts.
    A paper verification is withdrawn with its reference (the audit log keeps them)."""
    _may_verify(case_log, user)
    case_log.verified_at, case_log.verified_by, case_log.verified_by_name = None, None, ""
    case_log.verified_on_paper, case_log.paper_reference = False, ""
    case_log.save(
        update_fields=[
            "verified_at",
            "verified_by",
            "verified_by_name",
            "verified_on_paper",
            "paper_reference",
        ]
    )
    return case_log


def _digest(nonce: str) -> str:
    return hashlib.sha256(nonce.encode()).hexdigest()


@transaction.atomic
def confirmation_link_create(
    *,
    user: User,
    case_log: CaseLog | None = None,
    visit: Visit | None = None,
    evaluation: MentorEvaluation | None = None,
    days: int = LINK_DAYS,
) -> str:
    """A token for a one-time link that confirms one record (a case log, a visit or an
    evaluation) for someone without an account. The token is signed (any change to it is
    refused) and names its link and record; the link's row keeps only a digest of the token's
    secret part."""
    targets = {"case_log": case_log, "visit": visit, "evaluation": evaluation}
    chosen = [(kind, record) for kind, record in targets.items() if record is not None]
    if len(chosen) != 1:
        raise TypeError("a confirmation link confirms exactly one record")
    ((kind, record),) = chosen
    if record.confirmed:
        raise ValidationError(_("该记录已审核，无需再发确认链接。"))
    nonce = secrets.token_urlsafe(24)
    link = ConfirmationLink.objects.create(
        **{kind: record},
        token_digest=_digest(nonce),
        expires_at=timezone.now() + datetime.timedelta(days=days),
        created_by=user,
    )
    audit.record(
        AuditEntry.Event.CONFIRM,
        obj=record,
        summary=_("生成确认链接：%s") % record,
        data={"链接": link.pk, "有效期至": timezone.localtime(link.expires_at).isoformat()},
        action=AuditEntry.Action.CREATE,
    )
    payload = {"link": link.pk, "kind": kind, "record": record.pk, "nonce": nonce}
    return signing.dumps(payload, salt=LINK_SALT)


def confirmation_link_open(token: str, *, for_update: bool = False) -> ConfirmationLink:
    """The link a token stands for, if it may still be used; ValidationError saying why not."""
    invalid = ValidationError(_("链接无效或已被修改。"))
    try:
        data = signing.loads(token, salt=LINK_SALT)
        link_id, record_id, nonce = data["link"], data["record"], data["nonce"]
        kind = data.get("kind", "case_log")
    except (signing.BadSignature, KeyError, TypeError, AttributeError):
        raise invalid from None
    if kind not in ConfirmationLink.TARGETS:
        raise invalid
    links = ConfirmationLink.objects.select_related(
        "case_log__apprentice",
        "case_log__technique__institution",
        "case_log__supervisor",
        "visit__expert",
        "visit__institution",
        "evaluation__apprenticeship__apprentice",
        "evaluation__apprenticeship__mentorship__mentor",
        "evaluation__apprenticeship__mentorship__institution",
    )
    if for_update:
        links = links.select_for_update(of=("self",))
    link = links.filter(pk=link_id).first()
    if (
        link is None
        or getattr(link, f"{kind}_id") != record_id
        or not hmac.compare_digest(link.token_digest, _digest(str(nonce)))
    ):
        raise invalid
    if link.used_at is not None:
        raise ValidationError(_("该链接已使用过，每个链接只能确认一次。"))
    if link.expires_at <= timezone.now():
        raise ValidationError(_("该链接已过期，请联系机构重新发送。"))
    if link.target.confirmed:  # in the app meanwhile: who confirmed it stays on record
        raise ValidationError(_("该记录已审核，无需再确认。"))
    return link


@transaction.atomic
def confirmation_link_use(
    *, token: str, name: str, remote_addr: str | None = None
) -> CaseLog | Visit | MentorEvaluation:
    """The mentor or expert confirms the link's record, giving their name; returns it."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写您的姓名。")})
    link = confirmation_link_open(token, for_update=True)
    now = timezone.now()
    # A conditional update, so two clicks of one link never both confirm.
    if not ConfirmationLink.objects.filter(pk=link.pk, used_at__isnull=True).update(used_at=now):
        raise ValidationError(_("该链接已使用过，每个链接只能确认一次。"))
    record = link.target
    record.save(update_fields=record.confirm_by(name[:50], now))
    with audit.context(remote_addr=remote_addr):
        audit.record(
            AuditEntry.Event.CONFIRM,
            obj=record,
            summary=_("通过链接确认：%s") % record,
            data={"链接": link.pk, "确认人": name[:50]},
            action=AuditEntry.Action.UPDATE,
        )
    return record
