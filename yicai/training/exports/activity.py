"""Visits as spreadsheet rows."""

from django.utils.translation import gettext_lazy as _

VISIT_HEADERS = [
    _("日期"),
    _("专家"),
    _("形式"),
    _("机构"),
    _("科室"),
    _("名医工作室"),
    _("诊疗人次"),
    _("参加人数"),
    _("手术台次"),
    _("说明"),
]


def visit_rows(visits):
    for visit in visits.iterator(chunk_size=2000):
        yield [
            visit.held_on,
            visit.expert.name,
            visit.get_kind_display(),
            visit.institution.name,
            visit.department.name if visit.department else "",
            visit.studio.name if visit.studio else "",
            visit.patients,
            visit.attendees,
            visit.operations,
            visit.note,
        ]


CONSULTATION_HEADERS = [
    _("会诊日期"),
    _("会诊专家"),
    _("申请医生"),
    _("申请机构"),
    _("病情摘要"),
    _("会诊意见"),
    _("转归"),
]


def consultation_rows(consultations):
    for item in consultations.iterator(chunk_size=2000):
        yield [
            item.held_on,
            item.expert.name,
            item.requester.name,
            item.institution.name,
            item.summary,
            item.advice,
            item.outcome,
        ]
