"""Title-promotion rounds made through the services, for the retention tests: Sixian
county's 2021 senior-title round (68 applied, 52 passed: 10 正高, 42 副高)."""

import datetime
from dataclasses import dataclass, field

from tests import factories
from yicai.codes.queries import code_for
from yicai.people.services import title_add
from yicai.retention.models import PromotionApplication, PromotionRound
from yicai.retention.services import promotions

D = datetime.date
Result = PromotionApplication.Result


@dataclass
class Round:
    round: PromotionRound
    applications: dict[str, list[PromotionApplication]] = field(default_factory=dict)


def senior_round(region, year: int, *, series: str = "230", name: str = "") -> PromotionRound:
    """A round of `series` with requirements for 正高 and 副高 (five years in the grade
    below), open from March to April of `year`."""
    held = promotions.round_create(
        by=None,
        region=region,
        year=year,
        series=code_for("title", series),
        name=name or f"{year}年度卫生系列高级职称评审",
        opens_on=D(year, 3, 1),
        closes_on=D(year, 4, 30),
    )
    for grade in ("senior", "associate_senior"):
        promotions.requirement_set(promotion_round=held, by=None, grade=grade, min_years=5)
    return held


def applicant(institution, name: str, held_title: str, since: datetime.date, **extra):
    """A person holding `held_title` since `since`."""
    person = factories.person(institution, name, **extra)
    title_add(person=person, title=code_for("title", held_title), obtained_on=since)
    return person


def sixian_round(
    region,
    year: int = 2021,
    *,
    institution,
    senior: tuple[int, int, int] = (10, 2, 0),
    associate_senior: tuple[int, int, int] = (42, 10, 4),
    decided_on: datetime.date | None = None,
) -> Round:
    """Sixian's round of `year`: for each grade, (passed, failed, withdrawn) applicants of
    `institution` (by default 12 for 正高 and 56 for 副高: 68 applied, 52 passed, 10 + 42),
    their results recorded in bulk on `decided_on` (the end of September)."""
    made = Round(senior_round(region, year))
    decided_on = decided_on or D(year, 9, 30)
    since = D(year - 8, 7, 1)
    plan = {"senior": ("232", senior), "associate_senior": ("233", associate_senior)}
    for grade, (held_title, counts) in plan.items():
        for result, count in zip(
            (Result.PASSED, Result.FAILED, Result.WITHDRAWN), counts, strict=True
        ):
            rows = made.applications.setdefault(f"{grade}:{result}", [])
            for n in range(count):
                person = applicant(institution, f"{grade[:2]}{result[:2]}{n}", held_title, since)
                rows.append(
                    promotions.application_create(
                        by=None,
                        promotion_round=made.round,
                        person=person,
                        grade=grade,
                        applied_on=D(year, 4, 1),
                    )
                )
    for key, rows in made.applications.items():
        if rows:
            promotions.results_record(
                promotion_round=made.round,
                by=None,
                applications=rows,
                result=key.split(":")[1],
                on=decided_on,
            )
    made.round.refresh_from_db()
    return made
