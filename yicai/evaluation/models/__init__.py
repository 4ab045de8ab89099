from yicai.evaluation.models.disciplines import (
    FIRST_YEAR,
    MAX_VALUE,
    UNITS,
    DisciplineFigure,
    Measure,
)
from yicai.evaluation.models.schemes import (
    Indicator,
    ManualScore,
    Scheme,
    Subject,
    SubjectLink,
)

__all__ = [
    "FIRST_YEAR",
    "MAX_VALUE",
    "UNITS",
    "DisciplineFigure",
    "Indicator",
    "ManualScore",
    "Measure",
    "Scheme",
    "Subject",
    "SubjectLink",
]
