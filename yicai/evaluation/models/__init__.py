from yicai.evaluation.models.schemes import (
    Indicator,
    ManualScore,
    Scheme,
    Subject,
    SubjectLink,
)

__all__ = ["Indicator", "ManualScore", "Scheme", "Subject", "SubjectLink"]
