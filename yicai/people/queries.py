"""Reads of person records, always scoped; shared by pages, exports and (later) the API."""

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from yicai.access import pii
from yicai.access.scope import get_for, scoped
from yicai.people.models import Appointment, Education, Person, TalentTag, TitleRecord

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
SORTS = {
    "name": ("name_initials", "id"),
    "-name": ("-name_initials", "-id"),
    "birth": ("birth_date", "id"),
    "-birth": ("-birth_date", "-id"),
    "institution": ("institution__name", "name_initials", "id"),
    "title": ("title_grade", "name_initials", "id"),
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
    incomplete: bool = False
    sort: str = "name"


def people_for(user, permission: str = "person.view") -> QuerySet[Person]:
    return scoped(user, Person.objects.all(), permission)


def person_for(user, pk, permission: str = "person.view") -> Person:
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


def birth_range(band: str) -> tuple[datetime.date, datetime.date] | None:
    if band not in AGE_BANDS:
        return None
    youngest, oldest = AGE_BANDS[band]
    today = timezone.localdate()
    return _years_before(today, oldest + 1) + datetime.timedelta(days=1), _years_before(
        today, youngest
    )


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)


def matching(queryset: QuerySet[Person], text: str) -> QuerySet[Person]:
    """People whose name, pinyin initials, full pinyin ("chen" finds 陈), last four identity
    digits or whole identity number match what was typed: the one text search of the person
    list, the API and the person pickers."""
    text = (text or "").strip()
    if not text:
        return queryset
    lowered = text.lower()
    match = (
        Q(name__icontains=text)
        | Q(name_initials__startswith=lowered)
        | Q(name_pinyin__startswith=lowered.replace(" ", ""))
    )
    if len(text) == 4 and text[:3].isdigit():  # last four digits, maybe ending in X
        match |= Q(id_number_last4=text.upper())
    if len(text) == 18:
        match |= Q(id_number_index=pii.blind_index(text))
    return queryset.filter(match)


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


def search_people(user, criteria: PersonFilter, permission: str = "person.view"):
    queryset = people_for(user, permission).select_related(
        "sex", "institution", "department", "current_title", "highest_education"
    )
    queryset = matching(queryset, criteria.q)
    if criteria.institution:
        queryset = queryset.filter(institution_id=criteria.institution)
    if criteria.department:
        queryset = queryset.filter(department_id=criteria.department)
    if criteria.title_grade:
        queryset = queryset.filter(title_grade=criteria.title_grade)
    if criteria.education:
        queryset = queryset.filter(
            Q(highest_education_id=criteria.education)
            | Q(highest_education__parent_id=criteria.education)
        )
    if criteria.tag:
        today = timezone.localdate()
        current = TalentTag.objects.filter(tag_id=criteria.tag, valid_from__lte=today).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=today)
        )
        queryset = queryset.filter(pk__in=current.values("person_id"))
    born = birth_range(criteria.age_band)
    if born:
        queryset = queryset.filter(birth_date__range=born)
    if criteria.category:
        queryset = queryset.filter(category=criteria.category)
    if criteria.incomplete:
        queryset = queryset.filter(incomplete())
    return queryset.order_by(*SORTS.get(criteria.sort, SORTS["name"]))
