"""The staff roster import: twenty kinds of real-world mess, each imported or reported."""

import datetime
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests import factories
from tests.conftest import login
from tests.exchange.importing import (
    HEADERS,
    commit,
    csv_file,
    person_row,
    preview,
    problems,
    warnings,
    xlsx,
)
from yicai.access.models import AuditEntry
from yicai.people.models import Appointment, Education, Licence, Person, TitleRecord

pytestmark = pytest.mark.django_db


def _person(name):
    return Person.objects.get(name=name)


def test_a_clean_roster_imports_people_with_their_records(world):
    rows = [person_row("钱一"), person_row("孙二", male=False)]
    job = preview(world.hospital_a, xlsx(rows))
    assert (job.status, job.total, job.new, job.invalid) == ("ready", 2, 2, 0)
    assert Person.objects.filter(name="钱一").count() == 0  # the preview writes nothing
    job = commit(job)
    assert (job.status, job.created) == ("done", 2)
    person = _person("钱一")
    assert person.id_number == rows[0]["身份证号码"]
    assert person.phone == "13800138000"
    assert (person.institution, person.department) == (world.a, world.a_cardiology)
    assert person.current_title.name == "医师" and person.title_grade
    assert person.highest_education.name == "大学本科毕业"
    assert person.name_initials == "qy"
    assert Appointment.objects.filter(person=person, end_on=None).count() == 1
    assert Education.objects.filter(person=person, school="复旦大学").count() == 1
    assert TitleRecord.objects.filter(person=person).count() == 1
    assert Licence.objects.get(person=person).number == rows[0]["执业证书编号"]
    entry = AuditEntry.objects.filter(event=AuditEntry.Event.IMPORT).latest("pk")
    assert entry.actor == world.hospital_a


def test_full_width_digits_lowercase_x_spaces_and_invisible_characters_are_cleaned(world):
    number = factories.id_number(datetime.date(1988, 1, 2), male=False)
    full_width = "".join(chr(ord(ch) + 0xFEE0) if ch.isdigit() else ch for ch in number)
    row = person_row(
        "\u200b 周 八\u00a0",
        male=False,
        birth=datetime.date(1988, 1, 2),
        身份证号码=" " + full_width[:6] + " " + full_width[6:].lower() + "\ufeff",
        手机号码="１３９ ００１３ ９０００",
    )
    commit(preview(world.hospital_a, xlsx([row])))
    person = _person("周 八")
    assert person.id_number == number.upper()
    assert person.phone == "13900139000"


def test_a_lowercase_x_check_digit_is_accepted(world):
    birth = datetime.date(1979, 5, 6)
    number = next(n for n in (factories.id_number(birth) for _ in range(50)) if n.endswith("X"))
    commit(
        preview(
            world.hospital_a, xlsx([person_row("吴七", birth=birth, 身份证号码=number.lower())])
        )
    )
    assert _person("吴七").id_number == number


@pytest.mark.parametrize(
    "cell",
    [
        datetime.date(2023, 8, 30),
        45168,  # an Excel serial
        "2023-08-30",
        "2023/8/30",
        "2023年8月30日",
        "20230830",
        "２０２３－０８－３０",
    ],
)
def test_dates_in_every_format_people_type(world, cell):
    row = person_row("郑九", **{"任职起始日期": cell})
    commit(preview(world.hospital_a, xlsx([row])))
    assert Appointment.objects.get(person__name="郑九").start_on == datetime.date(2023, 8, 30)


def test_a_month_alone_means_its_first_day(world):
    row = person_row("王十", **{"毕业时间": "2013.07"})
    commit(preview(world.hospital_a, xlsx([row])))
    assert Education.objects.get(person__name="王十").graduated_on == datetime.date(2013, 7, 1)


def test_header_synonyms_spacing_and_marks_are_recognised(world):
    headers = ["序号", " 姓 名 ", "性别*", "公民身份号码", "出生日期（必填）", "科室", "爱好"]
    row = person_row("冯十一")
    cells = [1, row["姓名"], row["性别"], row["身份证号码"], row["出生日期"], "心血管内科", "游泳"]
    job = preview(world.hospital_a, xlsx([cells], headers=headers))
    assert (job.new, job.invalid) == (1, 0)
    # 序号 is nobody's data and goes unmentioned; an unknown column is told, not refused.
    assert [column for _row, column, reason in warnings(job) if "不认识" in reason] == ["爱好"]
    commit(job)
    assert _person("冯十一").department == world.a_cardiology


def test_a_merged_title_above_the_header_blank_lines_and_a_total_row(world):
    rows = [person_row("陈甲"), None, None, person_row("陈乙"), ["合计", "2 人"]]
    title = [["甲区中心医院 2026 年职工花名册"] + [None] * 17]
    job = preview(world.hospital_a, xlsx(rows, above=title, merges=["A1:R1"]))
    assert (job.total, job.new, job.invalid) == (2, 2, 0)
    assert any("合计行" in reason for _row, _column, reason in warnings(job))


def test_department_cells_merged_down_the_rows_apply_to_each_row(world):
    rows = [person_row("褚一", 所在科室="普外科"), person_row("褚二", 所在科室=None)]
    commit(preview(world.hospital_a, xlsx(rows, merges=["G2:G3"])))
    assert _person("褚二").department == world.a_surgery


def test_duplicates_inside_the_file_are_reported_with_the_first_row(world):
    first = person_row("卫一")
    second = dict(first, 姓名="卫二", 执业证书编号="X1")
    job = preview(world.hospital_a, xlsx([first, second]))
    assert (job.new, job.invalid) == (1, 1)
    assert (3, "身份证号码", "与第 2 行的身份证号码重复。") in problems(job)


def test_reimporting_the_same_file_changes_nothing(world):
    rows = [person_row("蒋一"), person_row("蒋二")]
    commit(preview(world.hospital_a, xlsx(rows)))
    counts = [model.objects.count() for model in (Person, Education, TitleRecord, Licence)]
    again = preview(world.hospital_a, xlsx(rows))
    assert (again.new, again.updated, again.unchanged) == (0, 0, 2)
    assert [model.objects.count() for model in (Person, Education, TitleRecord, Licence)] == counts


def test_a_row_for_someone_on_file_updates_them_through_the_services(world):
    doctor = world.a_doctor
    row = person_row(
        doctor.name,
        male=False,
        birth=doctor.birth_date,
        身份证号码=doctor.id_number,
        手机号码="13700137000",
        现职称="副主任医师",
        职称取得时间=datetime.date(2024, 1, 1),
    )
    job = preview(world.hospital_a, xlsx([row]))
    assert (job.new, job.updated) == (0, 1)
    commit(job)
    doctor.refresh_from_db()
    assert doctor.phone == "13700137000"
    assert doctor.current_title.name == "副主任医师"
    assert AuditEntry.objects.filter(
        object_pk=str(doctor.pk), object_repr__contains="联系方式"
    ).exists()


def test_an_identity_number_excel_turned_into_a_number_is_refused_clearly(world):
    row = person_row("沈一", 身份证号码=1.10105194912310e17)
    job = preview(world.hospital_a, xlsx([row]))
    assert job.invalid == 1
    assert "存成了数字" in problems(job)[0][2]


def test_a_phone_stored_as_a_number_is_read_as_digits(world):
    commit(preview(world.hospital_a, xlsx([person_row("韩一", 手机号码=13600136000.0)])))
    assert _person("韩一").phone == "13600136000"


def test_codes_by_alias_and_by_code(world):
    row = person_row("杨一", 性别="男性", 民族="汉", 最高学历="本科", 学位="医学学士")
    other = person_row("杨二", male=False, 性别="2", 民族="01", 最高学历="21")
    commit(preview(world.hospital_a, xlsx([row, other])))
    assert _person("杨一").highest_education.code == "21"
    assert _person("杨二").sex.code == "2"


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8-sig", "utf-8"])
def test_csv_in_gbk_or_utf8_with_or_without_bom(world, encoding):
    rows = [person_row("朱一"), person_row("朱二")]
    job = commit(preview(world.hospital_a, csv_file(rows, encoding=encoding)))
    assert job.created == 2
    assert Education.objects.get(person__name="朱一").school == "复旦大学"


def test_the_templates_notes_and_example_rows_are_skipped(world, client):
    login(client, world.hospital_a)
    template = client.get("/exchange/templates/people.xlsx")
    assert template.status_code == 200
    upload = xlsx([], headers=[])  # replaced below by the template itself
    upload.file.seek(0)
    upload.file.truncate()
    upload.file.write(b"".join(template.streaming_content))
    upload.size = upload.file.tell()
    job = preview(world.hospital_a, upload)
    assert (job.status, job.total) == ("ready", 0)


@pytest.mark.parametrize(
    ("cells", "column", "reason"),
    [
        ({"身份证号码": "310113199003040010"}, "身份证号码", "校验码"),
        ({"出生日期": datetime.date(1991, 1, 1)}, "出生日期", "不一致"),
        ({"性别": "女"}, "性别", "不一致"),
        ({"所在科室": "全科"}, "所在科室", "科室不属于所选机构"),
        ({"现职称": "主任大夫"}, "现职称", "职称代码表"),
        ({"任职起始日期": datetime.date(2999, 1, 1)}, "任职起始日期", "晚于今天"),
        ({"毕业时间": "去年夏天"}, "毕业时间", "不是有效日期"),
        ({"手机号码": "138-0013"}, "手机号码", "11 位手机号码"),
        ({"手机号码": "1380013800"}, "手机号码", "11 位手机号码"),
        ({"手机号码": "66001234"}, "手机号码", "带区号"),
        ({"姓名": "长" * 51}, "姓名", "不能超过 50"),
        ({"姓名": " "}, "姓名", "请填写姓名"),
        ({"民族": "火星族"}, "民族", "民族代码表"),
    ],
)
def test_each_bad_cell_is_reported_with_its_row_and_column(world, cells, column, reason):
    rows = [person_row("好人"), person_row("坏人", **cells)]
    job = preview(world.hospital_a, xlsx(rows))
    assert (job.new, job.invalid) == (1, 1)
    found = [(row, col) for row, col, text in problems(job) if reason in text]
    assert found == [(3, column)], problems(job)


def test_all_or_nothing_refuses_and_skip_invalid_imports_the_good_rows(world):
    rows = [person_row("许一"), person_row("许二", 现职称="不存在的职称")]
    job = preview(world.hospital_a, xlsx(rows))
    with pytest.raises(Exception, match="跳过错误行"):
        commit(job)
    assert not Person.objects.filter(name="许一").exists()
    job.refresh_from_db()
    job = commit(job, skip_invalid=True)
    assert (job.status, job.created) == ("done", 1)
    assert Person.objects.filter(name__startswith="许").count() == 1


def test_another_institutions_person_cannot_be_changed_by_import(world):
    other = world.b_doctor
    row = person_row(other.name, birth=other.birth_date, 身份证号码=other.id_number)
    job = preview(world.hospital_a, xlsx([row]))
    assert job.invalid == 1
    assert "其他机构" in problems(job)[0][2]


def test_an_institution_outside_the_users_scope_is_refused(world):
    headers = HEADERS_WITH_INSTITUTION
    row = person_row("吕一", 所在机构=world.b.name, 所在科室="全科")
    job = preview(world.hospital_a, xlsx([row], headers=headers))
    assert "对应不到您可以导入人员的机构" in problems(job)[0][2]
    job = preview(world.commission, xlsx([row], headers=headers))
    assert job.new == 1


def test_a_licence_number_already_registered_to_someone_else_is_refused(world):
    first = person_row("施一", 执业证书编号="L-1")
    commit(preview(world.hospital_a, xlsx([first])))
    job = preview(world.hospital_a, xlsx([person_row("施二", 执业证书编号="L-1")]))
    assert "另一人名下" in problems(job)[0][2]


HEADERS_WITH_INSTITUTION = ["所在机构", *HEADERS]


def test_big_sheets_read_in_two_processes_give_the_same_verdicts(world, monkeypatch):
    from yicai.exchange import checking

    rows = [person_row(f"并行{i}") for i in range(6)]
    rows[1] = person_row("坏一", 现职称="无此职称")
    rows[4] = dict(rows[0], 姓名="重复", 执业证书编号="X-9")  # a duplicate across the halves
    one = preview(world.hospital_a, xlsx(rows))
    monkeypatch.setattr(checking, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(checking, "PARALLEL_ROWS", 2)
    two = preview(world.hospital_a, xlsx(rows))
    assert (two.new, two.invalid) == (one.new, one.invalid) == (4, 2)
    assert problems(two) == problems(one)
    assert (6, "身份证号码", "与第 2 行的身份证号码重复。") in problems(two)
    commit(two, skip_invalid=True)
    assert Person.objects.filter(name__startswith="并行").count() == 4


def test_an_excel_97_xls_file_is_read(world):
    """A real BIFF8 .xls (written once with xlwt, kept as a fixture): one good row, and one
    whose identity number has a wrong check digit."""
    data = (Path(__file__).parent / "fixtures" / "roster-excel97.xls").read_bytes()
    job = preview(world.hospital_a, SimpleUploadedFile("旧花名册.xls", data))
    assert (job.status, job.new, job.invalid) == ("ready", 1, 1)
    assert problems(job)[0][:2] == (3, "身份证号码")
    commit(job, skip_invalid=True)
    person = _person("旧版一")
    assert person.birth_date == datetime.date(1987, 5, 6)
    assert (person.department, person.current_title.name) == (world.a_cardiology, "主治医师")


def test_headers_in_the_english_interface_language_are_recognised(world):
    from django.utils import translation

    from yicai.exchange.engine import entity_for

    spec = entity_for("people")
    with translation.override("en"):
        by_key = {column.key: str(column.header) for column in spec.columns}
    assert by_key["id_number"] != "身份证号码"  # the catalog translates it
    row = person_row("英文表头")
    keys = {"姓名": "name", "性别": "sex", "身份证号码": "id_number", "出生日期": "birth_date"}
    headers = [by_key[key] for key in keys.values()]
    job = preview(world.hospital_a, xlsx([[row[name] for name in keys]], headers=headers))
    assert (job.status, job.new, job.invalid) == ("ready", 1, 0), job.problems


def test_someone_added_between_preview_and_commit_stops_the_commit(world):
    from yicai.exchange import services as exchange_services
    from yicai.people import services as people_services

    rows = [person_row("预览后"), person_row("另一人")]
    job = preview(world.hospital_a, xlsx(rows))
    people_services.person_create(
        name="预览后",
        sex=world.a_surgeon.sex,  # male, as person_row makes them
        birth_date=datetime.date(1990, 3, 4),
        id_number=rows[0]["身份证号码"],
        institution=world.a,
    )
    exchange_services.import_job_request_commit(job=job, user=world.hospital_a, skip_invalid=False)
    exchange_services.import_job_commit(job=job)
    job.refresh_from_db()
    assert (job.status, job.created) == ("failed", 0)
    assert "请重新预览" in job.message
    assert not Person.objects.filter(name="另一人").exists()


def test_every_invisible_character_is_removed_from_text():
    from yicai.exchange import cleaning

    for (
        char
    ) in "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u00ad\u180e\u202a\u202b\u202c\u202d\u202e":
        assert cleaning.text(f"张{char}三") == "张三", hex(ord(char))
    assert cleaning.text("\u3000张\u00a0 三 ") == "张 三"
