"""The title-promotion part of retention's scope matrix: the commission's round of 2022
(医师 series, open, with its requirements), in which A's surgeon applied for 正高. Rounds are
the region's (every institution and department head of it reads them); only the commission
holds one, sets its requirements and records results in bulk; an application is its
institution's and the commission's (no department head's). The forms posted empty are
refused (400) to whoever reaches them."""

import datetime

from tests.scope_tables import EDITS_INSTITUTIONS, HR, only, rows
from yicai.codes.queries import code_for
from yicai.retention.services import promotions

D = datetime.date


def build(records, world) -> None:
    records.promotion_round = promotions.round_create(
        by=None,
        region=world.a.commission_region,
        year=2022,
        series=code_for("title", "230"),
        name="2022年度卫生系列高级职称评审",
        opens_on=D(2022, 3, 1),
        closes_on=D(2022, 4, 30),
    )
    for grade in ("senior", "associate_senior"):
        promotions.requirement_set(
            promotion_round=records.promotion_round, by=None, grade=grade, min_years=5
        )
    records.promotion_application = promotions.application_create(
        by=None,
        promotion_round=records.promotion_round,
        person=world.a_surgeon,
        grade="senior",
        applied_on=D(2022, 4, 1),
    )


def _round(r):
    return {"pk": r.promotion_round.pk}


def _application(r):
    return {"pk": r.promotion_application.pk}


_SEES = only(*HR, "dept_head")
_API_SEES = only(*HR, "dept_head", anonymous=401)
_COMMISSION_REFUSED = only("commission", status=400, method="post")

PAGE_KWARGS = {
    "retention:round": _round,
    "retention:round_edit": _round,
    "retention:round_requirement": _round,
    "retention:round_results": _round,
    "retention:promotion_application_create": _round,
    "retention:promotion_application_result": _application,
}
KWARGS = {
    "api-retention-round": _round,
    "api-retention-round-figures": _round,
    "api-retention-round-results": _round,
    "api-retention-promotion-application": _application,
    "api-retention-promotion-application-result": _application,
}
CASES = {
    "retention:rounds": _SEES,
    "retention:round": _SEES,
    "retention:round_create": only("commission"),
    "retention:round_edit": only("commission"),
    "retention:round_requirement": _COMMISSION_REFUSED,
    "retention:round_results": _COMMISSION_REFUSED,
    # Every institution of the region applies for its own people.
    "retention:promotion_application_create": only(*HR),
    "retention:promotion_application_result": rows(
        EDITS_INSTITUTIONS, "a", status=400, method="post"
    ),
    "api-retention-rounds": _API_SEES,
    "api-retention-round": _API_SEES,
    "api-retention-round-figures": _API_SEES,
    # Only the commission manages a round: an institution finds none to record results in.
    "api-retention-round-results": rows(
        {"commission": {"a"}, "hospital_a": set(), "hospital_b": set()},
        "a",
        status=400,
        method="post",
        anonymous=401,
    ),
    "api-retention-promotion-applications": _API_SEES,
    "api-retention-promotion-application": rows(
        {**EDITS_INSTITUTIONS, "dept_head": set()}, "a", anonymous=401
    ),
    "api-retention-promotion-application-result": rows(
        EDITS_INSTITUTIONS, "a", status=400, method="post", anonymous=401
    ),
}
