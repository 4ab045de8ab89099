"""Scoped reads of title-promotion rounds and their applications, and a round's figures
("68人申报，52人通过：正高级10人，副高级42人"), counted each time, never stored."""

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from yicai.access.models import RequestUser
from yicai.access.scope import commission_regions, get_for, scoped
from yicai.lookups import containing, narrowed
from yicai.org.models import Region
from yicai.people.models import GRADE_RANK, Person, TitleGrade
from yicai.people.queries import people_for
from yicai.retention.models import PromotionApplication, PromotionRound, RoundRequirement
from yicai.retention.queries.regions import commission_region

VIEW, EDIT, EXPORT = "retention.view", "retention.edit", "retention.export"


def round_region(user: RequestUser) -> Region | None:
    """The region a new round of the user's is held in: their commission's."""
    return commission_region(user, EDIT)


def holds_rounds(user: RequestUser) -> list[int]:
    """The regions whose rounds the user holds (a commission's role that keeps retention's
    records): only they hold rounds."""
    return commission_regions(user, EDIT)


def rounds_for(user: RequestUser, permission: str = VIEW) -> "QuerySet[PromotionRound]":
    return scoped(user, PromotionRound.objects.select_related("region", "series"), permission)


def round_for(user: RequestUser, pk: object, permission: str = VIEW) -> PromotionRound:
    return get_for(user, rounds_for(user, permission), pk, permission)


def rounds_to_manage(user: RequestUser) -> "QuerySet[PromotionRound]":
    """The rounds the user may change, set requirements of and record results in: their
    commission's (an institution adds applications, nothing more)."""
    return rounds_for(user, EDIT).filter(region_id__in=holds_rounds(user))


def may_manage(user: RequestUser, promotion_round: PromotionRound) -> bool:
    return promotion_round.region_id in holds_rounds(user)


def round_list(
    user: RequestUser,
    *,
    year: int | None = None,
    series: object = None,
    status: str = "",
    q: str = "",
    permission: str | None = None,
) -> "QuerySet[PromotionRound]":
    """Rounds by year, series and status, each with its applications and passes as the user
    sees them counted."""
    permission = permission or VIEW
    seen = Q(applications__in=applications_for(user, permission))
    return (
        narrowed(
            rounds_for(user, permission),
            containing(q, "name"),
            year=year,
            series=series,
            status=status,
        )
        .annotate(
            applied=Count("applications", filter=seen, distinct=True),
            passed=Count(
                "applications",
                filter=seen & Q(applications__result=PromotionApplication.Result.PASSED),
                distinct=True,
            ),
        )
        .order_by("-year", "series__code", "id")
    )


def requirements_of(promotion_round: PromotionRound) -> "QuerySet[RoundRequirement]":
    return promotion_round.requirements.select_related("min_education")


def applications_for(user: RequestUser, permission: str = VIEW) -> "QuerySet[PromotionApplication]":
    return scoped(
        user,
        PromotionApplication.objects.select_related(
            "round", "round__series", "person", "institution", "title", "title_record"
        ),
        permission,
    )


def application_for(user: RequestUser, pk: object, permission: str = VIEW) -> PromotionApplication:
    return get_for(user, applications_for(user, permission), pk, permission)


def application_list(
    user: RequestUser,
    *,
    round: PromotionRound | None = None,
    q: str = "",
    grade: str = "",
    eligibility: str = "",
    result: str = "",
    institution: object = None,
    permission: str | None = None,
) -> "QuerySet[PromotionApplication]":
    """Applications by round, name or institution, grade, eligibility and result."""
    return narrowed(
        applications_for(user, permission or VIEW),
        containing(q, "person__name", "institution__name"),
        round=round,
        grade=grade,
        eligibility=eligibility,
        result=result,
        institution=institution,
    ).order_by("round", "institution__name", "person__name_pinyin", "id")


def people_to_propose(user: RequestUser) -> "QuerySet[Person]":
    """The people an application may name: those whose records the user keeps."""
    return people_for(user, "person.edit").filter(category=Person.Category.STAFF)


@dataclass(frozen=True)
class RoundFigures:
    """A round's applications and passes, the passes by grade (most senior first, only grades
    with a pass), and the sentence that reports them."""

    applied: int
    passed: int
    by_grade: dict[str, int] = field(default_factory=dict)

    @property
    def sentence(self) -> str:
        said = _("%(applied)d人申报，%(passed)d人通过") % {
            "applied": self.applied,
            "passed": self.passed,
        }
        if not self.by_grade:
            return said
        labels = dict(TitleGrade.choices)
        parts = [
            _("%(grade)s%(n)d人") % {"grade": labels[grade], "n": n}
            for grade, n in self.by_grade.items()
        ]
        return said + "：" + "，".join(parts)


def round_figures(applications: "QuerySet[PromotionApplication]") -> RoundFigures:
    """The figures of the applications given (one round's, as the user sees them): one query."""
    counts = applications.order_by().values("grade", "result").annotate(n=Count("id"))
    applied = passed = 0
    by_grade: dict[str, int] = {}
    for row in counts:
        applied += row["n"]
        if row["result"] == PromotionApplication.Result.PASSED:
            passed += row["n"]
            by_grade[row["grade"]] = by_grade.get(row["grade"], 0) + row["n"]
    ordered = dict(sorted(by_grade.items(), key=lambda item: -GRADE_RANK[item[0]]))
    return RoundFigures(applied, passed, ordered)


def figures_of(user: RequestUser, promotion_round: PromotionRound) -> RoundFigures:
    return round_figures(applications_for(user).filter(round=promotion_round))
