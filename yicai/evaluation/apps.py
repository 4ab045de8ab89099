from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "yicai.evaluation"
    verbose_name = _("考核评价")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from yicai.access.scope import Paths, in_region, register_model
        from yicai.evaluation import imports, metrics, models  # noqa: F401 - the metrics' registry
        from yicai.exchange.engine import register

        # A scheme and its indicators are the region's, public to its institutions; a subject
        # and its scores are also its institution's.
        register_model(models.Scheme, in_region("region"))
        register_model(models.Indicator, in_region("scheme__region"))
        subject = Paths(institution="institution", region="scheme__region")
        register_model(models.Subject, subject)
        register_model(
            models.SubjectLink,
            Paths(institution="subject__institution", region="subject__scheme__region"),
        )
        register_model(
            models.ManualScore,
            Paths(institution="subject__institution", region="subject__scheme__region"),
        )
        # A discipline's yearly figures are its department's (the institution keeps them, the
        # department's head reads them); who entered or changed a number is audited.
        register_model(
            models.DisciplineFigure,
            Paths(
                institution="department__institution",
                department="department",
                region="department__institution__commission_region",
            ),
        )
        auditlog.register(models.DisciplineFigure)
        register(imports.FigureImport())
        # Scoring, publication and appeals are audited (issue 15, point 7).
        for model in (
            models.Scheme,
            models.Indicator,
            models.Subject,
            models.SubjectLink,
            models.ManualScore,
        ):
            auditlog.register(model)
