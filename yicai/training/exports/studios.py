"""Studios as spreadsheet rows."""

from django.utils.translation import gettext_lazy as _

STUDIO_HEADERS = [
    _("工作室名称"),
    _("级别"),
    _("领衔专家"),
    _("依托机构"),
    _("依托科室"),
    _("成立日期"),
    _("撤销日期"),
    _("成员数"),
]


def studio_rows(studios):
    for studio in studios.iterator(chunk_size=2000):
        yield [
            studio.name,
            studio.get_tier_display(),
            studio.lead.name,
            studio.institution.name,
            studio.department.name if studio.department else "",
            studio.founded_on,
            studio.closed_on or "",
            studio.member_count,
        ]
