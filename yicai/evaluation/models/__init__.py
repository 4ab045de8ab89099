from yicai.evaluation.models.disciplines import DisciplineFigure, Measure
from yicai.evaluation.models.schemes import (
    Indicator,
    ManualScore,
    Scheme,
    Subject,
    SubjectLink,
)

__all__ = [
    "DisciplineFigure",
    "Indicator",
    "ManualScore",
    "Measure",
    "Scheme",
    "Subject",
    "SubjectLink",
]
