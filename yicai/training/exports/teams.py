"""Flexibly introduced teams as spreadsheet rows."""

from django.utils.translation import gettext_lazy as _

TEAM_HEADERS = [
    _("团队名称"),
    _("派出医院"),
    _("团队负责人"),
    _("引进机构"),
    _("对口科室"),
    _("引进日期"),
    _("结束日期"),
    _("成员数"),
]


def team_rows(teams):
    for team in teams.iterator(chunk_size=2000):
        yield [
            team.name,
            team.source.name,
            team.lead.name,
            team.institution.name,
            team.department.name if team.department else "",
            team.introduced_on,
            team.ended_on or "",
            team.member_count,
        ]
