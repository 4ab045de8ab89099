from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "yicai.evaluation"
    verbose_name = _("考核评价")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from yicai.access.scope import Paths, in_region, register_model
        from yicai.evaluation import imports, metrics, models  # noqa: F401 - the metrics' registry
        from yicai.evaluation.forms.schemes import SUBJECTS
        from yicai.exchange.engine import register
        from yicai.people.queries import people_for
        from yicai.picker import register_source

        # A scheme and its indicators are the region's, public to its institutions; a subject
        # and its scores are also its institution's.
        register_model(models.Scheme, in_region("region"))
        register_model(models.Indicator, in_region("scheme__region"))
        # A person assessed sees their own subject (published: evaluation.queries).
        register_model(
            models.Subject,
            Paths(
                institution="institution",
                department="department",
                person="person",
                region="scheme__region",
            ),
        )
        of_subject = Paths(
            institution="subject__institution",
            department="subject__department",
            person="subject__person",
            region="subject__scheme__region",
        )
        for kept in (models.SubjectLink, models.ManualScore, models.ResultLine, models.Appeal):
            register_model(kept, of_subject)
        register_model(models.Result, in_region("scheme__region"))
        register_source(
            SUBJECTS,
            lambda user, params: people_for(user, "evaluation.edit").order_by("name_pinyin"),
            permission="evaluation.edit",
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
            models.Result,
            models.Appeal,
        ):
            auditlog.register(model)
