"""The person list as spreadsheet rows: same scope as the page, identifiers masked, in the
columns of the roster template, so an exported sheet can be edited and imported back (a
masked identity number matches the person on file)."""

from django.db.models import Prefetch

from yicai.people.imports import COLUMNS
from yicai.people.models import Appointment, Education, Licence, TitleRecord

PERSON_HEADERS = [column.header for column in COLUMNS]


def _name(code) -> str:
    return code.name if code is not None else ""


def _first(records, field: str, value):
    """The record the profile shows: the latest (records come latest first, undated last)
    whose field is the profile's value."""
    return next((record for record in records if getattr(record, field) == value), None)


def person_rows(people):
    people = people.select_related(
        "sex",
        "ethnicity",
        "political_status",
        "staffing",
        "institution",
        "department",
        "personnel_category",
        "current_title",
        "highest_education",
        "source",
    ).prefetch_related(
        Prefetch("educations", queryset=Education.objects.select_related("level", "degree")),
        Prefetch("titles", queryset=TitleRecord.objects.all()),
        Prefetch("licences", queryset=Licence.objects.all()),
        Prefetch("appointments", queryset=Appointment.objects.filter(end_on__isnull=True)),
    )
    for person in people.iterator(chunk_size=2000):
        education = _first(person.educations.all(), "level_id", person.highest_education_id)
        title = _first(person.titles.all(), "title_id", person.current_title_id)
        licences = person.licences.all()
        licence = licences[0] if licences else None
        posts = person.appointments.all()
        post = posts[0] if posts else None
        values = {
            "name": person.name,
            "sex": _name(person.sex),
            "id_number": person.id_number_masked,
            "birth_date": person.birth_date,
            "ethnicity": _name(person.ethnicity),
            "political_status": _name(person.political_status),
            "phone": person.phone_masked,
            "category": person.get_category_display(),
            "staffing": _name(person.staffing),
            "institution": person.institution.name if person.institution else "",
            "department": person.department.name if person.department else "",
            "position": person.position,
            "work_start_on": person.work_start_on,
            "start_on": post.start_on if post else None,
            "education": _name(education.level) if education else _name(person.highest_education),
            "degree": _name(education.degree) if education else "",
            "school": education.school if education else "",
            "major": education.major if education else "",
            "graduated_on": education.graduated_on if education else None,
            "personnel_category": _name(person.personnel_category),
            "title": _name(person.current_title),
            "title_obtained_on": title.obtained_on if title else None,
            "licence_category": licence.get_category_display() if licence else "",
            "licence_number": licence.number if licence else "",
            "licence_scope": licence.scope if licence else "",
            "source": _name(person.source),
        }
        yield [values[column.key] for column in COLUMNS]
