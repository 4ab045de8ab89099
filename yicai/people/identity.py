"""Checks of a resident identity number against the rest of a person's record."""

import datetime
import re
import unicodedata
from functools import lru_cache
from typing import Any, Protocol

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum import numdb
from stdnum.cn import ric
from stdnum.exceptions import InvalidComponent
from stdnum.exceptions import ValidationError as StdnumError

from yicai.access import pii
from yicai.codes.models import Code
from yicai.exchange import cleaning
from yicai.people.validators import phone_number

SEX_MALE, SEX_FEMALE = "1", "2"


def normalise(value: str) -> str:
    """What people type or paste: full-width digits, a lowercase x, spaces and hyphens."""
    if value.isascii() and value.isalnum():
        return value.upper()  # already plain: most cells of a sheet
    value = unicodedata.normalize("NFKC", value or "")
    return "".join(ch for ch in value if not ch.isspace() and ch != "-").upper()


def from_cell(raw: object) -> str:
    """An identity number as a sheet's cell holds it, normalised ("" when blank); refused when
    Excel stored it as a number and so lost its last digits."""
    if cleaning.number_was_rounded(raw):
        raise cleaning.CellError(_("身份证号码被 Excel 存成了数字，末几位已丢失。"))
    return normalise(cleaning.compact(raw))


def identity_errors(
    id_number: str, birth_date: datetime.date | None, sex_code: str | None
) -> dict[str, str]:
    """Field name -> Chinese message for every way the number disagrees; empty when fine."""
    if not id_number:
        return {}
    if not _plainly_valid(id_number):
        failure = _number_failure(id_number)
        if failure:
            return failure
    errors = {}
    encoded_birth, encoded_sex = encoded(id_number)
    if birth_date and encoded_birth and birth_date != encoded_birth:
        errors["birth_date"] = _("出生日期与身份证号码不一致（证件为 %(date)s）。") % {
            "date": encoded_birth.isoformat()
        }
    if sex_code in (SEX_MALE, SEX_FEMALE) and sex_code != encoded_sex:
        errors["sex"] = _("性别与身份证号码不一致。")
    return errors


class Identified(Protocol):
    """A record that keeps a sealed identity number and phone (a person, an applicant)."""

    # Blank until filled (an applicant's) or required (a person's): either may be passed.
    birth_date: Any
    sex: Any
    sex_id: Any
    id_number_cipher: str
    id_number_index: str | None
    id_number_last4: str
    phone_cipher: str
    phone_last4: str


def seal_identity(record: Identified, id_number: str) -> dict[str, str]:
    """Check `id_number` against the record and keep it encrypted, with its blind index and
    last four digits ("" clears it); a birth date or sex left blank is read from a valid
    number, as the import does. The problems by field, as identity_errors names them; a
    number refused is not kept."""
    id_number = normalise(id_number)
    blanks = record.birth_date is None or not record.sex_id
    if id_number and blanks and not identity_errors(id_number, None, None):
        born, sex = encoded(id_number)
        if record.birth_date is None:
            record.birth_date = born
        if not record.sex_id:
            record.sex = Code.objects.get(table__key="sex", code=sex)
    errors = identity_errors(
        id_number, record.birth_date, record.sex.code if record.sex_id and record.sex else None
    )
    if "id_number" not in errors and id_number:
        record.id_number_cipher = pii.encrypt(id_number)
        record.id_number_index = pii.blind_index(id_number)
        record.id_number_last4 = id_number[-4:]
    elif not id_number:
        record.id_number_cipher, record.id_number_index, record.id_number_last4 = "", None, ""
    return errors


def seal_phone(record: Identified, phone: str) -> dict[str, str]:
    """Keep `phone` (as phone_number stores it) encrypted with its last four digits, or the
    problem as {"phone": message}."""
    try:
        phone = phone_number(phone)
    except ValidationError as error:
        return {"phone": error.messages[0]}
    record.phone_cipher = pii.encrypt(phone)
    record.phone_last4 = phone[-4:] if phone else ""
    return {}


def encoded(id_number: str) -> tuple[datetime.date | None, str]:
    """The birth date and sex code (GB/T 2261.1) a valid number carries, to fill a record
    that left them blank."""
    return _birth_date(id_number[6:14]), SEX_MALE if int(id_number[16]) % 2 else SEX_FEMALE


_EIGHTEEN = re.compile(r"[0-9]{17}[0-9X]")


def _plainly_valid(id_number: str) -> bool:
    """The common case, checked without stdnum's slow place lookup per number (imports check
    100,000 of them): 18 characters, a real birth date, the check digit, a known area code.
    Whatever fails here goes through the full check below for its exact message."""
    return (
        _EIGHTEEN.fullmatch(id_number) is not None
        and _birth_date(id_number[6:14]) is not None
        and ric.calc_check_digit(id_number) == id_number[17]
        and _known_area(id_number[:6])
    )


@lru_cache(maxsize=65536)
def _birth_date(digits: str) -> datetime.date | None:
    try:
        return datetime.date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return None


def _number_failure(id_number: str) -> dict[str, str]:
    try:
        ric.validate(id_number)
    except InvalidComponent:
        # stdnum also wants the area code to have existed in the birth year, but numbers are
        # issued later under the code of the time: accept any area code it knows.
        if _birth_date(id_number[6:14]) is None or not _known_area(id_number[:6]):
            return {
                "id_number": _("身份证号码无效：前 6 位不是有效的行政区划代码，或出生日期不存在。")
            }
    except StdnumError:
        return {"id_number": _("身份证号码无效：请核对位数、出生日期和末位校验码。")}
    if len(id_number) != 18:
        return {"id_number": _("请填写 18 位居民身份证号码。")}
    return {}


@lru_cache(maxsize=8192)
def _known_area(area: str) -> bool:
    places = numdb.get("cn/loc").info(area)
    return any("county" in props for _part, props in places)
