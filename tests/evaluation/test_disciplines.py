"""The disciplines' yearly figures: the service's refusals, each in its Chinese words and all at
once; setting a figure again changes it; the series with its growth, multiple and average
yearly growth (300 in 2019 to 1,200 in 2023: 4.00 times, 41.42 % a year); an institution's sum
over its departments; what the training registry and the people records say of each year."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests import factories
from tests.evaluation.disciplines import INTERVENTIONS, figures
from yicai.codes.queries import code_for
from yicai.evaluation.models import DisciplineFigure
from yicai.evaluation.queries import disciplines as queries
from yicai.evaluation.services.disciplines import figure_delete, figure_set, figure_update
from yicai.people import services as people
from yicai.training.services import mentoring

pytestmark = pytest.mark.django_db
D = datetime.date


def refusal(**given):
    arguments = {
        "by": None,
        "department": None,
        "year": 2021,
        "measure": "interventions",
        "value": 300,
        **given,
    }
    with pytest.raises(ValidationError) as refused:
        figure_set(**arguments)
    return refused.value.message_dict


def test_every_problem_is_named_at_once_in_chinese(world):
    this_year = timezone.localdate().year
    assert refusal(department=None, year=this_year + 1, measure="volume", value=-1) == {
        "department": ["请选择科室。"],
        "year": [f"年度不能晚于今年（{this_year} 年）：只能登记已经发生的年度。"],
        "measure": [
            "请选择指标：介入手术例数、一级手术台次、二级手术台次、三级手术台次、四级手术台次、"
            "门急诊人次、出院人次、实际开放床位数。"
        ],
        "value": ["数值不能为负数。"],
    }
    assert refusal(department=world.a_cardiology, year=1948, value=None) == {
        "year": ["年度不能早于 1949 年。"],
        "value": ["请填写数值。"],
    }
    assert refusal(department=world.a_cardiology, value=100_000_000, note="长" * 201) == {
        "value": ["数值不能超过 99999999。"],
        "note": ["备注不能超过 200 个字。"],
    }
    assert refusal(department=world.a_cardiology, year=None) == {"year": ["请填写年度。"]}
    assert not DisciplineFigure.objects.exists()


def test_a_department_outside_the_users_scope_is_refused(world):
    assert refusal(by=world.hospital_b, department=world.a_cardiology) == {
        "department": ["所选科室不存在或不在您的管辖范围内。"]
    }
    # A department head reads their department's figures but keeps none.
    assert refusal(by=world.dept_head, department=world.a_cardiology) == {
        "department": ["所选科室不存在或不在您的管辖范围内。"]
    }
    done = figure_set(
        by=world.hospital_a,
        department=world.a_cardiology,
        year=2021,
        measure="open_beds",
        value=45,
        note=" 年末实开 ",
    )
    assert (done.created, done.replaced, done.figure.note) == (True, None, "年末实开")


def test_setting_a_figure_again_changes_the_one_on_file(world):
    first = figure_set(
        by=None, department=world.a_cardiology, year=2021, measure="interventions", value=600
    )
    again = figure_set(
        by=world.hospital_a,
        department=world.a_cardiology,
        year=2021,
        measure="interventions",
        value=610,
        note="HIS 报表更正",
    )
    assert (again.created, again.replaced, again.figure.pk) == (False, 600, first.figure.pk)
    assert DisciplineFigure.objects.get().value == 610


def test_a_figure_changed_may_not_take_another_ones_year_and_measure(world):
    on_file = figures(world.a_cardiology, {2020: 420, 2021: 610})
    with pytest.raises(ValidationError) as refused:
        figure_update(figure=on_file[2021], by=world.hospital_a, year=2020)
    assert refused.value.message_dict == {"year": ["该科室 2020 年度已登记“介入手术例数”。"]}
    on_file[2021].refresh_from_db()  # as the form's page reads it again
    assert on_file[2021].year == 2021
    figure_update(figure=on_file[2021], by=world.hospital_a, value=615)
    assert DisciplineFigure.objects.get(pk=on_file[2021].pk).value == 615


def test_another_institution_may_not_delete_a_figure(world):
    on_file = figures(world.a_cardiology, {2021: 610})[2021]
    with pytest.raises(ValidationError):
        figure_delete(figure=on_file, by=world.hospital_b)
    figure_delete(figure=on_file, by=world.hospital_a)
    assert not DisciplineFigure.objects.exists()


def test_growth_multiple_and_average_growth_are_worked_out_in_decimals():
    assert queries.growth(300, 420) == Decimal("40.00")
    assert queries.growth(420, 399) == Decimal("-5.00")
    assert queries.growth(0, 10) is None and queries.growth(None, 10) is None
    assert queries.multiple(300, 1200) == Decimal("4.00")
    assert queries.multiple(300, 1250) == Decimal("4.17")
    # (1,200 / 300) ** (1 / 4) - 1 = 0.414213...
    assert queries.average_growth(300, 1200, 4) == Decimal("41.42")
    assert queries.average_growth(100, 121, 2) == Decimal("10.00")
    assert queries.average_growth(100, 0, 3) == Decimal("-100.00")
    assert queries.average_growth(0, 50, 3) is None
    assert queries.average_growth(100, 150, 0) is None


def test_a_departments_interventions_grew_four_times_in_four_years(world):
    on_file = figures(world.a_cardiology, INTERVENTIONS)
    figures(world.a_surgery, {2019: 5, 2023: 7})  # another department's: not cardiology's
    [series] = queries.department_series(world.hospital_a, world.a_cardiology, 2019, 2023)
    assert (series.measure, series.label, series.unit) == ("interventions", "介入手术例数", "例")
    assert [(p.year, p.value, p.figure_id) for p in series.points] == [
        (year, value, on_file[year].pk) for year, value in INTERVENTIONS.items()
    ]
    # 420 / 300 = 1.40; 610 / 420 = 1.452...; 880 / 610 = 1.442...; 1,200 / 880 = 1.3636...
    assert [p.growth for p in series.points] == [
        None,
        Decimal("40.00"),
        Decimal("45.24"),
        Decimal("44.26"),
        Decimal("36.36"),
    ]
    assert (series.first.value, series.last.value, series.years) == (300, 1200, 4)
    assert series.multiple == Decimal("4.00")
    assert series.average_growth == Decimal("41.42")
    assert series.highest == 1200  # "above 1,200 a year": the last year's value and the peak


def test_years_without_a_figure_are_gaps_and_the_range_is_first_to_last_recorded(world):
    figures(world.a_cardiology, {2019: 300, 2023: 1200})
    [series] = queries.department_series(world.hospital_a, world.a_cardiology, 2017, 2024)
    assert [p.value for p in series.points] == [None, None, 300, None, None, None, 1200, None]
    assert [p.growth for p in series.points] == [None] * 8  # no year next to another
    assert (series.years, series.multiple, series.average_growth) == (
        4,
        Decimal("4.00"),
        Decimal("41.42"),
    )
    [one_year] = queries.department_series(world.hospital_a, world.a_cardiology, 2019, 2020)
    assert (one_year.multiple, one_year.average_growth) == (None, None)


def test_an_institutions_series_sums_its_departments(world):
    figures(world.a_cardiology, {2019: 300, 2023: 1200})
    figures(world.a_surgery, {2019: 100, 2020: 150})
    figures(world.b_medicine, {2019: 999})
    [series] = queries.institution_series(world.commission, world.a, 2019, 2023)
    assert [(p.value, p.departments, p.figure_id) for p in series.points][:2] == [
        (400, 2, None),
        (150, 1, series.points[1].figure_id),
    ]
    assert (series.multiple, series.average_growth) == (Decimal("3.00"), Decimal("31.61"))
    # The department head sees cardiology's (and its ward's) figures only.
    [theirs] = queries.institution_series(world.dept_head, world.a, 2019, 2023)
    assert [p.value for p in theirs.points] == [300, None, None, None, 1200]
    assert queries.institution_series(world.hospital_b, world.a, 2019, 2023) == []


def test_each_measure_is_a_series_of_its_own_in_the_measures_order(world):
    figures(world.a_surgery, {2022: 80, 2023: 120}, measure="operations_grade_4")
    figures(world.a_surgery, {2022: 60}, measure="open_beds")
    figures(world.a_surgery, {2023: 1500}, measure="operations_grade_3")
    shown = queries.department_series(world.commission, world.a_surgery, 2022, 2023)
    assert [(s.label, s.multiple) for s in shown] == [
        ("三级手术台次", None),
        ("四级手术台次", Decimal("1.50")),
        ("实际开放床位数", None),
    ]
    only = queries.department_series(
        world.commission, world.a_surgery, 2022, 2023, measures=["open_beds"]
    )
    assert [s.measure for s in only] == ["open_beds"]


def test_the_years_shown_default_to_those_recorded(world):
    this_year = timezone.localdate().year
    assert queries.years_shown(world.hospital_a, world.a_cardiology, None, None) == (
        this_year - 4,
        this_year,
    )
    figures(world.a_cardiology, {2016: 10, 2021: 30})
    assert queries.years_shown(world.hospital_a, world.a_cardiology, None, None) == (2016, 2021)
    assert queries.years_shown(world.hospital_a, world.a_cardiology, 2018, None) == (2018, 2021)
    assert queries.years_shown(world.hospital_a, world.a_cardiology, 2023, None) == (2023, 2023)
    assert queries.years_shown(world.hospital_a, world.a_cardiology, 1950, 2021) == (1992, 2021)


def test_new_techniques_and_their_cases_by_year_from_the_training_registry(world):
    def technique(name, department):
        return mentoring.technique_register(
            institution=world.a,
            department=department,
            name=name,
            category="intervention",
            origin="own",
        )

    def case(technique, on, *, verified=True, role="independent"):
        logged = mentoring.case_log_create(
            apprentice=world.a_doctor,
            technique=technique,
            performed_on=on,
            role=role,
        )
        if verified:
            mentoring.case_log_verify(case_log=logged, user=world.hospital_a)
        return logged

    pci = technique("经皮冠状动脉介入治疗", world.a_cardiology)
    ablation = technique("射频消融术", world.a_cardiology)
    hernia = technique("腹腔镜疝修补术", world.a_surgery)
    case(pci, D(2020, 3, 1))
    case(pci, D(2021, 5, 1))
    case(pci, D(2021, 6, 1), role="assisted")  # not independent: not counted
    case(ablation, D(2021, 4, 2), verified=False)  # not verified: no gap filled yet
    case(ablation, D(2022, 1, 9))
    case(hernia, D(2021, 2, 2))  # surgery's
    years = queries.year_records(world.hospital_a, world.a_cardiology, 2020, 2022)
    assert [(y.year, y.gaps_filled, y.cases) for y in years] == [
        (2020, 1, 1),
        (2021, 0, 1),
        (2022, 1, 1),
    ]
    # Hospital B sees none of A's techniques.
    theirs = queries.year_records(world.hospital_b, world.a_cardiology, 2020, 2022)
    assert [(y.gaps_filled, y.cases) for y in theirs] == [(0, 0)] * 3


def test_the_staff_by_title_and_education_as_of_each_years_end(world):
    # The world's cardiology: 李心怡 (主治医师 since 2018, post since 2015); its ward's nurse is
    # in the ward, not in cardiology itself.
    person = factories.person(world.a, "王新来", department=None, title=None)
    people.appointment_add(
        person=person,
        institution=world.a,
        department=world.a_cardiology,
        start_on=D(2020, 7, 1),
        end_on=D(2022, 6, 30),
        position="医师",
    )
    people.title_add(person=person, title=code_for("title", "234"), obtained_on=D(2021, 3, 1))
    people.education_add(
        person=person, level=code_for("education", "14"), graduated_on=D(2020, 6, 30)
    )
    people.education_add(person=world.a_doctor, level=code_for("education", "21"))
    undated = factories.person(world.a, "未填日", department=None)
    people.appointment_add(
        person=undated, institution=world.a, department=world.a_cardiology, position="护士"
    )
    years = queries.year_records(world.hospital_a, world.a_cardiology, 2017, 2022)
    assert [(y.year, y.as_of, y.staff, y.undated) for y in years] == [
        (2017, D(2017, 12, 31), 2, 1),
        (2018, D(2018, 12, 31), 2, 1),
        (2019, D(2019, 12, 31), 2, 1),
        (2020, D(2020, 12, 31), 3, 1),
        (2021, D(2021, 12, 31), 3, 1),
        (2022, D(2022, 12, 31), 2, 1),
    ]
    by_grade = {y.year: y.by_grade for y in years}
    assert by_grade[2017] == {"": 2}  # the title came in 2018
    assert by_grade[2018] == {"intermediate": 1, "": 1}
    assert by_grade[2020] == {"intermediate": 1, "": 2}
    assert by_grade[2021] == {"intermediate": 1, "junior_practitioner": 1, "": 1}
    assert years[3].senior == 0
    by_education = {y.year: y.by_education for y in years}
    # An undated degree counts as held; the master's from its graduation on.
    assert by_education[2020] == {"20": 1, "10": 1, "": 1}
    assert by_education[2022] == {"20": 1, "": 1}
    # The department head sees the people of cardiology now: 王新来, who has left it, is not
    # counted for them (the scope of people); hospital B sees none of them.
    assert queries.year_records(world.dept_head, world.a_cardiology, 2021, 2021)[0].staff == 2
    assert queries.year_records(world.hospital_b, world.a_cardiology, 2021, 2021)[0].staff == 0


def test_a_figure_recorded_meanwhile_by_someone_else_is_refused_not_a_server_error(
    world, monkeypatch
):
    from yicai.evaluation.services import disciplines

    figures(world.a_cardiology, {2021: 610})
    # As if the other figure were saved between the look for it and this one's save.
    monkeypatch.setattr(disciplines, "_same_key", lambda figure: None)
    assert refusal(department=world.a_cardiology) == {
        "year": ["该科室 2021 年度已登记“介入手术例数”。"]
    }
    assert DisciplineFigure.objects.get().value == 610
