"""Secondments as spreadsheet rows (the page's own query, scoped and filtered)."""

from django.utils.translation import gettext_lazy as _

SECONDMENT_HEADERS = [
    _("进修人员"),
    _("所在机构"),
    _("所在科室"),
    _("进修批次"),
    _("进修医院"),
    _("进修科室"),
    _("开始日期"),
    _("结束日期"),
    _("挂钩领导"),
    _("状态"),
    _("月报数"),
    _("待批注月报"),
    _("未解决需求"),
    _("进修目标"),
]


def secondment_rows(secondments):
    for item in secondments.iterator(chunk_size=2000):
        person = item.person
        yield [
            person.name,
            person.institution.name if person.institution else "",
            person.department.name if person.department else "",
            item.batch.name if item.batch else "",
            item.host.name,
            item.host_department,
            item.start_on,
            item.end_on,
            item.linked_leader.name if item.linked_leader else "",
            item.get_status_display(),
            item.report_count,
            item.awaiting_comment,
            item.open_needs,
            item.objectives,
        ]
