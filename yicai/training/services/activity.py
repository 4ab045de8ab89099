"""Expert visits and remote consultations."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from yicai.training.models import Consultation, ExpertStudio, Mentorship, Visit
from yicai.training.services.rules import department_in, no_patient_data, raise_errors, saved


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
    department_in(department, institution, errors)
    if studio is not None and (
        studio.institution_id != institution.pk
        or (studio.lead_id != expert.pk and not studio.members.filter(person=expert).exists())
    ):
        errors["studio"] = _("专家不属于该机构的这个工作室。")
    if mentorship is not None and (
        mentorship.institution_id != institution.pk or mentorship.mentor_id != expert.pk
    ):
        errors["mentorship"] = _("这不是该专家在本机构的师带徒关系。")
    no_patient_data(errors, note=note)
    raise_errors(errors)
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
    return saved(visit)


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
    no_patient_data(errors, summary=summary, advice=advice, outcome=outcome)
    raise_errors(errors)
    consultation = Consultation(
        expert=expert,
        requester=requester,
        institution=institution,
        held_on=held_on,
        summary=(summary or "").strip(),
        advice=(advice or "").strip(),
        outcome=(outcome or "").strip(),
    )
    return saved(consultation)
