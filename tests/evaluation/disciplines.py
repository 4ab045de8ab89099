"""Builders shared by the disciplines' tests: a department's yearly figures, set through the
service as a form would."""

from yicai.evaluation.services.disciplines import figure_set

# Cardiology's interventional procedures, 300 in 2019 growing to 1,200 in 2023 (4.00 times,
# 41.42 % a year: 4 ** (1 / 4) - 1 = 0.414214).
INTERVENTIONS = {2019: 300, 2020: 420, 2021: 610, 2022: 880, 2023: 1200}


def figures(department, values, measure="interventions", by=None, note=""):
    """`values` (year -> value) of one measure of `department`; the figures set, by year."""
    return {
        year: figure_set(
            by=by, department=department, year=year, measure=measure, value=value, note=note
        ).figure
        for year, value in values.items()
    }
