"""Schemes, subjects, score sheets and appeals as a user may see them.

A draft is the commission's (evaluation.edit) alone; the others see a scheme once published,
and then its published scores (the latest version), never a live recount. A person assessed
sees their own subject; an institution its own; a department head its department's."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, QuerySet
from django.http import Http404

from yicai.access.models import RequestUser
from yicai.access.scope import get_for, has_perm, scoped
from yicai.evaluation.metrics import METRICS
from yicai.evaluation.models import (
    Appeal,
    Indicator,
    ManualScore,
    Result,
    ResultLine,
    Scheme,
    Subject,
    SubjectLink,
)
from yicai.evaluation.scoring import Cell, Sheet, scheme_sheets
from yicai.lookups import containing, narrowed

VIEW = "evaluation.view"
EDIT = "evaluation.edit"
EXPORT = "evaluation.export"
PUBLISH = "evaluation.publish"
PUBLISHED = Scheme.Status.PUBLISHED


def schemes_for(user: RequestUser, permission: str = VIEW) -> QuerySet[Scheme]:
    schemes = scoped(user, Scheme.objects.all(), permission)
    if not has_perm(user, EDIT):
        schemes = schemes.filter(status=PUBLISHED)
    return schemes


def scheme_list(
    user: RequestUser,
    *,
    q: str = "",
    year: int | None = None,
    subject_type: str = "",
    status: str = "",
    permission: str | None = None,
) -> QuerySet[Scheme]:
    schemes = narrowed(
        schemes_for(user, permission or VIEW),
        containing(q, "name"),
        subject_type=subject_type,
        status=status,
    )
    if year is not None:
        schemes = schemes.filter(cycle_start__year__lte=year, cycle_end__year__gte=year)
    return (
        Scheme.objects.filter(pk__in=schemes.values("pk"))
        .select_related("region")
        .annotate(subject_count=Count("subjects"))
        .order_by("-cycle_start", "name", "id")
    )


def scheme_for(user: RequestUser, pk: object, permission: str = VIEW) -> Scheme:
    return get_for(user, schemes_for(user, permission), pk, permission)


def subjects_for(user: RequestUser, permission: str = VIEW) -> QuerySet[Subject]:
    subjects = scoped(user, Subject.objects.select_related("scheme"), permission)
    if not has_perm(user, EDIT):
        subjects = subjects.filter(scheme__status=PUBLISHED)
    return subjects


def subject_for(user: RequestUser, pk: object, permission: str = VIEW) -> Subject:
    return get_for(user, subjects_for(user, permission), pk, permission)


def indicator_for(user: RequestUser, pk: object, permission: str = EDIT) -> Indicator:
    return get_for(
        user,
        scoped(user, Indicator.objects.select_related("scheme"), permission).filter(
            scheme__in=schemes_for(user, permission).values("pk")
        ),
        pk,
        permission,
    )


def link_for(user: RequestUser, pk: object) -> SubjectLink:
    links = SubjectLink.objects.filter(subject__in=subjects_for(user, EDIT).values("pk"))
    return get_for(user, links.select_related("subject__scheme"), pk, EDIT)


def appeals_for(user: RequestUser, permission: str = VIEW) -> QuerySet[Appeal]:
    return scoped(
        user,
        Appeal.objects.filter(subject__scheme__status=PUBLISHED).select_related(
            "subject__scheme", "indicator", "filed_by", "resolved_by", "result"
        ),
        permission,
    )


def appeal_for(user: RequestUser, pk: object, permission: str = VIEW) -> Appeal:
    return get_for(user, appeals_for(user, permission), pk, permission)


def appeal_list(
    user: RequestUser, *, q: str = "", status: str = "", permission: str | None = None
) -> QuerySet[Appeal]:
    appeals = narrowed(
        appeals_for(user, permission or VIEW),
        containing(q, "subject__label", "subject__scheme__name"),
        status=status,
    )
    return appeals.order_by("-filed_at", "-id")


def to_review(user: RequestUser) -> QuerySet[Indicator]:
    """The manual indicators the user is named to score, newest cycle first."""
    return (
        Indicator.objects.filter(reviewer_id=user.pk, source=Indicator.Source.MANUAL)
        .select_related("scheme")
        .order_by("-scheme__cycle_start", "scheme__name", "position", "id")
    )


def evidence_of(user: RequestUser, subject: int, indicator: int) -> ManualScore:
    """A manual score that has evidence, for the indicator's reviewer or whoever sees the
    subject's sheet; 404 for anyone else, as for a score without evidence."""
    # Through the rows' own keys: a number past 64 bits matches nothing, not an error.
    scores = ManualScore.objects.exclude(evidence="").filter(
        subject__pk=subject, indicator__pk=indicator
    )
    score = scores.filter(indicator__in=to_review(user).values("pk")).first()
    if score is None and has_perm(user, VIEW):
        score = scores.filter(subject__in=subjects_for(user).values("pk")).first()
    if score is None:
        raise Http404
    return score


def evidence_kept(indicators: list[Indicator]) -> set[tuple[int, int]]:
    """The (subject, indicator) pairs of these indicators whose score has evidence."""
    return set(
        ManualScore.objects.filter(indicator__in=indicators)
        .exclude(evidence="")
        .values_list("subject_id", "indicator_id")
    )


# --- Trees, sheets and their history ------------------------------------------------------


def indicator_tree(scheme: Scheme) -> list[tuple[Indicator, int]]:
    """The scheme's indicators in the order of the tree, each with its depth (0 at the top)."""
    children: dict[int | None, list[Indicator]] = defaultdict(list)
    for indicator in scheme.indicators.all():
        children[indicator.parent_id].append(indicator)
    ordered: list[tuple[Indicator, int]] = []

    def walk(parent: int | None, depth: int) -> None:
        for child in children.get(parent, []):
            ordered.append((child, depth))
            walk(child.pk, depth + 1)

    walk(None, 0)
    return ordered


def latest_result(scheme: Scheme) -> Result | None:
    return scheme.results.order_by("-number").first()


def result_sheets(result: Result) -> list[Sheet]:
    """The sheets of a published version, as they were taken (two queries)."""
    indicators = {i.pk: i for i in result.scheme.indicators.all()}
    sheets: dict[int, Sheet] = {}
    for line in result.lines.select_related("subject__scheme"):
        sheet = sheets.setdefault(line.subject_id, Sheet(line.subject))
        if line.indicator_id is None:
            sheet.total, sheet.rank = line.score, line.rank
        else:
            cell = Cell(indicators[line.indicator_id], line.figure, line.score, line.rank)
            sheet.cells[line.indicator_id] = cell
    return sorted(sheets.values(), key=lambda s: (s.rank is None, s.rank or 0, s.subject.label))


def sheets_of(scheme: Scheme) -> list[Sheet]:
    """A draft's live scores (a preview), a published scheme's latest version."""
    if scheme.status == PUBLISHED:
        result = latest_result(scheme)
        if result is not None:
            return result_sheets(result)
    return scheme_sheets(scheme)


def visible_sheets(user: RequestUser, scheme: Scheme, permission: str = VIEW) -> list[Sheet]:
    """The sheets of the subjects the user may see, with their ranks among all."""
    mine = set(subjects_for(user, permission).filter(scheme=scheme).values_list("pk", flat=True))
    return [sheet for sheet in sheets_of(scheme) if sheet.subject.pk in mine]


def subject_sheet(subject: Subject) -> Sheet:
    for sheet in sheets_of(subject.scheme):
        if sheet.subject.pk == subject.pk:
            return sheet
    return Sheet(subject)


@dataclass
class Version:
    result: Result
    total: Decimal | None
    rank: int | None
    # indicator, score before, score after
    changed: list[tuple[Indicator, Decimal | None, Decimal | None]]


def score_history(subject: Subject) -> list[Version]:
    """Every published version of the subject's scores, newest first, each with the cells
    that changed since the version before."""
    indicators = {i.pk: i for i in subject.scheme.indicators.all()}
    by_result: dict[int, dict[int | None, ResultLine]] = defaultdict(dict)
    results: dict[int, Result] = {}
    for line in ResultLine.objects.filter(subject=subject).select_related("result__by"):
        by_result[line.result_id][line.indicator_id] = line
        results[line.result_id] = line.result
    versions: list[Version] = []
    before: dict[int | None, ResultLine] = {}
    for result in sorted(results.values(), key=lambda r: r.number):
        lines = by_result[result.pk]
        total = lines.get(None)
        changed = [
            (indicators[key], before[key].score, line.score)
            for key, line in lines.items()
            if key is not None and key in before and before[key].score != line.score
        ]
        versions.append(
            Version(result, total.score if total else None, total.rank if total else None, changed)
        )
        before = lines
    return list(reversed(versions))


# --- What a cell counts: the records behind a number ----------------------------------------


@dataclass
class Source:
    """The records behind one cell of a sheet, as far as the user may see them."""

    kind: str  # "records", "manual", "linked", "group"
    rows: list[object]
    hidden: int = 0  # records counted that the user's scope does not show


def cell_source(user: RequestUser, subject: Subject, indicator: Indicator) -> Source:
    scheme = subject.scheme
    if indicator.source == Indicator.Source.AUTOMATIC and indicator.metric in METRICS:
        metric = METRICS[indicator.metric]
        records = metric.records(subject, scheme.cycle_start, scheme.cycle_end)
        seen = list(scoped(user, records).order_by("-pk")[:200])
        return Source("records", seen, max(records.count() - len(seen), 0))
    if indicator.source == Indicator.Source.MANUAL:
        scores = ManualScore.objects.filter(subject=subject, indicator=indicator)
        return Source("manual", list(scores.select_related("reviewer")))
    if indicator.source == Indicator.Source.LINKED:
        links = SubjectLink.objects.filter(subject=subject, indicator=indicator)
        linked = list(links.select_related("linked__scheme"))
        return Source("linked", [(link, subject_sheet(link.linked)) for link in linked])
    return Source("group", [])
