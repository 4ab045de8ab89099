from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "yicai.org"
    verbose_name = _("机构")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from yicai.org import models

        for model in (models.Institution, models.Department, models.DisciplineDesignation):
            auditlog.register(model)

        from yicai.access.scope import Paths, hosted, register_model

        register_model(
            models.Institution,
            Paths(
                institution="pk",
                department="departments",
                person="people",
                region="commission_region",
                distinct=True,
            ),
        )
        register_model(models.Department, hosted(department="pk", person="people", distinct=True))
        register_model(
            models.DisciplineDesignation,
            Paths(
                institution="department__institution",
                department="department",
                region="department__institution__commission_region",
            ),
        )
