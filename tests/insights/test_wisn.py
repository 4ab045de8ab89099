"""The WISN calculation (yicai.insights.wisn) and the services that keep a study.

The published example reproduced is Table 3 ("Computation of estimating staffing
requirements using WISN") of B. Burmen, N. Owuor and P. Mitei, "An assessment of staffing
needs at a HIV clinic in a Western Kenya using the WHO workload indicators of staffing need
WISN, 2011", Human Resources for Health (2017) 15:9, doi:10.1186/s12960-017-0186-3. Its
inputs and outputs as far as they could be read:
  - activity standard: a consultation of 15 min (0.25 h);
  - workload: 10 appointments a year × 10,000 patients = 100,000; × 0.25 h = 25,000 h,
    = 3,125 days of 8 h;
  - available working time: 4.5 consultation days a week × 52 = 234 days; − 10 public
    holidays = 224; − 30 days of annual leave = 194; − 15 days of sick leave = 179 days;
  - baseline staff requirement: 3,125 / 179 = 17.46 staff;
  - category allowance: 10 days a year of training, as a proportion "10/179" of the
    available working time.
The rest of the table (the category allowance factor, the clinic manager's individual
allowance, the total, the current staff it is compared with and the ratio) could not be read
from the copies at hand, so the published figures checked here stop at the baseline and the
category allowance's proportion. The paper counts in days of 8 hours; this calculator in hours:
179 days × 8 = 1,432 h, a consultation's standard workload 1,432 / 0.25 = 5,728 a year, and
100,000 / 5,728 = 3,125 / 179 exactly, so no intermediate rounding needs reproducing (the
paper rounds only its result, to 17.46).

The steps after it (CAF, IAF, required staff, difference, ratio and its reading) are checked on
a study worked by hand below (round numbers, our own arithmetic, not a published example)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.insights.wisn_helpers import category, hiv_clinic, study
from yicai.insights import queries, services, wisn
from yicai.insights.models import WisnStudy

D = Decimal


def _clinic_by_hand() -> wisn.Study:
    return wisn.Study(
        working_time=wisn.WorkingTime(
            days_a_week=D("4.5"),
            hours_a_day=D(8),
            public_holidays=D(10),
            annual_leave=D(30),
            sick_leave=D(15),
        ),
        activities=[wisn.Activity("consultation", D(15), D(100000))],
        category_allowances=[wisn.CategoryAllowance("training", hours_per_year=D(80))],
        current_staff=D(12),
    )


def test_the_published_hiv_clinic_is_reproduced_to_two_decimals():
    result = wisn.calculate(_clinic_by_hand())
    time = result.working_time
    assert wisn.shown(time.possible_days) == "234.00"  # 4.5 × 52
    assert wisn.shown(time.possible_days - D(10)) == "224.00"  # public holidays
    assert wisn.shown(time.possible_days - D(40)) == "194.00"  # annual leave
    assert wisn.shown(time.days) == "179.00"  # sick leave: the AWT
    [line] = result.activities
    assert wisn.shown(line.hours_per_unit) == "0.25"
    workload_hours = line.activity.annual_workload * line.hours_per_unit
    assert wisn.shown(workload_hours) == "25000.00"
    assert wisn.shown(workload_hours / time.hours_a_day) == "3125.00"  # in days
    assert wisn.shown(line.required_staff) == "17.46"  # the baseline staff requirement
    assert wisn.shown(result.health_service_staff) == "17.46"
    # The category allowance is taken as a share of the AWT (10/179), not of 234 days.
    assert result.cas_percent == D(10) / D(179) * 100


def test_the_steps_after_the_baseline_on_a_study_worked_by_hand():
    """260 possible days − 40 absent = 220 days × 8 h = 1,760 h. Activities: 30 min × 3,520
    (standard workload 3,520: 1 staff) and 20 min × 10,560 (5,280: 2 staff), 3 in all. Category
    allowances: 10 % and 176 h (10 % of 1,760 h): 20 %, CAF 1 / 0.8 = 1.25. Individual: 88 h
    × 2 staff and 176 h × 1: 352 h = 0.2 staff. Required: 3 × 1.25 + 0.2 = 3.95."""
    inputs = wisn.Study(
        working_time=wisn.WorkingTime(
            days_a_week=D(5),
            hours_a_day=D(8),
            public_holidays=D(10),
            annual_leave=D(20),
            sick_leave=D(5),
            other_leave=D(3),
            training_days=D(2),
        ),
        activities=[
            wisn.Activity("门诊", D(30), D(3520)),
            wisn.Activity("查房", D(20), D(10560)),
        ],
        category_allowances=[
            wisn.CategoryAllowance("会议", percent=D(10)),
            wisn.CategoryAllowance("培训", hours_per_year=D(176)),
        ],
        individual_allowances=[
            wisn.IndividualAllowance("带教", D(88), D(2)),
            wisn.IndividualAllowance("科室管理", D(176), D(1)),
        ],
        current_staff=D(3),
    )
    result = wisn.calculate(inputs)
    assert (result.working_time.days, result.working_time.hours) == (D(220), D(1760))
    assert [line.standard_workload for line in result.activities] == [D(3520), D(5280)]
    assert [line.required_staff for line in result.activities] == [D(1), D(2)]
    assert [line.percent for line in result.category_lines] == [D(10), D(10)]
    assert (result.cas_percent, result.caf) == (D(20), D("1.25"))
    assert [line.hours for line in result.individual_lines] == [D(176), D(176)]
    assert result.iaf == D("0.2")
    assert result.required_staff == D("3.95")
    assert (wisn.shown(result.difference), wisn.shown(result.ratio)) == ("-0.95", "0.76")
    assert result.reading == wisn.Reading.SHORTAGE
    assert result.reading_label == "人员短缺（工作负荷压力大）"
    for current, ratio, reading in (
        (D("3.95"), "1.00", wisn.Reading.BALANCED),
        (D(5), "1.27", wisn.Reading.EXCESS),
    ):
        again = wisn.calculate(
            wisn.Study(**{**inputs.__dict__, "current_staff": current})  # type: ignore[arg-type]
        )
        assert (wisn.shown(again.ratio), again.reading) == (ratio, reading)


def test_impossible_inputs_are_refused_naming_each_field():
    no_time = wisn.WorkingTime(days_a_week=D(1), hours_a_day=D(8), annual_leave=D(60))
    with pytest.raises(ValidationError) as refused:
        wisn.calculate(wisn.Study(no_time, [wisn.Activity("门诊", D(0), D(10))]))
    assert refused.value.message_dict == {
        "days_a_week": ["可用工作时间须大于 0：全年可工作 52.00 天，各项假日与缺勤合计 60.00 天。"],
        "minutes_per_unit": ["活动“门诊”的每单位耗时须大于 0 分钟。"],
    }
    whole_year = wisn.Study(
        wisn.WorkingTime(days_a_week=D(5), hours_a_day=D(8)),
        category_allowances=[
            wisn.CategoryAllowance("会议", percent=D(60)),
            wisn.CategoryAllowance("培训", percent=D(40)),
        ],
    )
    assert wisn.problems(whole_year) == {
        "percent": "类别补贴合计占可用工作时间的 100.00%，须小于 100%：否则无人有时间从事卫生服务。"
    }
    zero_day = wisn.Study(wisn.WorkingTime(days_a_week=D(5), hours_a_day=D(0)))
    assert wisn.problems(zero_day) == {"hours_a_day": "每日工作小时数须大于 0 且不超过 24。"}


def test_a_study_without_activities_is_incomplete_not_wrong():
    result = wisn.calculate(wisn.Study(wisn.WorkingTime(days_a_week=D(5), hours_a_day=D(8))))
    assert (result.required_staff, result.ratio, result.reading) == (D(0), None, None)
    assert result.warnings == ["尚未录入卫生服务活动：所需人数只含个人补贴。"]


# --- the services ------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_published_example_kept_through_the_services(world):
    clinic = hiv_clinic(world)
    assert clinic.institution == world.a  # the department's
    result = queries.study_result(clinic)
    assert result is not None
    assert wisn.shown(result.working_time.days) == "179.00"
    assert wisn.shown(result.health_service_staff) == "17.46"
    assert result.cas_percent == D(10) / D(179) * 100


@pytest.mark.django_db
def test_the_services_refuse_what_cannot_be_calculated_in_the_forms_words(world):
    clinic = hiv_clinic(world)
    with pytest.raises(ValidationError) as refused:
        services.activity_add(
            study=clinic, name="随访", minutes_per_unit=D(0), annual_workload=D(10)
        )
    assert refused.value.message_dict == {
        "minutes_per_unit": ["活动“随访”的每单位耗时须大于 0 分钟。"]
    }
    # 80 h of training is 5.59 % of the year: 95 % more would leave no time to work.
    with pytest.raises(ValidationError) as refused:
        services.allowance_add(study=clinic, kind="category", name="会议", percent=D(95))
    assert refused.value.message_dict == {
        "percent": [
            "类别补贴合计占可用工作时间的 100.59%，须小于 100%：否则无人有时间从事卫生服务。"
        ]
    }
    # A year shortened below its allowances' hours is refused as well.
    with pytest.raises(ValidationError) as refused:
        services.study_update(study=clinic, by=None, days_a_week=D("0.5"), annual_leave=D(30))
    assert refused.value.message_dict == {
        "days_a_week": ["可用工作时间须大于 0：全年可工作 26.00 天，各项假日与缺勤合计 55.00 天。"]
    }
    with pytest.raises(ValidationError) as refused:
        services.allowance_add(study=clinic, kind="individual", name="管理", percent=D(5))
    assert refused.value.message_dict == {
        "hours_per_year": ["个人补贴请填写每人每年小时数。"],
        "staff": ["个人补贴请填写承担人数。"],
        "percent": ["个人补贴按小时数计算，不填百分比。"],
    }
    with pytest.raises(ValidationError) as refused:
        services.allowance_add(
            study=clinic, kind="category", name="会议", percent=D(5), hours_per_year=D(10)
        )
    assert refused.value.message_dict == {
        "percent": ["类别补贴请填写占工作时间的百分比或每人每年小时数，二者填一项。"]
    }
    clinic.refresh_from_db()
    assert (clinic.days_a_week, clinic.activities.count(), clinic.allowances.count()) == (
        D("4.5"),
        1,
        1,
    )


@pytest.mark.django_db
def test_a_study_is_the_planners_of_its_department_and_one_a_year_per_category(world):
    with pytest.raises(ValidationError) as refused:
        services.study_create(
            by=world.hospital_b,
            department=world.a_cardiology,
            staff_category=category(),
            year=2023,
            current_staff=D(3),
        )
    assert refused.value.message_dict == {"department": ["所选科室不存在或不在您的管辖范围内。"]}
    study(world, year=2023)
    with pytest.raises(ValidationError) as refused:
        study(world, year=2023)
    assert refused.value.message_dict == {"__all__": ["该科室本年度已有此类人员的测算。"]}
    assert WisnStudy.objects.count() == 1


@pytest.mark.django_db
def test_rows_change_and_go_and_the_result_follows(world):
    clinic = hiv_clinic(world)
    [activity] = clinic.activities.all()
    services.activity_update(activity=activity, annual_workload=D(50000))
    manager = services.allowance_add(
        study=clinic, kind="individual", name="门诊管理", hours_per_year=D("477.33"), staff=D(1)
    )
    result = queries.study_result(clinic)
    assert result is not None
    assert wisn.shown(result.health_service_staff) == "8.73"  # half the consultations
    assert wisn.shown(result.iaf) == "0.33"  # 477.33 h of 1,432
    services.allowance_delete(allowance=manager)
    services.activity_delete(activity=activity)
    result = queries.study_result(clinic)
    assert result is not None and result.activities == [] and result.iaf == 0
    services.study_delete(study=clinic)
    assert not WisnStudy.objects.exists()
