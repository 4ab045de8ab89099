"""Export people the way the people list does, into a temporary file, and time it.

    DJANGO_SETTINGS_MODULE=yicai.settings python -m bench.export [--rows 100000] [--format xlsx]

The rows are the list's own: `queries.search_people` for the demo's commission officer (scope:
the whole region, as the export button runs it) with no filter, cut to the first --rows
people in the list's order, turned into cells by `yicai.people.exports.person_rows`, then
written with `yicai.xlsx.write_xlsx` (XlsxWriter, constant memory) or, for
--format csv, `yicai.exports.iter_csv` when that module has it. The audit entry the
view writes is left out. Prints rows, seconds, file size and this process's peak RSS.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time

EXPORT_USER = "commission"  # the demo's commission officer


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yicai.settings")
    import django

    django.setup()


def csv_writer():
    """yicai.exchange's CSV writer, or None before it exists."""
    try:
        from yicai.exports import iter_csv
    except ImportError:
        return None
    return iter_csv


def export(rows: int, fmt: str) -> tuple[int, int]:
    """Write the export to a temporary file; returns (rows written, bytes)."""
    from django.utils import translation

    from yicai.access.models import User
    from yicai.people import exports, queries
    from yicai.xlsx import write_xlsx

    translation.activate("zh-hans")
    user = User.objects.get(username=EXPORT_USER)
    people = queries.search_people(user, queries.PersonFilter(), "person.export")[:rows]
    cells = exports.person_rows(people)
    with tempfile.TemporaryFile() as handle:
        if fmt == "xlsx":
            written = write_xlsx(handle, "人才档案", exports.PERSON_HEADERS, cells)
        else:
            iter_csv = csv_writer()
            if iter_csv is None:
                raise SystemExit("no CSV export in yicai.exchange yet")
            counted = _Counter(cells)
            for piece in iter_csv(exports.PERSON_HEADERS, counted):
                handle.write(piece)
            written = counted.count
        handle.flush()
        return written, handle.tell()


class _Counter:
    def __init__(self, rows):
        self.rows = rows
        self.count = 0

    def __iter__(self):
        for row in self.rows:
            self.count += 1
            yield row


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.export", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--format", choices=("xlsx", "csv"), default="xlsx")
    options = parser.parse_args(argv)
    _setup_django()
    from django.conf import settings

    settings.DEBUG = False  # no query log
    started = time.perf_counter()
    written, size = export(options.rows, options.format)
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{options.format}: {written:,} rows, {size / 1e6:.1f} MB in {elapsed:.1f} s; "
        f"peak RSS {peak:.0f} MB"
    )
    if written < options.rows:
        print(f"only {written:,} people to export (asked for {options.rows:,})", file=sys.stderr)


if __name__ == "__main__":
    main()
