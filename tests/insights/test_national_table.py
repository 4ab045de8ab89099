"""The national health-workforce table (卫生人力基本信息调查表): a person with everything recorded
is exactly their row, in the national columns, codes and YYYYMMDD dates; people with honest
gaps are listed by the check with the required columns they lack; the table holds the people
on file on its day with the records held then; another institution's people never appear; the
export is a real workbook, audited; the query count does not grow with the people."""

import datetime
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from tests.conftest import login
from yicai.access.models import AuditEntry, Role
from yicai.codes.queries import code_for
from yicai.insights.national import queries, table
from yicai.org.models import Institution
from yicai.people import services

pytestmark = pytest.mark.django_db
PAGE = "/national-table/"
EXPORT = "/national-table/export/"
API_CHECK = "/api/v1/insights/national-table/check/"
API_EXPORT = "/api/v1/insights/national-table/export/"
DAY = datetime.date(2024, 12, 31)
D = datetime.date


def code(table_key: str, value: str):
    found = code_for(table_key, value)
    assert found is not None, (table_key, value)
    return found


def complete_person(world):
    """王完整, a chief physician of A's cardiology with every column the table asks recorded,
    and a history: an earlier post at B, an earlier title appointed before the later one."""
    Institution.objects.filter(pk=world.a.pk).update(code="310113001")
    born = D(1980, 3, 15)
    number = factories.id_number(born)
    person = services.person_create(
        name="王完整",
        sex=code("sex", "1"),
        birth_date=born,
        id_number=number,
        phone="13812345678",
        ethnicity=code("ethnicity", "01"),
        personnel_category=code("personnel_category", "11"),
        practice_category=code("practice_category", "1"),
        staffing=code("staffing", "1"),
        work_start_on=D(2003, 8, 1),
        institution=world.a,
        department=world.a_cardiology,
        category="staff",
    )
    services.appointment_add(
        person=person,
        institution=world.b,
        department=world.b_medicine,
        start_on=D(2003, 8, 1),
        end_on=D(2009, 12, 31),
    )
    services.appointment_add(
        person=person, institution=world.a, department=world.a_cardiology, start_on=D(2010, 1, 1)
    )
    services.education_add(
        person=person,
        level=code("education", "21"),
        degree=code("degree", "410"),
        school="复旦大学",
        major="临床医学",
        graduated_on=D(2003, 7, 1),
    )
    services.education_add(
        person=person,
        level=code("education", "11"),
        degree=code("degree", "210"),
        school="复旦大学",
        major="内科学",
        graduated_on=D(2012, 7, 1),
    )
    services.title_add(
        person=person,
        title=code("title", "232"),
        obtained_on=D(2015, 12, 1),
        appointed_on=D(2016, 3, 1),
    )
    services.title_add(
        person=person,
        title=code("title", "231"),
        obtained_on=D(2022, 12, 1),
        appointed_on=D(2023, 3, 1),
    )
    services.licence_add(
        person=person,
        number="110310000012345",
        category="1",
        scope="内科专业",
        issued_on=D(2004, 9, 1),
    )
    return person, number


def expected_row(number: str, phone: str = "13812345678") -> list[str]:
    """王完整's row, column by column, as the table has it on 2024-12-31."""
    return [
        "310113001",  # 机构编码
        "甲区中心医院",  # 机构名称
        "王完整",
        "居民身份证",
        number,
        "19800315",  # 出生日期
        "1",  # 性别代码: 男 (GB/T 2261.1)
        "01",  # 民族代码: 汉族 (GB/T 3304)
        "20030801",  # 参加工作日期
        "",  # 办公室电话号码: not recorded
        phone,
        "",  # 所在科室代码: not recorded
        "心血管内科",
        "11",  # 从事专业类别代码: 执业医师
        "110310000012345",
        "1",  # 医师执业类别代码: 临床
        "内科专业",  # 执业范围, as recorded
        "",  # 是否多地点执业医师
        "",  # 第2执业单位的机构类别
        "",  # 第3执业单位的机构类别
        "",  # 是否获得国家住院医师规范化培训合格证书
        "",  # 住院医师规范化培训合格证书编码
        "",  # 行政/业务管理职务代码
        "231",  # 专业技术资格(评): 主任医师 (GB/T 8561)
        "1",  # 专业技术职务(聘): 正高 (WS 364 CV08.30.005)
        "11",  # 学历代码: 博士研究生毕业 (GB/T 4658)
        "210",  # 学位代码: 医学博士学位 (GB/T 6864)
        "内科学",  # 所学专业, as recorded
        "",  # 专科特长1
        "",  # 专科特长2
        "",  # 专科特长3
        "",  # 年内人员流动情况
        "",  # 调入/调出时间
        "在编",  # 编制情况, Yicai's own dictionary, as recorded
        "",  # 是否注册为全科医学专业
        "",  # 全科医生取得培训合格证书情况
        "",  # 是否由乡镇卫生院或社区卫生服务机构派驻村卫生室工作
        "",  # 是否从事统计信息化业务工作
        "",  # 统计信息化业务工作
    ]


def messy_people(world):
    """Two people as rosters bring them: a nurse with only a bachelor's level (no degree, no
    school, no major, no date), an undated post, no ethnicity, work start, staffing or title;
    an administrator with no identity number and no education at all."""
    nurse = services.person_create(
        name="张凌乱",
        sex=code("sex", "2"),
        birth_date=D(1990, 5, 5),
        id_number=factories.id_number(D(1990, 5, 5), male=False),
        personnel_category=code("personnel_category", "21"),
        institution=world.a,
        department=world.a_surgery,
    )
    services.appointment_add(person=nurse, institution=world.a, department=world.a_surgery)
    services.education_add(person=nurse, level=code("education", "21"))
    clerk = services.person_create(
        name="李无证",
        sex=code("sex", "1"),
        birth_date=D(1975, 1, 1),
        ethnicity=code("ethnicity", "01"),
        personnel_category=code("personnel_category", "80"),
        staffing=code("staffing", "2"),
        work_start_on=D(1995, 7, 1),
        institution=world.a,
        department=world.a_surgery,
    )
    services.appointment_add(
        person=clerk, institution=world.a, department=world.a_surgery, start_on=D(1995, 7, 1)
    )
    return nurse, clerk


def row_of(rows, name):
    found = [row for row in rows if row.person.name == name]
    assert len(found) == 1, name
    return found[0]


def sheet_rows(response) -> list[list[str]]:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [[cell or "" for cell in row] for row in sheet.iter_rows(values_only=True)]


def test_a_person_with_everything_recorded_is_exactly_their_row(world):
    _person, number = complete_person(world)
    rows = list(queries.rows(world.hospital_a, as_of=DAY, full_numbers=True))
    row = row_of(rows, "王完整")
    assert list(row.values) == expected_row(number)
    assert row.missing == ()
    assert len(table.HEADINGS) == len(row.values) == 39


def test_the_row_is_the_records_held_on_its_day(world):
    complete_person(world)
    # 2021: the associate title (appointed 2016), the doctorate of 2012.
    then = row_of(queries.rows(world.hospital_a, as_of=D(2021, 6, 30)), "王完整")
    values = dict(zip([c.key for c in table.COLUMNS], then.values, strict=True))
    assert (values["qualification"], values["appointed_title"]) == ("232", "2")
    assert (values["education"], values["degree"], values["major"]) == ("11", "210", "内科学")
    # 2008: at B, in 全科, with the bachelor's only and the licence of 2004, before any title:
    # in the commission's table at B; not in A's, where the person was not yet.
    assert "王完整" not in {
        r.person.name for r in queries.rows(world.hospital_a, as_of=D(2008, 6, 30))
    }
    early = row_of(queries.rows(world.commission, as_of=D(2008, 6, 30)), "王完整")
    values = dict(zip([c.key for c in table.COLUMNS], early.values, strict=True))
    assert (values["institution_name"], values["department_name"]) == ("乙社区卫生服务中心", "全科")
    assert (values["education"], values["degree"], values["qualification"]) == ("21", "410", "")
    assert values["licence_number"] == "110310000012345"
    assert [c.heading for c in early.missing] == ["专业技术资格(评)代码", "专业技术职务(聘)代码"]
    # 2002: before any post, the person is not on file.
    names = [row.person.name for row in queries.rows(world.commission, as_of=D(2002, 1, 1))]
    assert "王完整" not in names


def test_people_with_honest_gaps_are_listed_with_what_they_lack(world):
    messy_people(world)
    result = queries.check(world.hospital_a, as_of=DAY, institution=world.a)
    lacking = {row.person.name: [c.heading for c in row.missing] for row in result.lacking}
    assert lacking["张凌乱"] == [
        "民族代码",
        "参加工作日期",
        "专业技术资格(评)代码",
        "专业技术职务(聘)代码",
        "学位代码",
        "所学专业代码",
        "编制情况",
    ]
    # An administrator (80) is asked no title; no identity number and no education.
    assert lacking["李无证"] == [
        "身份证件种类",
        "身份证件号码",
        "学历代码",
        "学位代码",
        "所学专业代码",
    ]
    # The world's three of A (posts since 2015, no category, education or staffing) lack too.
    assert result.on_file == 5 and result.lacking_any == 5 and result.complete == 0
    assert result.counts["degree"] == 5 and result.counts["qualification"] == 1
    assert result.counts["personnel_category"] == 3 and result.counts["name"] == 0
    # One column asked: only the people lacking it.
    only = queries.check(world.hospital_a, as_of=DAY, column="qualification")
    assert [row.person.name for row in only.lacking] == ["张凌乱"]
    assert only.counts == result.counts


def test_the_page_lists_the_gaps_with_links_and_counts(client, world):
    nurse, _clerk = messy_people(world)
    login(client, world.hospital_a)
    response = client.get(PAGE, {"as_of": "2024-12-31", "column": "degree"})
    assert response.status_code == 200
    text = response.content.decode()
    assert f'href="/people/{nurse.pk}/edit/"' in text
    assert "张凌乱" in text and "李无证" in text and "学位代码" in text
    start = text.index('id="national-counts"')
    counts = text[start : text.index("</table>", start)]
    assert '学位代码</a></td><td class="text-end">5</td>' in counts
    assert "所在科室代码" in text[text.index('id="national-unrecorded"') :]
    assert client.get(PAGE, {"as_of": "2999-01-01"}).status_code == 400
    assert client.get(PAGE, {"as_of": "不是日期"}).status_code == 400
    assert client.get(PAGE, {"column": "nonsense"}).status_code == 400
    assert client.get(EXPORT, {"as_of": "2999-01-01", "export": "xlsx"}).status_code == 400
    # The list exported as the page shows it, and audited.
    csv = b"".join(client.get(PAGE, {"column": "degree", "export": "csv"}).streaming_content)
    lines = csv.decode("utf-8-sig").splitlines()
    assert lines[0] == "姓名,机构,科室,从事专业类别,缺少的必填项,缺项数"
    prefix = "张凌乱,甲区中心医院,普外科,注册护士,民族代码、参加工作日期、专业技术资格(评)代码、"
    assert [line for line in lines if line.startswith(prefix)] != []
    entry = AuditEntry.objects.filter(event=AuditEntry.Event.EXPORT).latest("pk")
    assert "导出卫生人力基本信息调查表缺项" in entry.object_repr


def test_the_export_is_a_workbook_in_the_national_columns_and_is_audited(client, world):
    _person, number = complete_person(world)
    login(client, world.hospital_a)
    response = client.get(EXPORT, {"as_of": "2024-12-31", "institution": world.a.pk})
    assert response.status_code == 200
    assert "20241231" in response["Content-Disposition"]
    rows = sheet_rows(response)
    assert rows[0] == table.HEADINGS
    mine = [row for row in rows[1:] if row[2] == "王完整"]
    assert mine == [expected_row(number)]
    assert {row[1] for row in rows[1:]} == {"甲区中心医院"}
    export = AuditEntry.objects.filter(event=AuditEntry.Event.EXPORT).latest("pk")
    assert "导出卫生人力基本信息调查表" in export.object_repr
    reveal = AuditEntry.objects.filter(event=AuditEntry.Event.REVEAL).latest("pk")
    assert "含完整身份证件号码（2024-12-31）" in reveal.object_repr
    csv = b"".join(client.get(EXPORT, {"as_of": "2024-12-31", "export": "csv"}).streaming_content)
    assert ",19800315,1,01,20030801,," in csv.decode("utf-8-sig")


def test_another_institutions_people_never_appear(client, world):
    complete_person(world)
    messy_people(world)
    b_names = {row.person.name for row in queries.rows(world.hospital_b, as_of=DAY)}
    assert b_names == {"陈全科"}
    # 王完整's post at B ended in 2009: in 2008 B's table... holds only B's current people.
    assert {r.person.name for r in queries.rows(world.hospital_b, as_of=D(2008, 6, 30))} == set()
    login(client, world.hospital_b)
    rows = sheet_rows(client.get(EXPORT, {"as_of": "2024-12-31"}))
    assert [row[2] for row in rows[1:]] == ["陈全科"]
    text = client.get(PAGE, {"as_of": "2024-12-31"}).content.decode()
    assert "张凌乱" not in text and "王完整" not in text and "陈全科" in text
    # A's institution is not B's to choose.
    assert client.get(PAGE, {"institution": world.a.pk}).status_code == 400
    for persona in (world.dept_head, world.trainee, world.mentor, world.auditor):
        login(client, persona)
        assert client.get(PAGE).status_code == 403
        assert client.get(EXPORT).status_code == 403
    everyone = {row.person.name for row in queries.rows(world.commission, as_of=DAY)}
    assert {"王完整", "张凌乱", "李无证", "陈全科", "李心怡"} <= everyone
    assert "孙名医" not in everyone  # an external expert, not the institution's staff


def test_the_api_gives_the_check_and_a_masked_export(as_api, world):
    _person, number = complete_person(world)
    nurse, _clerk = messy_people(world)
    api = as_api(world.hospital_a)
    answer = api.get(API_CHECK, {"as_of": "2024-12-31", "column": "staffing"})
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert (body["as_of"], body["on_file"], body["complete"], body["lacking_any"]) == (
        "2024-12-31",
        6,
        1,
        5,
    )
    columns = {column["key"]: column["lacking"] for column in body["columns"]}
    assert columns["staffing"] == 4 and columns["degree"] == 5
    assert body["unrecorded_required"] == ["所在科室代码"]
    people = {row["name"]: row for row in body["people"]}
    assert "李无证" not in people  # has a staffing
    assert people["张凌乱"]["missing"][:2] == ["ethnicity", "work_start_on"]
    assert people["张凌乱"]["edit_url"] == f"/people/{nurse.pk}/edit/"
    assert api.get(API_CHECK, {"as_of": "x"}).status_code == 400
    exported = api.get(API_EXPORT, {"as_of": "2024-12-31"})
    assert exported.status_code == 200
    rows = sheet_rows(exported)
    mine = next(row for row in rows[1:] if row[2] == "王完整")
    masked = expected_row("*" * 14 + number[-4:], phone="*******5678")
    assert mine == masked
    assert as_api(world.dept_head).get(API_CHECK).status_code == 403
    assert as_api(world.hospital_b).get(API_CHECK, {"institution": world.a.pk}).status_code == 400


def _staff(institution, department, count: int, start: int = 0) -> None:
    """`count` physicians with a post, a title, an education and a licence each."""
    for index in range(start, start + count):
        person = factories.person(
            institution,
            f"计数{index:03d}",
            department=department,
            birth=D(1970, 1, 1) + datetime.timedelta(index),
            title="233",
            personnel_category=code("personnel_category", "11"),
        )
        services.education_add(person=person, level=code("education", "21"), major="临床医学")
        services.licence_add(person=person, number=f"NT{index:06d}", category="1")


def _count(call) -> int:
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured)


def test_the_query_count_is_the_same_for_1_and_30_people(client, world):
    c = factories.institution("丙区人民医院")
    medicine = factories.department(c, "内科")
    admin = factories.user("hospital_c", roles=[(Role.INSTITUTION_ADMIN, {"institution": c})])
    login(client, admin)

    def check():
        assert queries.check(admin, as_of=DAY).on_file == people[0]

    def page():
        assert client.get(PAGE, {"as_of": "2024-12-31"}).status_code == 200

    def export():
        assert len(sheet_rows(client.get(EXPORT, {"as_of": "2024-12-31"}))) == people[0] + 1

    people = [1]
    _staff(c, medicine, 1)
    for call in (check, page, export):  # warm the roles and the audit entries' content types
        call()
    few = (_count(check), _count(page), _count(export))
    people[0] = 30
    _staff(c, medicine, 29, start=1)
    many = (_count(check), _count(page), _count(export))
    assert few == many
    assert few[0] <= 7  # the user's roles, the people, their posts, educations, titles, licences
