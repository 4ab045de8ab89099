"""A roster as hospitals really keep it (序号, 姓名, 性别, 公民身份号码, 出生日期, 手机号码, 学历,
职称, 所在单位, 科室, 参加工作时间; titles and education as people write them; no school, no
dates) imports whole: every valid row becomes a person with education, title, post and
参加工作时间, the incomplete records are listed, and the sheet exported from the person list
imports back without changing anything."""

import datetime
import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

from tests import factories
from tests.conftest import login
from tests.exchange.importing import commit, preview, problems, warnings, xlsx
from yicai.codes.queries import code_for
from yicai.people import services
from yicai.people.models import Appointment, Education, Person, TitleRecord

ROSTER = [
    "序号",
    "姓名",
    "性别",
    "公民身份号码",
    "出生日期",
    "手机号码",
    "学历",
    "职称",
    "所在单位",
    "科室",
    "参加工作时间",
]


def roster_row(
    number, name, *, male, birth, education, title, place, department, started, phone=None
):
    return [
        number,
        name,
        "男" if male else "女",
        factories.id_number(birth, male=male),
        birth,
        phone or f"139{number:08d}",
        education,
        title,
        place,
        department,
        started,
    ]


def the_roster(world):
    nurses = factories.department(world.a, "护理部")
    del nurses
    return [
        roster_row(
            1,
            "王住院",
            male=True,
            birth=datetime.date(1995, 5, 1),
            education="本科",
            title="住院医师",
            place="甲区中心医院",
            department="心血管内科",
            started=datetime.date(2019, 8, 1),
        ),
        roster_row(
            2,
            "李主治",
            male=False,
            birth=datetime.date(1986, 2, 3),
            education="硕士研究生",
            title="主治医师",
            place="区中心医院",
            department="普外科",
            started=datetime.date(2012, 7, 15),
        ),
        roster_row(
            3,
            "赵主管",
            male=False,
            birth=datetime.date(1980, 9, 9),
            education="大专",
            title="主管护师",
            place="甲区中心医院",
            department="护理部",
            started=datetime.date(2001, 9, 1),
        ),
        roster_row(
            4,
            "钱护士",
            male=False,
            birth=datetime.date(2000, 1, 20),
            education="中专",
            title="护士",
            place="甲区中心医院",
            department="护理部",
            started=datetime.date(2020, 7, 1),
        ),
        roster_row(
            5,
            "孙研究",
            male=True,
            birth=datetime.date(1990, 12, 12),
            education="研究生/硕士",
            title="医师",
            place="甲区中心",
            department="心内二病区",
            started=datetime.date(2018, 9, 1),
        ),
    ]


def _alias(world):
    world.a.aliases = "区中心医院\n甲区人民医院"
    world.a.save()


def test_a_roster_as_hospitals_keep_it_imports_every_row(world, client):
    _alias(world)
    job = preview(world.hospital_a, xlsx(the_roster(world), headers=ROSTER))
    assert (job.total, job.new, job.invalid) == (5, 5, 0), problems(job)
    assert job.warned == 0  # no school or date columns at all: one note for the file
    told = [reason for _row, _column, reason in warnings(job)]
    assert any("没有“毕业院校”“毕业时间”列" in reason for reason in told), told
    assert any("没有“职称取得时间”列" in reason for reason in told), told
    assert not any("序号" in reason for reason in told)
    commit(job)
    expected = {
        "王住院": ("医师", "大学本科毕业", "心血管内科", datetime.date(2019, 8, 1)),
        "李主治": ("主治医师", "硕士研究生毕业", "普外科", datetime.date(2012, 7, 15)),
        "赵主管": ("主管护师", "大学专科毕业", "护理部", datetime.date(2001, 9, 1)),
        "钱护士": ("护士", "中等专科毕业", "护理部", datetime.date(2020, 7, 1)),
        "孙研究": ("医师", "硕士研究生毕业", "心内二病区", datetime.date(2018, 9, 1)),
    }
    for name, (title, education, department, started) in expected.items():
        person = Person.objects.get(name=name)
        assert person.institution == world.a
        assert person.current_title.name == title
        assert person.highest_education.name == education
        assert person.department.name == department
        assert person.work_start_on == started
        record = Education.objects.get(person=person)
        assert (record.level.name, record.school, record.graduated_on) == (education, "", None)
        assert TitleRecord.objects.get(person=person).obtained_on is None
        post = Appointment.objects.get(person=person)
        assert (post.institution, post.department.name, post.start_on) == (
            world.a,
            department,
            None,
        )
    assert Education.objects.get(person__name="孙研究").degree.name == "硕士"
    login(client, world.hospital_a)
    listed = client.get("/people/", {"incomplete": "on"}).content.decode()
    assert all(name in listed for name in expected)
    assert world.a_doctor.name not in listed
    page = client.get(f"/people/{Person.objects.get(name='王住院').pk}/").content.decode()
    assert "学历“大学本科毕业”缺毕业院校、毕业时间" in page and "职称“医师”缺取得时间" in page


def test_the_exported_person_list_imports_back_without_changing_anything(world, client):
    _alias(world)
    commit(preview(world.hospital_a, xlsx(the_roster(world), headers=ROSTER)))
    services.education_add(
        person=world.a_surgeon,
        level=code_for("education", "14"),
        school="复旦大学",
        graduated_on=datetime.date(2010, 7, 1),
        degree=code_for("degree", "345"),
        major="外科学",
    )
    login(client, world.hospital_a)
    exported = client.get("/people/", {"export": "xlsx"})
    assert exported.status_code == 200
    content = b"".join(exported.streaming_content) if exported.streaming else exported.content
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("姓名", "性别", "身份证号码", "出生日期")
    assert "参加工作时间" in rows[0] and "政治面貌" in rows[0]
    assert all("*" in (row[2] or "") for row in rows[1:])  # identity numbers stay masked
    before = (
        Person.objects.count(),
        Education.objects.count(),
        TitleRecord.objects.count(),
        Appointment.objects.count(),
    )
    job = preview(world.hospital_a, SimpleUploadedFile("导出.xlsx", content))
    people_in_a = Person.objects.filter(institution=world.a).count()
    assert (job.total, job.new, job.updated, job.invalid) == (people_in_a, 0, 0, 0), problems(job)
    assert job.unchanged == people_in_a
    after = (
        Person.objects.count(),
        Education.objects.count(),
        TitleRecord.objects.count(),
        Appointment.objects.count(),
    )
    assert after == before


def test_a_fuller_row_completes_the_incomplete_record_on_file(world):
    _alias(world)
    commit(preview(world.hospital_a, xlsx(the_roster(world), headers=ROSTER)))
    person = Person.objects.get(name="王住院")
    headers = [
        "姓名",
        "公民身份号码",
        "学历",
        "毕业院校",
        "毕业时间",
        "职称",
        "职称取得时间",
        "来院时间",
    ]
    row = [
        person.name,
        person.id_number,
        "本科",
        "苏州大学",
        datetime.date(2018, 6, 30),
        "住院医师",
        datetime.date(2019, 12, 1),
        datetime.date(2019, 8, 1),
    ]
    job = preview(world.hospital_a, xlsx([row], headers=headers))
    assert (job.updated, job.invalid, job.warned) == (1, 0, 0), problems(job)
    commit(job)
    education = Education.objects.get(person=person)  # completed, not a second record
    assert (education.school, education.graduated_on) == ("苏州大学", datetime.date(2018, 6, 30))
    assert TitleRecord.objects.get(person=person).obtained_on == datetime.date(2019, 12, 1)
    assert Appointment.objects.get(person=person).start_on == datetime.date(2019, 8, 1)
    assert not Person.objects.filter(pk=person.pk).filter(services_incomplete()).exists()


def services_incomplete():
    from yicai.people.queries import incomplete

    return incomplete()


def test_a_title_written_as_its_grade_takes_the_series_of_the_personnel_category(world):
    headers = ["姓名", "公民身份号码", "从事专业类别", "职称"]
    rows = [
        [
            "周护理",
            factories.id_number(datetime.date(1975, 3, 3), male=False),
            "注册护士",
            "副主任",
        ],
        ["吴内科", factories.id_number(datetime.date(1972, 4, 4)), "执业医师", "副主任"],
        ["郑未知", factories.id_number(datetime.date(1970, 5, 5)), "", "副主任"],
    ]
    job = preview(world.hospital_a, xlsx(rows, headers=headers))
    assert (job.new, job.invalid) == (2, 1)
    ((row, column, reason),) = problems(job)
    assert (row, column) == (4, "职称") and "请填写从事专业类别" in reason
    commit(job, skip_invalid=True)
    assert Person.objects.get(name="周护理").current_title.name == "副主任护师"
    assert Person.objects.get(name="吴内科").current_title.name == "副主任医师"


def test_parts_without_their_record_are_told_and_left_out(world):
    headers = ["姓名", "公民身份号码", "毕业院校", "职称取得时间", "执业证书编号", "执业范围"]
    rows = [
        [
            "冯散件",
            factories.id_number(datetime.date(1988, 8, 8)),
            "复旦大学",
            datetime.date(2015, 1, 1),
            "110310000099999",
            "内科专业",
        ]
    ]
    job = preview(world.hospital_a, xlsx(rows, headers=headers))
    assert (job.new, job.invalid, job.warned) == (1, 0, 1), problems(job)
    told = {column: reason for _row, column, reason in warnings(job)}
    assert "未填最高学历，毕业院校未导入" in told["毕业院校"]
    assert "未填现职称，职称取得时间未导入" in told["职称取得时间"]
    assert "缺执业类别，执业证书未导入" in told["执业证书编号"]
    commit(job)
    person = Person.objects.get(name="冯散件")
    assert (
        not person.educations.exists()
        and not person.titles.exists()
        and not person.licences.exists()
    )


def test_a_nurses_licence_without_its_category_is_a_nurses(world):
    headers = ["姓名", "公民身份号码", "从事专业类别", "执业证书编号"]
    rows = [
        [
            "褚护士",
            factories.id_number(datetime.date(1996, 6, 6), male=False),
            "注册护士",
            "201931000012345",
        ]
    ]
    commit(preview(world.hospital_a, xlsx(rows, headers=headers)))
    licence = Person.objects.get(name="褚护士").licences.get()
    assert licence.get_category_display() == "护士执业"


def test_when_every_row_fails_the_page_says_so(world, client):
    headers = ["姓名", "公民身份号码", "职称"]
    rows = [["甲", "310113199001010000", "住院医师"], ["乙", "123", "住院医师"]]
    job = preview(world.hospital_a, xlsx(rows, headers=headers))
    assert (job.new, job.invalid) == (0, 2)
    login(client, world.hospital_a)
    page = client.get(f"/exchange/imports/{job.token}/").content.decode()
    assert "全部 2 行都有错误，没有可以导入的数据" in page
    assert "文件中的数据与档案一致" not in page


def test_the_problem_table_shows_what_was_typed_and_cuts_a_long_cell(world, client):
    headers = ["姓名", "性别", "公民身份号码", "毕业院校", "学历"]
    number = factories.id_number(datetime.date(1990, 1, 1), male=True)
    rows = [
        ["女装男", "女", number, "", ""],
        ["长院校", "男", factories.id_number(datetime.date(1991, 1, 1)), "大" * 150, "本科"],
    ]
    job = preview(world.hospital_a, xlsx(rows, headers=headers))
    shown = {(row, column): value for row, column, value, _reason, _level in job.problems}
    assert shown[(2, "性别")] == "女"
    assert shown[(3, "毕业院校")] == "大" * 40 + "…（共 150 字）"
    login(client, world.hospital_a)
    page = client.get(f"/exchange/imports/{job.token}/").content.decode()
    assert "…（共 150 字）" in page
