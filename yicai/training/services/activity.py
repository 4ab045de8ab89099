"""Expert visits and remote consultations."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from yicai.org.models import Department, Institution
from yicai.people.models import Person
from yicai.training.models import Consultation, ExpertStudio, Mentorship, Visit
from yicai.training.services.rules import assign, department_in, no_patient_data, saved

VISIT_FIELDS = (
    "expert",
    "kind",
    "institution",
    "department",
    "held_on",
    "studio",
    "mentorship",
    "patients",
    "attendees",
    "operations",
    "note",
)
CONSULTATION_FIELDS = (
    "expert",
    "requester",
    "institution",
    "held_on",
    "summary",
    "advice",
    "outcome",
)


def _visit_errors(visit: Visit) -> dict[str, str]:
    """A visit's links fit: its department, studio and mentorship are of its institution, and
    the studio and mentorship are the expert's; its note names no patient."""
    errors: dict[str, str] = {}
    department_in(visit.department, visit.institution, errors)
    studio = visit.studio
    if studio is not None and (
        studio.institution_id != visit.institution_id
        or (
            studio.lead_id != visit.expert_id
            and not studio.members.filter(person_id=visit.expert_id).exists()
        )
    ):
        errors["studio"] = _("专家不属于该机构的这个工作室。")
    mentorship = visit.mentorship
    if mentorship is not None and (
        mentorship.institution_id != visit.institution_id or mentorship.mentor_id != visit.expert_id
    ):
        errors["mentorship"] = _("这不是该专家在本机构的师带徒关系。")
    visit.note = (visit.note or "").strip()
    no_patient_data(errors, note=visit.note)
    return errors


@transaction.atomic
def visit_record(
    *,
    expert: Person,
    kind: str,
    institution: Institution,
    held_on: datetime.date,
    department: Department | None = None,
    studio: ExpertStudio | None = None,
    mentorship: Mentorship | None = None,
    patients: int = 0,
    attendees: int = 0,
    operations: int = 0,
    note: str = "",
) -> Visit:
    """An expert's visit, held or planned (a future date puts it on the calendar; it counts
    once the day has come)."""
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
        note=note,
    )
    return saved(visit, _visit_errors(visit))


@transaction.atomic
def visit_update(*, visit: Visit, **fields: object) -> Visit:
    """Correct a visit, or move a planned one; the rules of visit_record apply. What it counts
    for (a mentorship's agreement, the month's figures) follows, being derived."""
    assign(visit, fields, VISIT_FIELDS)
    return saved(visit, _visit_errors(visit))


@transaction.atomic
def visit_delete(*, visit: Visit) -> None:
    """Remove a visit recorded by mistake, or a planned one called off."""
    visit.delete()


def _consultation_errors(consultation: Consultation) -> dict[str, str]:
    errors: dict[str, str] = {}
    if consultation.requester.institution_id != consultation.institution_id:
        errors["requester"] = _("申请医生须是申请机构的人员。")
    if consultation.expert_id == consultation.requester_id:
        errors["expert"] = _("会诊专家不能是申请医生本人。")
    for name in ("summary", "advice", "outcome"):
        setattr(consultation, name, (getattr(consultation, name) or "").strip())
    no_patient_data(
        errors,
        summary=consultation.summary,
        advice=consultation.advice,
        outcome=consultation.outcome,
    )
    return errors


@transaction.atomic
def consultation_record(
    *,
    expert: Person,
    requester: Person,
    institution: Institution,
    held_on: datetime.date,
    summary: str,
    advice: str = "",
    outcome: str = "",
) -> Consultation:
    """A remote consultation. The summary describes the case, never the patient: identity
    and phone numbers are refused."""
    consultation = Consultation(
        expert=expert,
        requester=requester,
        institution=institution,
        held_on=held_on,
        summary=summary,
        advice=advice,
        outcome=outcome,
    )
    return saved(consultation, _consultation_errors(consultation))


@transaction.atomic
def consultation_update(*, consultation: Consultation, **fields: object) -> Consultation:
    """Correct a consultation (the advice and outcome often come later); the rules of
    consultation_record apply."""
    assign(consultation, fields, CONSULTATION_FIELDS)
    return saved(consultation, _consultation_errors(consultation))
