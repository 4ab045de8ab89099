"""Write drafts as rows, fast: explicit primary keys, then multi-row INSERTs (SQLite) or COPY
(PostgreSQL) straight into the tables, skipping model instances and signals on purpose.

Two steps, so `yicai seed` can prepare batches in other processes while the database stores
the current one: `Preparer.prepare()` is pure Python (summary columns, pinyin initials,
encryption, blind indexes) and touches no database; `Writer.store()` runs on the caller's
connection and transaction.

What the ORM would otherwise guarantee is done here and checked by the tests: identity numbers
unique against the batch and the database (keyed blind index), encrypted with
`yicai.access.pii`, and each person's summary columns set exactly as
`yicai.people.services.profile_refresh` computes them from the records written beside them.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.db import connection
from django.utils import timezone

from yicai.access import pii
from yicai.demo.generate import Catalogue, Dice, Draft, Identity
from yicai.demo.names import NameMaker
from yicai.exchange.bulk import BulkWriter
from yicai.people.models import Licence, Person
from yicai.people.rows import CIPHER, INDEX, LAST4, PERSON_FIELDS, RECORDS

# Practice categories of doctors' licences (a nurse's registration, "9", has none).
PRACTICES = {"1", "2", "3", "4"}


def _iso(value):
    return value.isoformat() if value is not None else None


def _same(value):
    return value


@dataclass
class Batch:
    people: list[tuple] = field(default_factory=list)
    # (area, birth, male) of each person, to draw a new number when theirs is taken
    identities: list[tuple] = field(default_factory=list)
    records: list[list[tuple]] = field(default_factory=lambda: [[] for _ in RECORDS])


class Preparer:
    """Lays drafts out as rows; pure Python, so it can run in another process."""

    def __init__(self, catalogue: Catalogue, *, sqlite: bool, licence_start: int = 1):
        self.catalogue = catalogue
        self.date: Callable = _iso if sqlite else _same
        names = NameMaker(Dice(0))
        self.initials, self.pinyin = names.initials, names.pinyin
        self._licence_serial = itertools.count(licence_start)

    # -- prepare: no database -------------------------------------------------------------------
    def prepare(self, drafts: Sequence[Draft]) -> Batch:
        code = self.catalogue.id
        grade_of = self.catalogue.grade_of
        date = self.date
        sex = {True: code("sex", "1"), False: code("sex", "2")}
        encrypt, blind_index, initials = pii.encrypt, pii.blind_index, self.initials
        pinyin = self.pinyin
        batch = Batch()
        appointments, titles, educations, licences, tags = batch.records
        for local, draft in enumerate(drafts):
            # The summary columns, as profile_refresh computes them.
            open_posts = [item for item in draft.appointments if item[4] is None]
            # (institution id, department id, position) of the latest open post.
            post: tuple[int, int | None, str] = (
                max(open_posts, key=lambda item: item[3])[:3]
                if open_posts
                else (draft.place.institution_id, draft.place.department_id, draft.position)
            )
            title = max(draft.titles, key=lambda item: item[1]) if draft.titles else None
            education = min(draft.educations, key=lambda item: item[0], default=None)
            category = draft.personnel_category
            practice = draft.licence[0] if draft.licence else None
            batch.people.append(
                (
                    draft.name,
                    initials(draft.name),
                    pinyin(draft.name),
                    sex[draft.male],
                    date(draft.birth),
                    code("ethnicity", draft.ethnicity),
                    encrypt(draft.id_number),
                    blind_index(draft.id_number),
                    draft.id_number[-4:],
                    encrypt(draft.phone),
                    draft.phone[-4:],
                    draft.category,
                    code("person_source", draft.source),
                    code("personnel_category", category) if category else None,
                    post[0],
                    post[1],
                    post[2],
                    code("education", education[0]) if education else None,
                    title[0] if title else None,
                    grade_of[title[0]] if title else "",
                    code("practice_category", practice) if practice in PRACTICES else None,
                    code("political_status", draft.political_status)
                    if draft.political_status
                    else None,
                    code("staffing", draft.staffing) if draft.staffing else None,
                    date(draft.work_start),
                )
            )
            batch.identities.append((draft.area, draft.birth, draft.male))
            for institution_id, department_id, position, start, end in draft.appointments:
                appointments.append(
                    (local, institution_id, department_id, position, date(start), date(end))
                )
            for title_id, obtained, appointed in draft.titles:
                titles.append(
                    (local, title_id, grade_of[title_id], date(obtained), date(appointed))
                )
            for level, degree, school, major, graduated, full_time in draft.educations:
                educations.append(
                    (
                        local,
                        code("education", level),
                        code("degree", degree) if degree else None,
                        school,
                        major,
                        date(graduated),
                        full_time,
                    )
                )
            if draft.licence is not None:
                practice, scope, issued, expires = draft.licence
                serial = next(self._licence_serial)
                number = (
                    f"{issued:%Y}31{serial:06d}"
                    if practice == "9"
                    else f"{practice}{issued:%Y}{draft.place.unit.region}{serial:04d}"
                )
                licences.append(
                    (
                        local,
                        number,
                        practice,
                        scope,
                        draft.place.institution_id,
                        date(issued),
                        date(expires),
                    )
                )
            for tag, valid_from, valid_to, note in draft.tags:
                tags.append(
                    (local, code("talent_tag", tag), date(valid_from), date(valid_to), note)
                )
        return batch


class Writer:
    """Stores prepared batches. Store inside a transaction: on SQLite the transaction's write
    lock is what keeps the allocated primary keys free."""

    def __init__(self, catalogue: Catalogue, *, batch_size: int = 5000, seed=None):
        self.bulk = BulkWriter(batch_size=batch_size)
        self.sqlite = self.bulk.sqlite
        # Redraws taken identity numbers; its own random source, apart from the generator's.
        self.identity = Identity(Dice(seed))
        last = Licence.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        self.preparer = Preparer(catalogue, sqlite=self.sqlite, licence_start=last + 1)

    def write(self, drafts: Sequence[Draft]) -> int:
        """Prepare and store; sets each draft's pk. Returns the number of rows written."""
        rows, ids = self.store(self.preparer.prepare(drafts))
        for draft, pk in zip(drafts, ids, strict=True):
            draft.pk = pk
        return rows

    # -- store: the database --------------------------------------------------------------------
    def store(self, batch: Batch) -> tuple[int, list[int]]:
        """Write a prepared batch; returns the number of rows and the people's ids."""
        self._make_unique(batch)
        ids = self.bulk.allocate_ids(Person, len(batch.people))
        now = timezone.now()
        stamp = connection.ops.adapt_datetimefield_value(now) if self.sqlite else now
        written = self._insert(
            Person,
            PERSON_FIELDS,
            [(pk, *row, stamp, stamp) for pk, row in zip(ids, batch.people, strict=True)],
        )
        for (model, fields), rows in zip(RECORDS, batch.records, strict=True):
            written += self._insert(model, fields, [(ids[row[0]], *row[1:]) for row in rows])
        return written, ids

    def _make_unique(self, batch: Batch) -> None:
        """Draw new numbers for anyone whose number the batch or the database already has."""
        pending = list(range(len(batch.people)))
        seen: set[str] = set()
        while pending:
            taken = self._taken([batch.people[i][INDEX] for i in pending])
            clashes = []
            for i in pending:
                index = batch.people[i][INDEX]
                if index in taken or index in seen:
                    clashes.append(i)
                else:
                    seen.add(index)
            for i in clashes:
                number = self.identity.number(*batch.identities[i])
                row = list(batch.people[i])
                row[CIPHER], row[INDEX] = pii.encrypt(number), pii.blind_index(number)
                row[LAST4] = number[-4:]
                batch.people[i] = tuple(row)
            pending = clashes

    def _taken(self, candidates: list[str]) -> set[str]:
        return set(self.bulk.existing(Person, "id_number_index", candidates))

    def _insert(self, model, fields: Sequence[str], rows: list[tuple]) -> int:
        return self.bulk.insert(model, fields, rows)
