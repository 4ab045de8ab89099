from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecruitmentConfig(AppConfig):
    name = "yicai.recruitment"
    verbose_name = _("招才引智")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from yicai.access.scope import Paths, hosted, register_model
        from yicai.exchange.engine import register
        from yicai.picker import register_source
        from yicai.recruitment import imports, models, queries, timeline, todo

        # The signing institution keeps an agreement; a department's head sees its own.
        register_model(models.PartnerAgreement, hosted())
        # A plan is the institution's (its HR office's), not a department's.
        register_model(models.RecruitmentPlan, hosted(department=None))
        register_model(
            models.Post,
            Paths(institution="plan__institution", region="plan__institution__commission_region"),
        )
        register_model(models.Introduction, hosted())
        # Applicants' personal data is the recruiting institution's and the commission's.
        register_model(
            models.Application,
            Paths(
                institution="post__plan__institution",
                region="post__plan__institution__commission_region",
            ),
        )
        register_model(
            models.PublicNotice,
            Paths(institution="plan__institution", region="plan__institution__commission_region"),
        )
        register_model(
            models.Objection,
            Paths(
                institution="application__post__plan__institution",
                region="application__post__plan__institution__commission_region",
            ),
        )
        # An introduction's entitlements, their tranches and clawbacks are its institution's.
        for kept, to in (
            (models.Entitlement, "introduction__"),
            (models.Tranche, "entitlement__introduction__"),
            (models.Clawback, "entitlement__introduction__"),
        ):
            register_model(
                kept,
                Paths(
                    institution=f"{to}institution",
                    department=f"{to}department",
                    region=f"{to}institution__commission_region",
                ),
            )
        # A directed student's contract is the sponsoring institution's (it signed and pays).
        register_model(
            models.DirectedContract,
            Paths(institution="sponsor", region="sponsor__commission_region"),
        )
        register_model(
            models.Breach,
            Paths(institution="contract__sponsor", region="contract__sponsor__commission_region"),
        )
        # The expert network: the inviting or receiving institution's (its HR office's).
        register_model(models.Referral, hosted(department=None))
        register_model(models.InvitationEvent, hosted(department=None))
        register_model(
            models.Invitee,
            Paths(
                institution="event__institution",
                region="event__institution__commission_region",
            ),
        )
        # Ciphertexts say nothing to an auditor, as for a person.
        for sealed in (models.Application, models.DirectedContract):
            auditlog.register(
                sealed, exclude_fields=["id_number_cipher", "id_number_index", "phone_cipher"]
            )
        for model in (
            models.PartnerAgreement,
            models.RecruitmentPlan,
            models.Post,
            models.Introduction,
            models.PublicNotice,
            models.Objection,
            models.Entitlement,
            models.Tranche,
            models.Clawback,
            models.DirectedKind,
            models.Breach,
            models.Referral,
            models.InvitationEvent,
            models.Invitee,
        ):
            auditlog.register(model)
        register_source(
            "recruitment.introducible",
            lambda user, params: queries.people_to_introduce(user).order_by("name_pinyin"),
            permission=queries.EDIT,
        )
        register_source(
            "recruitment.experts",
            lambda user, params: queries.experts(user).order_by("name_pinyin"),
            permission=queries.EDIT,
        )
        timeline.register_events()
        register(imports.AgreementImport())
        register(imports.PlanImport())
        register(imports.IntroductionImport())
        register(imports.ApplicationImport())
        register(imports.ScoreImport())
        register(imports.DirectedImport())
        todo.register_providers()
