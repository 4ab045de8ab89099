from yicai.evaluation.models.disciplines import (
    FIRST_YEAR,
    MAX_VALUE,
    UNITS,
    DisciplineFigure,
    Measure,
)
from yicai.evaluation.models.results import Appeal, Result, ResultLine
from yicai.evaluation.models.schemes import (
    BOUND_TO,
    Indicator,
    ManualScore,
    Scheme,
    Subject,
    SubjectLink,
)

__all__ = [
    "BOUND_TO",
    "FIRST_YEAR",
    "MAX_VALUE",
    "UNITS",
    "Appeal",
    "DisciplineFigure",
    "Indicator",
    "ManualScore",
    "Measure",
    "Result",
    "ResultLine",
    "Scheme",
    "Subject",
    "SubjectLink",
]
