"""The annual talent-work report (人才工作年度报告) of what the user oversees: a commission's
region, or a hospital's own institution.

Its figures are the domains' own, read through their queries for the user's scope and the
report's period (`since` to `until`, a calendar year by default): the staff on the period's
last day (引 育 留 用 each adds its part), introductions and shortage talent (引), cultivation
(育), senior-title rounds (留), discipline volumes over five years and published assessments
(用). The same `Report` is drawn as PDF (`report_pdf`), written as a workbook (`report_xlsx`)
and answered by the API, so the three cannot disagree. The files are made in the background
(`report_jobs`), the bar moving as each section is made (`annual_report`'s `progress`)."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from yicai.access.models import RequestUser
from yicai.access.scope import primary_institution_id
from yicai.evaluation.models import Measure, Result, ResultLine, Scheme
from yicai.evaluation.queries.disciplines import (
    GRADES,
    NO_EDUCATION,
    education_levels,
    figures_for,
    multiple,
    staff_on,
)
from yicai.evaluation.queries.schemes import schemes_for, subjects_for
from yicai.insights.queries import EXPORT
from yicai.insights.wisn import rounded
from yicai.org.models import Institution, Region
from yicai.recruitment import queries as recruitment
from yicai.retention.queries.promotions import figures_of, rounds_for
from yicai.retention.queries.regions import commission_region
from yicai.training.models import StudioTier
from yicai.training.queries.overview import overview as training_overview

TREND_YEARS = 5  # introductions and discipline volumes: the report's year and the 4 before


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list[Any]]


@dataclass
class Chart:
    """A bar chart: one bar per label."""

    title: str
    labels: list[str]
    values: list[int]


@dataclass
class Section:
    title: str
    sentences: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)


@dataclass
class Report:
    title: str
    scope: str
    since: datetime.date
    until: datetime.date
    sections: list[Section]

    @property
    def text(self) -> str:
        """Every sentence, in order: what the report says, for the API and a search."""
        return "\n".join(
            s for section in self.sections for s in [section.title, *section.sentences]
        )


def report_scope(user: RequestUser) -> tuple[Region | None, Institution | None]:
    """What the report is of: the region of the user's commission, or else their
    institution (None and None: neither is known)."""
    region = commission_region(user, EXPORT)
    if region is not None:
        return region, None
    institution_id = primary_institution_id(user)
    institution = Institution.objects.filter(pk=institution_id).first() if institution_id else None
    return None, institution


def scope_name(user: RequestUser) -> str:
    """The name of what the report is of (`report_scope`)."""
    region, institution = report_scope(user)
    if region is not None:
        return _("%s卫生健康系统") % region.name
    return institution.name if institution else _("本单位")


def _rounded(value: Decimal | None) -> Decimal | None:
    return None if value is None else rounded(Decimal(value))


def report_title(scope: str, since: datetime.date, until: datetime.date) -> str:
    """The report's title: of a year (1 January to 31 December), or of the two days asked."""
    whole_year = (since.month, since.day, until.month, until.day) == (1, 1, 12, 31)
    if whole_year and since.year == until.year:
        return _("%(scope)s%(year)d年度人才工作报告") % {"scope": scope, "year": since.year}
    return _("%(scope)s人才工作报告（%(since)s至%(until)s）") % {
        "scope": scope,
        "since": since.isoformat(),
        "until": until.isoformat(),
    }


# Told of each section once it is made: the section, how many are made, how many there are.
Progress = Callable[[Section, int, int], None]


def annual_report(
    user: RequestUser,
    since: datetime.date,
    until: datetime.date,
    progress: Progress | None = None,
) -> Report:
    """The report of the user's scope for `since`..`until` (each section's queries are a
    handful, whatever the number of people or records). `progress`, when given, is told of
    each section as it is made (the background job's bar); the report is the same."""
    scope = scope_name(user)
    title = report_title(scope, since, until)
    # This year's report counts to today: what is on file on a later day is not known yet.
    until = min(until, timezone.localdate())
    steps: list[Callable[[], Section]] = [
        lambda: _staff(user, until),
        lambda: _attract(user, since, until),
        lambda: _cultivate(user, since, until),
        lambda: _retain(user, since, until),
        lambda: _disciplines(user, until.year),
        lambda: _assessments(user, since, until),
    ]
    sections: list[Section] = []
    for step in steps:
        sections.append(step())
        if progress is not None:
            progress(sections[-1], len(sections), len(steps))
    return Report(title, scope, since, until, sections)


def _staff(user: RequestUser, until: datetime.date) -> Section:
    record = staff_on(user, None, until)
    section = Section(_("一、人才队伍"))
    section.sentences.append(
        _(
            "截至%(day)s，在岗%(staff)d人，其中副高级及以上职称%(senior)d人"
            "（任职起始日期未登记的%(undated)d人按在岗计）。"
        )
        % {
            "day": until.isoformat(),
            "staff": record.staff,
            "senior": record.senior,
            "undated": record.undated,
        }
    )
    grades = [(str(label), record.by_grade.get(grade, 0)) for grade, label in GRADES]
    levels = [(label, record.by_education.get(code, 0)) for code, label in education_levels()]
    section.tables.append(
        Table(_("职称结构"), [_("职称级别"), _("人数")], [[label, n] for label, n in grades])
    )
    section.tables.append(
        Table(_("学历结构"), [_("学历"), _("人数")], [[label, n] for label, n in levels])
    )
    section.charts.append(
        Chart(_("职称结构"), [label for label, _n in grades], [n for _label, n in grades])
    )
    if record.by_education.get(NO_EDUCATION):
        section.sentences.append(
            _("%d人未登记学历，计入“未登记学历”。") % record.by_education[NO_EDUCATION]
        )
    return section


def _attract(user: RequestUser, since: datetime.date, until: datetime.date) -> Section:
    section = Section(_("二、引才"))
    seen = recruitment.overview(user, year=until.year, since=since, until=until)
    figures = seen.introductions
    section.sentences.append(
        _("期内引进人才%(total)d人，其中副高级及以上职称%(senior)d人、学科带头人%(leaders)d人。")
        % {
            "total": figures.total,
            "senior": figures.senior,
            "leaders": figures.discipline_leaders,
        }
    )
    if seen.shortage is not None:
        growth = seen.shortage
        section.sentences.append(
            (
                _(
                    "紧缺专业人才由%(since)s的%(start)d人增至%(until)s的%(end)d人，"
                    "增加%(change)d人，年均增长%(rate)s。"
                )
                if growth.change >= 0
                else _(
                    "紧缺专业人才由%(since)s的%(start)d人减至%(until)s的%(end)d人，"
                    "减少%(fall)d人，年均变化%(rate)s。"
                )
            )
            % {
                "since": growth.since.isoformat(),
                "start": growth.at_start,
                "until": growth.until.isoformat(),
                "end": growth.at_end,
                "change": growth.change,
                "fall": -growth.change,
                "rate": growth.yearly_percent or "—",
            }
        )
    first = datetime.date(until.year - TREND_YEARS + 1, 1, 1)
    trend = recruitment.introduction_figures(user, since=first, until=until)
    years = {line["year"]: line["total"] for line in trend.by_year}
    labels = [str(year) for year in range(first.year, until.year + 1)]
    counts = [years.get(year, 0) for year in range(first.year, until.year + 1)]
    section.charts.append(Chart(_("历年引进人才"), labels, counts))
    section.tables.append(
        Table(
            _("历年引进人才"),
            [_("年份"), _("引进人数")],
            [list(row) for row in zip(labels, counts, strict=True)],
        )
    )
    return section


def _cultivate(user: RequestUser, since: datetime.date, until: datetime.date) -> Section:
    section = Section(_("三、育才"))
    seen = training_overview(user, since=since, until=until, as_of=until, year=until.year)
    section.sentences.append(
        _(
            "截至%(day)s，在带师徒关系%(mentorships)d个（师徒%(pairs)d对）；"
            "期内专家来院%(visits)d次，填补技术空白%(gaps)d项，"
            "徒弟经审核的独立完成病例%(cases)d例。"
        )
        % {
            "day": until.isoformat(),
            "mentorships": seen["mentorships"],
            "pairs": seen["pairs"],
            "visits": seen["visits"],
            "gaps": seen["gaps_filled"],
            "cases": seen["verified_independent_cases"],
        }
    )
    tiers = dict(StudioTier.choices)
    by_tier = seen["studios_by_tier"]
    section.sentences.append(
        _("名医工作室%(studios)d个，%(year)d年应拨补助%(due)s元。")
        % {
            "studios": seen["studios"],
            "year": until.year,
            "due": f"{seen['studio_subsidy_due']:,.2f}",
        }
    )
    section.tables.append(
        Table(
            _("名医工作室（按级别）"),
            [_("级别"), _("工作室数")],
            [[str(label), by_tier.get(tier, 0)] for tier, label in tiers.items()],
        )
    )
    return section


def _retain(user: RequestUser, since: datetime.date, until: datetime.date) -> Section:
    section = Section(_("四、留才"))
    rounds = (
        rounds_for(user).filter(year__gte=since.year, year__lte=until.year).order_by("year", "name")
    )
    rows = []
    for promotion_round in rounds:
        figures = figures_of(user, promotion_round)
        section.sentences.append(
            f"{promotion_round.year}{_('年')}{promotion_round.name}：{figures.sentence}。"
        )
        rows.append([promotion_round.year, promotion_round.name, figures.applied, figures.passed])
    if rows:
        section.tables.append(
            Table(_("职称评审"), [_("年度"), _("评审"), _("申报人数"), _("通过人数")], rows)
        )
    else:
        section.sentences.append(_("期内没有职称评审记录。"))
    return section


def _disciplines(user: RequestUser, year: int) -> Section:
    section = Section(_("五、学科建设"))
    first = year - TREND_YEARS + 1
    figures = (
        figures_for(user)
        .filter(year__gte=first, year__lte=year)
        .select_related("department__institution")
        .order_by("department__institution__name", "department__name", "measure", "year")
    )
    series: dict[tuple[str, str, str], dict[int, int]] = {}
    labels = dict(Measure.choices)
    for figure in figures:
        key = (figure.department.institution.name, figure.department.name, figure.measure)
        series.setdefault(key, {})[figure.year] = figure.value
    rows = []
    for (institution, department, measure), values in series.items():
        start, end = min(values), max(values)
        times = multiple(values[start], values[end]) if end > start else None
        rows.append(
            [
                institution,
                department,
                str(labels.get(measure, measure)),
                start,
                values[start],
                end,
                values[end],
                times,
            ]
        )
        if times is not None:
            section.sentences.append(
                _(
                    "%(institution)s%(department)s%(measure)s由%(start)d年的%(first)d增至%(end)d年的%(last)d，为%(times)s倍。"
                )
                % {
                    "institution": institution,
                    "department": department,
                    "measure": labels.get(measure, measure),
                    "start": start,
                    "first": values[start],
                    "end": end,
                    "last": values[end],
                    "times": times,
                }
            )
    if rows:
        section.tables.append(
            Table(
                _("学科年度数据"),
                [
                    _("机构"),
                    _("科室"),
                    _("指标"),
                    _("起始年"),
                    _("起始值"),
                    _("末年"),
                    _("末年值"),
                    _("倍数"),
                ],
                rows,
            )
        )
    else:
        section.sentences.append(_("近五年没有学科年度数据。"))
    return section


def _assessments(user: RequestUser, since: datetime.date, until: datetime.date) -> Section:
    section = Section(_("六、考核"))
    latest = Result.objects.filter(scheme=OuterRef("pk")).order_by("-number").values("pk")[:1]
    schemes = list(
        schemes_for(user)
        .filter(status=Scheme.Status.PUBLISHED, cycle_end__gte=since, cycle_end__lte=until)
        .annotate(latest=Subquery(latest))
        .order_by("cycle_start", "name")
    )
    # The totals of each scheme's latest version (appeals upheld included) for the subjects
    # the user sees (a hospital: its own), in one query.
    totals: dict[int, dict[str, Any]] = {
        row["result__scheme"]: dict(row)
        for row in ResultLine.objects.filter(
            result__in=[scheme.latest for scheme in schemes],
            indicator__isnull=True,
            subject__in=subjects_for(user).values("pk"),
        )
        .values("result__scheme")
        .annotate(avg=Avg("score"), n=Count("subject", distinct=True))
    }
    none: dict[str, Any] = {"n": 0, "avg": None}
    rows: list[list[Any]] = [
        [
            scheme.name,
            scheme.get_subject_type_display(),
            totals.get(scheme.pk, none)["n"],
            _rounded(totals.get(scheme.pk, none)["avg"]),
        ]
        for scheme in schemes
    ]
    if rows:
        section.sentences.append(_("期内发布考核方案%d个。") % len(rows))
        section.tables.append(
            Table(_("考核方案"), [_("方案"), _("考核对象类型"), _("对象数"), _("平均得分")], rows)
        )
    else:
        section.sentences.append(_("期内没有发布的考核方案。"))
    return section
