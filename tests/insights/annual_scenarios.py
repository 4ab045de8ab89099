"""The sources' figures recorded through the services for the annual report's tests (the
page, the API, the files made in the background): Sixian's 2021 senior-title round;
Baoshan's 198 introductions of 2021–2023; shortage talent 100 → 121 from mid-2021 to
mid-2023; Changtai's 21 studios; A's cardiology's interventions, 300 in 2019 to 1,200 in 2023."""

import datetime

from tests import factories
from tests.recruitment.scenarios import baoshan_198, shortage_talent
from tests.retention.promotion_scenarios import sixian_round
from tests.training.api import studio
from yicai.evaluation.services.disciplines import figure_set

D = datetime.date
# Changtai's 21 studios (the source gives no split by tier: this one is ours) and the yearly
# subsidies of its tiers, 200,000, 100,000 and 80,000 CNY: 3×200,000 + 8×100,000 + 10×80,000.
CHANGTAI_TIERS = ["national"] * 3 + ["provincial"] * 8 + ["district"] * 10
CHANGTAI_SUBSIDY = "名医工作室21个，2023年应拨补助2,200,000.00元。"
# What the report of 2021–2023 says of them.
BAOSHAN_INTRODUCTIONS = "期内引进人才198人，其中副高级及以上职称17人、学科带头人3人。"
SIXIAN_ROUND = "68人申报，52人通过：正高级10人，副高级42人"
INTERVENTIONS = "介入手术例数由2019年的300增至2023年的1200，为4.00倍。"


def record_sources(world, shortage=shortage_talent):
    """`shortage`: how shortage talent is recorded (the dashboard's test records Baoshan's
    +181 in bulk)."""
    region = world.a.commission_region
    sixian_round(region, 2021, institution=world.a)
    baoshan_198(world)
    shortage(world)
    for n, tier in enumerate(CHANGTAI_TIERS):
        lead = factories.person(world.a, f"名医{n}", birth=D(1951 + n, 2, 3))
        studio(world, f"名医工作室{n}", lead, tier=tier)
    for year, value in ((2019, 300), (2021, 700), (2023, 1200)):
        figure_set(
            by=None, department=world.a_cardiology, year=year, measure="interventions", value=value
        )
    return world
