"""Checks the cultivation services share; each adds to an {field: message} dict, then
`raise_errors` raises them together so a form shows every problem at once."""

import datetime
from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING, TypeVar

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yicai.access.models import RequestUser
from yicai.access.scope import has_perm
from yicai.masking import has_long_number
from yicai.org.models import Department, Institution
from yicai.training.declarations import BACKFILL

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

_M = TypeVar("_M", bound=Model)


def department_in(
    department: Department | None,
    institution: Institution,
    errors: dict[str, str],
    field: str = "department",
) -> None:
    if department is not None and department.institution_id != institution.pk:
        errors[field] = _("科室不属于所选机构。")


NOT_A_BACKFILLER = gettext_lazy("只有可以补录历史记录的管理员可以填写以往的日期。")


def past_dates_refused(
    user: RequestUser | None, values: Mapping[str, object], *fields: str
) -> list[str]:
    """The fields of `values` that give a day other than today when the user may not back-fill
    (training.backfill): a past day records history, never a silent "today"."""
    if user is None or has_perm(user, BACKFILL):
        return []
    today = timezone.localdate()
    return [name for name in fields if values.get(name) not in (None, today)]


def raise_errors(errors: Mapping[str, "StrOrPromise"]) -> None:
    if errors:
        raise ValidationError(dict(errors))


def no_patient_data(errors: dict[str, str], **texts: str) -> None:
    """Case notes and summaries describe the case, never the patient."""
    for field, text in texts.items():
        if has_long_number(text):
            errors[field] = _("不能填写身份证号、手机号等患者信息。")


def end_after_years(start_on: datetime.date, years: int) -> datetime.date:
    """The last day of a period of whole years from its first day: the day before the same
    date `years` later (from 29 February, the 28th stands in for it)."""
    try:
        anniversary = start_on.replace(year=start_on.year + years)
    except ValueError:  # 29 February
        anniversary = start_on.replace(year=start_on.year + years, day=28)
    return anniversary - datetime.timedelta(days=1)


def assign(record: Model, fields: Mapping[str, object], allowed: Collection[str]) -> None:
    """An update's fields onto a record, text stripped. A field the action does not change
    (a record's institution, its person) is a caller's mistake, refused loudly rather than
    dropped or written."""
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"not {type(record).__name__} fields: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(record, name, value.strip() if isinstance(value, str) else value)


def saved(record: _M, errors: Mapping[str, "StrOrPromise"] | None = None) -> _M:
    """Save a record once the service's own checks (`errors`) and the model's (full_clean)
    all pass, raising every problem together so a form shows them at once; nothing is saved
    on error."""
    errors = dict(errors or {})
    try:
        record.full_clean()
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            if messages[0] not in errors.values():  # said already, on its field
                errors.setdefault(field, messages[0])
    raise_errors(errors)
    record.save()
    return record
