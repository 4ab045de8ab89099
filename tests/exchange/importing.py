"""Helpers for import tests: build real .xlsx and .csv files and run them through the services."""

import datetime
import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

from tests import factories
from yicai.exchange import services
from yicai.exchange.models import ImportJob

HEADERS = [
    "姓名",
    "性别",
    "身份证号码",
    "出生日期",
    "民族",
    "手机号码",
    "所在科室",
    "职务/岗位",
    "任职起始日期",
    "最高学历",
    "学位",
    "毕业院校",
    "所学专业",
    "毕业时间",
    "现职称",
    "职称取得时间",
    "执业证书编号",
    "执业类别",
]


def person_row(name="王小明", *, male=True, birth=datetime.date(1990, 3, 4), **cells) -> dict:
    """One clean row as header -> value; override cells by header."""
    row = {
        "姓名": name,
        "性别": "男" if male else "女",
        "身份证号码": factories.id_number(birth, male=male),
        "出生日期": birth,
        "民族": "汉族",
        "手机号码": "13800138000",
        "所在科室": "心血管内科",
        "职务/岗位": "医师",
        "任职起始日期": datetime.date(2016, 8, 1),
        "最高学历": "大学本科毕业",
        "学位": "医学学士学位",
        "毕业院校": "复旦大学",
        "所学专业": "临床医学",
        "毕业时间": datetime.date(2013, 7, 1),
        "现职称": "医师",
        "职称取得时间": datetime.date(2017, 12, 1),
        "执业证书编号": f"1103{next(_licences):08d}",
        "执业类别": "临床",
    }
    row.update(cells)
    return row


_licences = iter(range(10_000_000, 99_999_999))


def xlsx(rows: list[dict], *, headers=HEADERS, above=(), merges=(), name="花名册.xlsx"):
    """A workbook: optional rows above the header (a title), the header, then the rows
    (a row may be None for a blank line, or a list for cells as they are)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for line in above:
        sheet.append(list(line))
    sheet.append(list(headers))
    for row in rows:
        if row is None:
            sheet.append([])
        elif isinstance(row, list):
            sheet.append(row)
        else:
            sheet.append([row.get(header) for header in headers])
    for cells in merges:
        sheet.merge_cells(cells)
    handle = io.BytesIO()
    workbook.save(handle)
    return SimpleUploadedFile(name, handle.getvalue())


def csv_file(rows: list[dict], *, encoding="utf-8-sig", headers=HEADERS, name="花名册.csv"):
    lines = [",".join(headers)]
    for row in rows:
        cells = []
        for header in headers:
            value = row.get(header)
            cells.append(value.isoformat() if hasattr(value, "isoformat") else str(value or ""))
        lines.append(",".join(cells))
    return SimpleUploadedFile(name, ("\r\n".join(lines) + "\r\n").encode(encoding))


def preview(user, upload) -> ImportJob:
    job = services.import_job_create(user=user, entity="people", upload=upload)
    services.import_job_analyse(job=job)
    job.refresh_from_db()
    return job


def commit(job: ImportJob, *, skip_invalid=False, user=None) -> ImportJob:
    services.import_job_request_commit(job=job, user=user or job.user, skip_invalid=skip_invalid)
    services.import_job_commit(job=job)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE, job.message
    return job


def problems(job: ImportJob) -> list[tuple[int, str, str]]:
    """(row, column, reason) of every error on the page."""
    return [
        (row, column, reason)
        for row, column, _value, reason, level in job.problems
        if level == "error"
    ]


def warnings(job: ImportJob) -> list[tuple[int, str, str]]:
    """(row, column, reason) of every warning (the row is imported all the same)."""
    return [
        (row, column, reason)
        for row, column, _value, reason, level in job.problems
        if level == "warning"
    ]
