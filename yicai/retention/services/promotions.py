"""Title-promotion rounds: held by the commission with what each grade asks; applications
reviewed against the person's records when made (years in the grade below, education, the
year's CME credits from 育, a valid licence), kept with their reasons; results recorded one
by one or many at once. A pass adds the new title to the person's records (people's
`title_add`), linked to the application: the TITLE facts of the incentive policies then find
it, so the rewards follow."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yicai.access.models import RequestUser
from yicai.codes.models import Code
from yicai.org.models import Region
from yicai.org.queries import institutions_for
from yicai.people.models import Licence, Person, TitleGrade, TitleRecord
from yicai.people.services import title_add
from yicai.recruitment import eligibility
from yicai.recruitment.eligibility import age_on, education_findings
from yicai.retention.models import (
    GRADE_BELOW,
    PromotionApplication,
    PromotionRound,
    RoundRequirement,
)
from yicai.retention.queries.promotions import EDIT, holds_rounds
from yicai.training.queries.education import credits_of
from yicai.validation import full_clean_or_raise

ROUND_FIELDS = ("year", "series", "name", "opens_on", "closes_on", "note")
REQUIREMENT_FIELDS = ("min_years", "min_education", "min_credits", "licence_required")
Result = PromotionApplication.Result
Eligibility = PromotionApplication.Eligibility
# A result once recorded ends the round's applications (a withdrawal does not).
_DECIDED = {Result.PASSED, Result.FAILED}


def _set(record: Any, names: tuple[str, ...], fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(names)
    if unknown:
        raise TypeError(f"not a field here: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(record, name, value.strip() if isinstance(value, str) else value)


def _round_problems(promotion_round: PromotionRound, by: RequestUser | None) -> dict[str, str]:
    errors: dict[str, str] = {}
    if by is not None and promotion_round.region_id not in holds_rounds(by):
        errors["region"] = _("只有卫健委可以设立和修改本辖区的职称晋升评审。")
    series = promotion_round.series if promotion_round.series_id else None
    if series is not None and (series.table.key != "title" or series.parent_id is not None):
        errors["series"] = _("请选择职称系列（如卫生技术人员（医师）），而不是具体职称。")
    year, opens_on = promotion_round.year, promotion_round.opens_on
    if year and opens_on and abs(opens_on.year - year) > 1:
        errors["opens_on"] = _("申报开始日期与评审年度不符。")
    return errors


@transaction.atomic
def round_create(*, by: RequestUser | None, region: Region | None, **fields: Any) -> PromotionRound:
    """Hold a round `by` the commission of `region`."""
    if region is None:
        raise ValidationError({"region": _("只有卫健委可以设立和修改本辖区的职称晋升评审。")})
    promotion_round = PromotionRound(region=region)
    _set(promotion_round, ROUND_FIELDS, fields)
    full_clean_or_raise(promotion_round, _round_problems(promotion_round, by))
    promotion_round.save()
    return promotion_round


@transaction.atomic
def round_update(
    *, promotion_round: PromotionRound, by: RequestUser | None, **fields: Any
) -> PromotionRound:
    promotion_round = PromotionRound.objects.select_for_update().get(pk=promotion_round.pk)
    errors: dict[str, str] = {}
    applied = promotion_round.applications.exists()
    for name in ("year", "series"):
        if applied and name in fields and fields[name] != getattr(promotion_round, name):
            errors[name] = _("本轮已有申报，年度和系列不能修改。")
    _set(promotion_round, ROUND_FIELDS, fields)
    full_clean_or_raise(promotion_round, {**_round_problems(promotion_round, by), **errors})
    promotion_round.save()
    return promotion_round


@transaction.atomic
def requirement_set(
    *, promotion_round: PromotionRound, by: RequestUser | None, grade: str, **fields: Any
) -> RoundRequirement:
    """Set what applying for `grade` asks in a round (again: changed), while it is open."""
    if by is not None and promotion_round.region_id not in holds_rounds(by):
        raise ValidationError({"grade": _("只有卫健委可以设置申报条件。")})
    if promotion_round.status != PromotionRound.Status.OPEN:
        raise ValidationError({"grade": _("本轮评审已出结果，申报条件不能修改。")})
    requirement = RoundRequirement.objects.filter(round=promotion_round, grade=grade).first()
    requirement = requirement or RoundRequirement(round=promotion_round, grade=grade)
    _set(requirement, REQUIREMENT_FIELDS, fields)
    if requirement.min_education is not None and requirement.min_education.table.key != "education":
        raise ValidationError({"min_education": _("请选择学历。")})
    full_clean_or_raise(requirement)
    requirement.save()
    return requirement


# --- Eligibility ----------------------------------------------------------------------------


@dataclass
class Review(eligibility.Review):
    """What the records show (refusals and questions, as an applicant's review), and the
    years in the grade below and the year's credits they were judged on."""

    years_in_grade: int | None = None
    credits: Decimal | None = None

    @property
    def eligibility(self) -> str:
        if self.refusals:
            return Eligibility.INELIGIBLE
        return Eligibility.TO_CHECK if self.questions else Eligibility.ELIGIBLE

    @property
    def reasons(self) -> str:
        return self.findings


def review(
    *, promotion_round: PromotionRound, person: Person, grade: str, requirement: RoundRequirement
) -> Review:
    """Review a person's records against what the round asks for `grade`, as of its closing
    day (the CME credits: of the round's year)."""
    found = Review()
    labels = dict(TitleGrade.choices)
    day = promotion_round.closes_on
    below = GRADE_BELOW[TitleGrade(grade)]
    held = (
        TitleRecord.objects.filter(person=person, grade=below)
        .order_by("-obtained_on", "-id")
        .first()
    )
    if held is None:
        found.refusals.append(
            _("未取得%(below)s职称，不能申报%(grade)s。")
            % {"below": labels[below], "grade": labels[grade]}
        )
    elif held.obtained_on is None:
        found.questions.append(_("现职称无取得时间，年限无法核对"))
    else:
        found.years_in_grade = age_on(held.obtained_on, day)
        if requirement.min_years and found.years_in_grade < requirement.min_years:
            found.refusals.append(
                _("取得%(below)s职称%(years)d年，不满%(min)d年。")
                % {
                    "below": labels[below],
                    "years": found.years_in_grade,
                    "min": requirement.min_years,
                }
            )
    education_findings(found, requirement.min_education, person.highest_education)
    found.credits = credits_of(person, promotion_round.year)["total"]
    if requirement.min_credits is not None and found.credits < requirement.min_credits:
        found.refusals.append(
            _("%(year)d年继续教育学分%(credits)s分，低于%(min)s分。")
            % {
                "year": promotion_round.year,
                "credits": found.credits,
                "min": requirement.min_credits,
            }
        )
    if requirement.licence_required:
        _licence(found, person, day)
    return found


def _licence(found: Review, person: Person, day: datetime.date) -> None:
    licences = list(Licence.objects.filter(person=person))
    if not licences:
        found.questions.append(_("未登记执业证书，请人工核对。"))
        return
    valid = [
        licence
        for licence in licences
        if (licence.issued_on is None or licence.issued_on <= day)
        and (licence.expires_on is None or licence.expires_on >= day)
    ]
    if not valid:
        found.refusals.append(_("截至%s无有效执业证书。") % day.isoformat())


def title_of(series: Code, grade: str) -> Code | None:
    """The title of `grade` in a series (副主任医师 for 卫生技术人员（医师）, associate senior)."""
    return next((code for code in series.children.all() if code.grade == grade), None)


@transaction.atomic
def application_create(
    *,
    by: RequestUser | None,
    promotion_round: PromotionRound,
    person: Person,
    grade: str,
    applied_on: datetime.date | None = None,
) -> PromotionApplication:
    """Apply for `person` in an open round, reviewed against their records now."""
    applied_on = applied_on or timezone.localdate()
    errors: dict[str, str] = {}
    if promotion_round.status != PromotionRound.Status.OPEN:
        errors["round"] = _("本轮评审已出结果，不再接受申报。")
    institution = person.institution
    if institution is None:
        errors["person"] = _("该人员没有所在机构，不能申报。")
    elif institution.commission_region_id != promotion_round.region_id:
        errors["person"] = _("该人员不在本轮评审的辖区内。")
    elif by is not None and not institutions_for(by, EDIT).filter(pk=institution.pk).exists():
        errors["person"] = _("所选人员不存在或不在您的管辖范围内。")
    if PromotionApplication.objects.filter(round=promotion_round, person=person).exists():
        errors["person"] = _("该人员已在本轮评审中申报。")
    if grade not in {g.value for g in GRADE_BELOW}:
        errors["grade"] = _("请选择申报级别：中级、副高级或正高级。")
    requirement = None
    title = None
    if "grade" not in errors:
        requirement = promotion_round.requirements.filter(grade=grade).first()
        title = title_of(promotion_round.series, grade)
        if requirement is None:
            errors["grade"] = _("本轮评审未设置该级别的申报条件。")
        elif title is None:
            errors["grade"] = _("该系列没有这一级别的职称。")
    if not (promotion_round.opens_on <= applied_on <= promotion_round.closes_on):
        errors["applied_on"] = _("申报日期须在申报期内（%(opens)s 至 %(closes)s）。") % {
            "opens": promotion_round.opens_on.isoformat(),
            "closes": promotion_round.closes_on.isoformat(),
        }
    if errors:
        raise ValidationError(errors)
    if requirement is None or title is None or institution is None:  # said above
        raise ValidationError(errors)
    found = review(
        promotion_round=promotion_round, person=person, grade=grade, requirement=requirement
    )
    application = PromotionApplication(
        round=promotion_round,
        person=person,
        institution=institution,
        grade=grade,
        title=title,
        applied_on=applied_on,
        eligibility=found.eligibility,
        reasons=found.reasons,
        years_in_grade=found.years_in_grade,
        credits=found.credits,
        recorded_by=by if by is not None and by.is_authenticated else None,
    )
    full_clean_or_raise(application)
    application.save()
    return application


# --- Results --------------------------------------------------------------------------------


def _result_problems(
    application: PromotionApplication, result: str, on: datetime.date
) -> list[str]:
    name = application.person.name
    if result not in Result.values or result == Result.PENDING:
        return [_("请选择评审结果：通过、未通过或撤回。")]
    if application.result == Result.PASSED:
        return [_("%s 已通过并取得职称，不能再改为未通过或撤回。") % name]
    if result == Result.PASSED and application.eligibility == Eligibility.INELIGIBLE:
        return [_("%s 不符合申报条件，不能评为通过。") % name]
    if on > timezone.localdate():
        return [_("结果日期不能晚于今天。")]
    if on < application.applied_on:
        return [_("%s 的结果日期不能早于申报日期。") % name]
    return []


def _record(
    application: PromotionApplication, result: str, on: datetime.date, by: RequestUser | None
) -> PromotionApplication:
    application.result, application.result_on = result, on
    if by is not None and by.is_authenticated:
        application.recorded_by = by
    if result == Result.PASSED:
        application.title_record = title_add(
            person=application.person, title=application.title, obtained_on=on
        )
    application.save()
    return application


def _closed(promotion_round: PromotionRound, results: Iterable[str]) -> None:
    if promotion_round.status == PromotionRound.Status.OPEN and _DECIDED & set(results):
        promotion_round.status = PromotionRound.Status.CLOSED
        promotion_round.save(update_fields=["status"])


@transaction.atomic
def result_record(
    *,
    application: PromotionApplication,
    by: RequestUser | None,
    result: str,
    on: datetime.date | None = None,
) -> PromotionApplication:
    """Record one application's result (a pass adds the title to the person's records)."""
    on = on or timezone.localdate()
    application = (
        PromotionApplication.objects.select_for_update(of=("self",))
        .select_related("person", "round", "title")
        .get(pk=application.pk)
    )
    outside = by is not None and application.round.region_id not in holds_rounds(by)
    if outside and result != Result.WITHDRAWN:
        raise ValidationError({"result": _("评审结果由卫健委登记；申报单位只能撤回申报。")})
    problems = _result_problems(application, result, on)
    if problems:
        raise ValidationError({"result": problems})
    _record(application, result, on, by)
    _closed(application.round, [result])
    return application


@transaction.atomic
def results_record(
    *,
    promotion_round: PromotionRound,
    by: RequestUser | None,
    applications: Iterable[PromotionApplication | int],
    result: str,
    on: datetime.date | None = None,
) -> list[PromotionApplication]:
    """Record one result for many applications of a round at once: all, or none with every
    problem said."""
    on = on or timezone.localdate()
    if by is not None and promotion_round.region_id not in holds_rounds(by):
        raise ValidationError({"result": _("评审结果由卫健委登记；申报单位只能撤回申报。")})
    ids = [item if isinstance(item, int) else item.pk for item in applications]
    if not ids:
        raise ValidationError({"applications": _("请选择要登记结果的申报。")})
    rows = list(
        PromotionApplication.objects.select_for_update(of=("self",))
        .select_related("person", "round", "title")
        .filter(round=promotion_round, pk__in=ids)
        .order_by("id")
    )
    problems: list[str] = []
    if len(rows) != len(set(ids)):
        problems.append(_("所选申报不属于本轮评审。"))
    for application in rows:
        problems.extend(_result_problems(application, result, on))
    if problems:
        raise ValidationError({"applications": list(dict.fromkeys(problems))})
    for application in rows:
        _record(application, result, on, by)
    _closed(promotion_round, [result])
    return rows
