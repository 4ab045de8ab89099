"""Continuing education, credits, quotas and enrolments as spreadsheet rows (the pages' own
scoped, filtered queries)."""

from django.utils.translation import gettext_lazy as _

from yicai.training.queries.education import meets, round_credits

EVENT_HEADERS = [
    _("日期"),
    _("形式"),
    _("主题"),
    _("主办机构"),
    _("主办科室"),
    _("主讲人"),
    _("学时"),
    _("学分类别"),
    _("每人学分"),
    _("参加人数"),
]

CREDIT_HEADERS = [
    _("姓名"),
    _("机构"),
    _("科室"),
    _("年度"),
    _("Ⅰ类学分"),
    _("Ⅱ类学分"),
    _("合计"),
    _("要求总学分"),
    _("要求Ⅰ类学分"),
    _("要求Ⅱ类学分"),
    _("是否达到要求"),
]

QUOTA_HEADERS = [
    _("年度"),
    _("机构"),
    _("培训类别"),
    _("指标（人次）"),
    _("已完成（人次）"),
    _("完成率"),
]

ENROLMENT_HEADERS = [
    _("姓名"),
    _("机构"),
    _("科室"),
    _("类别"),
    _("培训/就读单位"),
    _("项目/专业"),
    _("开始日期"),
    _("结束日期"),
    _("状态"),
]


def event_rows(events):
    for event in events.iterator(chunk_size=2000):
        yield [
            event.held_on,
            event.get_kind_display(),
            event.title,
            event.institution.name,
            event.department.name if event.department else "",
            event.speaker_display,
            event.hours,
            event.get_credit_class_display(),
            event.credits,
            event.attendee_count,
        ]


def credit_rows(requirement):
    def rows(people):
        for person in people.iterator(chunk_size=2000):
            yield [
                person.name,
                person.institution.name if person.institution else "",
                person.department.name if person.department else "",
                requirement.year,
                round_credits(person.class_i),
                round_credits(person.class_ii),
                round_credits(person.total),
                requirement.total,
                requirement.class_i,
                requirement.class_ii,
                _("是") if meets(person, requirement) else _("否"),
            ]

    return rows


def rate(done: int, quota: int) -> str:
    return f"{done * 100 // quota}%" if quota else ""


def quota_rows(quotas):
    for quota in quotas.iterator(chunk_size=2000):
        yield [
            quota.year,
            quota.institution.name,
            quota.get_kind_display(),
            quota.number,
            quota.fulfilled,
            rate(quota.fulfilled, quota.number),
        ]


def enrolment_rows(enrolments):
    for item in enrolments.iterator(chunk_size=2000):
        person = item.person
        yield [
            person.name,
            person.institution.name if person.institution else "",
            person.department.name if person.department else "",
            item.get_kind_display(),
            item.provider,
            item.programme,
            item.start_on,
            item.end_on or "",
            item.get_status_display(),
        ]
