"""Scoring a scheme: every leaf, group and total of every subject, and their ranks.

The rules, each in one place:
- A **basic task** scores its completion, `figure / reference × 100`, at most 100, where the
  reference is the target (automatic), the scale's top (manual) or 100 (linked); below the
  pass line (a percentage of the reference) it scores 0.
- A **competitive incentive** ranks the subjects of the scheme that have a figure, highest
  first, ties sharing a rank (1, 2, 2, 4); of n, rank r scores `100 × (n − r) / (n − 1)` (the
  only one scores 100).
- A **linked** indicator's figure is the weighted mean of the totals of the subjects linked to
  this one (those without a total are left out); it is scored as a basic task.
- A group (and the total) is the weighted sum of its children's scores over 100. A child
  without data counts 0, or, where the scheme says so, is left out and the weights of the
  others are scaled up to 100; a group none of whose children has data has none itself.
Every score is rounded to the cent (half up) where it is computed, and groups add the rounded
scores of their children, so a sheet adds up as printed.

Queries: per scheme, one per automatic indicator (all subjects at once), one for the manual
scores and one for the links; never one per subject.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from yicai.evaluation.metrics import METRICS
from yicai.evaluation.models import Indicator, ManualScore, Scheme, Subject, SubjectLink

CENT = Decimal("0.01")
HUNDRED = Decimal(100)


class LinkCycle(ValueError):
    """A subject's score would depend on itself (links are refused before this can happen)."""


@dataclass
class Cell:
    indicator: Indicator
    figure: Decimal | None  # the count, the reviewer's score, the linked mean; None: no data
    score: Decimal | None = None
    rank: int | None = None  # competitive indicators


@dataclass
class Sheet:
    subject: Subject
    cells: dict[int, Cell] = field(default_factory=dict)  # indicator id -> its cell
    total: Decimal | None = None
    rank: int | None = None


def cent(value: Decimal) -> Decimal:
    return value.quantize(CENT, ROUND_HALF_UP)


def ranks(figures: dict[int, Decimal]) -> dict[int, int]:
    """Competition ranking, highest first: equal figures share a rank, the next is skipped."""
    ordered = sorted(figures.values(), reverse=True)
    return {key: ordered.index(value) + 1 for key, value in figures.items()}


def basic_score(indicator: Indicator, figure: Decimal) -> Decimal:
    if indicator.source == Indicator.Source.AUTOMATIC:
        reference = indicator.target
    elif indicator.source == Indicator.Source.MANUAL:
        reference = indicator.scale_max
    else:
        reference = HUNDRED
    completion = figure / reference * HUNDRED if reference else Decimal(0)
    if indicator.pass_line is not None and completion < indicator.pass_line:
        return Decimal(0)
    return cent(min(completion, HUNDRED))


def weighted(children: list[tuple[Decimal, Decimal | None]], renormalise: bool) -> Decimal | None:
    """A group's score from (weight, score) of its children (see the module's rules)."""
    given = [(weight, score) for weight, score in children if score is not None]
    if not given:
        return None
    total = sum((weight * score for weight, score in given), Decimal(0))
    if renormalise:
        weights = sum((weight for weight, _score in given), Decimal(0))
        return cent(total / weights) if weights else None
    return cent(total / HUNDRED)


@dataclass
class _Scheme:
    """What scoring a scheme needs, read once."""

    scheme: Scheme
    subjects: list[Subject]
    roots: list[Indicator]
    children: dict[int | None, list[Indicator]]
    leaves: list[Indicator]
    # Automatic and manual cells of every subject, ranked where competitive.
    fixed: dict[int, dict[int, Cell]]
    # (subject id, indicator id) -> [(linked subject, weight)]
    links: dict[tuple[int, int], list[tuple[Subject, Decimal]]]


class Scorer:
    """Scores subjects, following links into other schemes; each scheme is read once."""

    def __init__(self) -> None:
        self._schemes: dict[int, _Scheme] = {}
        self._sheets: dict[int, Sheet] = {}
        self._computing: set[int] = set()

    def scheme_sheets(self, scheme: Scheme) -> list[Sheet]:
        """Every subject's sheet, ranked by total (ties share a rank), best first."""
        data = self._read(scheme)
        sheets = [self.sheet(subject) for subject in data.subjects]
        totals = {sheet.subject.pk: sheet.total for sheet in sheets if sheet.total is not None}
        placed = ranks(totals)
        for sheet in sheets:
            sheet.rank = placed.get(sheet.subject.pk)
        return sorted(sheets, key=lambda s: (s.rank is None, s.rank or 0, s.subject.label))

    def sheet(self, subject: Subject) -> Sheet:
        if subject.pk in self._sheets:
            return self._sheets[subject.pk]
        if subject.pk in self._computing:
            raise LinkCycle(subject.label)
        self._computing.add(subject.pk)
        try:
            data = self._read(subject.scheme)
            sheet = Sheet(subject, dict(data.fixed[subject.pk]))
            for leaf in data.leaves:
                if leaf.source == Indicator.Source.LINKED:
                    sheet.cells[leaf.pk] = self._linked(leaf, data.links.get((subject.pk, leaf.pk)))
            sheet.total = self._group(data, sheet, None)
        finally:
            self._computing.discard(subject.pk)
        self._sheets[subject.pk] = sheet
        return sheet

    def _linked(self, leaf: Indicator, links: list[tuple[Subject, Decimal]] | None) -> Cell:
        given = [(weight, self.sheet(linked).total) for linked, weight in links or ()]
        given = [(weight, total) for weight, total in given if total is not None]
        weights = sum((weight for weight, _total in given), Decimal(0))
        if not weights:
            return Cell(leaf, None)
        figure = cent(sum((w * t for w, t in given), Decimal(0)) / weights)  # type: ignore[operator]
        return Cell(leaf, figure, basic_score(leaf, figure))

    def _group(self, data: _Scheme, sheet: Sheet, parent: Indicator | None) -> Decimal | None:
        parts = []
        for child in data.children.get(parent.pk if parent else None, []):
            if child.pk in sheet.cells:
                score = sheet.cells[child.pk].score
            else:
                score = self._group(data, sheet, child)
                sheet.cells[child.pk] = Cell(child, None, score)
            parts.append((child.weight, score))
        return weighted(parts, data.scheme.renormalise)

    def _read(self, scheme: Scheme) -> _Scheme:
        if scheme.pk in self._schemes:
            return self._schemes[scheme.pk]
        indicators = list(scheme.indicators.all())
        children: dict[int | None, list[Indicator]] = defaultdict(list)
        for indicator in indicators:
            children[indicator.parent_id].append(indicator)
        leaves = [i for i in indicators if i.pk not in children]
        subjects = list(scheme.subjects.select_related("scheme"))
        fixed: dict[int, dict[int, Cell]] = {subject.pk: {} for subject in subjects}
        manual = _manual_figures(scheme)
        for leaf in leaves:
            if leaf.source == Indicator.Source.AUTOMATIC:
                compute = METRICS[leaf.metric].compute
                figures = compute(subjects, scheme.cycle_start, scheme.cycle_end)
            elif leaf.source == Indicator.Source.MANUAL:
                figures = manual.get(leaf.pk, {})
            else:
                continue
            _score_leaf(leaf, figures, fixed)
        links: dict[tuple[int, int], list[tuple[Subject, Decimal]]] = defaultdict(list)
        for link in SubjectLink.objects.filter(subject__scheme=scheme).select_related(
            "linked__scheme"
        ):
            links[(link.subject_id, link.indicator_id)].append((link.linked, link.weight))
        data = _Scheme(scheme, subjects, children[None], children, leaves, fixed, links)
        self._schemes[scheme.pk] = data
        return data


def _manual_figures(scheme: Scheme) -> dict[int, dict[int, Decimal]]:
    figures: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for indicator_id, subject_id, value in ManualScore.objects.filter(
        subject__scheme=scheme
    ).values_list("indicator_id", "subject_id", "value"):
        figures[indicator_id][subject_id] = value
    return figures


def _score_leaf(
    leaf: Indicator, figures: dict[int, Decimal], fixed: dict[int, dict[int, Cell]]
) -> None:
    placed = ranks(figures) if leaf.mode == Indicator.Mode.COMPETITIVE else {}
    n = len(figures)
    for subject_id, cells in fixed.items():
        figure = figures.get(subject_id)
        cell = Cell(leaf, figure)
        if figure is not None and leaf.mode == Indicator.Mode.COMPETITIVE:
            cell.rank = placed[subject_id]
            cell.score = HUNDRED if n == 1 else cent(HUNDRED * (n - cell.rank) / (n - 1))
        elif figure is not None:
            cell.score = basic_score(leaf, figure)
        cells[leaf.pk] = cell


def scheme_sheets(scheme: Scheme) -> list[Sheet]:
    return Scorer().scheme_sheets(scheme)
