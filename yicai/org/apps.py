from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "yicai.org"
    verbose_name = _("机构")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from yicai.org import models, queries
        from yicai.picker import param_id, register_source

        for model in (models.Institution, models.Department, models.DisciplineDesignation):
            auditlog.register(model)

        register_source(
            "org.leads",
            lambda user, params: queries.people_of(user, param_id(params, "institution")),
            permission="org.edit",
        )

        from yicai.access.scope import Paths, register_model

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
        register_model(
            models.Department,
            Paths(
                institution="institution",
                department="pk",
                person="people",
                region="institution__commission_region",
                distinct=True,
            ),
        )
        register_model(
            models.DisciplineDesignation,
            Paths(
                institution="department__institution",
                department="department",
                region="department__institution__commission_region",
            ),
        )
