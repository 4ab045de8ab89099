from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "yicai.insights"
    verbose_name = _("统计分析")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from yicai.access.scope import Paths, hosted, in_region, register_model
        from yicai.insights import models

        # A WISN study is its department's (the head reads it), kept by its institution.
        register_model(models.WisnStudy, hosted())
        for row in (models.WisnActivity, models.WisnAllowance):
            register_model(
                row,
                Paths(
                    institution="study__institution",
                    department="study__department",
                    region="study__institution__commission_region",
                ),
            )
        # A region's planning figures and population, seen by its institutions; a national
        # parameter (no region) is read by everyone (queries.parameters_for).
        register_model(models.PlanningParameter, in_region("region"))
        register_model(models.RegionPopulation, in_region("region"))
        # An annual report's file is of a commission's region or of an institution (read by
        # the user who asked only, report_jobs.report_jobs_for).
        register_model(models.ReportJob, Paths(institution="institution", region="region"))
        for model in (
            models.WisnStudy,
            models.WisnActivity,
            models.WisnAllowance,
            models.PlanningParameter,
            models.RegionPopulation,
        ):
            auditlog.register(model)
