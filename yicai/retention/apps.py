from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RetentionConfig(AppConfig):
    name = "yicai.retention"
    verbose_name = _("激励保障")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from yicai.access.scope import Paths, hosted, in_region, register_model
        from yicai.exchange.engine import register
        from yicai.people.models import Person
        from yicai.people.queries import people_for
        from yicai.picker import register_source
        from yicai.retention import (
            hospitality,
            imports,
            models,
            reminders,  # noqa: F401 - the reminders' kinds
            timeline,
        )
        from yicai.retention.forms.care import GUARDIANS
        from yicai.retention.forms.promotions import PROMOTABLE
        from yicai.retention.queries import promotions

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
        # Hospitality: the lodge's keeper (the commission, or one institution); a reception is
        # the receiving institution's.
        register_model(models.Lodge, Paths(institution="institution", region="region"))
        register_model(models.Room, Paths(institution="lodge__institution", region="lodge__region"))
        register_model(
            models.Booking,
            Paths(institution="room__lodge__institution", region="room__lodge__region"),
        )
        register_model(models.Reception, hosted(department=None))
        # The 八个一 service: the package is the region's; an enrolment, its tasks and
        # green-channel requests are the serving institution's and the commission's.
        register_model(models.ServicePackage, in_region("region"))
        register_model(models.ServiceItem, in_region("package__region"))
        register_model(
            models.Enrolment,
            Paths(institution="institution", region="institution__commission_region"),
        )
        register_model(
            models.ServiceTask,
            Paths(institution="institution", region="institution__commission_region"),
        )
        register_model(
            models.GreenChannelRequest,
            Paths(
                institution="enrolment__institution",
                region="enrolment__institution__commission_region",
            ),
        )
        # Competitions and their results are the region's: every institution enters and reads
        # them; who runs one is decided by its organiser (queries.competitions.organised_by).
        register_model(models.Competition, in_region("region"))
        register_model(models.Entrant, in_region("competition__region"))
        register_model(models.CompetitionRound, in_region("competition__region"))
        register_model(models.Score, in_region("round__competition__region"))
        # A round is the region's, public to its institutions; an application is its
        # institution's and the commission's.
        register_model(models.PromotionRound, in_region("region"))
        register_model(models.RoundRequirement, in_region("round__region"))
        register_model(
            models.PromotionApplication, Paths(institution="institution", region="round__region")
        )
        for model in (
            models.ServicePackage,
            models.ServiceItem,
            models.Enrolment,
            models.ServiceTask,
            models.GreenChannelRequest,
            models.Competition,
            models.Entrant,
            models.CompetitionRound,
            models.Score,
            models.Lodge,
            models.Room,
            models.Booking,
            models.Reception,
            models.PromotionRound,
            models.RoundRequirement,
            models.PromotionApplication,
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
        register(imports.EntryImport())
        register(imports.AmountImport())
        register(imports.PastAwardImport())
        register(imports.ScoreImport())
        register(imports.EnrolmentImport())
        hospitality.register_panels()
        register_source(
            "retention.entrants",
            lambda user, params: people_for(user, "retention.edit").order_by("name_pinyin"),
            permission="retention.edit",
        )
        register_source(
            GUARDIANS,
            lambda user, params: (
                people_for(user, "retention.edit")
                .filter(category=Person.Category.STAFF)
                .order_by("name_pinyin")
            ),
            permission="retention.edit",
        )
        register_source(
            PROMOTABLE,
            lambda user, params: promotions.people_to_propose(user).order_by("name_pinyin"),
            permission=promotions.EDIT,
        )
        timeline.register_events()
