from yicai.evaluation.models.results import Appeal, Result, ResultLine
from yicai.evaluation.models.schemes import (
    Indicator,
    ManualScore,
    Scheme,
    Subject,
    SubjectLink,
)

__all__ = [
    "Appeal",
    "Indicator",
    "ManualScore",
    "Result",
    "ResultLine",
    "Scheme",
    "Subject",
    "SubjectLink",
]
