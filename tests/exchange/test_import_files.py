"""Files that must not be read: refused before parsing, with a clear Chinese message, and
nothing kept."""

import datetime
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.exchange.importing import csv_file, person_row, preview, xlsx
from yicai.exchange import services
from yicai.exchange.engine import entity_for, locate
from yicai.exchange.models import ImportJob
from yicai.exchange.reading import FileRefused, read_table

pytestmark = pytest.mark.django_db


def _refused(world, upload) -> str:
    with pytest.raises(ValidationError) as caught:
        services.import_job_create(user=world.hospital_a, entity="people", upload=upload)
    assert not ImportJob.objects.exists()
    return caught.value.message_dict["file"][0]


def test_a_file_of_another_kind_is_refused(world):
    assert "只能导入" in _refused(world, SimpleUploadedFile("roster.pdf", b"%PDF-1.4"))


def test_a_file_whose_content_is_not_what_its_extension_says_is_refused(world):
    assert "不是 Excel 工作簿" in _refused(world, SimpleUploadedFile("roster.xlsx", b"name,sex\n"))
    assert "Excel 97-2003" in _refused(world, SimpleUploadedFile("roster.xls", b"PK\x03\x04zip"))
    fake_csv = xlsx([person_row()], name="roster.csv")
    assert "不是文本" in _refused(world, fake_csv)


def test_an_empty_file_is_refused(world):
    assert "空的" in _refused(world, SimpleUploadedFile("roster.csv", b""))


def test_a_file_over_the_size_limit_is_refused(world, settings):
    settings.IMPORT_MAX_BYTES = 1024
    assert "文件太大" in _refused(world, csv_file([person_row() for _ in range(20)]))


def test_a_zip_bomb_is_refused_before_it_is_expanded(world):
    handle = io.BytesIO()
    with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", "0" * 200_000_000)  # 200 MB of zeros
    upload = SimpleUploadedFile("bomb.xlsx", handle.getvalue())
    assert upload.size < 1_000_000
    assert "压缩炸弹" in _refused(world, upload)


def test_a_workbook_with_macros_is_refused(world):
    handle = io.BytesIO(xlsx([person_row()]).read())
    with zipfile.ZipFile(handle, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"\x00" * 100)
    assert "宏" in _refused(world, SimpleUploadedFile("macro.xlsx", handle.getvalue()))


def test_a_damaged_workbook_is_refused(world):
    assert "损坏" in _refused(
        world, SimpleUploadedFile("broken.xlsx", b"PK\x03\x04" + b"\x00" * 200)
    )


def test_a_sheet_over_the_row_limit_is_refused_when_read(world, settings):
    settings.IMPORT_MAX_ROWS = 5
    job = preview(world.hospital_a, xlsx([person_row() for _ in range(30)]))
    assert job.status == ImportJob.Status.REFUSED
    assert "文件有 30 行数据，超过了每次最多 5 行" in job.message


def test_the_row_limit_counts_data_rows_exactly(world, settings):
    """Titles above the header, the template's notes row and blank lines are not data; one
    data row over the limit is refused (the limit used to be loose by 20 rows)."""
    settings.IMPORT_MAX_ROWS = 5
    people = [person_row(f"王{n}", birth=datetime.date(1990, 1, n + 1)) for n in range(6)]
    laid_out = [None, *people[:3], None, None, *people[3:5]]
    job = preview(world.hospital_a, xlsx(laid_out, above=[["2026 年花名册"], ["甲区中心医院"]]))
    assert job.status != ImportJob.Status.REFUSED, job.message
    assert job.total == 5
    job = preview(world.hospital_a, xlsx([*laid_out, people[5]]))
    assert job.status == ImportJob.Status.REFUSED
    assert "文件有 6 行数据，超过了每次最多 5 行" in job.message


def test_the_documented_limit_of_200000_rows_holds_to_the_row(tmp_path, settings):
    assert settings.IMPORT_MAX_ROWS == 200_000
    for count in (200_000, 200_001):
        path = tmp_path / f"{count}.csv"
        rows = (f"员工{n},男,11010519491231002X\n" for n in range(count))
        path.write_text("姓名,性别,身份证号码\n" + "".join(rows), encoding="utf-8")
        table = read_table(path, "csv")
        if count == 200_000:
            assert len(locate(table, entity_for("people")).rows) == count
        else:
            with pytest.raises(FileRefused, match="文件有 200,001 行数据"):
                locate(table, entity_for("people"))


def test_a_sheet_without_the_required_columns_is_refused_when_read(world):
    job = preview(world.hospital_a, xlsx([["张三", "男"]], headers=["姓名", "性别"]))
    assert job.status == ImportJob.Status.REFUSED
    assert "缺少必填列：身份证号码" in job.message


def test_a_csv_in_an_unknown_encoding_is_refused_when_read(world):
    upload = SimpleUploadedFile("roster.csv", "姓名,性别\n".encode("utf-16-le"))
    with pytest.raises(ValidationError):  # UTF-16 has NUL bytes: not text
        services.import_job_create(user=world.hospital_a, entity="people", upload=upload)


def test_formulas_are_never_evaluated(world):
    upload = xlsx([person_row("公式", 职务="=1+1", 所学专业='=HYPERLINK("http://x","y")')])
    job = preview(world.hospital_a, upload)
    assert job.new == 1  # the text is kept as text, and exports neutralise it


def test_a_csv_with_a_utf8_mark_but_other_bytes_is_refused_when_read(world):
    upload = SimpleUploadedFile("roster.csv", b"\xef\xbb\xbf" + "姓名,性别\n".encode("gbk"))
    job = preview(world.hospital_a, upload)
    assert job.status == ImportJob.Status.REFUSED
    assert "无法识别文件编码" in job.message
