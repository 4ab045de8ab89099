from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RetentionConfig(AppConfig):
    name = "yicai.retention"
    verbose_name = _("激励保障")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from yicai.access.scope import Paths, in_region, register_model
        from yicai.retention import models, reminders  # noqa: F401 - the reminders' kinds

        # A fund is its keeper's: the commission's, or one institution's.
        register_model(models.Fund, Paths(institution="institution", region="region"))
        register_model(models.Entry, Paths(institution="fund__institution", region="fund__region"))
        # Policies are public to the region's institutions; runs are the commission's.
        register_model(models.Policy, in_region("region"))
        register_model(models.Rule, in_region("policy__region"))
        register_model(models.RuleAmount, in_region("rule__policy__region"))
        register_model(models.RuleTranche, in_region("rule__policy__region"))
        register_model(models.AwardRun, Paths(region="policy__region"))
        # A line is also seen by the institution of the person it pays.
        register_model(
            models.AwardLine,
            Paths(institution="institution", region="run__policy__region"),
        )
        register_model(
            models.AwardClawback,
            Paths(institution="person__institution", region="rule__policy__region"),
        )
        for model in (
            models.Fund,
            models.Entry,
            models.Policy,
            models.Rule,
            models.RuleAmount,
            models.RuleTranche,
            models.AwardRun,
            models.AwardLine,
            models.AwardClawback,
        ):
            auditlog.register(model)
