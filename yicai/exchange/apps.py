from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "yicai.exchange"
    verbose_name = _("数据交换")

    def ready(self) -> None:
        from yicai.access.scope import hosted, register_model
        from yicai.exchange import todo
        from yicai.exchange.models import ImportJob

        register_model(ImportJob, hosted(department=None))
        todo.register_providers()
