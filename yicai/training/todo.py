"""What cultivation asks of a user today, for the home page's 我的待办 (yicai/todo.py).

- a trainee (职工 with a person): their cases awaiting verification, this month's secondment
  report, their CME credits this year against the requirement, their career plan's next goal;
- a mentor or department head: the cases waiting for them to verify; a mentor also their
  planned visits and their apprentices' progress;
- a linked leader (挂钩领导, whatever their role): the monthly reports awaiting their comment;
- a hospital administrator: the selection rounds open for nominations;
- the commission: rounds whose nominations closed or that wait for approval, and cohorts
  past their end with members still to complete.

Each provider first decides by roles and permissions, so a user it has nothing for costs no
query, and every count comes from the scoped queries in `queries/`.
"""

from urllib.parse import urlencode

from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from yicai import todo
from yicai.access.models import Role
from yicai.access.scope import has_perm, roles
from yicai.todo import Item
from yicai.training.models import SelectionRound
from yicai.training.queries import activity, careers, education, mentoring, programmes, secondments

# Those who verify cases as part of their work. Administrators may too, but nothing waits
# on them, so their home does not count the institution's every unverified case.
VERIFIERS = {Role.MENTOR, Role.DEPARTMENT_HEAD}


def _url(name: str, *args, anchor: str = "", **query) -> str:
    url = reverse(f"training:{name}", args=args)
    return url + (f"?{urlencode(query)}" if query else "") + (f"#{anchor}" if anchor else "")


def trainee(user) -> list[Item]:
    if user.person_id is None or Role.STAFF not in roles(user):
        return []
    today = timezone.localdate()
    items = [
        Item(
            _("我登记的病例待审核"),
            # By their name: the list also holds the cases naming them as supervisor.
            _url("cases", verified="no", q=user.person.name),
            count=todo.count(mentoring.cases_awaiting_verification(user)),
            key="training.own_cases",
        )
    ]
    month = today.replace(day=1)
    for secondment in secondments.reports_due(user, month):
        done = secondment.reported
        items.append(
            Item(
                _("%(year)d 年 %(month)d 月进修月报") % {"year": month.year, "month": month.month},
                _url("secondment", secondment.pk, anchor="reports" if done else "report-form"),
                detail=(_("已提交") if done else _("待提交"))
                + _("（%(host)s）") % {"host": secondment.host.name},
                done=done,
                key="training.monthly_report",
            )
        )
    credits = education.own_credits(user, today.year)
    if credits is not None:
        required = education.requirement_for(today.year)
        figures = {
            "total": floatformat(credits.total, -1),
            "required": floatformat(required.total, -1),
            "i": floatformat(credits.class_i, -1),
            "required_i": floatformat(required.class_i, -1),
            "ii": floatformat(credits.class_ii, -1),
            "required_ii": floatformat(required.class_ii, -1),
        }
        items.append(
            Item(
                _("%d 年继续教育学分") % today.year,
                _url("education_credits"),
                detail=_(
                    "已得 %(total)s / 要求 %(required)s 学分"
                    "（Ⅰ类 %(i)s / %(required_i)s，Ⅱ类 %(ii)s / %(required_ii)s）"
                )
                % figures,
                done=education.meets(credits, required),
                key="training.credits",
            )
        )
    if found := careers.next_goal(user):
        plan, goal, progress = found
        detail = _("%(year)d 年：%(goal)s") % {"year": goal.year, "goal": goal.text}
        items.append(
            Item(
                _("职业生涯规划的下一个目标"),
                _url("career", plan.pk),
                detail=detail + (_("（已逾期）") if progress.overdue else ""),
                key="training.next_goal",
            )
        )
    return items


def verifier(user) -> list[Item]:
    if not roles(user) & VERIFIERS:
        return []
    return [
        Item(
            _("待我审核的病例/手术记录"),
            _url("cases", verified="no"),
            count=todo.count(mentoring.cases_to_verify(user)),
            key="training.cases_to_verify",
        )
    ]


def mentor(user) -> list[Item]:
    if user.person_id is None or Role.MENTOR not in roles(user):
        return []
    items = []
    today = timezone.localdate()
    visits = activity.visits_planned(user)
    next_on = visits["next_on"]
    if visits["count"] and next_on is not None:  # a planned visit always has its day
        items.append(
            Item(
                _("计划中的专家活动"),
                _url("visits", since=today.isoformat()),
                count=visits["count"],
                detail=_("下一次：%s") % next_on.isoformat(),
                key="training.planned_visits",
            )
        )
    led = mentoring.apprentices_led(user)
    if led["apprentices"]:
        one = led["mentorships"] == 1
        items.append(
            Item(
                _("我的徒弟的带教进度"),
                _url("mentorship", led["first"]) if one else _url("mentorships", status="active"),
                detail=_("%d 名徒弟：病例审核与独立完成情况") % led["apprentices"],
                key="training.apprentices",
            )
        )
    return items


def linked_leader(user) -> list[Item]:
    if user.person_id is None or not has_perm(user, "training.view"):
        return []
    return todo.each(
        secondments.reports_to_comment(user),
        lambda secondment: Item(
            _("%s的进修月报待批注") % secondment.person.name,
            _url("secondment", secondment.pk, anchor="reports"),
            count=secondment.awaiting,
            detail=secondment.host.name,
            key="training.reports_to_comment",
        ),
        Item(
            _("其他进修人员的月报待批注"),
            _url("secondments", status="current"),
            key="training.reports_to_comment",
        ),
    )


def hospital(user) -> list[Item]:
    if Role.INSTITUTION_ADMIN not in roles(user):
        return []
    return todo.each(
        programmes.rounds_to_nominate(user),
        lambda selection_round: Item(
            _("征集提名：%s") % selection_round,
            _url("round", selection_round.pk),
            detail=_("%(closes)s 截止，本单位已提名 %(n)d 人")
            % {"closes": selection_round.closes_on.isoformat(), "n": selection_round.nominated},
            key="training.round_to_nominate",
        ),
        Item(_("其他征集提名中的遴选"), _url("programmes"), key="training.rounds"),
    )


def _waiting_round(selection_round) -> Item:
    if selection_round.status == SelectionRound.Status.OPEN:
        return Item(
            _("提名已截止，待进入评审：%s") % selection_round,
            _url("round", selection_round.pk),
            detail=_("提名截止于 %s") % selection_round.closes_on.isoformat(),
            key="training.round_to_review",
        )
    undecided = selection_round.undecided
    decided = _("提名均已决定，可以批准")
    return Item(
        _("遴选待批准：%s") % selection_round,
        _url("round", selection_round.pk),
        detail=_("%d 份提名待决定是否入选") % undecided if undecided else decided,
        key="training.round_to_approve",
    )


def commission(user) -> list[Item]:
    if not has_perm(user, "training.configure"):
        return []
    rounds = todo.each(
        programmes.rounds_waiting(user),
        _waiting_round,
        Item(_("其他待处理的遴选"), _url("programmes"), key="training.rounds"),
    )
    cohorts = todo.each(
        programmes.cohorts_to_complete(user),
        lambda cohort: Item(
            _("培养期已满，待结业：%s") % cohort,
            _url("cohort", cohort.pk, status="active"),
            count=cohort.active,
            detail=_("%s 结束") % cohort.end_on.isoformat(),
            key="training.cohort_to_complete",
        ),
        Item(
            _("其他培养期已满的期次"),
            _url("talent_pool", status="active"),
            key="training.cohorts",
        ),
    )
    return rounds + cohorts


def register_providers() -> None:
    for name, provider in (
        ("training.trainee", trainee),
        ("training.verifier", verifier),
        ("training.mentor", mentor),
        ("training.linked_leader", linked_leader),
        ("training.hospital", hospital),
        ("training.commission", commission),
    ):
        todo.register(name)(provider)
