"""A realistic hospital staff roster (花名册) as .xlsx, one row per person, for the import bench.

    python -m bench.roster --rows 100000 --out roster.xlsx [--seed 20261122]

The people are the demo generator's drafts (yicai.demo.generate: consistent sex, age, title,
education, career and licence for someone working in a given department), placed in the
institutions and departments of the database the settings point at, which must have run
`yicai migrate` and `yicai demo`: the file is meant to be imported into such a database, so
every 所在机构 / 所在科室 name exists there and each department belongs to its institution.
Deterministic for a given seed and database. Identity numbers are unique in the file and
against the people already in the database; licence numbers are unique and longer than the
demo's, so they never clash with it.
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

SHEET = "花名册"
HEADERS = (
    "姓名",
    "性别",
    "身份证号码",
    "出生日期",
    "民族",
    "手机号码",
    "人员类别",
    "所在机构",
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
    "执业范围",
)
DATE_COLUMNS = frozenset(
    HEADERS.index(name) for name in ("出生日期", "任职起始日期", "毕业时间", "职称取得时间")
)
DEFAULT_SEED = 20261122
# Licence serials start far above the demo's (a few thousand), and the numbers are longer.
LICENCE_SERIAL_START = 200_000
NURSING_SCOPE = "护理专业"


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yicai.settings")
    import django

    django.setup()


def _position(rng, draft) -> str:
    """The generator's post title, with some heads of department and head nurses."""
    pc, grade = draft.personnel_category, draft.grade
    if pc == "11" and grade in ("senior", "associate_senior") and draft.place.dept is not None:
        roll = rng.random()
        if roll < 0.12:
            return "科主任"
        if roll < 0.27:
            return "科副主任"
    senior_nurse = pc in ("21", "22") and grade in ("intermediate", "associate_senior", "senior")
    if senior_nurse and rng.random() < 0.08:
        return "护士长"
    return draft.position


def roster_rows(count: int, seed: int = DEFAULT_SEED) -> Iterator[list]:
    """`count` rows in HEADERS order; needs a migrated database with the demo district."""
    from django.utils import timezone

    from yicai.access import pii
    from yicai.demo.generate import Catalogue, Dice, Generator, pick
    from yicai.demo.seed import places
    from yicai.people.models import Licence, Person

    rng = Dice(seed)
    catalogue = Catalogue()
    name_of = catalogue.name_of
    found, weights = places()
    cumulative = list(itertools.accumulate(weights))
    last = len(found) - 1
    generator = Generator(rng, timezone.localdate(), catalogue, detail=True)
    taken = set(
        Person.objects.exclude(id_number_index=None).values_list("id_number_index", flat=True)
    )
    seen: set[str] = set()
    sex_names = {True: "男", False: "女"}
    practice = dict(Licence.PracticeCategory.choices)
    staff = str(Person.Category.STAFF.label)
    serial = itertools.count(LICENCE_SERIAL_START)
    for _ in range(count):
        place = found[min(pick(rng, cumulative), last)]
        draft = generator.draft(place)
        number = draft.id_number
        while number in seen or pii.blind_index(number) in taken:
            number = generator.identity.number(draft.area, draft.birth, draft.male)
        seen.add(number)
        # The highest education and the latest title, as profile_refresh picks them.
        level, degree, school, major, graduated, _full = min(draft.educations)
        title = max(draft.titles, key=lambda item: item[1]) if draft.titles else None
        licence = ["", "", ""]
        if draft.licence is not None:
            category, scope, issued, _expires = draft.licence
            if category == "9":
                licence_number = f"{issued:%Y}{draft.area[:2]}{next(serial):07d}"
                scope = scope or NURSING_SCOPE
            else:
                licence_number = f"{category}{issued:%Y}{place.unit.region}{next(serial):06d}"
            licence = [licence_number, str(practice[category]), scope]
        yield [
            draft.name,
            sex_names[draft.male],
            number,
            draft.birth,
            name_of[catalogue.id("ethnicity", draft.ethnicity)],
            draft.phone,
            staff,
            place.unit.name,
            place.dept.name if place.dept is not None else "",
            _position(rng, draft),
            draft.work_start,
            name_of[catalogue.id("education", level)],
            name_of[catalogue.id("degree", degree)] if degree else "",
            school,
            major,
            graduated,
            name_of[title[0]] if title else "",
            title[1] if title else None,
            *licence,
        ]


def write_roster(path: str | Path, count: int, seed: int = DEFAULT_SEED) -> int:
    """Write the roster with XlsxWriter; returns the number of rows. Not in constant-memory
    mode: that mode writes every string inline, while Excel and WPS keep a shared string table,
    which is what a hospital's roster file has (and what reads twice as fast)."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(
        str(path), {"strings_to_numbers": False, "strings_to_formulas": False}
    )
    sheet = workbook.add_worksheet(SHEET)
    bold = workbook.add_format({"bold": True})
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_row(0, 0, HEADERS, bold)
    sheet.freeze_panes(1, 0)
    for column, header in enumerate(HEADERS):
        width = 20 if header in ("身份证号码", "所在机构", "毕业院校", "执业证书编号") else 12
        sheet.set_column(column, column, width)
    written = 0
    for written, row in enumerate(roster_rows(count, seed), start=1):
        for column, value in enumerate(row):
            if value is None or value == "":
                continue
            if column in DATE_COLUMNS:
                sheet.write_datetime(written, column, value, date_format)
            else:
                sheet.write_string(written, column, value)
    workbook.close()
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.roster", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--out", required=True, help="the .xlsx file to write")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    options = parser.parse_args(argv)
    _setup_django()
    started = time.perf_counter()
    rows = write_roster(options.out, options.rows, options.seed)
    elapsed = time.perf_counter() - started
    size = Path(options.out).stat().st_size / 1e6
    print(f"{rows:,} rows -> {options.out} ({size:.1f} MB) in {elapsed:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
