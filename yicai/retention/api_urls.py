"""retention's API routes (collected by `yicai.api.urls`)."""

from yicai.retention.api_urls_promotions import urlpatterns

urlpatterns = [*urlpatterns]
