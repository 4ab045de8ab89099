from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecruitmentConfig(AppConfig):
    name = "yicai.recruitment"
    verbose_name = _("招才引智")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from yicai.access.scope import hosted, register_model
        from yicai.exchange.engine import register
        from yicai.recruitment import imports, models

        # The signing institution keeps an agreement; a department's head sees its own.
        register_model(models.PartnerAgreement, hosted())
        auditlog.register(models.PartnerAgreement)
        register(imports.AgreementImport())
