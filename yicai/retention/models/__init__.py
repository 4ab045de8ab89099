from yicai.retention.models.awards import AwardClawback, AwardLine, AwardRun
from yicai.retention.models.competitions import Competition, Entrant, Round, Score
from yicai.retention.models.funds import CENT, Entry, Fund
from yicai.retention.models.hospitality import Booking, Lodge, Reception, Room
from yicai.retention.models.policies import Policy, Rule, RuleAmount, RuleTranche

__all__ = [
    "CENT",
    "AwardClawback",
    "AwardLine",
    "AwardRun",
    "Booking",
    "Competition",
    "Entrant",
    "Entry",
    "Fund",
    "Lodge",
    "Policy",
    "Reception",
    "Room",
    "Round",
    "Rule",
    "RuleAmount",
    "RuleTranche",
    "Score",
]
