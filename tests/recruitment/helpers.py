"""Partner agreements made through the service, for the recruitment tests."""

import datetime

from yicai.recruitment import services
from yicai.recruitment.models import PartnerAgreement

JINJIANG_SINCE = datetime.date(2021, 4, 1)


def agreement(world, institution=None, *, by=None, **fields) -> PartnerAgreement:
    """A co-building agreement of hospital A with the partner hospital since April 2021."""
    values = {
        "institution": institution or world.a,
        "partner": world.partner,
        "kind": PartnerAgreement.Kind.CO_BUILDING,
        "title": "心血管专科共建协议",
        "signed_on": datetime.date(2021, 3, 20),
        "starts_on": JINJIANG_SINCE,
        **fields,
    }
    return services.agreement_create(by=by or world.commission, **values)
