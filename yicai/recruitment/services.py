"""Partner agreements: recorded and changed, every problem of a submission named at once."""

import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from yicai.access.models import RequestUser
from yicai.org.models import Department, Institution
from yicai.org.queries import INSTITUTION_OUT_OF_SCOPE
from yicai.recruitment import queries
from yicai.recruitment.models import PartnerAgreement
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


def _errors(agreement: PartnerAgreement, by: RequestUser | None) -> dict[str, str]:
    """The service's own checks; `by` None is the command line, which may write anywhere."""
    errors: dict[str, str] = {}
    institution = agreement.institution
    if by is not None and not queries.signing_institutions(by).filter(pk=institution.pk).exists():
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
    """Change an agreement's fields (AGREEMENT_FIELDS); the others are a caller's mistake."""
    unknown = set(fields) - set(AGREEMENT_FIELDS)
    if unknown:
        raise TypeError(f"not PartnerAgreement fields: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(agreement, name, value.strip() if isinstance(value, str) else value)
    return _saved(agreement, by)
