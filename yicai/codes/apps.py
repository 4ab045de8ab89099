from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CodesConfig(AppConfig):
    name = "yicai.codes"
    verbose_name = _("代码表")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from yicai.codes.models import Code, Synonym

        auditlog.register(Code)
        auditlog.register(Synonym)
