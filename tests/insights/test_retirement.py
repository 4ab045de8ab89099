"""The statutory retirement age as a function of the birth date and the kind of worker, after
the NPC Standing Committee's decision of 13 September 2024 and the State Council's measures it
approves (国务院关于渐进式延迟法定退休年龄的办法, art. 1: from 1 January 2025 men and the women
whose age was 55 one month later every four months, up to 63 and 58; the women whose age was
50 one month later every two months, up to 55).

The examples are rows of the measures' tables (附件1–3: 出生时间 → 改革后法定退休年龄, 改革后
退休时间). The tables themselves could not be opened here; each row below was checked against
the tables as reproduced, row for row, by several independent public implementations and
against the measures' own rule. One correction to the brief this was built from: a man born
in January 1965 retires at 60 years and 1 month (in February 2025), not 60 and 3 months; 60
and 3 months is the age of the men born from September to December 1965.

The schedules come from the parameters migration 0004 seeded, through the same query the
projection uses: the figures are data, the rule is `yicai.insights.retirement`."""

import datetime

import pytest

from yicai.insights import queries, retirement
from yicai.insights.retirement import Change, Kind, Schedule

D = datetime.date
MALE = Schedule(60, (Change(D(2025, 1, 1), 60, 63, 4),))

# (kind, born (year, month), age in the table's words, retirement (year, month))
TABLES = [
    # 附件1 男职工
    (Kind.MALE, (1964, 12), "60岁", (2024, 12)),
    (Kind.MALE, (1965, 1), "60岁1个月", (2025, 2)),
    (Kind.MALE, (1965, 4), "60岁1个月", (2025, 5)),
    (Kind.MALE, (1965, 5), "60岁2个月", (2025, 7)),
    (Kind.MALE, (1965, 9), "60岁3个月", (2025, 12)),
    (Kind.MALE, (1965, 12), "60岁3个月", (2026, 3)),
    (Kind.MALE, (1976, 8), "62岁11个月", (2039, 7)),
    (Kind.MALE, (1976, 9), "63岁", (2039, 9)),
    (Kind.MALE, (1976, 12), "63岁", (2039, 12)),
    # 附件2 原法定退休年龄五十五周岁的女职工
    (Kind.FEMALE_CADRE, (1969, 12), "55岁", (2024, 12)),
    (Kind.FEMALE_CADRE, (1970, 1), "55岁1个月", (2025, 2)),
    (Kind.FEMALE_CADRE, (1970, 5), "55岁2个月", (2025, 7)),
    (Kind.FEMALE_CADRE, (1971, 4), "55岁4个月", (2026, 8)),
    (Kind.FEMALE_CADRE, (1981, 8), "57岁11个月", (2039, 7)),
    (Kind.FEMALE_CADRE, (1981, 9), "58岁", (2039, 9)),
    (Kind.FEMALE_CADRE, (1981, 12), "58岁", (2039, 12)),
    # 附件3 原法定退休年龄五十周岁的女职工
    (Kind.FEMALE_WORKER, (1974, 12), "50岁", (2024, 12)),
    (Kind.FEMALE_WORKER, (1975, 1), "50岁1个月", (2025, 2)),
    (Kind.FEMALE_WORKER, (1975, 3), "50岁2个月", (2025, 5)),
    (Kind.FEMALE_WORKER, (1975, 11), "50岁6个月", (2026, 5)),
    (Kind.FEMALE_WORKER, (1984, 10), "54岁11个月", (2039, 9)),
    (Kind.FEMALE_WORKER, (1984, 11), "55岁", (2039, 11)),
    (Kind.FEMALE_WORKER, (1984, 12), "55岁", (2039, 12)),
]


@pytest.fixture
def schedules(db):
    return queries.retirement_schedules()


@pytest.mark.parametrize(("kind", "born", "age", "retires"), TABLES)
def test_the_seeded_ages_give_the_decisions_tables(schedules, kind, born, age, retires):
    birth = D(*born, 15)
    months = retirement.age_months(birth, schedules[kind])
    assert retirement.age_in_words(months) == age
    on = retirement.retires_on(birth, schedules[kind])
    assert (on.year, on.month) == retires
    assert on.day == 15  # reached on the birthday's date


def test_the_seeded_parameters_are_the_decisions_figures(schedules):
    reform = D(2025, 1, 1)
    assert schedules == {
        Kind.MALE: MALE,
        Kind.FEMALE_CADRE: Schedule(55, (Change(reform, 55, 58, 4),)),
        Kind.FEMALE_WORKER: Schedule(50, (Change(reform, 50, 55, 2),)),
    }


def test_a_month_without_the_birthdays_date_ends_on_its_last_day():
    # 1968-05-31 + 60 years 11 months: April 2029 has no 31st.
    assert retirement.age_months(D(1968, 5, 31), MALE) == 60 * 12 + 11
    assert retirement.retires_on(D(1968, 5, 31), MALE) == D(2029, 4, 30)
    # A woman worker born on 29 February 1976: 50 years and 7 months, September 2026.
    worker = Schedule(50, (Change(D(2025, 1, 1), 50, 55, 2),))
    assert retirement.retires_on(D(1976, 2, 29), worker) == D(2026, 9, 29)


def test_nobody_reaches_the_age_in_june_2025_under_the_mens_table():
    # The men born in May 1965 are the first to wait two months: July 2025, not June.
    assert retirement.born_between(MALE, D(2025, 6, 1), D(2025, 6, 30)) is None


def test_a_later_change_reaches_only_those_the_first_has_finished_with():
    # A second raise (63 to 65 from 2040, a month every 4) begins where the first ends.
    later = Schedule(60, (*MALE.changes, Change(D(2040, 1, 1), 63, 65, 4)))
    assert retirement.age_months(D(1976, 12, 1), later) == 63 * 12
    assert retirement.age_months(D(1977, 1, 1), later) == 63 * 12 + 1
    assert retirement.age_months(D(1970, 1, 1), later) == retirement.age_months(D(1970, 1, 1), MALE)


@pytest.mark.parametrize(
    "schedule",
    [
        MALE,
        Schedule(55, (Change(D(2025, 1, 1), 55, 58, 4),)),
        Schedule(50, (Change(D(2025, 1, 1), 50, 55, 2),)),
        Schedule(60),
        Schedule(60, (Change(D(2025, 1, 1), 60, 63),)),  # at once
    ],
)
def test_the_birth_dates_of_a_range_of_retirement_days_are_those_that_retire_then(schedule):
    """born_between against every birth date, one by one, from 1955 to 1990."""
    first, last = D(2025, 7, 1), D(2027, 3, 31)
    born = retirement.born_between(schedule, first, last)
    day, expected, previous = D(1955, 1, 1), [], D.min
    while day <= D(1990, 12, 31):
        on = retirement.retires_on(day, schedule)
        assert on >= previous  # a later birth never retires earlier
        previous = on
        if first <= on <= last:
            expected.append(day)
        day += datetime.timedelta(days=1)
    if not expected:  # raised at once to 63: nobody reaches the age from 2025 until 2028
        assert born is None
        return
    assert born == (expected[0], expected[-1])
    assert retirement.born_between(schedule, None, last)[1] == expected[-1]
