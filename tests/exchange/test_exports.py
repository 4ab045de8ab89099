"""Every list exports to Excel and CSV: the page's scope, filters and masking, formulas
neutralised, a BOM on the CSV, 403 without the permission, an audit entry, and memory and
query counts that do not grow with the rows."""

import csv
import datetime
import io
import itertools
import tracemalloc
from urllib.parse import quote

import openpyxl
import pytest
from django.db import connection
from django.http import FileResponse, StreamingHttpResponse
from django.test.utils import CaptureQueriesContext

from tests import factories
from tests.conftest import login
from yicai import exports, xlsx
from yicai.access.models import AuditEntry

FORMATS = ["xlsx", "csv"]
BOM = b"\xef\xbb\xbf"

# list page -> (who may export it, who may see the page but not export it or not see it at
# all, the headers the export starts with, the file name without its extension)
LISTS = {
    "people": (
        "/people/",
        "hospital_b",
        ["mentor", "trainee", "auditor", "security", "nobody"],
        ["姓名", "性别", "身份证号码", "出生日期", "民族", "政治面貌", "手机号码", "人员类别"],
        "人才档案",
    ),
    "institutions": (
        "/org/",
        "hospital_b",
        ["dept_head", "mentor", "trainee", "auditor", "security", "nobody"],
        ["机构名称", "机构类别", "等级", "隶属关系", "所在地", "科室数", "人员数"],
        "医疗机构",
    ),
    "audit": (
        "/accounts/audit/",
        "auditor",
        ["commission", "hospital_a", "security", "nobody"],
        ["时间", "事件", "操作", "操作人", "操作人机构", "IP", "请求号", "对象类型", "对象"],
        "审计日志",
    ),
    "users": (
        "/accounts/users/",
        "security",
        ["commission", "hospital_a", "auditor", "nobody"],
        ["用户名", "姓名", "对应人员", "角色", "状态", "最近登录", "创建时间"],
        "用户与角色",
    ),
    "codes": (
        "/codes/sex/",
        "trainee",
        ["auditor", "security", "nobody"],
        ["代码", "名称", "上级代码", "上级名称", "备注", "状态"],
        "代码表-",
    ),
}
FORBIDDEN = [
    (key, persona, fmt) for key, spec in LISTS.items() for persona in spec[2] for fmt in FORMATS
]


def _download(client, url: str, fmt: str, **params):
    response = client.get(url, {**params, "export": fmt})
    assert response.status_code == 200, response.status_code
    return response, _read(response, fmt)


def _read(response, fmt: str) -> list[list]:
    content = b"".join(response.streaming_content)
    if fmt == "xlsx":
        workbook = openpyxl.load_workbook(io.BytesIO(content))
        sheet = workbook.active
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{cell.coordinate} is a formula"
        return [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]
    assert content.startswith(BOM)
    text = content.decode("utf-8")  # strict: the whole file is UTF-8
    return list(csv.reader(io.StringIO(text[1:], newline="")))


def _column(rows: list[list], header: str) -> list:
    index = rows[0].index(header)
    return [row[index] for row in rows[1:]]


def _text(value) -> str:
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d") if value.time() == datetime.time() else str(value)
    return str(value)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("key", list(LISTS))
def test_each_list_exports_its_headers_and_rows_in_both_formats(world, client, key, fmt):
    url, persona, _forbidden, headers, filename = LISTS[key]
    login(client, getattr(world, persona))
    response, rows = _download(client, url, fmt)
    assert rows[0][: len(headers)] == headers
    assert len(rows) > 1
    assert all(len(row) == len(rows[0]) for row in rows)
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f".{fmt}" in disposition
    assert f"UTF-8''{quote(filename, safe='')}" in disposition
    if fmt == "csv":
        assert isinstance(response, StreamingHttpResponse)
        assert response["Content-Type"] == "text/csv; charset=utf-8"
    else:
        assert isinstance(response, FileResponse)
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")


@pytest.mark.parametrize(("key", "persona", "fmt"), FORBIDDEN)
def test_a_user_without_the_export_permission_is_refused(world, client, key, persona, fmt):
    url = LISTS[key][0]
    login(client, getattr(world, persona))
    before = AuditEntry.objects.filter(event="export").count()
    response = client.get(url, {"export": fmt})
    assert response.status_code == 403
    assert AuditEntry.objects.filter(event="export").count() == before


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("key", list(LISTS))
def test_each_export_writes_an_audit_entry_with_its_filters(world, client, key, fmt):
    url, persona, *_rest = LISTS[key]
    user = getattr(world, persona)
    login(client, user)
    _download(client, url, fmt, q="zz")
    entry = AuditEntry.objects.filter(event="export").latest("pk")
    assert entry.actor == user
    assert entry.object_repr.startswith("导出")
    assert ("CSV" if fmt == "csv" else "Excel") in entry.object_repr
    assert entry.additional_data["filters"] == {"q": "zz"}


def test_the_export_link_is_on_each_list_page_beside_excel(world, client):
    for key, (url, persona, *_rest) in LISTS.items():
        login(client, getattr(world, persona))
        page = client.get(url).content.decode()
        assert "export=xlsx" in page and "export=csv" in page, key
        assert "导出 Excel" in page and "导出 CSV" in page, key


def test_the_person_list_export_links_carry_the_filters(world, client):
    login(client, world.hospital_a)
    page = client.get(
        "/people/", {"q": "李"}, headers={"HX-Request": "true", "HX-Target": "results"}
    ).content.decode()
    assert "q=%E6%9D%8E&amp;export=csv" in page


def test_the_export_links_are_not_shown_without_the_permission(world, client):
    login(client, world.mentor)
    assert "export=csv" not in client.get("/people/").content.decode()
    login(client, world.dept_head)
    assert "export=csv" not in client.get("/org/").content.decode()


def test_an_unknown_format_shows_the_page(world, client):
    login(client, world.hospital_a)
    response = client.get("/people/", {"export": "pdf"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")


# People: scope, filters, masking, formulas, dates.


@pytest.mark.parametrize("fmt", FORMATS)
def test_hospital_b_never_exports_hospital_a_people(world, client, fmt):
    login(client, world.hospital_b)
    _response, rows = _download(client, "/people/", fmt)
    assert _column(rows, "姓名") == ["陈全科"]
    assert set(_column(rows, "所在机构")) == {world.b.name}
    # Asking for A's institution by its id does not widen the scope: it is no choice of B's,
    # so the export is refused (400) rather than sent.
    response = client.get("/people/", {"institution": str(world.a.pk), "export": fmt})
    assert response.status_code == 400
    assert "Content-Disposition" not in response
    assert "李心怡" not in response.content.decode()


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_people_export_has_the_page_filters(world, client, fmt):
    login(client, world.commission)
    _response, rows = _download(client, "/people/", fmt)
    assert len(rows) - 1 == 5
    _response, rows = _download(client, "/people/", fmt, q="李心")
    assert _column(rows, "姓名") == ["李心怡"]
    _response, rows = _download(client, "/people/", fmt, institution=str(world.b.pk))
    assert _column(rows, "姓名") == ["陈全科"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_identity_numbers_and_phones_are_masked(world, client, fmt):
    factories.person(world.b, "钱电话", phone="13812345678")
    login(client, world.hospital_b)
    _response, rows = _download(client, "/people/", fmt)
    numbers = [str(number) for number in _column(rows, "身份证号码")]
    full = {world.b_doctor.id_number}
    assert numbers and all("*" in number and number not in full for number in numbers)
    assert all(number[-4:].isalnum() for number in numbers)
    phones = dict(zip(_column(rows, "姓名"), _column(rows, "手机号码"), strict=True))
    assert phones["钱电话"].endswith("5678") and "*" in phones["钱电话"]
    assert "13812345678" not in str(rows)


DANGEROUS = ['=HYPERLINK("http://evil.example","点我")', "+1", "-2", "@SUM(A1:A9)", "\t=1+1"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_cells_that_would_run_as_formulas_are_neutralised(world, client, fmt):
    for index, name in enumerate(DANGEROUS):
        factories.person(world.b, name, birth=datetime.date(1990, 1, 1 + index))
    login(client, world.hospital_b)
    _response, rows = _download(client, "/people/", fmt)
    names = {str(name) for name in _column(rows, "姓名")}
    for name in DANGEROUS:
        assert "'" + name.strip() in names or "'" + name in names, name
        assert name not in names
    assert "陈全科" in names  # ordinary text is left alone


def test_the_csv_starts_with_a_bom_has_iso_dates_and_crlf_lines(world, client):
    login(client, world.hospital_a)
    response = client.get("/people/", {"export": "csv", "sort": "birth"})
    content = b"".join(response.streaming_content)
    assert content.startswith(BOM)
    assert not content[3:].startswith(BOM)
    text = content.decode("utf-8")
    assert "\r\n" in text and "李心怡" in text
    rows = list(csv.reader(io.StringIO(text[1:], newline="")))
    assert rows[0][0] == "姓名"
    assert set(_column(rows, "出生日期")) == {world.a_doctor.birth_date.strftime("%Y-%m-%d")}


def test_the_xlsx_has_real_dates(world, client):
    login(client, world.hospital_a)
    _response, rows = _download(client, "/people/", "xlsx")
    births = _column(rows, "出生日期")
    assert births and all(isinstance(day, datetime.datetime) for day in births)
    assert {_text(day) for day in births} == {world.a_doctor.birth_date.isoformat()}


# The other lists: scope and content.


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_institution_export_is_scoped_and_filtered(world, client, fmt):
    login(client, world.hospital_b)
    _response, rows = _download(client, "/org/", fmt)
    assert _column(rows, "机构名称") == [world.b.name]
    login(client, world.commission)
    _response, rows = _download(client, "/org/", fmt)
    assert set(_column(rows, "机构名称")) == {world.a.name, world.b.name, world.partner.name}
    _response, rows = _download(client, "/org/", fmt, kind="community")
    assert _column(rows, "机构名称") == [world.b.name]
    staff = dict(zip(_column(rows, "机构名称"), _column(rows, "人员数"), strict=True))
    assert str(staff[world.b.name]) == "1"


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_audit_export_has_the_page_filters(world, client, fmt):
    login(client, world.hospital_a)
    client.post(f"/people/{world.a_doctor.pk}/reveal/")
    login(client, world.auditor)
    _response, rows = _download(client, "/accounts/audit/", fmt, event="reveal")
    assert len(rows) == 2
    assert _column(rows, "事件") == ["查看完整证件号"]
    assert _column(rows, "操作人") == ["hospital_a"]
    assert world.a_doctor.id_number not in str(rows)


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_user_export_lists_accounts_and_roles(world, client, fmt):
    login(client, world.security)
    _response, rows = _download(client, "/accounts/users/", fmt)
    roles = dict(zip(_column(rows, "用户名"), _column(rows, "角色"), strict=True))
    assert {"commission", "hospital_a", "hospital_b", "auditor", "nobody"} <= set(roles)
    assert world.a.short_name in roles["hospital_a"]
    assert roles["nobody"] == "无角色"
    assert "password" not in str(rows[0]).lower()
    people = dict(zip(_column(rows, "用户名"), _column(rows, "对应人员"), strict=True))
    assert people["trainee"] == "李心怡 · 女性 · 1985 年生 · 甲区中心医院 · 心血管内科"


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_code_table_export_has_every_code(world, client, fmt):
    login(client, world.trainee)
    _response, rows = _download(client, "/codes/title/", fmt)
    codes = dict(zip(_column(rows, "代码"), _column(rows, "上级代码"), strict=True))
    assert len(codes) == 24
    assert codes["231"] == "230"


# Bounded: the query count and memory do not grow with the rows.


def _add_people(world, count: int, start: int) -> None:
    for index in range(start, start + count):
        factories.person(
            world.a,
            f"测试{index:03d}",
            department=world.a_surgery,
            birth=datetime.date(1980, 1, 1) + datetime.timedelta(index),
            title="233",
            phone=f"139{index:08d}",
        )


def _export_queries(client, url: str, fmt: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, {"export": fmt})
        assert response.status_code == 200
        rows = _read(response, fmt)
    return len(captured), len(rows) - 1


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_people_export_query_count_is_the_same_for_10_and_50_rows(world, client, fmt):
    login(client, world.commission)
    _add_people(world, 10 - 5, 0)  # the world already holds five people
    _export_queries(client, "/people/", fmt)  # warm the content-type cache the audit uses
    few, ten = _export_queries(client, "/people/", fmt)
    _add_people(world, 40, 100)
    many, fifty = _export_queries(client, "/people/", fmt)
    assert (ten, fifty) == (10, 50)
    assert few == many


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    ("url", "persona"),
    [("/org/", "commission"), ("/accounts/audit/", "auditor"), ("/accounts/users/", "security")],
)
def test_the_other_exports_query_counts_do_not_grow(world, client, fmt, url, persona):
    login(client, getattr(world, persona))
    _export_queries(client, url, fmt)
    few, _rows = _export_queries(client, url, fmt)
    for index in range(20):
        factories.institution(f"新增医院{index:02d}")
        factories.user(f"extra{index:02d}", roles=[])
    many, _rows = _export_queries(client, url, fmt)
    assert few == many


def _synthetic_rows(count: int):
    for index in range(count):
        yield [
            f"姓名{index}",
            "男",
            datetime.date(1980, 1, 1) + datetime.timedelta(index % 10000),
            f"**************{index % 10000:04d}",
            "某某区中心医院",
            index,
        ]


def test_the_csv_is_produced_lazily_in_bounded_pieces():
    consumed = itertools.count()

    def rows():
        for row in _synthetic_rows(100_000):
            next(consumed)
            yield row

    pieces = exports.iter_csv(["a", "b", "c", "d", "e", "f"], rows())
    first = next(pieces)
    assert first.startswith(BOM)
    assert next(consumed) < 5_000  # the first piece went out long before the last row was read
    sizes = [len(first)] + [len(piece) for piece in pieces]
    assert max(sizes) < 2 * 64 * 1024 * 3  # UTF-8 Chinese: up to 3 bytes a character
    assert len(sizes) > 50


@pytest.mark.parametrize(("fmt", "count"), [("csv", 20_000), ("xlsx", 5_000)])
def test_memory_does_not_grow_with_the_rows(fmt, count, tmp_path):
    """Traced allocations stay under a megabyte or two, where holding the rows (or XlsxWriter
    without constant memory: 14 MB for 12,000 rows) would take several. Kept small because
    tracing is slow; the CSV's 100,000 rows above run untraced."""
    headers = ["姓名", "性别", "出生日期", "证件号", "机构", "序号"]
    tracemalloc.start()
    try:
        if fmt == "csv":
            size = sum(len(piece) for piece in exports.iter_csv(headers, _synthetic_rows(count)))
        else:
            with open(tmp_path / "out.xlsx", "wb") as handle:
                xlsx.write_xlsx(handle, "sheet", headers, _synthetic_rows(count))
            size = (tmp_path / "out.xlsx").stat().st_size
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert size > 100_000
    assert peak < 3 * 1024 * 1024, peak


def test_safe_cell_and_csv_values():
    assert xlsx.safe_cell("=1+1") == "'=1+1"
    assert xlsx.safe_cell("\r=1") == "'\r=1"
    assert xlsx.safe_cell("李-2") == "李-2"
    assert xlsx.safe_cell(-2) == -2
    assert xlsx.safe_cell(None) == ""
    assert exports.csv_value(datetime.date(2024, 2, 9)) == "2024-02-09"
    assert exports.csv_value("@cmd") == "'@cmd"
    assert exports.csv_value(None) == ""
