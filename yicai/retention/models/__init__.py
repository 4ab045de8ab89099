from yicai.retention.models.awards import AwardClawback, AwardLine, AwardRun
from yicai.retention.models.care import (
    Enrolment,
    GreenChannelRequest,
    ServiceItem,
    ServicePackage,
    ServiceTask,
)
from yicai.retention.models.competitions import Competition, CompetitionRound, Entrant, Score
from yicai.retention.models.funds import CENT, Entry, Fund
from yicai.retention.models.hospitality import Booking, Lodge, Reception, Room
from yicai.retention.models.policies import Policy, Rule, RuleAmount, RuleTranche
from yicai.retention.models.promotions import (
    APPLIED_GRADES,
    GRADE_BELOW,
    PromotionApplication,
    PromotionRound,
    RoundRequirement,
)

__all__ = [
    "APPLIED_GRADES",
    "CENT",
    "GRADE_BELOW",
    "AwardClawback",
    "AwardLine",
    "AwardRun",
    "Booking",
    "Competition",
    "CompetitionRound",
    "Enrolment",
    "Entrant",
    "Entry",
    "Fund",
    "GreenChannelRequest",
    "Lodge",
    "Policy",
    "PromotionApplication",
    "PromotionRound",
    "Reception",
    "Room",
    "RoundRequirement",
    "Rule",
    "RuleAmount",
    "RuleTranche",
    "Score",
    "ServiceItem",
    "ServicePackage",
    "ServiceTask",
]
