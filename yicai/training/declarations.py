"""What training gives each role and shows in the menu (see yicai.registry): the example to
copy for a new app."""

from django.utils.translation import gettext_lazy as _

from yicai.access.models import Role
from yicai.menu import ADMINISTRATORS, MENTORS, OVERSEERS, TRAINEES, Entry, Item, Label

# Recording the past with its real dates (a round's nominations, case logs on an apprentice's
# behalf, a finished secondment's reports, BACKFILL): administrators only, apart from
# training.edit, so that a role could keep today's records without rewriting history.
BACKFILL = "training.backfill"
_KEEPS = {"training.view", "training.edit", "training.export", "training.verify", BACKFILL}
PERMISSIONS = {
    Role.COMMISSION_ADMIN: _KEEPS | {"training.configure"},
    Role.INSTITUTION_ADMIN: _KEEPS,
    Role.DEPARTMENT_HEAD: {"training.view", "training.export", "training.verify"},
    Role.MENTOR: {"training.view", "training.verify"},
    Role.STAFF: {"training.view", "training.log"},
}
# What a person oversees without owning it (their apprentices' cases, their trainees' reports)
# they read and confirm, never change: a mentor who administers another hospital does not
# edit the mentorship they teach in there.
OVERSEEING = {"training.view", "training.export", "training.verify"}


def _page(label: Label, url_name: str, roles: frozenset[str] | None = None) -> Entry:
    """A page of 育, open to whoever views cultivation records (of use to `roles`)."""
    return Entry("cultivate", Item(label, url_name, "training.view", roles=roles))


MENU = [
    _page(_("培养概览"), "training:overview", OVERSEERS),
    _page(_("培养计划"), "training:programmes", OVERSEERS),
    _page(_("英才库"), "training:talent_pool", OVERSEERS),
    _page(_("职业生涯规划"), "training:careers"),
    _page(_("师带徒"), "training:mentorships", MENTORS),
    _page(_("病例/手术记录"), "training:cases"),
    _page(_("新技术新项目"), "training:techniques", MENTORS),
    _page(_("名医工作室"), "training:studios", MENTORS),
    _page(_("柔性引进团队"), "training:teams", MENTORS),
    _page(_("专家活动"), "training:visits", MENTORS),
    _page(_("专家活动日历"), "training:visit_calendar", MENTORS),
    _page(_("远程会诊"), "training:consultations", MENTORS),
    _page(_("进修管理"), "training:secondments", TRAINEES),
    _page(_("继续教育活动"), "training:education_events", OVERSEERS),
    _page(_("继续教育学分"), "training:education_credits", TRAINEES),
    _page(_("学历教育与短期培训"), "training:education_enrolments", OVERSEERS),
    _page(_("培训指标"), "training:education_quotas", ADMINISTRATORS),
]
