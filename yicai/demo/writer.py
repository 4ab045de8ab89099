"""Write drafts as rows, fast: explicit primary keys, then executemany (SQLite) or COPY
(PostgreSQL) straight into the tables, skipping model instances and signals on purpose.

What the ORM would otherwise guarantee is done here and checked by the tests: identity numbers
unique against the batch and the database (keyed blind index), encrypted with
`yicai.access.pii`, and each person's summary columns set exactly as
`yicai.people.services.profile_refresh` computes them from the records written beside them.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence

from django.db import connection
from django.utils import timezone

from yicai.access import pii
from yicai.demo.generate import Catalogue, Draft, Identity
from yicai.demo.names import NameMaker
from yicai.people.models import Appointment, Education, Licence, Person, TalentTag, TitleRecord

PERSON_FIELDS = (
    "id",
    "name",
    "name_initials",
    "sex",
    "birth_date",
    "ethnicity",
    "id_number_cipher",
    "id_number_index",
    "id_number_last4",
    "phone_cipher",
    "phone_last4",
    "category",
    "source",
    "personnel_category",
    "institution",
    "department",
    "position",
    "highest_education",
    "current_title",
    "title_grade",
    "created_at",
    "updated_at",
)
APPOINTMENT_FIELDS = ("person", "institution", "department", "position", "start_on", "end_on")
TITLE_FIELDS = ("person", "title", "grade", "obtained_on", "appointed_on")
EDUCATION_FIELDS = ("person", "level", "degree", "school", "major", "graduated_on", "full_time")
LICENCE_FIELDS = (
    "person",
    "number",
    "category",
    "scope",
    "registered_institution",
    "issued_on",
    "expires_on",
)
TAG_FIELDS = ("person", "tag", "valid_from", "valid_to", "note")


def _iso(value):
    return value.isoformat() if value is not None else None


def _same(value):
    return value


class Writer:
    """Writes drafts; `write()` returns the number of rows written. Run inside a transaction:
    on SQLite the transaction's write lock is what keeps the allocated primary keys free."""

    def __init__(self, catalogue: Catalogue, identity: Identity, *, batch_size: int = 5000):
        if connection.vendor not in ("sqlite", "postgresql"):
            raise NotImplementedError(f"bulk writing is not supported on {connection.vendor}")
        self.catalogue = catalogue
        self.identity = identity
        self.batch_size = batch_size
        self.initials = NameMaker(identity.rng).initials
        self.sqlite = connection.vendor == "sqlite"
        self.date: Callable = _iso if self.sqlite else _same
        last = Licence.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        self._licence_serial = itertools.count(last + 1)

    # -- keys -----------------------------------------------------------------------------------
    def _unique_identities(self, drafts: Sequence[Draft]) -> list[str]:
        """Blind indexes of the drafts' numbers, redrawing any number already taken."""
        indexes = [pii.blind_index(draft.id_number) for draft in drafts]
        pending = list(range(len(drafts)))
        seen: set[str] = set()
        while pending:
            taken = self._taken([indexes[i] for i in pending])
            clashes = []
            for i in pending:
                if indexes[i] in taken or indexes[i] in seen:
                    clashes.append(i)
                else:
                    seen.add(indexes[i])
            for i in clashes:
                draft = drafts[i]
                draft.id_number = self.identity.number(draft.area, draft.birth, draft.male)
                indexes[i] = pii.blind_index(draft.id_number)
            pending = clashes
        return indexes

    def _taken(self, candidates: list[str]) -> set[str]:
        taken: set[str] = set()
        for start in range(0, len(candidates), 5000):
            chunk = candidates[start : start + 5000]
            if self.sqlite:
                taken.update(
                    Person.objects.filter(id_number_index__in=chunk).values_list(
                        "id_number_index", flat=True
                    )
                )
                continue
            with connection.cursor() as cursor:  # one array parameter, not 5,000
                cursor.execute(
                    f"SELECT id_number_index FROM {Person._meta.db_table} "  # noqa: S608
                    "WHERE id_number_index = ANY(%s)",
                    [chunk],
                )
                taken.update(row[0] for row in cursor.fetchall())
        return taken

    def _person_ids(self, count: int) -> list[int]:
        table = connection.ops.quote_name(Person._meta.db_table)
        with connection.cursor() as cursor:
            if self.sqlite:
                cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608
                highest = cursor.fetchone()[0]
                cursor.execute(
                    "SELECT seq FROM sqlite_sequence WHERE name = %s", [Person._meta.db_table]
                )
                row = cursor.fetchone()
                first = max(highest, row[0] if row else 0) + 1
                return list(range(first, first + count))
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [Person._meta.db_table, count],
            )
            return [row[0] for row in cursor.fetchall()]

    # -- rows -----------------------------------------------------------------------------------
    def write(self, drafts: Sequence[Draft]) -> int:
        code = self.catalogue.id
        grade_of = self.catalogue.grade_of
        date = self.date
        sex = {True: code("sex", "1"), False: code("sex", "2")}
        ethnicities: dict[str, int] = {}
        indexes = self._unique_identities(drafts)
        ids = self._person_ids(len(drafts))
        now = timezone.now()
        stamp = connection.ops.adapt_datetimefield_value(now) if self.sqlite else now
        encrypt, initials = pii.encrypt, self.initials
        people, appointments, titles, educations, licences, tags = [], [], [], [], [], []
        for draft, index, pk in zip(drafts, indexes, ids, strict=True):
            draft.pk = pk
            # The summary columns, as profile_refresh computes them.
            open_posts = [item for item in draft.appointments if item[4] is None]
            post = max(open_posts, key=lambda item: item[3]) if open_posts else None
            title = max(draft.titles, key=lambda item: item[1]) if draft.titles else None
            education = (
                min(draft.educations, key=lambda item: item[0]) if draft.educations else None
            )
            if post is None:
                post = (draft.place.institution_id, draft.place.department_id, draft.position)
            ethnicity = ethnicities.get(draft.ethnicity)
            if ethnicity is None:
                ethnicity = ethnicities[draft.ethnicity] = code("ethnicity", draft.ethnicity)
            people.append(
                (
                    pk,
                    draft.name,
                    initials(draft.name),
                    sex[draft.male],
                    date(draft.birth),
                    ethnicity,
                    encrypt(draft.id_number),
                    index,
                    draft.id_number[-4:],
                    encrypt(draft.phone),
                    draft.phone[-4:],
                    draft.category,
                    code("person_source", draft.source),
                    code("personnel_category", draft.personnel_category)
                    if draft.personnel_category
                    else None,
                    post[0],
                    post[1],
                    post[2],
                    code("education", education[0]) if education else None,
                    title[0] if title else None,
                    grade_of[title[0]] if title else "",
                    stamp,
                    stamp,
                )
            )
            for institution_id, department_id, position, start, end in draft.appointments:
                appointments.append(
                    (pk, institution_id, department_id, position, date(start), date(end))
                )
            for title_id, obtained, appointed in draft.titles:
                titles.append((pk, title_id, grade_of[title_id], date(obtained), date(appointed)))
            for level, degree, school, major, graduated, full_time in draft.educations:
                educations.append(
                    (
                        pk,
                        code("education", level),
                        code("degree", degree) if degree else None,
                        school,
                        major,
                        date(graduated),
                        full_time,
                    )
                )
            if draft.licence is not None:
                category, scope, issued, expires = draft.licence
                serial = next(self._licence_serial)
                number = (
                    f"{issued:%Y}31{serial:06d}"
                    if category == "9"
                    else f"{category}{issued:%Y}{draft.place.unit.region}{serial:04d}"
                )
                licences.append(
                    (
                        pk,
                        number,
                        category,
                        scope,
                        draft.place.institution_id,
                        date(issued),
                        date(expires),
                    )
                )
            for tag, valid_from, valid_to, note in draft.tags:
                tags.append((pk, code("talent_tag", tag), date(valid_from), date(valid_to), note))
        written = 0
        for model, fields, rows in (
            (Person, PERSON_FIELDS, people),
            (Appointment, APPOINTMENT_FIELDS, appointments),
            (TitleRecord, TITLE_FIELDS, titles),
            (Education, EDUCATION_FIELDS, educations),
            (Licence, LICENCE_FIELDS, licences),
            (TalentTag, TAG_FIELDS, tags),
        ):
            written += self._insert(model, fields, rows)
        return written

    def _insert(self, model, fields: Sequence[str], rows: list[tuple]) -> int:
        if not rows:
            return 0
        quote = connection.ops.quote_name
        table = quote(model._meta.db_table)
        columns = ", ".join(quote(model._meta.get_field(name).column) for name in fields)
        with connection.cursor() as cursor:
            if self.sqlite:
                marks = ", ".join(["%s"] * len(fields))
                sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608
                for start in range(0, len(rows), self.batch_size):
                    cursor.executemany(sql, rows[start : start + self.batch_size])
            else:
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
        return len(rows)
