"""Importing visits, case logs and secondment members from real spreadsheets: rows go through
the services (the same rules and messages as the forms), problems name the row and column,
nothing is written before the commit, and a second import of the same file adds nothing."""

import datetime
import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import timezone

from tests.exchange.importing import commit, xlsx
from tests.training import helpers
from yicai.exchange import engine, report
from yicai.exchange import services as exchange
from yicai.exchange.models import ImportJob
from yicai.training.models import CaseLog, Secondment, Visit
from yicai.training.queries.mentoring import gaps_filled
from yicai.training.services.secondments import secondment_create

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
DAY = TODAY - datetime.timedelta(days=20)


def preview(user, entity, upload) -> ImportJob:
    job = exchange.import_job_create(user=user, entity=entity, upload=upload)
    exchange.import_job_analyse(job=job)
    job.refresh_from_db()
    return job


def problem_cells(job) -> set[tuple[int, str]]:
    return {(row, column) for row, column, *_rest in job.problems}


VISIT_HEADERS = ["日期", "专家", "形式", "科室", "诊疗人次", "参加人数", "说明"]


def test_a_visit_sign_in_sheet_is_imported_once(world):
    rows = [
        {"日期": DAY, "专家": "孙名医", "形式": "坐诊", "科室": "心血管内科", "诊疗人次": 32},
        {"日期": DAY, "专家": "孙名医", "形式": "授课", "参加人数": 45.0},
        {"日期": DAY + datetime.timedelta(days=60), "专家": "孙名医", "形式": "查房"},  # planned
    ]
    job = preview(world.hospital_a, "training_visits", xlsx(rows, headers=VISIT_HEADERS))
    assert job.status == ImportJob.Status.READY, job.message
    assert (job.new, job.invalid) == (3, 0)
    assert not Visit.objects.exists()  # the preview writes nothing
    commit(job)
    visits = Visit.objects.order_by("held_on", "kind")
    assert [(v.kind, v.patients, v.attendees, v.institution) for v in visits] == [
        ("clinic", 32, 0, world.a),
        ("lecture", 0, 45, world.a),
        ("ward_round", 0, 0, world.a),
    ]
    again = preview(world.hospital_a, "training_visits", xlsx(rows, headers=VISIT_HEADERS))
    assert (again.new, again.unchanged) == (0, 3)


def test_bad_visit_rows_are_reported_by_row_and_column(world):
    rows = [
        {"日期": DAY, "专家": "无此人", "形式": "坐诊"},
        {"日期": "2025-13-40", "专家": "孙名医", "形式": "坐诊"},
        {"日期": DAY, "专家": "孙名医", "形式": "喝茶"},
        {"日期": DAY, "专家": "孙名医", "形式": "坐诊", "科室": "全科"},  # B's department
        {"日期": DAY, "专家": "孙名医", "形式": "坐诊", "诊疗人次": -3},
        {"日期": DAY, "专家": "孙名医", "形式": "坐诊", "说明": "患者 310101199001011234"},
        {"日期": DAY, "专家": "孙名医", "形式": "义诊"},  # the only good row
    ]
    job = preview(world.hospital_a, "training_visits", xlsx(rows, headers=VISIT_HEADERS))
    assert (job.new, job.invalid) == (1, 6)
    assert problem_cells(job) == {
        (2, "专家"),
        (3, "日期"),
        (4, "形式"),
        (5, "科室"),
        (6, "诊疗人次"),
        (7, "说明"),
    }
    reasons = {row: reason for row, _c, _v, reason, *_level in job.problems}
    assert reasons[2] == "所选专家不存在或不在您的管辖范围内。"  # the API's words
    assert reasons[5] == "所选科室不存在或不在您的管辖范围内。"
    assert "患者信息" in reasons[7]
    with pytest.raises(ValidationError):  # all or nothing, unless told to skip bad rows
        exchange.import_job_request_commit(job=job, user=world.hospital_a, skip_invalid=False)
    assert not Visit.objects.exists()


def test_skip_invalid_writes_only_the_good_rows(world):
    rows = [
        {"日期": DAY, "专家": "无此人", "形式": "坐诊"},
        {"日期": DAY, "专家": "孙名医", "形式": "义诊"},
    ]
    job = preview(world.hospital_a, "training_visits", xlsx(rows, headers=VISIT_HEADERS))
    commit(job, skip_invalid=True)
    assert list(Visit.objects.values_list("kind", flat=True)) == ["free_clinic"]


def test_another_hospitals_user_cannot_import_into_a(world):
    rows = [{"日期": DAY, "专家": "孙名医", "形式": "坐诊", "机构": "甲区中心医院"}]
    headers = [*VISIT_HEADERS, "机构"]
    job = preview(world.hospital_b, "training_visits", xlsx(rows, headers=headers))
    assert job.invalid == 1
    assert job.problems[0][3] == "所选机构不存在或不在您的管辖范围内。"


def test_an_expert_is_named_from_the_same_directory_as_the_form(world):
    """A partner hospital of another district is not among a hospital's experts (the form
    and the API do not offer its doctors either)."""
    from tests import factories

    elsewhere = factories.institution("外区合作医院", relation="partner", commission="310104")
    factories.person(elsewhere, "钱外区", category="external_expert")
    rows = [{"日期": DAY, "专家": "钱外区", "形式": "坐诊"}]
    job = preview(world.hospital_a, "training_visits", xlsx(rows, headers=VISIT_HEADERS))
    assert job.invalid == 1
    assert job.problems[0][3] == "所选专家不存在或不在您的管辖范围内。"


CASE_HEADERS = ["日期", "记录人", "技术", "参与程度", "指导/审核人", "已审核"]


def test_case_logs_are_imported_and_verified_ones_fill_a_gap(world):
    helpers.mentorship(world)  # 孙名医 mentors 李心怡: he may supervise her cases
    technique = helpers.technique(world)
    rows = [
        {"日期": DAY, "记录人": "李心怡", "技术": technique.name, "参与程度": "助手"},
        {
            "日期": DAY,
            "记录人": "李心怡",
            "技术": technique.name,
            "参与程度": "独立完成",
            "指导/审核人": "孙名医",
            "已审核": "是",
        },
    ]
    job = preview(world.hospital_a, "training_case_logs", xlsx(rows, headers=CASE_HEADERS))
    assert (job.new, job.invalid) == (2, 0), job.problems
    commit(job)
    independent = CaseLog.objects.get(role="independent")
    assert independent.verified and independent.verified_by == world.hospital_a
    assert independent.supervisor == world.partner_expert
    # Entered on her behalf by the importing administrator, and marked so.
    assert {case.entered_by for case in CaseLog.objects.all()} == {world.hospital_a}
    assert gaps_filled(world.hospital_a).get() == technique


def test_case_log_rows_name_their_problem(world):
    technique = helpers.technique(world)
    rows = [
        {"日期": DAY, "记录人": "陈全科", "技术": technique.name, "参与程度": "观摩"},  # B's
        {"日期": DAY, "记录人": "李心怡", "技术": "不存在的技术", "参与程度": "观摩"},
        {
            "日期": TODAY + datetime.timedelta(days=3),
            "记录人": "李心怡",
            "技术": technique.name,
            "参与程度": "观摩",
        },
        {
            "日期": DAY,
            "记录人": "李心怡",
            "技术": technique.name,
            "参与程度": "观摩",
            "已审核": "也许",
        },
    ]
    job = preview(world.hospital_a, "training_case_logs", xlsx(rows, headers=CASE_HEADERS))
    assert problem_cells(job) == {(2, "记录人"), (3, "技术"), (4, "日期"), (5, "已审核")}
    assert job.new == 0


SECONDMENT_HEADERS = ["姓名", "进修医院", "进修科室", "开始日期", "挂钩领导", "进修目标"]


def test_secondment_members_are_imported_with_a_years_period(world):
    rows = [
        {
            "姓名": "李心怡",
            "进修医院": "沪上合作医院",
            "进修科室": "超声科",
            "开始日期": datetime.date(2023, 2, 27),
            "挂钩领导": "周外科",
        },
        {
            "姓名": "赵护士",
            "进修医院": "沪上合作医院",
            "进修科室": "产房",
            "开始日期": "2023年2月27日",
        },
    ]
    job = preview(world.hospital_a, "training_secondments", xlsx(rows, headers=SECONDMENT_HEADERS))
    assert (job.new, job.invalid) == (2, 0), job.problems
    commit(job)
    doctor = Secondment.objects.get(person=world.a_doctor)
    assert doctor.end_on == datetime.date(2024, 2, 26)
    assert doctor.linked_leader == world.a_surgeon


def test_two_overlapping_rows_of_one_person_are_caught_in_the_preview(world):
    rows = [
        {"姓名": "李心怡", "进修医院": "沪上合作医院", "进修科室": "超声科", "开始日期": DAY},
        {
            "姓名": "李心怡",
            "进修医院": "沪上合作医院",
            "进修科室": "心内科",
            "开始日期": DAY + datetime.timedelta(days=30),
        },
    ]
    job = preview(world.hospital_a, "training_secondments", xlsx(rows, headers=SECONDMENT_HEADERS))
    assert (job.new, job.invalid) == (1, 1)
    assert problem_cells(job) == {(3, "开始日期")}
    assert not Secondment.objects.exists()


def test_a_secondment_row_for_another_hospitals_person_is_refused(world):
    rows = [{"姓名": "陈全科", "进修医院": "沪上合作医院", "进修科室": "全科", "开始日期": DAY}]
    job = preview(world.hospital_a, "training_secondments", xlsx(rows, headers=SECONDMENT_HEADERS))
    assert problem_cells(job) == {(2, "姓名")}


def test_roles_without_training_edit_cannot_import(world):
    rows = [{"日期": DAY, "专家": "孙名医", "形式": "坐诊"}]
    for user in (world.trainee, world.mentor, world.dept_head, world.auditor):
        with pytest.raises(PermissionDenied):
            exchange.import_job_create(
                user=user, entity="training_visits", upload=xlsx(rows, headers=VISIT_HEADERS)
            )


def test_a_plan_gone_stale_is_refused_at_commit(world):
    rows = [{"姓名": "李心怡", "进修医院": "沪上合作医院", "进修科室": "超声科", "开始日期": DAY}]
    job = preview(world.hospital_a, "training_secondments", xlsx(rows, headers=SECONDMENT_HEADERS))
    secondment_create(
        person=world.a_doctor, host=world.partner, host_department="心内科", start_on=DAY
    )
    exchange.import_job_request_commit(job=job, user=world.hospital_a, skip_invalid=False)
    exchange.import_job_commit(job=job)
    job.refresh_from_db()
    assert job.status != ImportJob.Status.DONE
    assert "重新预览" in job.message
    assert Secondment.objects.count() == 1


@pytest.mark.parametrize(
    "entity",
    ["training_visits", "training_case_logs", "training_secondments", "training_nominations"],
)
def test_the_template_holds_every_column_and_imports_as_empty(world, entity):
    handle = io.BytesIO()
    report.write_template(handle, engine.entity_for(entity))
    sheet = openpyxl.load_workbook(io.BytesIO(handle.getvalue())).worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    assert headers == [str(column.header) for column in engine.entity_for(entity).columns]
    upload = SimpleUploadedFile("模板.xlsx", handle.getvalue())
    job = preview(world.hospital_a, entity, upload)
    assert (job.status, job.total) == (ImportJob.Status.READY, 0)


def test_the_command_line_imports_secondment_members_without_a_user(world, tmp_path):
    rows = [{"姓名": "李心怡", "进修医院": "沪上合作医院", "进修科室": "超声科", "开始日期": DAY}]
    path = tmp_path / "进修名单.xlsx"
    path.write_bytes(xlsx(rows, headers=SECONDMENT_HEADERS).read())
    out = io.StringIO()
    call_command("import", "training_secondments", str(path), "--commit", stdout=out)
    assert "new 1" in out.getvalue()
    assert Secondment.objects.get().person == world.a_doctor


def test_the_command_line_needs_a_user_to_enter_cases_on_an_apprentices_behalf(world, tmp_path):
    technique = helpers.technique(world)
    rows = [
        {
            "日期": DAY,
            "记录人": "李心怡",
            "技术": technique.name,
            "参与程度": "独立完成",
            "已审核": "是",
        }
    ]
    path = tmp_path / "病例.xlsx"
    path.write_bytes(xlsx(rows, headers=CASE_HEADERS).read())
    with pytest.raises(CommandError):
        call_command("import", "training_case_logs", str(path), "--commit", stdout=io.StringIO())
    assert not CaseLog.objects.exists()
