"""Checks the cultivation services share; each adds to an {field: message} dict, then
`raise_errors` raises them together so a form shows every problem at once."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# A case note is about the procedure, never the patient: no identity or phone numbers.
_LONG_NUMBER = re.compile(r"[0-9０-９]{7,}")


def department_in(department, institution, errors: dict, field: str = "department") -> None:
    if department is not None and department.institution_id != institution.pk:
        errors[field] = _("科室不属于所选机构。")


def raise_errors(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def no_patient_data(errors: dict, **texts: str) -> None:
    """Case notes and summaries describe the case, never the patient."""
    for field, text in texts.items():
        if _LONG_NUMBER.search(text or ""):
            errors[field] = _("不能填写身份证号、手机号等患者信息。")


def saved(record):
    record.full_clean()
    record.save()
    return record
