"""The national table's reads, always scoped: the people on file on a day (those the user may
see, through `people.queries.people_for`, whose post was there that day), their rows in the
table's columns, and the check of the required columns each leaves empty.

A person is on file on a day when one of their posts (任职经历) was there, at an institution the
user makes the table of: begun on or before it (or of an unknown start) and not ended before
it; the table places them at that post's institution and department. Their education, titles
and licences count as held when obtained on or before the day (an undated one as held), a
licence while in force. As everywhere, scope
follows the person's current institution: a person who has since moved out of the user's
scope is not in their table (evaluation's yearly staff counts read people alike).

Each chunk of people costs five queries (the people, then their posts, educations, titles and
licences), so the query count does not grow with the people until a chunk is full.
"""

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import BooleanField, Exists, OuterRef, Prefetch, Q, QuerySet, Value

from yicai.access.models import RequestUser
from yicai.access.scope import has_perm
from yicai.insights.declarations import NATIONAL_TABLE
from yicai.insights.national import table
from yicai.org.models import Institution
from yicai.org.queries import institutions_for
from yicai.people.models import Appointment, Education, Licence, Person, TitleRecord
from yicai.people.queries import people_for

PERMISSION = NATIONAL_TABLE
REVEAL, REVEAL_PHONE = "person.reveal", "person.reveal_phone"
CHUNK = 2000


def _on(start: str, end: str | None, day: datetime.date) -> Q:
    """Begun on or before `day` (or undated), and, with an `end`, not ended before it."""
    held = Q(**{f"{start}__isnull": True}) | Q(**{f"{start}__lte": day})
    if end is not None:
        held &= Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": day})
    return held


def posts_on(
    user: RequestUser,
    day: datetime.date,
    institution: Institution | None = None,
    permission: str = PERMISSION,
) -> QuerySet[Appointment]:
    """The posts that were there on `day` at an institution the user may make the table of
    (`institution`, when given): a person who was elsewhere then is in that institution's
    table, not in their current one's."""
    posts = Appointment.objects.filter(
        _on("start_on", "end_on", day),
        institution__in=institutions_for(user, permission).values("pk"),
    )
    return posts.filter(institution=institution) if institution is not None else posts


def _may(user: RequestUser, permission: str, allowed: bool) -> Exists | Value:
    """Whether the user may read each person's number in full: only where asked for, and
    only of the people their `permission` reaches."""
    if not allowed or not has_perm(user, permission):
        return Value(False, output_field=BooleanField())
    return Exists(people_for(user, permission).filter(pk=OuterRef("pk")))


def people_on_file(
    user: RequestUser,
    *,
    as_of: datetime.date,
    institution: Institution | None = None,
    permission: str = PERMISSION,
    full_numbers: bool = False,
) -> QuerySet[Person]:
    """The staff the user may see with `permission` who had a post there on `as_of`, by name,
    with the records in force that day prefetched (`posts_then`, `educations_then`,
    `titles_then`, `licences_then`) and whether their identity and phone numbers may be read
    in full (`full_id`, `full_phone`: only with `full_numbers`, and the reveal permissions)."""
    posts = posts_on(user, as_of, institution, permission)
    return (
        people_for(user, permission)
        .filter(category=Person.Category.STAFF, pk__in=posts.values("person_id"))
        .select_related("sex", "ethnicity", "personnel_category", "practice_category", "staffing")
        .prefetch_related(
            Prefetch(
                "appointments",
                posts.select_related("institution", "department"),
                to_attr="posts_then",
            ),
            Prefetch(
                "educations",
                Education.objects.filter(_on("graduated_on", None, as_of)).select_related(
                    "level", "degree"
                ),
                to_attr="educations_then",
            ),
            Prefetch(
                "titles",
                TitleRecord.objects.filter(_on("obtained_on", None, as_of)).select_related("title"),
                to_attr="titles_then",
            ),
            Prefetch(
                "licences",
                Licence.objects.filter(_on("issued_on", "expires_on", as_of)),
                to_attr="licences_then",
            ),
        )
        .annotate(
            full_id=_may(user, REVEAL, full_numbers),
            full_phone=_may(user, REVEAL_PHONE, full_numbers),
        )
        .order_by("name_pinyin", "id")
    )


def _held(person: Any, day: datetime.date) -> table.Held | None:
    return table.held_on(
        person,
        person.posts_then,
        person.educations_then,
        person.titles_then,
        person.licences_then,
        day=day,
        id_number=person.id_number if person.full_id else person.id_number_masked,
        phone=person.phone if person.full_phone else person.phone_masked,
    )


def table_rows(people: QuerySet[Person], as_of: datetime.date) -> Iterator[table.Row]:
    """The rows of `people_on_file(..., as_of=as_of)`, read a chunk at a time."""
    for person in people.iterator(chunk_size=CHUNK):
        held = _held(person, as_of)
        if held is not None:
            yield table.row_of(held)


def rows(
    user: RequestUser,
    *,
    as_of: datetime.date,
    institution: Institution | None = None,
    permission: str = PERMISSION,
    full_numbers: bool = False,
) -> Iterator[table.Row]:
    """The table's rows for the user's people on file on `as_of`."""
    people = people_on_file(
        user,
        as_of=as_of,
        institution=institution,
        permission=permission,
        full_numbers=full_numbers,
    )
    return table_rows(people, as_of)


@dataclass
class Check:
    """The check of a day's table: how many people are on file, how many lack each required
    column, and the people who lack any (or, with a column chosen, that one), by name."""

    as_of: datetime.date
    on_file: int = 0
    lacking_any: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    lacking: list[table.Row] = field(default_factory=list)

    @property
    def complete(self) -> int:
        return self.on_file - self.lacking_any

    def figures(self) -> list[tuple[table.Column, int]]:
        """Each checked column with the number of people who lack it, in the table's order."""
        return [(column, self.counts[column.key]) for column in table.CHECKED]


def check_of(rows: Iterable[table.Row], as_of: datetime.date, column: str = "") -> Check:
    result = Check(as_of, counts={c.key: 0 for c in table.CHECKED})
    for row in rows:
        result.on_file += 1
        if not row.missing:
            continue
        result.lacking_any += 1
        keys = {c.key for c in row.missing}
        for key in keys:
            result.counts[key] += 1
        if not column or column in keys:
            result.lacking.append(row)
    return result


def check(
    user: RequestUser,
    *,
    as_of: datetime.date,
    institution: Institution | None = None,
    column: str = "",
    permission: str = PERMISSION,
) -> Check:
    """The check of the user's table on `as_of`: every person on file read once."""
    return check_of(
        rows(user, as_of=as_of, institution=institution, permission=permission), as_of, column
    )
