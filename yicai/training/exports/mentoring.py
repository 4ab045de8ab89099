"""Case logs and techniques as spreadsheet rows (the pages' own queries, scoped and filtered)."""

from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yicai.training.queries.mentoring import first_in_region

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

CASE_HEADERS = [
    _("日期"),
    _("记录人"),
    _("机构"),
    _("技术"),
    _("参与程度"),
    _("指导/审核人"),
    _("审核状态"),
    _("审核人"),
    _("审核时间"),
    _("说明"),
    _("代录人"),
    _("纸质审核凭证"),
]


TECHNIQUE_HEADERS = [
    _("机构"),
    _("科室"),
    _("技术名称"),
    _("类别"),
    _("来源"),
    _("状态"),
    _("已审核独立完成例数"),
    _("填补空白日期"),
    _("区域首例"),
]


def case_rows(cases):
    for case in cases.iterator(chunk_size=2000):
        yield [
            case.performed_on,
            case.apprentice.name,
            case.technique.institution.name,
            case.technique.name,
            case.get_role_display(),
            case.supervisor.name if case.supervisor else "",
            _verification(case),
            case.verified_by_name,
            timezone.localtime(case.verified_at).strftime("%Y-%m-%d %H:%M")
            if case.verified
            else "",
            case.note,
            _name(case.entered_by) if case.entered_on_behalf else "",
            case.paper_reference,
        ]


def _verification(case) -> "StrOrPromise":
    if case.verified_on_paper:
        return _("纸质审核")
    return _("已审核") if case.verified else _("待审核")


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


def technique_rows(techniques):
    firsts = first_in_region(techniques)
    for item in techniques:
        yield [
            item.institution.name,
            item.department.name if item.department else "",
            item.name,
            item.get_category_display(),
            item.get_origin_display(),
            item.get_status_display(),
            item.verified_independent,
            item.gap_filled_on or "",
            _("是") if item.pk in firsts else "",
        ]


MENTORSHIP_HEADERS = [
    _("导师"),
    _("导师类别"),
    _("带教机构"),
    _("带教科室"),
    _("徒弟"),
    _("开始日期"),
    _("结束日期"),
    _("状态"),
    _("目标来院次数"),
    _("已来院次数"),
    _("目标授课次数"),
    _("已授课次数"),
    _("目标手术指导台次"),
    _("已手术指导台次"),
]


def mentorship_rows(mentorships):
    """Rows of `queries.with_done(mentorship_list(...))`: the apprentices come prefetched."""
    for item in mentorships.iterator(chunk_size=2000):
        yield [
            item.mentor.name,
            item.get_kind_display(),
            item.institution.name,
            item.department.name if item.department else "",
            "、".join(link.apprentice.name for link in item.apprenticeships.all()),
            item.start_on,
            item.end_on or "",
            item.get_status_display(),
            item.target_visits,
            item.visits_done,
            item.target_lectures,
            item.lectures_done,
            item.target_operations,
            item.operations_done,
        ]
