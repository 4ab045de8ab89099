from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "yicai.people"
    verbose_name = _("人才档案")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from yicai.exchange.engine import register
        from yicai.people import imports, models, queries, services, timeline, todo
        from yicai.picker import PeopleSearch, param_id, register_search, register_source

        register(imports.RosterImport())
        register_search(
            PeopleSearch(
                matching=queries.matching,
                matching_parts=queries.matching_parts,
                order=queries.SORTS["name"],
                name_initials=services.name_initials,
            )
        )
        # A discipline's lead (org's designation form): one of the institution's people.
        register_source(
            "org.leads",
            lambda user, params: queries.people_of(user, param_id(params, "institution")),
            permission="org.edit",
        )

        # Ciphertexts say nothing to an auditor; the change shows as the last four digits.
        auditlog.register(
            models.Person,
            exclude_fields=["updated_at", "id_number_cipher", "id_number_index", "phone_cipher"],
        )
        for model in models.RECORD_MODELS:
            auditlog.register(model)
        # Filing, accepting and rejecting a correction request (PIPL art. 46) are audited.
        auditlog.register(models.CorrectionRequest)
        timeline.register_people_events()
        todo.register_providers()

        from yicai.access.scope import hosted, of_person, register_model

        register_model(models.Person, hosted(person="pk"))
        for of_a_person in (*models.RECORD_MODELS, models.CorrectionRequest):
            register_model(of_a_person, of_person())
