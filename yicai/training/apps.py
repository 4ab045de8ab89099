from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "yicai.training"
    verbose_name = _("人才培养")

    def ready(self) -> None:
        from auditlog.registry import auditlog
        from django.db.models import Q

        from yicai.access.scope import Paths, register_model
        from yicai.exchange.engine import register
        from yicai.training import events, imports, models

        for entity in imports.ENTITIES:
            register(entity())

        for model in (
            models.Mentorship,
            models.Apprenticeship,
            models.Technique,
            models.CaseLog,
            models.ExpertStudio,
            models.StudioMember,
            models.StudioFunding,
            models.StudioSubsidy,
            models.Visit,
            models.Consultation,
            models.SecondmentBatch,
            models.Secondment,
            models.MonthlyReport,
            models.SecondmentNeed,
        ):
            auditlog.register(model)
        auditlog.register(models.ConfirmationLink, exclude_fields=["token_digest"])
        events.register_training_events()

        def apprentices_of(person_id: int):
            return models.Apprenticeship.objects.filter(mentorship__mentor=person_id).values(
                "apprentice"
            )

        # A mentor oversees the mentorships they lead and what their apprentices log.
        register_model(
            models.Mentorship,
            Paths(
                institution="institution",
                department="department",
                region="institution__commission_region",
                overseen=lambda me: (
                    Q(mentor=me)
                    | Q(
                        pk__in=models.Apprenticeship.objects.filter(apprentice=me).values(
                            "mentorship"
                        )
                    )
                ),
            ),
        )
        register_model(
            models.Technique,
            Paths(
                institution="institution",
                department="department",
                region="institution__commission_region",
                overseen=lambda me: (
                    Q(mentorship__mentor=me)
                    | Q(pk__in=models.CaseLog.objects.filter(apprentice=me).values("technique"))
                ),
            ),
        )
        register_model(
            models.CaseLog,
            Paths(
                institution="technique__institution",
                department="apprentice__department",
                person="apprentice",
                region="technique__institution__commission_region",
                overseen=lambda me: Q(supervisor=me) | Q(apprentice__in=apprentices_of(me)),
            ),
        )
        # A studio's lead and members oversee it.
        register_model(
            models.ExpertStudio,
            Paths(
                institution="institution",
                department="department",
                region="institution__commission_region",
                overseen=lambda me: (
                    Q(lead=me)
                    | Q(pk__in=models.StudioMember.objects.filter(person=me).values("studio"))
                ),
            ),
        )
        # An expert oversees their visits and consultations; an apprentice sees the visits
        # made for their mentorship.
        register_model(
            models.Visit,
            Paths(
                institution="institution",
                department="department",
                region="institution__commission_region",
                overseen=lambda me: (
                    Q(expert=me)
                    | Q(
                        mentorship__in=models.Apprenticeship.objects.filter(apprentice=me).values(
                            "mentorship"
                        )
                    )
                ),
            ),
        )
        register_model(
            models.Consultation,
            Paths(
                institution="institution",
                department="requester__department",
                person="requester",
                region="institution__commission_region",
                overseen=lambda me: Q(expert=me),
            ),
        )
        # A batch is seen by whoever sees one of its members, and by its region's commission.
        register_model(
            models.SecondmentBatch,
            Paths(
                institution="secondments__person__institution",
                department="secondments__person__department",
                person="secondments__person",
                region="region",
                distinct=True,
                overseen=lambda me: Q(secondments__linked_leader=me),
            ),
        )
        # A linked leader (挂钩领导) oversees their trainees' secondments, reports and needs.
        register_model(
            models.Secondment,
            Paths(
                institution="person__institution",
                department="person__department",
                person="person",
                region="person__institution__commission_region",
                overseen=lambda me: Q(linked_leader=me),
            ),
        )
        for model in (models.MonthlyReport, models.SecondmentNeed):
            register_model(
                model,
                Paths(
                    institution="secondment__person__institution",
                    department="secondment__person__department",
                    person="secondment__person",
                    region="secondment__person__institution__commission_region",
                    overseen=lambda me: Q(secondment__linked_leader=me),
                ),
            )

        # Continuing education: events by their host (and department); a speaker and the
        # attendees see the events they gave or attended. Attendance, credits and enrolments
        # go by the person; quotas by the institution.
        for model in (
            models.EducationEvent,
            models.Attendance,
            models.ExternalCredit,
            models.CreditRequirement,
            models.TrainingQuota,
            models.Enrolment,
        ):
            auditlog.register(model)
        register_model(
            models.EducationEvent,
            Paths(
                institution="institution",
                department="department",
                region="institution__commission_region",
                overseen=lambda me: (
                    Q(speaker=me)
                    | Q(pk__in=models.Attendance.objects.filter(person=me).values("event"))
                ),
            ),
        )
        for model in (models.Attendance, models.ExternalCredit, models.Enrolment):
            register_model(
                model,
                Paths(
                    institution="person__institution",
                    department="person__department",
                    person="person",
                    region="person__institution__commission_region",
                ),
            )
        register_model(
            models.TrainingQuota,
            Paths(institution="institution", region="institution__commission_region"),
        )

        # Programmes (培养计划): a programme, its cohorts and selection rounds are seen in the
        # commission's region and by whoever works at one of its institutions; nominations by
        # the nominating institution; members, their goals and reviews by the person (and by
        # their mentors); career plans likewise, also by the mentor of the plan's mentorship.
        for model in (
            models.Programme,
            models.Cohort,
            models.SelectionRound,
            models.Nomination,
            models.ReviewScore,
            models.CohortMember,
            models.MemberGoal,
            models.AnnualReview,
            models.CareerPlan,
            models.CareerGoal,
        ):
            auditlog.register(model)

        def in_region(to_region: str) -> Paths:
            here = f"{to_region}__commission_institutions"
            return Paths(
                institution=here,
                department=f"{here}__departments",
                person=f"{here}__people",
                region=to_region,
                distinct=True,
            )

        register_model(models.Programme, in_region("region"))
        register_model(models.Cohort, in_region("programme__region"))
        register_model(models.SelectionRound, in_region("cohort__programme__region"))
        for model, to_nomination in ((models.Nomination, ""), (models.ReviewScore, "nomination__")):
            register_model(
                model,
                Paths(
                    institution=f"{to_nomination}institution",
                    department=f"{to_nomination}person__department",
                    person=f"{to_nomination}person",
                    region=f"{to_nomination}round__cohort__programme__region",
                ),
            )
        for model, to_member in (
            (models.CohortMember, ""),
            (models.MemberGoal, "member__"),
            (models.AnnualReview, "member__"),
        ):
            register_model(
                model,
                Paths(
                    institution=f"{to_member}person__institution",
                    department=f"{to_member}person__department",
                    person=f"{to_member}person",
                    region=f"{to_member}cohort__programme__region",
                    overseen=lambda me, to=to_member: Q(**{f"{to}person__in": apprentices_of(me)}),
                ),
            )
        for model, to_plan in ((models.CareerPlan, ""), (models.CareerGoal, "plan__")):
            register_model(
                model,
                Paths(
                    institution=f"{to_plan}person__institution",
                    department=f"{to_plan}person__department",
                    person=f"{to_plan}person",
                    region=f"{to_plan}person__institution__commission_region",
                    overseen=lambda me, to=to_plan: (
                        Q(**{f"{to}person__in": apprentices_of(me)})
                        | Q(**{f"{to}mentorship__mentor": me})
                    ),
                ),
            )
        # A flexibly introduced team belongs to the institution that introduced it; its lead
        # and members see it.
        for model in (models.FlexibleTeam, models.FlexibleTeamMember):
            auditlog.register(model)
        register_model(
            models.FlexibleTeam,
            Paths(
                institution="institution",
                department="department",
                region="institution__commission_region",
                overseen=lambda me: (
                    Q(lead=me)
                    | Q(pk__in=models.FlexibleTeamMember.objects.filter(person=me).values("team"))
                ),
            ),
        )
        # An evaluation belongs to its mentorship's institution; the apprentice sees theirs,
        # the mentor the ones of their apprentices.
        auditlog.register(models.MentorEvaluation)
        register_model(
            models.MentorEvaluation,
            Paths(
                institution="apprenticeship__mentorship__institution",
                department="apprenticeship__mentorship__department",
                person="apprenticeship__apprentice",
                region="apprenticeship__mentorship__institution__commission_region",
                overseen=lambda me: Q(apprenticeship__mentorship__mentor=me),
            ),
        )
