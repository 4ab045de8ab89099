"""Who sees what: the personas' scopes that the page, API and FHIR matrices all assert."""

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


# Case logs (the training scope's): hospital A's, B's, the mentor's apprentices', one's own.
CASES = {
    "commission": {"own", "surgeon", "nurse", "b_case"},
    "hospital_a": {"own", "surgeon", "nurse"},
    "hospital_b": {"b_case"},
    "dept_head": {"own", "nurse"},  # cardiology and its ward, not surgery
    "mentor": {"own", "surgeon", "nurse"},  # apprentices' cases and the one they supervised
    "trainee": {"own"},
}
