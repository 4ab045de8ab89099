"""Checks of a resident identity number against the rest of a person's record."""

import datetime
import unicodedata

from django.utils.translation import gettext as _
from stdnum import numdb
from stdnum.cn import ric
from stdnum.exceptions import InvalidComponent
from stdnum.exceptions import ValidationError as StdnumError

SEX_MALE, SEX_FEMALE = "1", "2"


def normalise(value: str) -> str:
    """What people type or paste: full-width digits, a lowercase x, spaces and hyphens."""
    value = unicodedata.normalize("NFKC", value or "")
    return "".join(ch for ch in value if not ch.isspace() and ch != "-").upper()


def identity_errors(
    id_number: str, birth_date: datetime.date | None, sex_code: str | None
) -> dict[str, str]:
    """Field name -> Chinese message for every way the number disagrees; empty when fine."""
    if not id_number:
        return {}
    try:
        ric.validate(id_number)
    except InvalidComponent:
        # stdnum also wants the area code to have existed in the birth year, but numbers are
        # issued later under the code of the time: accept any area code it knows.
        if not _known_area(id_number):
            return {
                "id_number": _("身份证号码无效：前 6 位不是有效的行政区划代码，或出生日期不存在。")
            }
    except StdnumError:
        return {"id_number": _("身份证号码无效：请核对位数、出生日期和末位校验码。")}
    if len(id_number) != 18:
        return {"id_number": _("请填写 18 位居民身份证号码。")}
    errors = {}
    encoded_birth = ric.get_birth_date(id_number)
    if birth_date and birth_date != encoded_birth:
        errors["birth_date"] = _("出生日期与身份证号码不一致（证件为 %(date)s）。") % {
            "date": encoded_birth.isoformat()
        }
    encoded_sex = SEX_MALE if int(id_number[16]) % 2 else SEX_FEMALE
    if sex_code in (SEX_MALE, SEX_FEMALE) and sex_code != encoded_sex:
        errors["sex"] = _("性别与身份证号码不一致。")
    return errors


def _known_area(id_number: str) -> bool:
    try:
        ric.get_birth_date(id_number)
    except StdnumError:
        return False
    places = numdb.get("cn/loc").info(id_number[:6])
    return any("county" in props for _part, props in places)
