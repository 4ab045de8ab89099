"""Who sees what: the personas' scopes that the page, API and FHIR matrices all assert, and
the cases the scope matrix (tests/access/test_scope_matrix.py) declares URLs with."""

from dataclasses import dataclass, field

PEOPLE = ["a_doctor", "a_ward_nurse", "a_surgeon", "b_doctor", "partner_expert"]
INSTITUTIONS = ["a", "b", "partner"]

# persona -> the people and institutions it may see; None: the role sees no such data (403).
SEES_PEOPLE = {
    "commission": set(PEOPLE),
    "hospital_a": {"a_doctor", "a_ward_nurse", "a_surgeon"},
    "hospital_b": {"b_doctor"},
    "dept_head": {"a_doctor", "a_ward_nurse"},  # 心血管内科 and its sub-ward
    "mentor": {"partner_expert"},
    "trainee": {"a_doctor"},
    "auditor": None,
    "security": None,
    "nobody": None,
}
EDITS_PEOPLE = {
    "commission": set(PEOPLE),
    "hospital_a": SEES_PEOPLE["hospital_a"],
    "hospital_b": SEES_PEOPLE["hospital_b"],
}
EXPORTS_PEOPLE = {**EDITS_PEOPLE, "dept_head": SEES_PEOPLE["dept_head"]}
SEES_INSTITUTIONS = {
    "commission": set(INSTITUTIONS),
    "hospital_a": {"a"},
    "hospital_b": {"b"},
    "dept_head": {"a"},
    "mentor": {"partner"},
    "trainee": {"a"},
    "auditor": None,
    "security": None,
    "nobody": None,
}
EXPORTS_INSTITUTIONS = {"commission": set(INSTITUTIONS), "hospital_a": {"a"}, "hospital_b": {"b"}}
PERSONAS = list(SEES_PEOPLE)


# --- what a URL answers each persona ---------------------------------------------------------

LOGIN = "login"  # a redirect to the login page


@dataclass(frozen=True)
class Case:
    """What a URL answers each persona: `reach` maps the personas who get through to their
    status; every other persona gets `others`; an anonymous visitor gets `anonymous`.
    `method` is "post" for actions (a GET of them is a 405 before any check)."""

    reach: dict[str, int]
    others: int = 403
    anonymous: int | str = LOGIN
    method: str = "get"
    refused: dict[str, int] = field(default_factory=dict)  # exceptions to `others`

    def expected(self, persona: str) -> int | str:
        if persona == "anonymous":
            return self.anonymous
        return self.reach.get(persona) or self.refused.get(persona) or self.others


def everyone(status: int = 200, **options) -> Case:
    return Case({persona: status for persona in PERSONAS}, **options)


def only(*personas: str, status: int = 200, **options) -> Case:
    return Case(dict.fromkeys(personas, status), **options)


def rows(allowed: dict, key: str, status: int = 200, **options) -> Case:
    """A row `key` of the personas' scope table: 403 where a role sees no such data (None),
    404 where the row is outside the scope."""
    reach = {p: status for p in PERSONAS if allowed.get(p) is not None and key in allowed[p]}
    refused = {p: 404 for p in PERSONAS if allowed.get(p) is not None and key not in allowed[p]}
    return Case(reach, refused=refused, **options)


EDITS_INSTITUTIONS = {"commission": set(INSTITUTIONS), "hospital_a": {"a"}, "hospital_b": {"b"}}
HR = ("commission", "hospital_a", "hospital_b")  # who keeps people's files
A_INSTITUTION_EDIT = rows(EDITS_INSTITUTIONS, "a")


# Case logs (the training scope's): hospital A's, B's, the mentor's apprentices', one's own.
CASES = {
    "commission": {"own", "surgeon", "nurse", "b_case"},
    "hospital_a": {"own", "surgeon", "nurse"},
    "hospital_b": {"b_case"},
    "dept_head": {"own", "nurse"},  # cardiology and its ward, not surgery
    "mentor": {"own", "surgeon", "nurse"},  # apprentices' cases and the one they supervised
    "trainee": {"own"},
}
