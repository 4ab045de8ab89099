"""Reads of person records, always scoped; shared by pages, exports and (later) the API."""

import datetime
import re
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Exists,
    F,
    Func,
    IntegerField,
    Model,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import Exact
from django.db.models.sql.compiler import SQLCompiler
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from yicai import pagination
from yicai.access import pii
from yicai.access.models import RequestUser, User
from yicai.access.scope import NOTHING, get_for, scoped
from yicai.codes.models import Code
from yicai.lookups import period_meets
from yicai.pagination import Sorted
from yicai.people import timeline
from yicai.people.identity import normalise
from yicai.people.models import (
    GRADE_RANK,
    Appointment,
    CorrectionRequest,
    Education,
    FirstCharacter,
    Licence,
    Person,
    TalentTag,
    TitleRecord,
)

AGE_BANDS = {
    "-30": (0, 29),
    "30-39": (30, 39),
    "40-49": (40, 49),
    "50-59": (50, 59),
    "60-": (60, 200),
}
AGE_BAND_LABELS = {
    "-30": _("30 岁以下"),
    "30-39": _("30–39 岁"),
    "40-49": _("40–49 岁"),
    "50-59": _("50–59 岁"),
    "60-": _("60 岁及以上"),
}
# Each ends in the id, so that pages by key (yicai.pagination) neither skip nor repeat a row;
# by name is by full pinyin ("chennan" before "chenpeng"), as people look names up.
SORTS = {
    "name": ("name_pinyin", "id"),
    "-name": ("-name_pinyin", "-id"),
    "birth": ("birth_date", "id"),
    "-birth": ("-birth_date", "-id"),
    "institution": ("institution__name", "name_pinyin", "id"),
    "title": ("title_grade", "name_pinyin", "id"),
}


@dataclass
class PersonFilter:
    q: str = ""
    institution: int | None = None
    department: int | None = None
    title_grade: str = ""
    education: int | None = None
    tag: int | None = None
    age_band: str = ""
    category: str = ""
    sex: int | None = None
    # 在岗日期: the people in post on that day, with the title, education, tag and age they
    # had then (`in_post_on` and the `*_on` reads below); None: the records as they stand.
    on: datetime.date | None = None
    incomplete: bool = False
    licence_expiring: bool = False
    sort: str = "name"


PERSON_OUT_OF_SCOPE = _("所选人员不存在或不在您的管辖范围内。")


def people_for(user: RequestUser, permission: str = "person.view") -> QuerySet[Person]:
    return scoped(user, Person.objects.all(), permission)


def tags_held_on(day: datetime.date) -> QuerySet[TalentTag]:
    """The talent tags held on `day`: granted on or before it, valid to it or open-ended."""
    return TalentTag.objects.filter(period_meets("valid_from", "valid_to", day, day))


def people_of(user: RequestUser, institution_id: int | None) -> QuerySet[Person]:
    """The people of an institution that the user may see (a discipline's lead is one); with
    no institution, the people who have none."""
    people = people_for(user)
    if institution_id is None:
        return people.filter(institution__isnull=True).order_by("name_initials")
    return people.filter(institution_id=institution_id).order_by("name_initials")


def person_for(user: RequestUser, pk: int | str, permission: str = "person.view") -> Person:
    return get_for(
        user,
        Person.objects.select_related(
            "sex",
            "ethnicity",
            "institution",
            "department",
            "current_title",
            "highest_education",
            "source",
            "personnel_category",
            "practice_category",
            "political_status",
            "staffing",
        ),
        pk,
        permission,
    )


# Each kind of a person's records as its pages and the API read it: the related rows shown
# with each record, and its many-valued relations.
RECORD_RELATED: dict[str, tuple[type[Model], tuple[str, ...]]] = {
    "educations": (Education, ("level", "degree")),
    "titles": (TitleRecord, ("title",)),
    "licences": (Licence, ("registered_institution",)),
    "appointments": (Appointment, ("institution", "department")),
    "tags": (TalentTag, ("tag",)),
}
RECORD_MANY: dict[str, tuple[str, ...]] = {"appointments": ("departments_in_charge",)}


def person_with_records(
    user: RequestUser, pk: int | str, permission: str = "person.view"
) -> Person:
    """One person with each kind of their records, read once each, through the scope (its
    `educations`, `titles`, ... are then read without a query)."""
    person = person_for(user, pk, permission)
    prefetch_related_objects(
        [person],
        *(
            Prefetch(
                name,
                scoped(
                    user, model._default_manager.select_related(*related), permission
                ).prefetch_related(*RECORD_MANY.get(name, ())),
            )
            for name, (model, related) in RECORD_RELATED.items()
        ),
    )
    return person


@dataclass
class Profile:
    """A person's record as their page shows it (个人多维动态信息库): the person, each kind of
    record latest first, what the records lack, and the timeline every app adds to."""

    person: Person
    educations: list[Education]
    titles: list[TitleRecord]
    licences: list[Licence]
    appointments: list[Appointment]
    tags: list[TalentTag]
    missing: list[str]
    events: list[timeline.Event]


def profile_for(user: RequestUser, pk: int | str, permission: str = "person.view") -> Profile:
    """The profile of a person the user may see (404 outside the scope, as the page): a
    query for the person and one per kind of record, whatever their number, and each
    timeline provider's."""
    person = person_with_records(user, pk, permission)
    return Profile(
        person=person,
        educations=list(person.educations.all()),
        titles=list(person.titles.all()),
        licences=list(person.licences.all()),
        appointments=list(person.appointments.all()),
        tags=list(person.tags.all()),
        missing=missing_parts(person),
        events=timeline.events_for(person),
    )


def birth_range(
    band: str, day: datetime.date | None = None
) -> tuple[datetime.date, datetime.date] | None:
    """The birth dates of the people of an age band on `day` (today by default)."""
    if band not in AGE_BANDS:
        return None
    youngest, oldest = AGE_BANDS[band]
    day = day or timezone.localdate()
    return _years_before(day, oldest + 1) + datetime.timedelta(days=1), _years_before(day, youngest)


# --- The records as they stood on a day ---------------------------------------------------
# One rule for every figure "as of" a day and the list of people behind it: a person is in
# post on a day when one of their appointments covers it (an appointment with no start date
# counts, as a roster without 任职起始日期 is still a post); their title grade then is the
# highest obtained by that day, their education the highest top level (GB/T 4658: 研究生教育
# 10 before 大学本科 20) graduated by then; a record without its date counts as held.


def in_post_on(
    day: datetime.date, *, institution: int | None = None, department: int | None = None
) -> Q:
    """A person with no appointment on file at all (a record typed in with only its post)
    counts at the post the profile names, as an undated appointment would."""
    posts = posts_on(day).filter(person=OuterRef("pk"))
    unrecorded = ~Q(Exists(Appointment.objects.filter(person=OuterRef("pk")))) & Q(
        institution__isnull=False
    )
    if institution is not None:
        posts = posts.filter(institution_id=institution)
        unrecorded &= Q(institution_id=institution)
    if department is not None:
        posts = posts.filter(department_id=department)
        unrecorded &= Q(department_id=department)
    return Q(Exists(posts)) | unrecorded


def posts_on(day: datetime.date) -> QuerySet[Appointment]:
    """The appointments that cover `day`."""
    return Appointment.objects.filter(
        Q(start_on__isnull=True) | Q(start_on__lte=day),
        Q(end_on__isnull=True) | Q(end_on__gte=day),
    )


_GRADE_RANK = Case(
    *(When(grade=grade, then=Value(rank)) for grade, rank in GRADE_RANK.items()),
    default=Value(0),
    output_field=IntegerField(),
)


def grade_on(day: datetime.date) -> Coalesce:
    """The person's highest title grade obtained by `day` ("" for none), to annotate."""
    held = (
        TitleRecord.objects.filter(person=OuterRef("pk"))
        .filter(Q(obtained_on__isnull=True) | Q(obtained_on__lte=day))
        .annotate(rank=_GRADE_RANK)
        .order_by("-rank")
        .values("grade")[:1]
    )
    return Coalesce(Subquery(held, output_field=CharField()), Value(""))


def education_on(day: datetime.date) -> Coalesce:
    """The top-level code of the person's highest education graduated by `day` ("" for
    none), to annotate."""
    held = (
        Education.objects.filter(person=OuterRef("pk"))
        .filter(Q(graduated_on__isnull=True) | Q(graduated_on__lte=day))
        .annotate(top=Coalesce("level__parent__code", "level__code"))
        .order_by("top")
        .values("top")[:1]
    )
    return Coalesce(Subquery(held, output_field=CharField()), Value(""))


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)


_LAST4 = re.compile(r"[0-9]{3}[0-9Xx]")
_ID_NUMBER = re.compile(r"[0-9]{17}[0-9Xx]")
# Letters a Han character's pinyin can start with: never i, u or v.
_INITIALS = set("abcdefghjklmnopqrstwxyz")


class NameHas(Func):
    """The name has `text` at its start, or after its first character.

    On PostgreSQL the GIN index `person_name_characters` (migration people 0001) answers it, on the
    name's characters with the first marked ("^王", "小", "明"), whatever the database's
    locale: trigrams would not do, as a name search is one to three characters, too short
    for a trigram, and a database whose LC_CTYPE is C makes no trigrams of Chinese at all.
    One later character is answered by the index exactly, and alone, so that the planner
    knows how common it is (华 is in one given name in thirty) and walks the name index for
    a page rather than sort thousands. On SQLite, which has no such index, it is a LIKE over
    the names, marked unlikely(): SQLite then reads the table once and looks up each
    match's institution, rather than every person of the scope's institutions by index."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, text: str, *, start: bool) -> None:
        super().__init__(F("name"))
        self.text, self.start = text, start

    def _like(self, name: str, connection: BaseDatabaseWrapper) -> tuple[str, str]:
        column = name if self.start else f"SUBSTR({name}, 2)"
        escaped = connection.ops.prep_for_like_query(self.text)
        return column, f"{escaped}%" if self.start else f"%{escaped}%"

    def as_sql(
        self,
        compiler: SQLCompiler,
        connection: BaseDatabaseWrapper,
        function: str | None = None,
        template: str | None = None,
        arg_joiner: str | None = None,
        **extra_context: Any,
    ) -> tuple[str, tuple[str | int, ...]]:
        name, params = compiler.compile(self.source_expressions[0])
        column, pattern = self._like(name, connection)
        return f"unlikely({column} LIKE %s ESCAPE '\\')", (*params, pattern)

    def as_postgresql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra_context: Any
    ) -> tuple[str, list[object]]:
        name, name_params = compiler.compile(self.source_expressions[0])
        text = self.text
        characters = [f"^{text[0]}", *text[1:]] if self.start else list(text)
        # Exactly the indexed expression, so that the planner matches it with the index.
        sql = (
            f"(ARRAY['^' || left({name}, 1)] || string_to_array(substr({name}, 2), NULL))"
            " @> %s::text[]"
        )
        # The characters are one array parameter.
        params: list[object] = [*name_params, *name_params, sorted(set(characters))]
        if len(text) > 1:  # the characters are there: together and in this order?
            column, pattern = self._like(name, connection)
            sql += f" AND {column}::text LIKE %s"
            params += [*name_params, pattern]
        return sql, params


def _successor(prefix: str) -> str | None:
    """The first string after every string that starts with `prefix` (lowercase letters), in
    any collation that sorts a to z in order: "wang" -> "wanh", "taz" -> "tb"."""
    stem = prefix.rstrip("z")
    return stem[:-1] + chr(ord(stem[-1]) + 1) if stem else None


def _starts(field: str, prefix: str) -> Q:
    """`field` (pinyin, lowercase letters) starts with `prefix`. Letters are searched as a
    range, which an ordinary index on `field` serves on SQLite and PostgreSQL alike, in any
    collation (LIKE needs a pattern-ops index on PostgreSQL, which cannot give the list its
    order), and which the planner estimates right (a LIKE beside it would halve and halve
    again its guess, and it would sort a common surname's 80,000 rows instead of walking)."""
    upper = _successor(prefix) if prefix.isascii() and prefix.isalpha() else None
    if upper is None:
        return Q(**{f"{field}__startswith": prefix})
    return Q(**{f"{field}__gte": prefix, f"{field}__lt": upper})


# How a part of a search is paged (yicai.pagination.keyset_page): WALK, by an index in name
# order, stopping after a page however many it matches; SORT, fetched and sorted, because
# its matches cluster where such a walk looks last (initials zw are 张w..., after every other
# 张), so a planner that guessed them spread out would read most of the table for a page;
# LATER (a later character of a name): walked on PostgreSQL, whose index counts the
# character exactly and so knows when a walk pays, sorted on SQLite, which has no index for
# it and would read every name in order to find a rare one.
WALK, SORT, LATER = "walk", "sort", "later"


def _name_parts(text: str) -> list[tuple[Q, str]]:
    """Names containing `text`, in two parts: names that start with it and names that have
    it further on. One character is a surname (王): the index on the first character and
    the pinyin walks in the list's order, however many people are called 王. Longer text is
    rare enough to find by the characters' index and sort."""
    later = Q(NameHas(text, start=False))
    if len(text) == 1:
        return [(Q(Exact(FirstCharacter("name"), text)), WALK), (later, LATER)]
    return [(Q(NameHas(text, start=True)), SORT), (later, SORT)]


def _letter_parts(letters: str) -> list[tuple[Q, str]]:
    """Full pinyin ("chen" finds 陈) and pinyin initials ("zw" finds 张伟); one letter is the
    same either way."""
    parts = [(_starts("name_pinyin", letters), WALK)]
    if len(letters) > 1 and set(letters) <= _INITIALS:
        parts.append((_starts("name_initials", letters), SORT))
    return parts


def _parts(text: str, identifiers: bool = True) -> list[tuple[Q, str]] | None:
    text = (text or "").strip()
    if not text:
        return None
    if not identifiers and (_LAST4.fullmatch(text) or _ID_NUMBER.fullmatch(text)):
        return [(NOTHING, SORT)]  # a number, where numbers may not be looked up
    if _LAST4.fullmatch(text):
        return [(Q(id_number_last4=text.upper()), SORT)]
    if _ID_NUMBER.fullmatch(text):
        return [(Q(id_number_index=pii.blind_index(normalise(text))), SORT)]
    if not text.isascii():
        return _name_parts(text)
    letters = text.lower().replace(" ", "")
    if letters.isalpha():
        return _letter_parts(letters)
    return [(Q(name__icontains=text), SORT)]


def name_match(text: str) -> Q:
    """A name or part of one, pinyin initials or full pinyin (FHIR's name search)."""
    text = text.strip()
    if text.isascii() and not text.replace(" ", "").isalpha():  # digits: not a name's
        return Q(name__icontains=text)
    return reduce(or_, (q for q, _kind in _parts(text) or []), Q())


def matching(
    queryset: QuerySet[Person], text: str, *, identifiers: bool = True
) -> QuerySet[Person]:
    """People whose name, pinyin initials, full pinyin ("chen" finds 陈), last four identity
    digits or whole identity number match what was typed: the one text search of the person
    list, the API, exports and the person pickers. For a page of them in list order, page
    over `matching_parts` (as `first_matches` does): each part is served by its own index,
    where a query over their union could not both find and order a common surname quickly.
    `identifiers=False` leaves the identity number out (a name or pinyin only)."""
    parts = _parts(text, identifiers)
    return queryset if parts is None else queryset.filter(reduce(or_, (q for q, _ in parts)))


def matching_parts(
    queryset: QuerySet[Person], text: str, *, identifiers: bool = True
) -> list[QuerySet[Person] | Sorted]:
    """The parts of `matching`, to page over with yicai.pagination.keyset_page."""
    parts = _parts(text, identifiers)
    if parts is None:
        return [queryset]
    sqlite = connections[queryset.db].vendor == "sqlite"
    return [
        queryset.filter(q)
        if kind == WALK or (kind == LATER and not sqlite)
        else Sorted(queryset.filter(q))
        for q, kind in parts
    ]


def first_matches(queryset: QuerySet[Person], text: str, limit: int = 20) -> list[Person]:
    """The first `limit` people matching `text` in name order: a picker's answer."""
    return pagination.keyset_page(
        matching(queryset, text), SORTS["name"], parts=matching_parts(queryset, text), size=limit
    ).rows


def incomplete() -> Q:
    """People with a record a roster left incomplete (an education without its school or
    graduation date, a title without the date it was obtained, a post without its start),
    for HR to complete."""
    educations = Education.objects.filter(Q(school="") | Q(graduated_on__isnull=True))
    titles = TitleRecord.objects.filter(obtained_on__isnull=True)
    posts = Appointment.objects.filter(start_on__isnull=True)
    return (
        Q(pk__in=educations.values("person_id"))
        | Q(pk__in=titles.values("person_id"))
        | Q(pk__in=posts.values("person_id"))
    )


# How far ahead a licence about to expire is flagged.
LICENCE_NOTICE_DAYS = 90


def licence_expiring() -> Q:
    """People with a practising licence that expires within LICENCE_NOTICE_DAYS (not one
    already expired: a renewed licence leaves its old record behind)."""
    today = timezone.localdate()
    soon = today + datetime.timedelta(days=LICENCE_NOTICE_DAYS)
    licences = Licence.objects.filter(expires_on__range=(today, soon))
    return Q(pk__in=licences.values("person_id"))


def missing_parts(person: Person) -> list[str]:
    """What the person's records lack, in words, for the person page."""
    missing = []
    for education in person.educations.all():
        parts = [
            str(label)
            for label, absent in (
                (gettext("毕业院校"), not education.school),
                (gettext("毕业时间"), not education.graduated_on),
            )
            if absent
        ]
        if parts:
            missing.append(
                gettext("学历“%(level)s”缺%(parts)s")
                % {"level": education.level, "parts": "、".join(parts)}
            )
    for title in person.titles.all():
        if not title.obtained_on:
            missing.append(gettext("职称“%s”缺取得时间") % title.title)
    for post in person.appointments.all():
        if not post.start_on:
            missing.append(gettext("任职“%s”缺起始日期") % post.institution)
    return missing


@dataclass
class Search:
    """The person list's matches: `parts` to page over (yicai.pagination.keyset_page), `rows`
    all of them in list order (exports stream them, counts count them)."""

    parts: list[QuerySet[Person] | Sorted]
    rows: QuerySet[Person]
    order: tuple[str, ...]


def search(user: RequestUser, criteria: PersonFilter, permission: str = "person.view") -> Search:
    queryset = people_for(user, permission).select_related(
        "sex", "institution", "department", "current_title", "highest_education"
    )
    day = criteria.on
    if day is not None:
        queryset = queryset.filter(
            in_post_on(day, institution=criteria.institution, department=criteria.department)
        )
    else:
        if criteria.institution:
            queryset = queryset.filter(institution_id=criteria.institution)
        if criteria.department:
            queryset = queryset.filter(department_id=criteria.department)
    if criteria.title_grade:
        if day is not None:
            queryset = queryset.alias(grade_then=grade_on(day)).filter(
                grade_then=criteria.title_grade
            )
        else:
            queryset = queryset.filter(title_grade=criteria.title_grade)
    if criteria.education:
        if day is not None:
            top = Code.objects.filter(pk=criteria.education).values(
                top=Coalesce("parent__code", "code")
            )
            queryset = queryset.alias(education_then=education_on(day)).filter(
                education_then=Subquery(top)
            )
        else:
            queryset = queryset.filter(
                Q(highest_education_id=criteria.education)
                | Q(highest_education__parent_id=criteria.education)
            )
    if criteria.tag:
        current = tags_held_on(day or timezone.localdate()).filter(tag_id=criteria.tag)
        queryset = queryset.filter(pk__in=current.values("person_id"))
    born = birth_range(criteria.age_band, day)
    if born:
        queryset = queryset.filter(birth_date__range=born)
    if criteria.category:
        queryset = queryset.filter(category=criteria.category)
    if criteria.sex:
        queryset = queryset.filter(sex_id=criteria.sex)
    if criteria.incomplete:
        queryset = queryset.filter(incomplete())
    if criteria.licence_expiring:
        queryset = queryset.filter(licence_expiring())
    order = SORTS.get(criteria.sort, SORTS["name"])
    return Search(
        parts=matching_parts(queryset, criteria.q),
        rows=matching(queryset, criteria.q).order_by(*order),
        order=order,
    )


def search_people(
    user: RequestUser, criteria: PersonFilter, permission: str = "person.view"
) -> QuerySet[Person]:
    """Every person the list's criteria match, in list order."""
    return search(user, criteria, permission).rows


# Correction requests (PIPL art. 46): HR resolves those of the people it may edit; a person
# sees the ones about their own record.
def _corrections() -> QuerySet[CorrectionRequest]:
    return CorrectionRequest.objects.select_related(
        "person__institution", "requested_by", "resolved_by"
    )


def corrections_to_resolve(user: RequestUser, status: str = "") -> QuerySet[CorrectionRequest]:
    rows = scoped(user, _corrections(), "person.edit")
    return rows.filter(status=status) if status else rows


def corrections_of_own(user: RequestUser) -> QuerySet[CorrectionRequest]:
    if not isinstance(user, User) or user.person_id is None:
        return CorrectionRequest.objects.none()
    return _corrections().filter(person_id=user.person_id)


def correction_for(user: RequestUser, pk: int | str) -> CorrectionRequest:
    """One request, for HR who may resolve it or for the person it is about; 404 for anyone
    else, so another institution's requests are not confirmed."""
    person_id = user.person_id if isinstance(user, User) else None
    own = Q(person_id=person_id) if person_id is not None else NOTHING
    visible = _corrections().filter(Q(pk__in=corrections_to_resolve(user).values("pk")) | own)
    try:
        return visible.get(pk=pk)
    except (CorrectionRequest.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
