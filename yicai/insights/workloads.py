"""Where a WISN activity's annual workload comes from (docs/wisn.md): typed in, or read from
the department's recorded discipline figure (学科年度数据, `evaluation.DisciplineFigure`) of the
activity's `workload_measure` for the study's year. The figure is read when the study is
calculated, never copied: a corrected figure changes the study's required staff. A figure not
recorded leaves the activity out of the calculation, and the study says so.

The figure belongs to the study's department, so it is read whoever looks at the study (the
study's required staff is the same for everyone who sees it); the link to the figure's own
page is scoped there. `yicai.insights.wisn` stays pure: this module only hands it numbers."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from yicai.evaluation.models import UNITS, DisciplineFigure, Measure
from yicai.insights.models import WisnActivity, WisnStudy


@dataclass(frozen=True)
class Feed:
    """An activity whose workload is read from a discipline figure: the measure, the year,
    and the figure found (its id and value; None when none is recorded)."""

    activity: WisnActivity
    measure: str
    year: int
    figure_id: int | None
    value: int | None

    @property
    def missing(self) -> bool:
        return self.figure_id is None

    @property
    def label(self) -> str:
        return str(Measure(self.measure).label)

    @property
    def unit(self) -> str:
        return str(UNITS.get(self.measure, ""))

    @property
    def text(self) -> str:
        """Where the workload came from, in words (the page, the API and the export)."""
        values = {"year": self.year, "measure": self.label}
        if self.missing:
            return _("%(year)s 年%(measure)s未登记：本活动未计入") % values
        return _("取自 %(year)s 年学科年度数据：%(measure)s %(value)s%(unit)s") % {
            **values,
            "value": self.value,
            "unit": self.unit,
        }


def feeds_of(
    study: WisnStudy, activities: Sequence[WisnActivity], *, fresh: bool = False
) -> dict[int, Feed]:
    """The feeds of the activities that read a discipline figure, by `id()` of the row. From
    the rows' own annotation (`WisnActivity.objects` adds it, so a prefetch costs nothing
    more); `fresh`, or a row without it (one being checked by the services): one query for
    all of them."""
    fed = [row for row in activities if row.workload_measure]
    if not fed:
        return {}
    stale = fresh or any(not hasattr(row, "fed_workload") for row in fed)
    found: dict[str, tuple[int, int]] = {}
    if stale:
        rows = DisciplineFigure.objects.filter(
            department_id=study.department_id,
            year=study.year,
            measure__in={row.workload_measure for row in fed},
        ).values_list("measure", "pk", "value")
        found = {measure: (pk, value) for measure, pk, value in rows}
    feeds = {}
    for row in fed:
        if stale:
            figure_id, value = found.get(row.workload_measure, (None, None))
        else:
            figure_id, value = row.fed_figure_id, row.fed_workload  # type: ignore[attr-defined]
        feeds[id(row)] = Feed(row, row.workload_measure, study.year, figure_id, value)
    return feeds


def workload(row: WisnActivity, feeds: dict[int, Feed]) -> Decimal | None:
    """The activity's annual workload: its figure's value, or the number typed in (None: a
    figure not recorded)."""
    feed = feeds.get(id(row))
    if feed is None:
        return row.annual_workload
    return None if feed.value is None else Decimal(feed.value)


def missing(feeds: Iterable[Feed]) -> list[Feed]:
    return [feed for feed in feeds if feed.missing]
