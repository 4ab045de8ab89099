"""The column layouts bulk writers (`yicai seed`, the roster import) use for person tables.

A prepared person row holds PERSON_FIELDS without the leading id and the two trailing stamps;
a record row starts with the person's position in its batch, replaced by the id on writing.
"""

from yicai.people.models import Appointment, Education, Licence, TalentTag, TitleRecord

# Where the person works and what they hold, as lists show and filter on it: the summary the
# records keep up to date (people.services.profile_refresh); the API answers it too.
SUMMARY_FIELDS = (
    "institution",
    "department",
    "position",
    "highest_education",
    "current_title",
    "title_grade",
)
PERSON_FIELDS = (
    "id",
    "name",
    "name_initials",
    "name_pinyin",
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
    *SUMMARY_FIELDS,
    "practice_category",
    "political_status",
    "staffing",
    "work_start_on",
    "created_at",
    "updated_at",
)
CIPHER, INDEX, LAST4 = 6, 7, 8  # positions in a prepared person row (which has no id yet)
# Record rows start with the person's position in the batch; store() puts the id there.
RECORDS = (
    (Appointment, ("person", "institution", "department", "position", "start_on", "end_on")),
    (TitleRecord, ("person", "title", "grade", "obtained_on", "appointed_on")),
    (Education, ("person", "level", "degree", "school", "major", "graduated_on", "full_time")),
    (
        Licence,
        (
            "person",
            "number",
            "category",
            "scope",
            "registered_institution",
            "issued_on",
            "expires_on",
        ),
    ),
    (TalentTag, ("person", "tag", "valid_from", "valid_to", "note")),
)
