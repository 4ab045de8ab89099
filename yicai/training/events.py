"""Cultivation on a person's timeline."""

from django.db.models import Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from yicai.people.timeline import Event, register
from yicai.training.models import (
    AnnualReview,
    Apprenticeship,
    Attendance,
    CaseLog,
    CohortMember,
    Consultation,
    Enrolment,
    ExpertStudio,
    ExternalCredit,
    FlexibleTeam,
    Mentorship,
    Secondment,
    StudioMember,
    Visit,
)


def register_training_events() -> None:
    @register("training.studios")
    def studios(person):
        for studio in ExpertStudio.objects.filter(lead=person).select_related("institution"):
            yield Event(
                studio.founded_on,
                _("名医工作室"),
                _("领衔 %(studio)s（%(where)s）") % {"studio": studio, "where": studio.institution},
                section="training",
            )
        for member in StudioMember.objects.filter(person=person).select_related("studio"):
            yield Event(
                member.joined_on, _("名医工作室"), _("加入 %s") % member.studio, section="training"
            )

    @register("training.teams")
    def teams(person):
        teams = FlexibleTeam.objects.filter(
            Q(lead=person) | Q(members__person=person)
        ).select_related("institution")
        for team in teams.distinct():
            yield Event(
                team.introduced_on,
                _("柔性引进"),
                _("随 %(team)s 柔性引进至 %(where)s") % {"team": team, "where": team.institution},
                section="training",
            )

    @register("training.activity")
    def activity(person):
        today = timezone.localdate()
        visits = Visit.objects.filter(expert=person, held_on__lte=today).select_related(
            "institution"
        )
        for visit in visits:
            yield Event(
                visit.held_on,
                visit.get_kind_display(),
                _("赴 %s 开展专家活动") % visit.institution,
                section="training",
            )
        for item in Consultation.objects.filter(Q(expert=person) | Q(requester=person)):
            title = _("远程会诊（会诊专家）") if item.expert_id == person.pk else _("申请远程会诊")
            yield Event(item.held_on, _("远程会诊"), title, section="training")

    @register("training.secondments")
    def secondments(person):
        for item in Secondment.objects.filter(person=person).select_related("host"):
            where = f"{item.host} {item.host_department}"
            yield Event(item.start_on, _("进修"), _("赴 %s 进修") % where, section="training")
            if item.status == Secondment.Status.COMPLETED:
                yield Event(
                    item.completed_on, _("进修结业"), _("%s 进修结业") % where, section="training"
                )

    @register("training.mentorships")
    def mentorships(person):
        led = Mentorship.objects.filter(mentor=person).select_related("institution")
        for item in led:
            yield Event(
                item.start_on, _("带教"), _("在 %s 收徒") % item.institution, section="training"
            )
        joined = Apprenticeship.objects.filter(apprentice=person).select_related(
            "mentorship__mentor"
        )
        for item in joined:
            yield Event(
                item.mentorship.start_on,
                _("师带徒"),
                _("拜 %s 为师") % item.mentorship.mentor,
                section="training",
            )

    @register("training.case_logs")
    def first_independent_cases(person):
        firsts = (
            CaseLog.objects.filter(
                apprentice=person,
                role=CaseLog.Role.INDEPENDENT,
                verified_at__isnull=False,
            )
            .values("technique__name")
            .annotate(first=Min("performed_on"))
        )
        for row in firsts:
            yield Event(
                row["first"],
                _("独立完成"),
                _("首次独立完成 %s（已审核）") % row["technique__name"],
                section="training",
            )

    @register("training.education")
    def continuing_education(person):
        def credited(day, title, credit_class, amount):
            """Credits earned, at an event held here or elsewhere."""
            detail = _("%(class)s %(credits)s 分") % {"class": credit_class, "credits": amount}
            return Event(day, _("继续教育"), title, detail, section="training")

        attended = Attendance.objects.filter(person=person).select_related("event__institution")
        for item in attended:
            event = item.event
            yield credited(
                event.held_on,
                f"{event.get_kind_display()}：{event.title}（{event.institution.short_name}）",
                event.get_credit_class_display(),
                item.awarded,
            )
        for item in ExternalCredit.objects.filter(person=person):
            title = f"{item.title}（{item.provider}）"
            yield credited(item.earned_on, title, item.get_credit_class_display(), item.credits)
        for item in Enrolment.objects.filter(person=person):
            title = f"{item.provider} {item.programme}"
            if item.status == Enrolment.Status.WITHDRAWN:
                detail = item.get_status_display()
            else:
                detail = ""
            yield Event(item.start_on, item.get_kind_display(), title, detail, section="training")
            if item.status == Enrolment.Status.COMPLETED and item.end_on:
                yield Event(
                    item.end_on,
                    item.get_kind_display(),
                    _("%s 结业/毕业") % title,
                    section="training",
                )

    @register("training.programmes")
    def programmes(person):
        memberships = CohortMember.objects.filter(person=person).select_related("cohort__programme")
        for item in memberships:
            cohort = f"{item.cohort.programme.name}（{item.cohort.name}）"
            yield Event(item.entered_on, _("培养计划"), _("入选 %s") % cohort, section="training")
            if item.status == CohortMember.Status.COMPLETED:
                yield Event(
                    item.exited_on,
                    _("培养计划"),
                    _("%s 结业") % cohort,
                    _("证书编号 %s") % item.certificate_number,
                    section="training",
                )
            elif item.status == CohortMember.Status.WITHDRAWN:
                yield Event(
                    item.exited_on,
                    _("培养计划"),
                    _("退出 %s") % cohort,
                    item.exit_reason,
                    section="training",
                )
        reviews = AnnualReview.objects.filter(member__person=person).select_related(
            "member__cohort__programme"
        )
        for item in reviews:
            yield Event(
                item.reviewed_on,
                _("年度考核"),
                _("%(programme)s %(year)d 年度考核：%(rating)s")
                % {
                    "programme": item.member.cohort.programme.name,
                    "year": item.year,
                    "rating": item.get_rating_display(),
                },
                item.comments,
                section="training",
            )
