"""retention's competition cases of the scope matrix: hospital A's own skill competition
with a round and A's cardiologist entered. A competition and its results are the region's
(every institution enters and reads them); only its organiser (A, and the commission over
it) runs it: an empty form posted by them is answered 400, by anyone else 403."""

import datetime
from decimal import Decimal

from tests.scope_tables import HR, only
from yicai.retention.services import competitions

_READERS = (*HR, "dept_head")
_ORGANISERS = only("commission", "hospital_a", status=400, method="post")


def build(records, world) -> None:
    records.competition = competitions.competition_create(
        by=None,
        region=world.a.commission_region,
        institution=world.a,
        name="甲院护理技能竞赛",
        specialty="护理",
        level="institution",
        held_on=datetime.date(2024, 5, 12),
    )
    competitions.round_add(
        competition=records.competition, by=None, name="实操", weight=Decimal(100)
    )
    competitions.entrant_add(competition=records.competition, by=None, person=world.a_doctor)


CASES = {
    "retention:competitions": only(*_READERS),
    "retention:competition_create": only(*HR),
    "retention:competition": only(*_READERS),
    **{
        f"retention:competition_{step}": _ORGANISERS
        for step in ("rounds", "entrants", "scores", "finish")
    },
}
PAGE_KWARGS = {
    **{
        f"retention:competition{suffix}": (lambda r: {"pk": r.competition.pk})
        for suffix in ("", "_rounds", "_entrants", "_scores", "_finish")
    }
}
