"""The gaps against the stored norms (/api/v1/insights/norm-gaps/) and the ranked priorities
(/api/v1/insights/priorities/), read only, from the same queries and filter forms as their
pages (yicai.insights.norms, yicai.insights.priorities)."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from yicai.api.base import ApiView, form_filters
from yicai.api.schema import INSTITUTION_PARAMETER, as_of_parameter, errors
from yicai.insights import norms, priorities, queries, wisn
from yicai.insights.priority_forms import NormGapsForm, PrioritiesForm


def _text(help_text: Any) -> serializers.CharField:
    return serializers.CharField(read_only=True, allow_null=True, help_text=help_text)


def _ref(pk: int | None, name: str) -> dict[str, Any] | None:
    return None if pk is None else {"id": pk, "name": name}


class PlanningRefOut(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


# --- Gaps against the norms ------------------------------------------------------------------


class NormLineOut(serializers.Serializer):
    group = serializers.CharField(read_only=True, help_text="doctors / nurses / health_workers")
    group_label = serializers.CharField(read_only=True)
    norm_key = serializers.CharField(read_only=True, help_text=_("规划参数"))
    norm = _text(_("有效的配置标准；未设定时为空"))
    needed = _text(_("需要人数（两位小数）"))
    current = serializers.IntegerField(read_only=True, help_text=_("现有：在档在编在岗人数"))
    gap = _text(_("缺口：需要 − 现有，大于 0 为短缺"))


class NormBedRowOut(serializers.Serializer):
    institution = PlanningRefOut(read_only=True)
    department = PlanningRefOut(read_only=True, allow_null=True, help_text=_("机构合计时为空"))
    is_total = serializers.BooleanField(read_only=True)
    beds = serializers.IntegerField(read_only=True, help_text=_("实际开放床位数"))
    year = serializers.IntegerField(read_only=True, allow_null=True)
    figure = serializers.IntegerField(read_only=True, allow_null=True)
    lines = NormLineOut(many=True, read_only=True)


class NormPopulationOut(serializers.Serializer):
    region = PlanningRefOut(read_only=True, allow_null=True)
    year = serializers.IntegerField(read_only=True)
    population = serializers.IntegerField(read_only=True, allow_null=True)
    lines = NormLineOut(many=True, read_only=True)


class NormGapsOut(serializers.Serializer):
    as_of = serializers.DateField(read_only=True)
    year = serializers.IntegerField(read_only=True, help_text=_("床位年度"))
    rule = serializers.CharField(read_only=True)
    beds = NormBedRowOut(many=True, read_only=True)
    population = NormPopulationOut(read_only=True)
    missing_norms = serializers.ListField(child=serializers.CharField(), read_only=True)


def _line(line: norms.NormLine) -> dict[str, Any]:
    return {
        "group": line.group,
        "group_label": line.label,
        "norm_key": line.key,
        "norm": wisn.shown(line.norm.value) if line.norm else None,
        "needed": wisn.shown(line.needed) if line.needed is not None else None,
        "current": line.current,
        "gap": wisn.shown(line.gap) if line.gap is not None else None,
    }


def norm_gaps_data(gaps: norms.NormGaps) -> dict[str, Any]:
    region = gaps.population.region
    return {
        "as_of": gaps.as_of,
        "year": gaps.year,
        "rule": str(norms.RULE),
        "beds": [
            {
                "institution": _ref(row.institution_id, row.institution),
                "department": None if row.total else _ref(row.department_id, row.department),
                "is_total": row.total,
                "beds": row.beds,
                "year": row.year,
                "figure": row.figure_id,
                "lines": [_line(line) for line in row.lines],
            }
            for row in gaps.rows
        ],
        "population": {
            "region": _ref(region.pk, region.name) if region else None,
            "year": gaps.population.year,
            "population": gaps.population.population,
            "lines": [_line(line) for line in gaps.population.lines],
        },
        "missing_norms": gaps.missing,
    }


@extend_schema(tags=["insights"])
class NormGapsViewSet(ApiView):
    """配置标准缺口: doctors and nurses needed by the bed norms (床医比, 床护比) per
    institution and department and by the targets per 1,000 population for a region, against
    the staff on file, as on the page."""

    permissions = {"retrieve": queries.VIEW}
    pagination_class = None

    @extend_schema(
        parameters=[
            as_of_parameter(_("按这一天有效的配置标准，默认今天")),
            OpenApiParameter("year", int, description=_("床位年度，默认现状截至日所在年度")),
            INSTITUTION_PARAMETER,
            OpenApiParameter("region", int, description=_("地区 id，默认本辖区")),
        ],
        responses={200: NormGapsOut, **errors(400)},
    )
    def retrieve(self, request: Any) -> Response:
        values = form_filters(NormGapsForm(request.user, request.query_params))
        gaps = norms.norm_gaps(
            request.user,
            as_of=values.get("as_of"),
            year=values.get("year"),
            institution=values.get("institution"),
            region=values.get("region"),
        )
        return Response(NormGapsOut(norm_gaps_data(gaps)).data)


# --- Priorities --------------------------------------------------------------------------------


class PriorityStudyOut(serializers.Serializer):
    study = serializers.IntegerField(read_only=True)
    staff_category = serializers.CharField(read_only=True)
    year = serializers.IntegerField(read_only=True)
    required_staff = _text(_("所需人数；学科年度数据缺失时为空"))
    current = _text(_("现有人数（测算填报）"))
    shortage = _text(_("所需 − 现有，小于 0 记为 0"))
    missing_figures = serializers.ListField(child=serializers.CharField(), read_only=True)


class PriorityRecruitOut(serializers.Serializer):
    rank = serializers.IntegerField(read_only=True)
    institution = PlanningRefOut(read_only=True)
    department = PlanningRefOut(read_only=True)
    studies = PriorityStudyOut(many=True, read_only=True)
    wisn_shortfall = _text(_("WISN 缺口；无可计算的测算时为空"))
    norm_shortfall = _text(_("床位标准缺口；未登记床位时为空"))
    retiring = serializers.IntegerField(read_only=True, help_text=_("已到龄及五年内到龄"))
    need = _text(_("合计：两项缺口中较大者 + 到龄人数"))


class PriorityPersonOut(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    birth_date = serializers.DateField(read_only=True, allow_null=True)


class PriorityTechniqueOut(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    institution = PlanningRefOut(read_only=True)
    department = PlanningRefOut(read_only=True, allow_null=True)
    status = serializers.CharField(read_only=True)


class PrioritySecondOut(serializers.Serializer):
    institution = PlanningRefOut(read_only=True)
    department = PlanningRefOut(read_only=True)
    techniques = PriorityTechniqueOut(many=True, read_only=True)
    candidates = PriorityPersonOut(many=True, read_only=True)


class PriorityObligationOut(serializers.Serializer):
    kind = serializers.CharField(read_only=True, help_text=", ".join(priorities.OBLIGATION_KINDS))
    kind_label = serializers.CharField(read_only=True)
    record = serializers.IntegerField(read_only=True, help_text=_("该类记录的 id"))
    name = serializers.CharField(read_only=True)
    institution = serializers.CharField(read_only=True)
    ends_on = serializers.DateField(read_only=True)
    days_left = serializers.IntegerField(read_only=True)


class PrioritySectionRulesOut(serializers.Serializer):
    recruit = serializers.CharField(read_only=True)
    second = serializers.CharField(read_only=True)
    techniques = serializers.CharField(read_only=True)
    obligations = serializers.CharField(read_only=True)


class PrioritiesOut(serializers.Serializer):
    as_of = serializers.DateField(read_only=True)
    days = serializers.IntegerField(read_only=True)
    rules = PrioritySectionRulesOut(read_only=True)
    recruit = PriorityRecruitOut(many=True, read_only=True)
    second = PrioritySecondOut(many=True, read_only=True)
    techniques = PriorityTechniqueOut(many=True, read_only=True)
    obligations = PriorityObligationOut(many=True, read_only=True)


def _shown(value: Any) -> str | None:
    return None if value is None else wisn.shown(value)


def _technique(t: Any) -> dict[str, Any]:
    department = t.department
    return {
        "id": t.pk,
        "name": t.name,
        "institution": _ref(t.institution_id, t.institution.name),
        "department": _ref(department.pk, department.name) if department else None,
        "status": t.status,
    }


def priorities_data(made: priorities.Priorities) -> dict[str, Any]:
    return {
        "as_of": made.as_of,
        "days": made.days,
        "rules": {key: priorities.rule(key) for key in priorities.SECTIONS},
        "recruit": [
            {
                "rank": rank,
                "institution": _ref(row.institution_id, row.institution),
                "department": _ref(row.department_id, row.department),
                "studies": [
                    {
                        "study": s.study.pk,
                        "staff_category": s.study.staff_category.name,
                        "year": s.study.year,
                        "required_staff": _shown(s.required),
                        "current": _shown(s.current),
                        "shortage": None if s.required is None else _shown(s.shortage),
                        "missing_figures": s.missing,
                    }
                    for s in row.studies
                ],
                "wisn_shortfall": _shown(row.wisn_shortfall),
                "norm_shortfall": _shown(row.norm_shortfall),
                "retiring": row.retiring,
                "need": _shown(row.need),
            }
            for rank, row in enumerate(made.recruit, start=1)
        ],
        "second": [
            {
                "institution": _ref(row.institution_id, row.institution),
                "department": _ref(row.department_id, row.department),
                "techniques": [_technique(t) for t in row.techniques],
                "candidates": [
                    {"id": p.pk, "name": p.name, "birth_date": p.birth_date} for p in row.candidates
                ],
            }
            for row in made.second
        ],
        "techniques": [_technique(t) for t in made.techniques],
        "obligations": [
            {
                "kind": o.kind,
                "kind_label": o.kind_label,
                "record": o.pk,
                "name": o.name,
                "institution": o.institution,
                "ends_on": o.ends_on,
                "days_left": o.days_left,
            }
            for o in made.obligations
        ],
    }


@extend_schema(tags=["insights"])
class PrioritiesViewSet(ApiView):
    """人才工作优先事项: where to recruit, whom to second, technique gaps with no mentorship,
    obligations ending soon, each by the rule the page states, as on the page (all rows)."""

    permissions = {"retrieve": queries.VIEW}
    pagination_class = None

    @extend_schema(
        parameters=[
            as_of_parameter(_("现状截至，默认今天")),
            OpenApiParameter("days", int, description=_("到期天数，默认 180")),
            INSTITUTION_PARAMETER,
        ],
        responses={200: PrioritiesOut, **errors(400)},
    )
    def retrieve(self, request: Any) -> Response:
        values = form_filters(PrioritiesForm(request.user, request.query_params))
        made = priorities.priorities(
            request.user,
            as_of=values.get("as_of"),
            days=values.get("days"),
            institution=values.get("institution"),
        )
        return Response(PrioritiesOut(priorities_data(made)).data)
