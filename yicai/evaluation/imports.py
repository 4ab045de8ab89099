"""A sheet of the disciplines' yearly figures (学科年度数据): a row an institution's department,
a year, a measure and its value, set through `services.figure_set` as the form and the API set
one, so a row is refused for the same reasons in the same words, named by row and column.

Hospitals name their measures as their reports do (介入手术量, 四级手术, 门急诊量, 开放床位):
those are read as the measures they mean; a name that could mean another figure (门诊人次
leaves out emergencies, 编制床位 are not open beds) is refused rather than guessed. A row for
a department, year and measure on file with another value changes it (the preview counts it as
updated); with the same value and note it is unchanged, so a sheet imported twice adds nothing.
Two rows of one sheet for the same department, year and measure are refused: which is meant?"""

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yicai.evaluation.models import DisciplineFigure, Measure
from yicai.evaluation.queries import disciplines as queries
from yicai.evaluation.services import disciplines as services
from yicai.exchange import cleaning
from yicai.exchange.engine import Column, Located, Plan, Progress
from yicai.exchange.records import (
    Lookup,
    RecordImport,
    Row,
    RowProblem,
    named,
    offered,
    row_institution,
    text,
)
from yicai.exchange.services import ImportContext
from yicai.org.models import Department, Institution
from yicai.org.queries import INSTITUTION_OUT_OF_SCOPE

# What hospitals' sheets call each measure, besides its own name (compared without spaces,
# full-width forms or case: "Ⅳ级手术" is "iv级手术").
_GRADES = {
    Measure.OPERATIONS_GRADE_1: ("一", "1", "i"),
    Measure.OPERATIONS_GRADE_2: ("二", "2", "ii"),
    Measure.OPERATIONS_GRADE_3: ("三", "3", "iii"),
    Measure.OPERATIONS_GRADE_4: ("四", "4", "iv"),
}
MEASURE_ALIASES: dict[str, str] = {
    **{
        alias: Measure.INTERVENTIONS
        for alias in (
            "介入",
            "介入手术",
            "介入手术量",
            "介入手术数",
            "介入例数",
            "介入量",
            "介入治疗",
            "介入治疗例数",
            "介入手术台次",
        )
    },
    **{
        f"{numeral}级手术{suffix}": measure
        for measure, numerals in _GRADES.items()
        for numeral in numerals
        for suffix in ("", "量", "例数", "台次", "台数", "数")
    },
    **{
        alias: Measure.OUTPATIENT_VISITS
        for alias in ("门急诊", "门急诊量", "门急诊人数", "门急诊人次数", "门急诊诊疗人次")
    },
    **{
        alias: Measure.DISCHARGES
        for alias in ("出院", "出院人数", "出院人次数", "出院量", "出院患者", "出院患者人次")
    },
    **{
        alias: Measure.OPEN_BEDS
        for alias in ("开放床位", "开放床位数", "实际开放床位", "实开床位", "实开床位数", "床位数")
    },
}
MEASURES = Lookup(
    [(value, label, value) for value, label in Measure.choices], aliases=MEASURE_ALIASES
)
_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
# A unit after the number, as people type it ("1200例", "35 张").
_UNIT = re.compile(r"(例|台次|台|人次|人|张|次|项)$")


def _labels() -> str:
    return "、".join(str(label) for label in Measure.labels)


def measure_of(raw: object) -> str:
    """A measure by its name, its key or a name hospitals write for it."""
    value = cleaning.text(raw)
    if not value:
        return ""
    found = MEASURES.get(value)
    if found is None:
        raise cleaning.CellError(
            _("“%(value)s”不是可登记的指标，请填写：%(known)s。")
            % {"value": value, "known": _labels()}
        )
    return str(found)


def year_of(raw: object) -> int | None:
    """A year as people write it: 2021, 2021年, 2021年度, 2021.0."""
    value = unicodedata.normalize("NFKC", cleaning.text(raw)).replace(" ", "")
    value = re.sub(r"年度?$", "", value)
    if not value:
        return None
    if not re.fullmatch(r"[0-9]{4}(?:\.0+)?", value):
        raise cleaning.CellError(_("请填写四位数的年度，如 2021。"))
    return int(float(value))


def value_of(raw: object) -> int | None:
    """A whole number as people write it: 1200, 1,200, 1 200, "1200例", full-width digits;
    its range is the service's to check, in the form's words."""
    value = unicodedata.normalize("NFKC", cleaning.text(raw))
    value = _UNIT.sub("", re.sub(r"[,\s]", "", value))
    if not value:
        return None
    if not _NUMBER.fullmatch(value):
        raise cleaning.CellError(_("数值须为整数，如 1200。"))
    number = float(value)
    if not number.is_integer():
        raise cleaning.CellError(_("数值须为整数，如 1200。"))
    return int(number)


class FigureImport(RecordImport):
    key = "evaluation_figures"
    title = gettext_lazy("学科年度数据")
    sheet_name = gettext_lazy("学科年度数据")
    permission = queries.EDIT
    model = DisciplineFigure
    columns = (
        Column(
            "institution",
            gettext_lazy("机构"),
            ("医院", "单位", "机构名称"),
            note=gettext_lazy("本院可不填"),
            example="",
        ),
        Column(
            "department",
            gettext_lazy("科室"),
            ("科室名称", "学科"),
            required=True,
            example="心血管内科",
        ),
        Column("year", gettext_lazy("年度"), ("年份",), required=True, example=2023),
        Column(
            "measure",
            gettext_lazy("指标"),
            ("指标名称", "项目"),
            required=True,
            example=str(Measure.INTERVENTIONS.label),
            choices=lambda: [str(label) for label in Measure.labels],
        ),
        Column("value", gettext_lazy("数值"), ("数量", "数据"), required=True, example=1200),
        Column(
            "note",
            gettext_lazy("备注"),
            ("说明", "数据来源"),
            example="病案首页统计",
        ),
    )
    converters = {
        "measure": measure_of,
        "year": year_of,
        "value": value_of,
        "note": text(services.NOTE_LIMIT),
    }
    passed = ("year", "measure", "value", "note")
    same_by = ("department", "year", "measure", "value", "note")

    def resolve(self, values: dict[str, Any], context: ImportContext) -> dict[str, Any]:
        institution = row_institution(
            context,
            values["institution"],
            queries.editable_institutions,
            Institution.objects.filter(relation=Institution.Relation.MANAGED),
            INSTITUTION_OUT_OF_SCOPE,
        )
        departments = offered(context, queries.editable_departments, Department.objects.all())
        department = named(
            departments.filter(institution=institution),
            values["department"],
            institution,
            "department",
            _("%(institution)s没有名为“%(name)s”的科室，或不在您的管辖范围内。")
            % {"institution": institution.name, "name": values["department"]},
        )
        if department is None:  # never: the column is required
            raise RowProblem("department", _("必填。"))
        return {"department": department}

    def apply(self, kwargs: dict[str, Any], context: ImportContext) -> None:
        services.figure_set(by=context.user, **kwargs)

    def classify(
        self,
        located: Located,
        parts: list[tuple[int, Any]],
        context: ImportContext,
        prepared: object,
        progress: Progress,
    ) -> Plan:
        self._refuse_repeats(row for _start, part in parts for row in part)
        plan = super().classify(located, parts, context, prepared, progress)
        # A valid row whose department, year and measure are on file changes that figure.
        plan.updated = self._on_file(plan, context)
        plan.new -= plan.updated
        return plan

    def commit(self, plan: Plan, context: ImportContext, progress: Progress) -> dict[str, int]:
        updated = self._on_file(plan, context)
        done = super().commit(plan, context, progress)
        return {"created": done["created"] - updated, "updated": updated}

    def _on_file(self, plan: Plan, context: ImportContext) -> int:
        """How many of the plan's rows set a figure on file: each department named resolved
        once, the figures on file read in one query."""
        payload: list[tuple[int, dict[str, Any]]] = plan.payload  # type: ignore[assignment]
        departments: dict[tuple[str, str], int] = {}
        keys = set()
        for _number, values in payload:
            named_as = (values["institution"], values["department"])
            if named_as not in departments:
                departments[named_as] = self.resolve(values, context)["department"].pk
            keys.add((departments[named_as], values["year"], values["measure"]))
        on_file = DisciplineFigure.objects.filter(
            department__in={department for department, _year, _measure in keys},
            year__in={year for _department, year, _measure in keys},
        ).values_list("department_id", "year", "measure")
        return len(keys & set(on_file))

    def _refuse_repeats(self, rows: Iterable[Row]) -> None:
        first: dict[tuple[object, ...], int] = {}
        for row in sorted(rows, key=lambda row: row.number):
            if row.errors:
                continue
            values = row.values
            key = (values["institution"], values["department"], values["year"], values["measure"])
            earlier = first.setdefault(key, row.number)
            if earlier != row.number:
                row.errors.append(
                    (
                        "measure",
                        row.raws.get("measure"),
                        _("与第 %d 行是同一科室、同一年度的同一指标，请只保留一行。") % earlier,
                    )
                )
