"""The process test_import_kill.py kills: a real `yicai import people FILE --commit` against
its own database, which stops itself (SIGSTOP) right after the first people are written,
inside the commit's transaction, so the test can kill it at that exact point.

    python -m tests.exchange.kill_child prepare DIR   # migrate, one person, a roster file
    python -m tests.exchange.kill_child import DIR    # the import that stops itself
    python -m tests.exchange.kill_child count         # row counts, as JSON
"""

import datetime
import json
import os
import signal
import sys
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yicai.settings")
django.setup()

from django.core.management import call_command  # noqa: E402

from yicai.exchange.bulk import BulkWriter  # noqa: E402
from yicai.people.models import Appointment, Education, Licence, Person, TitleRecord  # noqa: E402

ROWS = 3000
MODELS = (Person, Appointment, Education, TitleRecord, Licence)


def prepare(folder: Path) -> None:
    call_command("migrate", verbosity=0)
    from tests import factories
    from tests.exchange import importing

    institution = factories.institution("甲区中心医院")
    factories.department(institution, "心血管内科")
    factories.person(institution, "原有一人")
    rows = [
        importing.person_row(
            f"导入{i}", birth=datetime.date(1970, 1, 1) + datetime.timedelta(days=i)
        )
        for i in range(ROWS)
    ]
    for cells in rows:
        cells["所在机构"] = institution.name
    upload = importing.xlsx(rows, headers=["所在机构", *importing.HEADERS])
    (folder / "roster.xlsx").write_bytes(upload.read())


def stop_after_people(folder: Path) -> None:
    original = BulkWriter.insert

    def insert(self, model, fields, rows):
        written = original(self, model, fields, rows)
        if model is Person:
            (folder / "stopped").write_text(str(Person.objects.count()))
            os.kill(os.getpid(), signal.SIGSTOP)  # the test kills us here
        return written

    BulkWriter.insert = insert
    call_command("import", "people", str(folder / "roster.xlsx"), "--commit")


def count() -> None:
    print(json.dumps({model.__name__: model.objects.count() for model in MODELS}))


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "prepare":
        prepare(Path(sys.argv[2]))
    elif command == "import":
        stop_after_people(Path(sys.argv[2]))
    else:
        count()
