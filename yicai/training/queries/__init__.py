"""Reads of the cultivation records, always through the scope module; pages, API, exports and
reports share them. The figures the commission reports (gaps filled, verified independent
cases, visits held) are derived here from the records, never stored."""

from yicai.training.queries.activity import (
    consultations_for,
    visit_counts,
    visit_list,
    visits_for,
)
from yicai.training.queries.mentoring import (
    case_list,
    case_log_for,
    case_logs_for,
    case_progress,
    first_in_region,
    gaps_filled,
    technique_list,
    techniques_for,
    with_gap_dates,
)
from yicai.training.queries.studios import studio_figures, studio_list, studios_for

__all__ = [
    "case_list",
    "case_log_for",
    "case_logs_for",
    "case_progress",
    "consultations_for",
    "first_in_region",
    "gaps_filled",
    "studio_figures",
    "studio_list",
    "studios_for",
    "technique_list",
    "techniques_for",
    "visit_counts",
    "visit_list",
    "visits_for",
    "with_gap_dates",
]
