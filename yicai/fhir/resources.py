"""Yicai records as FHIR R4 resources: Practitioner, PractitionerRole, Organization.

Plain dictionaries in FHIR JSON form; the views in `yicai.fhir.views` load the rows (scoped) and
call these. Decisions, kept in one place so every resource says the same thing:

- Identity numbers never leave in full. A person's resident identity number is one
  identifier, system `RESIDENT_ID_SYSTEM`, whose value is always the masked form
  (`**************123X`, the same as on screen and in exports); the resource then carries the
  HL7 security label MASKED in `meta.security`. A Yicai URI is used rather than a national
  OID so that no consumer mistakes the masked value for a real number under a national system.
  A search may send a full 18-digit number (bare, or with this system): it is matched through
  the blind index and never echoed; a Bundle's paging links carry the keyed blind index
  instead (system `RESIDENT_ID_INDEX_SYSTEM`), which finds the same person on the next page.
- Practising licences (执业证书) are identifiers (`LICENCE_SYSTEM`, type LN) and also
  qualifications, with the practice category, period and registering institution.
- Titles (GB/T 8561) and education (GB/T 4658) are qualifications coded in Yicai's copies of
  those national tables (`codesystem(table_key)`).
- Organization is an institution only. Departments are not separate resources: an
  appointment's department is its PractitionerRole.specialty (department code system, the
  department's id and name), its post is PractitionerRole.code.
- Names: `text` is the whole name; `family` is the first character, or the first two for a
  well-known compound surname (欧阳, 司马, 诸葛, ...); `given` is the rest. Names with a middle
  dot (minority transliterations) or Latin letters get `text` only.
"""

import datetime
from collections.abc import Iterable
from typing import Any, TypeAlias

from django.utils import timezone
from django.utils.translation import gettext as _

from yicai.codes.models import Code
from yicai.org.models import Institution, Region
from yicai.people.models import Appointment, Licence, Person

# A resource, or a member of one, as the JSON it is sent as.
Json: TypeAlias = dict[str, Any]

FHIR_VERSION = "4.0.1"
MEDIA_TYPE = "application/fhir+json"

_BASE = "urn:yicai"
RESIDENT_ID_SYSTEM = f"{_BASE}:identifier:resident-id"
RESIDENT_ID_INDEX_SYSTEM = f"{_BASE}:identifier:resident-id-index"
LICENCE_SYSTEM = f"{_BASE}:identifier:practitioner-licence"
APPOINTMENT_SYSTEM = f"{_BASE}:identifier:appointment"
INSTITUTION_CODE_SYSTEM = f"{_BASE}:identifier:institution-code"
DEPARTMENT_SYSTEM = f"{_BASE}:codesystem:department"
LICENCE_CATEGORY_SYSTEM = f"{_BASE}:codesystem:licence-category"
INSTITUTION_KIND_SYSTEM = f"{_BASE}:codesystem:institution-kind"
V2_IDENTIFIER_TYPE = "http://terminology.hl7.org/CodeSystem/v2-0203"
V3_OBSERVATION_VALUE = "http://terminology.hl7.org/CodeSystem/v3-ObservationValue"
ORGANIZATION_TYPE = "http://terminology.hl7.org/CodeSystem/organization-type"

MASKED = {"system": V3_OBSERVATION_VALUE, "code": "MASKED", "display": "masked"}

# GB/T 2261.1 sex code -> FHIR AdministrativeGender.
GENDERS = {"1": "male", "2": "female"}

# Well-known two-character (复姓) surnames, from the 百家姓.
_COMPOUND_SURNAMES = (
    "欧阳司马诸葛上官东方皇甫尉迟公孙慕容令狐长孙宇文司徒司空夏侯轩辕"
    "端木独孤南宫西门呼延万俟闻人赫连澹台太史申屠钟离宗政濮阳淳于公冶"
    "太叔仲孙鲜于闾丘百里东郭第五拓跋左丘梁丘谷梁乐正漆雕巫马"
)
COMPOUND_SURNAMES = frozenset(
    _COMPOUND_SURNAMES[i : i + 2] for i in range(0, len(_COMPOUND_SURNAMES), 2)
)


def codesystem(table_key: str) -> str:
    """The code system URI of one of Yicai's code tables (GB/T 8561 titles, ...)."""
    return f"{_BASE}:codesystem:{table_key}"


def split_name(name: str) -> Json:
    """A Chinese personal name as a FHIR HumanName."""
    name = (name or "").strip()
    human: Json = {"use": "official", "text": name}
    if len(name) < 2 or not all("\u4e00" <= char <= "\u9fff" for char in name):
        return human
    surname_length = 2 if name[:2] in COMPOUND_SURNAMES and len(name) > 2 else 1
    human["family"] = name[:surname_length]
    human["given"] = [name[surname_length:]]
    return human


def gender(sex_code: str | None) -> str:
    return GENDERS.get(sex_code or "", "unknown")


def reference(resource_type: str, pk: object, display: str = "") -> Json:
    ref = {"reference": f"{resource_type}/{pk}"}
    if display:
        ref["display"] = display
    return ref


def _date(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def _period(start: datetime.date | None, end: datetime.date | None) -> Json | None:
    period = {key: _date(value) for key, value in (("start", start), ("end", end)) if value}
    return period or None


def _code(table_key: str, code: Code) -> Json:
    return {
        "coding": [{"system": codesystem(table_key), "code": code.code, "display": code.name}],
        "text": code.name,
    }


def _compact(resource: Json) -> Json:
    """Drop empty members: FHIR forbids empty strings, lists and objects."""
    return {key: value for key, value in resource.items() if value not in (None, "", [], {})}


# --- Practitioner -------------------------------------------------------------------------


def practitioner(person: Person) -> Json:
    """A person as a Practitioner. Expects `sex` loaded and `titles__title`,
    `educations__level`, `educations__degree` and `licences` prefetched."""
    identifiers: list[Json] = []
    masked = person.id_number_masked
    if masked:
        identifiers.append(
            {
                "use": "official",
                "type": {"text": _("居民身份证号（脱敏）")},
                "system": RESIDENT_ID_SYSTEM,
                "value": masked,
            }
        )
    licences = sorted(person.licences.all(), key=lambda licence: (licence.category, licence.pk))
    for licence in licences:
        identifiers.append(
            {
                "use": "official",
                "type": {
                    "coding": [{"system": V2_IDENTIFIER_TYPE, "code": "LN"}],
                    "text": _("执业证书编号"),
                },
                "system": LICENCE_SYSTEM,
                "value": licence.number,
            }
        )
    resource: Json = {
        "resourceType": "Practitioner",
        "id": str(person.pk),
        "meta": {"lastUpdated": _instant(person.updated_at)},
        "identifier": identifiers,
        "name": [split_name(person.name)],
        "gender": gender(person.sex.code if person.sex_id else None),
        "birthDate": _date(person.birth_date),
        "qualification": _qualifications(person, licences),
    }
    if masked:
        resource["meta"]["security"] = [MASKED]
    return _compact(resource)


def _qualifications(person: Person, licences: Iterable[Licence]) -> list[Json]:
    result: list[Json] = []
    for licence in licences:
        category = licence.get_category_display()
        text = _("执业证书（%(category)s）") % {"category": category}
        if licence.scope:
            text = f"{text} {licence.scope}"
        entry = {
            "identifier": [{"system": LICENCE_SYSTEM, "value": licence.number}],
            "code": {
                "coding": [
                    {
                        "system": LICENCE_CATEGORY_SYSTEM,
                        "code": licence.category,
                        "display": str(category),
                    }
                ],
                "text": text,
            },
            "period": _period(licence.issued_on, licence.expires_on),
        }
        if licence.registered_institution_id:
            entry["issuer"] = reference("Organization", licence.registered_institution_id)
        result.append(_compact(entry))
    for title in person.titles.all():
        result.append(
            _compact(
                {
                    "code": _code("title", title.title),
                    "period": _period(title.obtained_on, None),
                }
            )
        )
    for education in person.educations.all():
        code = _code("education", education.level)
        degree = education.degree if education.degree_id else None
        if degree is not None:
            code["coding"].append(
                {"system": codesystem("degree"), "code": degree.code, "display": degree.name}
            )
        code["text"] = " ".join(
            part for part in (education.level.name, education.school, education.major) if part
        )
        result.append(
            _compact(
                {
                    "code": code,
                    "period": _period(None, education.graduated_on),
                    "issuer": {"display": education.school},
                }
            )
        )
    return result


# --- PractitionerRole ---------------------------------------------------------------------


def practitioner_role(appointment: Appointment, today: datetime.date | None = None) -> Json:
    """An appointment as a PractitionerRole. Expects `person`, `institution` and
    `department` loaded."""
    today = today or timezone.localdate()
    resource: Json = {
        "resourceType": "PractitionerRole",
        "id": str(appointment.pk),
        "identifier": [{"system": APPOINTMENT_SYSTEM, "value": str(appointment.pk)}],
        "active": appointment.end_on is None or appointment.end_on >= today,
        "period": _period(appointment.start_on, appointment.end_on),
        "practitioner": reference("Practitioner", appointment.person_id, appointment.person.name),
        "organization": reference(
            "Organization", appointment.institution_id, appointment.institution.name
        ),
    }
    if appointment.position:
        resource["code"] = [{"text": appointment.position}]
    department = appointment.department if appointment.department_id else None
    if department is not None:
        resource["specialty"] = [
            {
                "coding": [
                    {
                        "system": DEPARTMENT_SYSTEM,
                        "code": str(department.pk),
                        "display": department.name,
                    }
                ],
                "text": department.name,
            }
        ]
    return _compact(resource)


# --- Organization -------------------------------------------------------------------------


def organization(institution: Institution) -> Json:
    """An institution as an Organization. Expects `region__parent__parent` loaded."""
    identifiers = []
    if institution.code:
        identifiers.append(
            {"use": "official", "system": INSTITUTION_CODE_SYSTEM, "value": institution.code}
        )
    kind = institution.get_kind_display()
    resource = {
        "resourceType": "Organization",
        "id": str(institution.pk),
        "identifier": identifiers,
        "active": institution.active,
        "type": [
            {
                "coding": [
                    {"system": ORGANIZATION_TYPE, "code": "prov", "display": "Healthcare Provider"},
                    {
                        "system": INSTITUTION_KIND_SYSTEM,
                        "code": institution.kind,
                        "display": str(kind),
                    },
                ],
                "text": str(kind),
            }
        ],
        "name": institution.name,
        "alias": [institution.short_name]
        if institution.short_name and institution.short_name != institution.name
        else [],
        "address": [_address(institution.region)],
    }
    return _compact(resource)


def _address(region: Region | None) -> Json:
    """The region chain (province, prefecture, county) as an address; only the levels loaded
    with select_related are read, so a list costs no query per row."""
    chain: list[Region] = []
    node = region
    while node is not None and len(chain) < 3:
        chain.append(node)
        node = node.parent if Region.parent.is_cached(node) else None
    by_level = {node.level: node.name for node in chain}
    address = {
        "use": "work",
        "text": "".join(node.name for node in reversed(chain)),
        "state": by_level.get(Region.Level.PROVINCE),
        "city": by_level.get(Region.Level.PREFECTURE),
        "district": by_level.get(Region.Level.COUNTY),
        "postalCode": None,
        "country": "CN",
    }
    return _compact(address)


# --- Bundles, outcomes, capability --------------------------------------------------------


def _instant(value: datetime.datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(datetime.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def operation_outcome(code: str, diagnostics: str, severity: str = "error") -> Json:
    return {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": severity, "code": code, "diagnostics": str(diagnostics)}],
    }


def searchset(*, total: int, entries: list[tuple[str, Json]], links: dict[str, str]) -> Json:
    return _compact(
        {
            "resourceType": "Bundle",
            "type": "searchset",
            "meta": {"lastUpdated": _instant(timezone.now())},
            "total": total,
            "link": [{"relation": relation, "url": url} for relation, url in links.items()],
            "entry": [
                {"fullUrl": full_url, "resource": resource, "search": {"mode": "match"}}
                for full_url, resource in entries
            ],
        }
    )
