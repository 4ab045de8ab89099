"""recruitment's part of the scope matrix (collected by `tests.builders.app_matrices`): A's
agreement with a partner, kept by A's cardiology (its head reads it)."""

import datetime

from tests.scope_tables import A_INSTITUTION_EDIT, EDITS_INSTITUTIONS, HR, only, rows
from yicai.recruitment import services


def build(records, world) -> None:
    records.agreement = services.agreement_create(
        by=None,
        institution=world.a,
        department=world.a_cardiology,
        partner_name="复旦大学附属中山医院",
        kind="specialty_alliance",
        title="心血管专科联盟协议",
        signed_on=datetime.date(2021, 4, 1),
        starts_on=datetime.date(2021, 4, 1),
    )


PAGE_KWARGS = {"recruitment:agreement_edit": lambda r: {"pk": r.agreement.pk}}
CASES = {
    "recruitment:agreements": only(*HR, "dept_head"),
    "recruitment:agreement_create": only(*HR),
    "recruitment:agreement_edit": A_INSTITUTION_EDIT,
    "api-recruitment-agreements": only(*HR, "dept_head", anonymous=401),
    "api-recruitment-agreement": rows(
        {**EDITS_INSTITUTIONS, "dept_head": {"a"}}, "a", anonymous=401
    ),
}
KWARGS = {"api-recruitment-agreement": lambda r: {"pk": r.agreement.pk}}
