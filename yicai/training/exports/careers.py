"""Career plans as spreadsheet rows: one row per goal, with its progress as derived from the
records (the page's own query, scoped and filtered)."""

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from yicai.training.queries import careers as queries

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

CAREER_HEADERS = [
    _("姓名"),
    _("所在机构"),
    _("年度"),
    _("类别"),
    _("目标"),
    _("目标职称/技术/篇数/培训"),
    _("完成情况"),
    _("完成日期"),
    _("依据"),
]


def target_label(goal) -> str:
    if goal.target_title_id:
        return goal.target_title.name
    if goal.target_technique_id:
        return goal.target_technique.name
    if goal.target_papers:
        return _("%d 篇") % goal.target_papers
    if goal.target_training_kind:
        return goal.get_target_training_kind_display()
    return ""


def status_label(progress) -> "StrOrPromise":
    if progress.met:
        return _("已达成")
    return _("逾期未达成") if progress.overdue else _("未达成")


def career_rows(plans):
    for goal, progress in queries.plan_goals_for_export(plans):
        person = goal.plan.person
        yield [
            person.name,
            person.institution.name if person.institution else "",
            goal.year,
            goal.get_kind_display(),
            goal.text,
            target_label(goal),
            status_label(progress),
            progress.met_on or "",
            progress.evidence,
        ]
