"""Programmes, cohort members and the talent pool (英才库) as spreadsheet rows (the pages' own
queries, scoped and filtered)."""

from django.utils.translation import gettext_lazy as _

from yicai.training.queries import programmes as queries

PROGRAMME_HEADERS = [
    _("计划名称"),
    _("类别"),
    _("所属卫健委辖区"),
    _("培养周期（年）"),
    _("每期名额"),
    _("导师要求"),
    _("年龄要求"),
    _("最低职称级别"),
    _("期数"),
    _("最近一期"),
    _("最近一期已入选"),
    _("累计培养对象"),
    _("已结业"),
    _("状态"),
]


def age_rule(programme) -> str:
    low, high = programme.min_age, programme.max_age
    if low is not None and high is not None:
        return _("%(low)d—%(high)d 周岁") % {"low": low, "high": high}
    if high is not None:
        return _("不超过 %d 周岁") % high
    if low is not None:
        return _("不低于 %d 周岁") % low
    return ""


def programme_rows(programmes):
    programmes = list(programmes)  # a commission has a handful
    figures = queries.programme_figures(programmes)
    for item in programmes:
        row = figures[item.pk]
        latest = row["latest"]
        yield [
            item.name,
            item.get_kind_display(),
            item.region.name,
            item.duration_years,
            item.quota,
            item.mentor_rule,
            age_rule(item),
            item.get_min_title_grade_display() if item.min_title_grade else "",
            row["cohorts"],
            latest.name if latest else "",
            latest.places_taken if latest else "",
            row["members"],
            row["completed"],
            _("在用") if item.active else _("已停用"),
        ]


TALENT_POOL_HEADERS = [
    _("姓名"),
    _("所在机构"),
    _("所在科室"),
    _("现职称"),
    _("培养计划"),
    _("培养期"),
    _("入选日期"),
    _("结业/退出日期"),
    _("状态"),
    _("退出原因"),
    _("结业证书编号"),
]


def talent_pool_rows(members):
    for item in members.select_related("person__current_title").iterator(chunk_size=2000):
        person = item.person
        yield [
            person.name,
            person.institution.name if person.institution else "",
            person.department.name if person.department else "",
            person.current_title.name if person.current_title else "",
            item.cohort.programme.name,
            item.cohort.name,
            item.entered_on,
            item.exited_on or "",
            item.get_status_display(),
            item.exit_reason,
            item.certificate_number,
        ]


MEMBER_HEADERS = [
    _("姓名"),
    _("所在机构"),
    _("所在科室"),
    _("入选日期"),
    _("状态"),
    _("院内导师"),
    _("院外导师"),
    _("培养目标数"),
    _("年度考核"),
    _("结业/退出日期"),
    _("结业证书编号"),
]


def member_rows(members):
    """Rows of `queries.members_of(...)`: mentors annotated, reviews prefetched."""
    yes, no = _("有"), _("无")
    for item in members:
        person = item.person
        yield [
            person.name,
            person.institution.name if person.institution else "",
            person.department.name if person.department else "",
            item.entered_on,
            item.get_status_display(),
            yes if item.has_internal_mentor else no,
            yes if item.has_external_mentor else no,
            item.goal_count,
            "、".join(f"{r.year} {r.get_rating_display()}" for r in item.reviews.all()),
            item.exited_on or "",
            item.certificate_number,
        ]
