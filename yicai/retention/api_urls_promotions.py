"""The title-promotion API routes (collected through retention's api_urls.py)."""

from yicai.api.routes import ID, READ, Routes, action
from yicai.retention.api_promotions import PromotionApplicationViewSet, PromotionRoundViewSet

_retention = Routes("v1/retention", "api-retention")

urlpatterns = [
    *_retention.records("rounds", PromotionRoundViewSet, "round", READ),
    _retention(
        f"rounds/{ID}/figures/", action(PromotionRoundViewSet, "figures", "get"), "round-figures"
    ),
    _retention(f"rounds/{ID}/results/", action(PromotionRoundViewSet, "results"), "round-results"),
    *_retention.records(
        "promotion-applications",
        PromotionApplicationViewSet,
        "promotion-application",
        READ,
    ),
    _retention(
        f"promotion-applications/{ID}/result/",
        action(PromotionApplicationViewSet, "result"),
        "promotion-application-result",
    ),
]
