from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "yicai.training"
    verbose_name = _("人才培养")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from yicai.exchange.engine import register
        from yicai.training import events, imports, models, pickers, scopes, todo

        # Every cultivation record's changes are audited (a link keeps no token digest there).
        for model in self.get_models():
            if model is not models.ConfirmationLink:
                auditlog.register(model)
        auditlog.register(models.ConfirmationLink, exclude_fields=["token_digest"])
        scopes.register_scopes()
        events.register_training_events()
        todo.register_providers()
        pickers.register_sources()
        for entity in imports.ENTITIES:
            register(entity())
