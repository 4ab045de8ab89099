"""Schemes built through the services, for the pages' tests and the scope matrix."""

import datetime
from decimal import Decimal

from yicai.evaluation.models import Indicator, Scheme
from yicai.evaluation.services import results as result_services
from yicai.evaluation.services import schemes as services

CYCLE_2025 = {"cycle_start": datetime.date(2025, 1, 1), "cycle_end": datetime.date(2025, 12, 31)}


def visits_scheme(region, *, name="专家年度考核", reviewer=None, **fields):
    """An experts' draft of 2025: 来院次数 70 (target 10) and, with a reviewer, 带教评价 30
    (manual, out of 10); without one, 来院次数 alone weighs 100."""
    scheme = services.scheme_create(
        by=None, region=region, name=name, subject_type=Scheme.SubjectType.EXPERT, **CYCLE_2025
    )
    visits = services.indicator_save(
        scheme=scheme,
        by=None,
        name="来院次数",
        weight=Decimal(70 if reviewer else 100),
        source=Indicator.Source.AUTOMATIC,
        mode=Indicator.Mode.BASIC,
        metric="visits_made",
        target=Decimal(10),
        **fields,
    )
    if reviewer is not None:
        services.indicator_save(
            scheme=scheme,
            by=None,
            name="带教评价",
            weight=Decimal(30),
            source=Indicator.Source.MANUAL,
            mode=Indicator.Mode.BASIC,
            scale_max=Decimal(10),
            reviewer=reviewer,
        )
    return scheme, visits


def published(scheme, *people, reviewer=None, scores=()):
    """The scheme with a subject for each person (and a reviewer's scores), published."""
    subjects = [services.subject_add(scheme=scheme, by=None, person=p) for p in people]
    manual = scheme.indicators.filter(source=Indicator.Source.MANUAL).first()
    for subject, value in zip(subjects, scores, strict=False):
        services.manual_score_set(
            subject=subject, indicator=manual, value=Decimal(value), by=reviewer
        )
    services.scheme_publish(scheme=scheme, by=None)
    return subjects


def appealed(subject, reason="来院记录漏登两次"):
    return result_services.appeal_file(subject=subject, indicator=None, reason=reason, by=None)
