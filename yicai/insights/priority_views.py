"""The gaps against the stored norms (/planning/norms/) and the ranked priorities
(/planning/priorities/): pages over yicai.insights.norms and yicai.insights.priorities, each
count a link to the records behind it, each table an audited export."""

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yicai.access.scope import has_perm, require
from yicai.insights import norms, priorities, queries
from yicai.insights.priority_forms import NormGapsForm, PrioritiesForm
from yicai.insights.wisn import rounded
from yicai.params import filter_status
from yicai.web.listing import Export, ListPermissions, exported

PLANNING = ListPermissions(view=queries.VIEW, export=queries.EXPORT, edit=queries.EDIT)


def people_url(**query: Any) -> str:
    """The staff behind a planning figure (insights:planning_people), filtered as given."""
    given = {name: value for name, value in query.items() if value not in (None, "", False)}
    return f"{reverse('insights:planning_people')}?{urlencode(given)}"


def _two(value: Any) -> Any:
    return "" if value is None else rounded(value)


def _query(request: HttpRequest, form: Any) -> str:
    return urlencode(
        {k: v for k, v in request.GET.items() if k in form.fields and k != "section" and v}
    )


# --- Gaps against the norms ------------------------------------------------------------------


def _line_cells(line: norms.NormLine, **where: Any) -> dict[str, Any]:
    return {"line": line, "url": people_url(group=line.group, **where)}


def norm_headers() -> list[object]:
    return [
        gettext_lazy("地区 / 机构"),
        gettext_lazy("科室"),
        gettext_lazy("依据"),
        gettext_lazy("年度"),
        gettext_lazy("人员"),
        gettext_lazy("配置标准"),
        gettext_lazy("需要"),
        gettext_lazy("现有"),
        gettext_lazy("缺口（需要 − 现有）"),
    ]


def norm_table(gaps: norms.NormGaps) -> Iterator[list[object]]:
    population = gaps.population
    if population.region is not None:
        for line in population.lines:
            yield [
                population.region.name,
                "",
                _("常住人口 %s 人") % population.population
                if population.population
                else _("未登记常住人口"),
                population.year,
                line.label,
                line.norm.value if line.norm else _("未设定"),
                _two(line.needed),
                line.current,
                _two(line.gap),
            ]
    for row in gaps.rows:
        for line in row.lines:
            yield [
                row.institution,
                row.department,
                _("实际开放床位 %s 张") % row.beds,
                row.year or "",
                line.label,
                line.norm.value if line.norm else _("未设定"),
                _two(line.needed),
                line.current,
                _two(line.gap),
            ]


@login_required
def norm_gaps(request: HttpRequest) -> HttpResponseBase:
    """需要 / 现有 / 缺口 of doctors and nurses by the bed norms per institution and
    department, and by the targets per 1,000 population for the region; each current count a
    link to the people it counts."""
    user = request.user
    require(user, queries.VIEW)
    form = NormGapsForm(user, request.GET or None)
    status = filter_status(form)
    values = form.cleaned_data if status == 200 and form.is_bound else {}
    gaps = norms.norm_gaps(
        user,
        as_of=values.get("as_of"),
        year=values.get("year"),
        institution=values.get("institution"),
        region=values.get("region"),
    )
    if status == 200:
        export = Export(_("配置标准缺口"), norm_headers(), norm_table, _("导出配置标准缺口"))
        download = exported(request, PLANNING, export, lambda _permission: gaps, form)
        if download is not None:
            return download
    rows = []
    for row in gaps.rows:
        where: dict[str, Any] = {"institution": row.institution_id}
        if not row.total:
            where["department"] = row.department_id
        rows.append({"row": row, "lines": [_line_cells(line, **where) for line in row.lines]})
    region = gaps.population.region
    context = {
        "form": form,
        "gaps": gaps,
        "rows": rows,
        "population": [
            _line_cells(line, region=region.pk if region else None)
            for line in gaps.population.lines
        ],
        "rule": norms.RULE,
        "can_export": status == 200 and has_perm(user, queries.EXPORT),
        "export_query": _query(request, form),
    }
    return render(request, "insights/norm_gaps.html", context, status=status)


# --- Priorities --------------------------------------------------------------------------------


def _names(people: list[Any]) -> str:
    return "、".join(person.name for person in people)


EXPORTS: dict[str, tuple[list[object], Any]] = {
    "recruit": (
        [
            gettext_lazy("排名"),
            gettext_lazy("机构"),
            gettext_lazy("科室"),
            gettext_lazy("WISN 缺口"),
            gettext_lazy("床位标准缺口"),
            gettext_lazy("已到龄及五年内到龄"),
            gettext_lazy("合计"),
            gettext_lazy("说明"),
        ],
        lambda made: (
            [
                rank,
                row.institution,
                row.department,
                _two(row.wisn_shortfall),
                _two(row.norm_shortfall),
                row.retiring,
                _two(row.need),
                "；".join(m for s in row.studies for m in s.missing),
            ]
            for rank, row in enumerate(made.recruit, start=1)
        ),
    ),
    "second": (
        [
            gettext_lazy("机构"),
            gettext_lazy("科室"),
            gettext_lazy("未填补的技术空白"),
            gettext_lazy("技术名称"),
            gettext_lazy("候选人数"),
            gettext_lazy("候选人"),
        ],
        lambda made: (
            [
                row.institution,
                row.department,
                len(row.techniques),
                "、".join(t.name for t in row.techniques),
                len(row.candidates),
                _names(row.candidates),
            ]
            for row in made.second
        ),
    ),
    "techniques": (
        [
            gettext_lazy("机构"),
            gettext_lazy("科室"),
            gettext_lazy("技术名称"),
            gettext_lazy("类别"),
            gettext_lazy("来源"),
            gettext_lazy("状态"),
        ],
        lambda made: (
            [
                t.institution.name,
                t.department.name if t.department else "",
                t.name,
                t.get_category_display(),
                t.get_origin_display(),
                t.get_status_display(),
            ]
            for t in made.techniques
        ),
    ),
    "obligations": (
        [
            gettext_lazy("到期日"),
            gettext_lazy("剩余天数"),
            gettext_lazy("类型"),
            gettext_lazy("人员"),
            gettext_lazy("机构"),
        ],
        lambda made: (
            [o.ends_on, o.days_left, o.kind_label, o.name, o.institution] for o in made.obligations
        ),
    ),
}
SHOWN = 50  # rows of a section on the page; the export has them all


@login_required
def priority_list(request: HttpRequest) -> HttpResponseBase:
    """Where to recruit, whom to second, techniques without a mentorship, obligations ending
    soon: each section with its rule, its rows (the first SHOWN), an export."""
    user = request.user
    require(user, queries.VIEW)
    form = PrioritiesForm(user, request.GET or None)
    status = filter_status(form)
    values = form.cleaned_data if status == 200 and form.is_bound else {}
    made = priorities.priorities(
        user,
        as_of=values.get("as_of"),
        days=values.get("days"),
        institution=values.get("institution"),
    )
    if status == 200:
        section = values.get("section") or "recruit"
        headers, rows = EXPORTS[section]
        title = str(priorities.TITLES[section]).split("、", 1)[-1]
        export = Export(title, headers, rows, _("导出人才工作优先事项：%s") % title)
        download = exported(request, PLANNING, export, lambda _permission: made, form)
        if download is not None:
            return download
    query = _query(request, form)
    sections = {
        key: {
            "title": priorities.TITLES[key],
            "rule": priorities.rule(key),
            "export_query": f"{query}&section={key}" if query else f"section={key}",
        }
        for key in priorities.SECTIONS
    }
    as_of = made.as_of.isoformat()
    recruit = [
        {
            "row": row,
            # The projection of its institution: each period's count opens its people.
            "retiring_url": f"{reverse('insights:retirement')}?"
            + urlencode({"as_of": as_of, "institution": row.institution_id}),
        }
        for row in made.recruit[:SHOWN]
    ]
    context = {
        "form": form,
        "made": made,
        "sections": sections,
        "recruit": recruit,
        "second": made.second[:SHOWN],
        "techniques": made.techniques[:SHOWN],
        "obligations": made.obligations[:SHOWN],
        "shown": SHOWN,
        "can_export": status == 200 and has_perm(user, queries.EXPORT),
    }
    return render(request, "insights/priorities.html", context, status=status)
