"""The eligibility review (资格审查) of an application against its post's rules: minimum
education and degree, the title required, the age limit and the specialty.

What the applicant's details show to be wrong refuses the application, saying why; what they
leave blank, or what only a person can judge (a major worded differently from the post's
specialty, an education not completed), is left to an officer, saying what to look at. So a
sheet of applicants as people keep it is reviewed at once where it can be, and nobody is
refused for a blank cell."""

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from yicai.codes.models import Code
from yicai.people.models import GRADE_RANK

# GB/T 4658 education completed (毕业), most advanced first: 1 doctorate ... 9 primary school.
# 结业 and 肄业 (attended, not completed) have no level: an officer judges what they meet.
_COMPLETED = {
    "11": 1,
    "14": 2,
    "17": 3,
    "21": 4,
    "28": 4,
    "31": 5,
    "41": 6,
    "44": 6,
    "47": 6,
    "61": 7,
    "71": 8,
    "81": 9,
}
# A requirement may name a group (研究生教育, 大学本科教育 ...): any completed education in it.
_GROUP = {"1": 3, "2": 4, "3": 5, "4": 6, "6": 7, "7": 8, "8": 9}
# GB/T 6864 degrees by their group (the code's first digit): 2 doctor, 3 master, 4 bachelor.
# An honorary doctorate (1) is no academic degree.
_DEGREE = {"2": 1, "3": 2, "4": 3}
_BACHELOR_LEVEL = 4


def education_level(code: Code, *, required: bool = False) -> int | None:
    """The level of an education code (lower is more advanced); None when not completed."""
    level = _COMPLETED.get(code.code)
    if level is None and required:
        level = _GROUP.get(code.code[:1])
    return level


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    """Full years of age (周岁) on `day` (or in a title since that day: 任职年限)."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


@dataclass
class Review:
    """What the review found: `refusals` make the application ineligible, `questions` leave
    it to an officer; neither means eligible."""

    refusals: list[str] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)

    @property
    def findings(self) -> str:
        return "\n".join(self.refusals + self.questions)


def review(
    *,
    min_education: Code | None,
    min_degree: Code | None,
    title_required: Code | None,
    max_age: int | None,
    specialty: str,
    education: Code | None,
    degree: Code | None,
    title: Code | None,
    birth_date: datetime.date | None,
    major: str,
    on: datetime.date,
) -> Review:
    """Review the applicant's details against a post's rules, the age as of `on`."""
    found = Review()
    education_findings(found, min_education, education)
    _degree(found, min_degree, degree, education)
    _title(found, title_required, title)
    if max_age is not None:
        if birth_date is None:
            found.questions.append(_("未填写出生日期，无法核对年龄上限（%d 周岁）。") % max_age)
        elif (age := age_on(birth_date, on)) > max_age:
            found.refusals.append(
                _("%(on)s 年满 %(age)d 周岁，超过岗位年龄上限 %(max)d 周岁。")
                % {"on": on.isoformat(), "age": age, "max": max_age}
            )
    _specialty(found, specialty, major)
    return found


def education_findings(found: Review, required: Code | None, held: Code | None) -> None:
    """What an education held says against a minimum: a refusal below it, a question when
    it is blank or not completed (结业/肄业). Shared by applications and promotion rounds."""
    if required is None:
        return
    if held is None:
        found.questions.append(_("未填写学历，无法核对最低学历（%s）。") % required.name)
        return
    level = education_level(held)
    if level is None:
        found.questions.append(
            _("学历为“%(held)s”（未毕业），请人工核对是否达到最低学历（%(required)s）。")
            % {"held": held.name, "required": required.name}
        )
    elif level > (education_level(required, required=True) or 0):
        found.refusals.append(
            _("学历“%(held)s”低于最低学历“%(required)s”。")
            % {"held": held.name, "required": required.name}
        )


def _degree(
    found: Review, required: Code | None, held: Code | None, education: Code | None
) -> None:
    if required is None or (needed := _DEGREE.get(required.code[:1])) is None:
        return
    if held is None:
        level = education_level(education) if education is not None else None
        if level is not None and level > _BACHELOR_LEVEL:
            # 专科 and below confer no degree: a blank here is a fact, not a gap.
            found.refusals.append(_("未取得学位，岗位要求“%s”。") % required.name)
        else:
            found.questions.append(_("未填写学位，无法核对最低学位（%s）。") % required.name)
        return
    if (_DEGREE.get(held.code[:1]) or 99) > needed:
        found.refusals.append(
            _("学位“%(held)s”低于岗位最低学位“%(required)s”。")
            % {"held": held.name, "required": required.name}
        )


def _title(found: Review, required: Code | None, held: Code | None) -> None:
    if required is None:
        return
    if held is None:
        found.questions.append(_("未填写职称，无法核对职称要求（%s）。") % required.name)
        return
    # A series (卫生技术人员（医师）) asks for any title of it; a title, for it or a higher one
    # of the same series (a 副主任医师 meets 主治医师).
    series = required.pk if required.parent_id is None else required.parent_id
    if held.parent_id != series or GRADE_RANK.get(held.grade, 0) < GRADE_RANK.get(
        required.grade, 0
    ):
        found.refusals.append(
            _("职称“%(held)s”不符合岗位要求“%(required)s”。")
            % {"held": held.name, "required": required.name}
        )


def _specialty(found: Review, specialty: str, major: str) -> None:
    wanted, studied = specialty.strip(), major.strip()
    if not wanted:
        return
    if not studied:
        found.questions.append(_("未填写所学专业，请人工核对是否符合岗位专业（%s）。") % wanted)
    elif wanted not in studied and studied not in wanted:
        # Majors are written many ways (临床医学 / 临床医学（全科方向）/ 五年制临床): a person
        # decides, the review only points at it.
        found.questions.append(
            _("所学专业“%(major)s”与岗位专业“%(specialty)s”不完全一致，请人工核对。")
            % {"major": studied, "specialty": wanted}
        )
