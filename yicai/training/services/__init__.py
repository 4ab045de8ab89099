"""Writes of the cultivation records: one function per business action, each in a transaction,
each checking the rules before it saves (errors name the field, in Chinese). One module per
domain; every action is importable from here."""

from yicai.training.services.activity import consultation_record, visit_record
from yicai.training.services.mentoring import (
    LINK_DAYS,
    LINK_SALT,
    case_log_create,
    case_log_unverify,
    case_log_verify,
    confirmation_link_create,
    confirmation_link_open,
    confirmation_link_use,
    mentorship_create,
    technique_register,
)
from yicai.training.services.studios import (
    studio_create,
    studio_funding_record,
    studio_member_add,
    studio_subsidy_set,
)

__all__ = [
    "LINK_DAYS",
    "LINK_SALT",
    "case_log_create",
    "case_log_unverify",
    "case_log_verify",
    "confirmation_link_create",
    "confirmation_link_open",
    "confirmation_link_use",
    "consultation_record",
    "mentorship_create",
    "studio_create",
    "studio_funding_record",
    "studio_member_add",
    "studio_subsidy_set",
    "technique_register",
    "visit_record",
]
