"""Business actions on person records. Every write validates fully and runs in one transaction;
a ValidationError maps field names to Chinese messages and nothing is saved."""

import datetime
from collections.abc import Iterable
from functools import lru_cache
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from pypinyin import Style, lazy_pinyin
from pypinyin.constants import PHRASES_DICT

from yicai import versions
from yicai.access import audit, pii
from yicai.access.models import AuditEntry, User
from yicai.codes.models import Code
from yicai.masking import has_long_number
from yicai.org.models import Department, Institution
from yicai.people.identity import identity_errors, seal_identity, seal_phone
from yicai.people.models import (
    GRADE_RANK,
    Appointment,
    CorrectionRequest,
    Education,
    Licence,
    Person,
    Record,
    TalentTag,
    TitleRecord,
)
from yicai.people.queries import corrections_to_resolve
from yicai.validation import first_messages, full_clean_or_raise

_R = TypeVar("_R", bound=Record)

# Fields a form or import may set directly on Person.
PERSON_FIELDS = (
    "name",
    "sex",
    "birth_date",
    "ethnicity",
    "category",
    "source",
    "personnel_category",
    "practice_category",
    "political_status",
    "staffing",
    "work_start_on",
    "institution",
    "department",
    "position",
)


@lru_cache(maxsize=65536)
def name_initials(name: str) -> str:
    """Pinyin initials. pypinyin reads a word in its phrase dictionary differently from its
    characters alone; a name with no such word is read character by character, cached, which
    gives the same letters a hundred times faster (imports do this 100,000 times)."""
    if _has_phrase(name):
        return "".join(lazy_pinyin(name, style=Style.FIRST_LETTER)).lower()[:50]
    return "".join(map(_char_initial, name)).lower()[:50]


def _has_phrase(name: str) -> bool:
    length = len(name)
    for start in range(length - 1):
        for end in range(start + 2, length + 1):
            if name[start:end] in PHRASES_DICT:
                return True
    return False


@lru_cache(maxsize=16384)
def _char_initial(char: str) -> str:
    return "".join(lazy_pinyin(char, style=Style.FIRST_LETTER))


@lru_cache(maxsize=65536)
def name_pinyin(name: str) -> str:
    """Full pinyin without tones or spaces ("chennan"), read as `name_initials` reads it."""
    if _has_phrase(name):
        return "".join(lazy_pinyin(name)).lower()[:200]
    return "".join(map(_char_pinyin, name)).lower()[:200]


@lru_cache(maxsize=16384)
def _char_pinyin(char: str) -> str:
    return "".join(lazy_pinyin(char))


def _check_identity(person: Person, id_number: str | None) -> dict[str, str]:
    errors: dict[str, str] = {}
    if id_number is not None:
        errors = seal_identity(person, id_number)
        if "id_number" not in errors and person.id_number_index:
            clash = Person.objects.filter(id_number_index=person.id_number_index)
            if clash.exclude(pk=person.pk).exists():
                errors["id_number"] = _("该身份证号码已存在于人才档案中。")
    elif person.id_number_cipher:
        # Birth date or sex changed against a stored number: check them again.
        errors.update(
            identity_errors(
                person.id_number, person.birth_date, person.sex.code if person.sex_id else None
            )
        )
        errors.pop("id_number", None)
    return errors


def _set_phone(person: Person, phone: str | None, errors: dict[str, str]) -> None:
    if phone is not None:
        errors.update(seal_phone(person, phone))


def _validate_person(person: Person, errors: dict[str, str]) -> None:
    department = person.department if person.institution_id else None
    if department is not None and department.institution_id != person.institution_id:
        errors["department"] = _("科室不属于所选机构。")
    try:
        person.full_clean(exclude=["id_number_index"])
    except ValidationError as error:
        errors = {**first_messages(error), **errors}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def person_create(*, id_number: str = "", phone: str = "", **fields: Any) -> Person:
    person = Person(**{name: value for name, value in fields.items() if name in PERSON_FIELDS})
    person.name = (person.name or "").strip()
    person.name_initials = name_initials(person.name)
    person.name_pinyin = name_pinyin(person.name)
    errors = _check_identity(person, id_number)
    _set_phone(person, phone, errors)
    _validate_person(person, errors)
    person.save()
    return person


@transaction.atomic
def person_update(
    *,
    person: Person,
    id_number: str | None = None,
    phone: str | None = None,
    version: int | None = None,
    **fields: Any,
) -> Person:
    """`version`: the version the user loaded (the form's hidden field, the API's If-Match);
    a save from an older one raises versions.VersionConflict. None: no check (an import's
    deliberate overwrite)."""
    versions.expect(person, version)
    for name, value in fields.items():
        if name not in PERSON_FIELDS:
            raise TypeError(f"{name} is not a person field")
        setattr(person, name, value)
    person.name = person.name.strip()
    person.name_initials = name_initials(person.name)
    person.name_pinyin = name_pinyin(person.name)
    before = (person.id_number_index, _phone_of(person))
    errors = _check_identity(person, id_number)
    _set_phone(person, phone, errors)
    _validate_person(person, errors)
    _sync_current_appointment(person)
    person.save()
    _audit_identifier_changes(person, *before)
    return person


def _phone_of(person: Person) -> str:
    return person.phone if person.phone_cipher else ""


def _audit_identifier_changes(person: Person, old_index: str | None, old_phone: str) -> None:
    """The change log leaves ciphertexts out, so a new number ending in the same four digits
    would pass unseen: record every identifier change explicitly, masked."""
    changed: dict[str, str] = {}
    if person.id_number_index != old_index:
        changed["身份证号码"] = pii.mask_last4(person.id_number_last4, 18) or "-"
    if _phone_of(person) != old_phone:
        changed["手机号码"] = pii.mask_last4(person.phone_last4, 11) or "-"
    if changed:
        audit.record(
            AuditEntry.Event.CHANGE,
            obj=person,
            summary=_("修改证件或联系方式"),
            data=changed,
            action=AuditEntry.Action.UPDATE,
        )


def _sync_current_appointment(person: Person) -> None:
    """The profile's post is the current appointment's: editing one edits the other (a move
    to another post is a new appointment, which keeps the history)."""
    current = person.appointments.filter(end_on__isnull=True).first()  # latest first (Meta)
    if current is None:
        return
    post = {
        "institution_id": person.institution_id,
        "department_id": person.department_id,
        "position": person.position,
    }
    if any(getattr(current, name) != value for name, value in post.items()):
        for name, value in post.items():
            setattr(current, name, value)
        full_clean_or_raise(current)
        current.save()


def id_number_reveal(*, person: Person) -> str:
    """The full number, for a user allowed to see it; every reveal is audited."""
    audit.record(AuditEntry.Event.REVEAL, obj=person, summary=_("查看 %s 的完整身份证号") % person)
    return person.id_number


def phone_reveal(*, person: Person) -> str:
    """The full phone number, for a user allowed to call the person; every reveal is
    audited."""
    audit.record(
        AuditEntry.Event.REVEAL_PHONE, obj=person, summary=_("查看 %s 的完整手机号码") % person
    )
    return person.phone


def _save_record(record: Record, person: Person, errors: dict[str, str] | None = None) -> None:
    full_clean_or_raise(record, errors)
    record.save()
    profile_refresh(person=person)


@transaction.atomic
def education_add(
    *,
    person: Person,
    level: Code,
    school: str = "",
    graduated_on: datetime.date | None = None,
    degree: Code | None = None,
    major: str = "",
    full_time: bool = True,
) -> Education:
    record = Education(
        person=person,
        level=level,
        degree=degree,
        school=school,
        major=major,
        graduated_on=graduated_on,
        full_time=full_time,
    )
    _save_record(record, person)
    return record


@transaction.atomic
def title_add(
    *,
    person: Person,
    title: Code,
    obtained_on: datetime.date | None = None,
    appointed_on: datetime.date | None = None,
) -> TitleRecord:
    record = TitleRecord(
        person=person,
        title=title,
        grade=title.grade,
        obtained_on=obtained_on,
        appointed_on=appointed_on,
    )
    _save_record(record, person, record_problems(record))
    return record


@transaction.atomic
def licence_add(
    *,
    person: Person,
    number: str,
    category: str,
    scope: str = "",
    registered_institution: Institution | None = None,
    issued_on: datetime.date | None = None,
    expires_on: datetime.date | None = None,
) -> Licence:
    record = Licence(
        person=person,
        number=number.strip(),
        category=category,
        scope=scope,
        registered_institution=registered_institution,
        issued_on=issued_on,
        expires_on=expires_on,
    )
    _save_record(record, person)
    return record


@transaction.atomic
def appointment_add(
    *,
    person: Person,
    institution: Institution,
    start_on: datetime.date | None = None,
    department: Department | None = None,
    position: str = "",
    end_on: datetime.date | None = None,
    departments_in_charge: Iterable[Department] | None = (),
) -> Appointment:
    record = Appointment(
        person=person,
        institution=institution,
        department=department,
        position=position,
        start_on=start_on,
        end_on=end_on,
    )
    in_charge = list(departments_in_charge or ())
    _save_record(record, person, record_problems(record, in_charge))
    record.departments_in_charge.set(in_charge)
    return record


def record_problems(record: Record, in_charge: list[Department] | None = None) -> dict[str, str]:
    """What a record breaks beyond its own fields, by field; the record form shows them with
    the field errors, so one submission tells every problem."""
    if isinstance(record, TitleRecord):
        return _title_errors(record)
    if isinstance(record, Appointment):
        return _appointment_errors(record, in_charge)
    return {}


def _title_errors(record: TitleRecord) -> dict[str, str]:
    if record.title_id and record.title.parent_id is None:
        return {"title": _("请选择具体职称，而不是职称系列。")}
    return {}


def _appointment_errors(record: Appointment, in_charge: list[Department] | None) -> dict[str, str]:
    """A post's department and 分管科室 (a leader's, on this post) are of its institution."""
    errors: dict[str, str] = {}
    department = record.department
    if department is not None and department.institution_id != record.institution_id:
        errors["department"] = _("科室不属于所选机构。")
    if any(d.institution_id != record.institution_id for d in in_charge or ()):
        errors["departments_in_charge"] = _("分管科室须是任职机构的科室。")
    return errors


@transaction.atomic
def tag_add(
    *,
    person: Person,
    tag: Code,
    valid_from: datetime.date,
    valid_to: datetime.date | None = None,
    note: str = "",
) -> TalentTag:
    record = TalentTag(person=person, tag=tag, valid_from=valid_from, valid_to=valid_to, note=note)
    _save_record(record, person)
    return record


def profile_refresh(*, person: Person) -> None:
    """Recompute the summary columns lists filter on (current post, title, education)."""
    appointment = person.appointments.filter(end_on__isnull=True).first()  # latest first (Meta)
    # The current title is the highest held; among equals the latest, an undated one last.
    title = max(
        person.titles.all(),
        key=lambda t: (GRADE_RANK.get(t.grade, 0), t.obtained_on or datetime.date.min, t.pk),
        default=None,
    )
    education = person.educations.select_related("level").order_by("level__code").first()
    changes = {
        "institution_id": appointment.institution_id if appointment else person.institution_id,
        "department_id": appointment.department_id if appointment else person.department_id,
        "position": appointment.position if appointment else person.position,
        "current_title_id": title.title_id if title else None,
        "title_grade": title.grade if title else "",
        "highest_education_id": education.level_id if education else None,
    }
    changed = [name for name, value in changes.items() if getattr(person, name) != value]
    if changed:
        for name in changed:
            setattr(person, name, changes[name])
        person.save(update_fields=[*changed, "updated_at"])


@transaction.atomic
def record_update(*, record: _R, version: int | None = None, **fields: Any) -> _R:
    """Change one education, title, licence, appointment or tag (complete what a roster left
    out, correct a date) by the rules of adding one; the change log audits it. `version`: the
    one the user loaded (versions.expect)."""
    versions.expect(record, version)
    in_charge = fields.pop("departments_in_charge", None)
    for name, value in fields.items():
        if name in ("id", "pk", "person", "grade"):
            raise TypeError(f"{name} cannot be changed")
        setattr(record, name, value)
    if isinstance(record, TitleRecord):
        record.grade = record.title.grade
    in_charge = None if in_charge is None else list(in_charge)
    _save_record(record, record.person, record_problems(record, in_charge))
    if in_charge is not None:
        if not isinstance(record, Appointment):
            raise TypeError("only a post has departments in charge")
        record.departments_in_charge.set(in_charge)
    return record


@transaction.atomic
def record_delete(*, record: Record) -> None:
    """Remove one education, title, licence, appointment or tag and refresh the profile."""
    person = record.person
    record.delete()
    profile_refresh(person=person)


# Correction requests (PIPL art. 46). A full identity or phone number is not written into a
# request: it would sit in clear in the request and its audit entries. HR checks the
# document with the person instead.


@transaction.atomic
def correction_request_file(
    *, user: User, topic: str, wrong: str, correct: str
) -> CorrectionRequest:
    """A person asks for their own record to be corrected."""
    if user.person_id is None:
        raise ValidationError({"__all__": _("您的账号未关联人员档案，无法提交更正申请。")})
    errors = {}
    for field, text in (("wrong", wrong), ("correct", correct)):
        if has_long_number(text):
            errors[field] = _(
                "请勿填写完整的身份证号或手机号，写出末四位即可，人事部门会与您当面核对。"
            )
    correction = CorrectionRequest(
        person_id=user.person_id,
        requested_by=user,
        topic=topic,
        wrong=(wrong or "").strip(),
        correct=(correct or "").strip(),
    )
    full_clean_or_raise(correction, errors)
    correction.save()
    return correction


@transaction.atomic
def correction_request_resolve(
    *, user: User, correction: CorrectionRequest, accept: bool, resolution: str
) -> CorrectionRequest:
    """HR accepts (then corrects the record on its pages) or rejects, with a reason, a pending
    request about someone they may edit. Not their own: nobody approves their own request."""
    if not corrections_to_resolve(user).filter(pk=correction.pk).exists():
        raise PermissionDenied
    if correction.person_id == user.person_id:
        raise ValidationError(
            {"__all__": _("不能处理关于本人档案的更正申请，请由其他人事管理员处理。")}
        )
    # Locked, so two administrators resolving at once do not both succeed.
    current = CorrectionRequest.objects.select_for_update().get(pk=correction.pk)
    if current.status != CorrectionRequest.Status.PENDING:
        raise ValidationError({"__all__": _("该申请已处理，不能再次处理。")})
    resolution = (resolution or "").strip()
    if not accept and not resolution:
        raise ValidationError({"resolution": _("未采纳时请填写处理意见，说明原因。")})
    current.status = (
        CorrectionRequest.Status.ACCEPTED if accept else CorrectionRequest.Status.REJECTED
    )
    current.resolution = resolution
    current.resolved_by = user
    current.resolved_at = timezone.now()
    full_clean_or_raise(current)
    current.save()
    return current
