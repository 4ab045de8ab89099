"""The main menu: 人才档案 and 机构 first, then the 引 / 育 / 留 / 用 chain.

Sections whose work is not built yet link to a page that says what is coming, so there are
no dead links. An item appears for a user allowed to open it, and only for the roles it is of
use to: a trainee's 育 holds their cases, plan, secondment reports and credits, not the
studio subsidies or the quotas that would always be empty for them. Decided by roles and
permissions alone, so the menu costs no query on any page.
"""

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from yicai.access import scope
from yicai.access.models import Role, Scope

# Roles that oversee other people (a region, an institution, a department): they get the
# lists of everyone in their scope and the statistics. A mentor and a staff member see their
# own work only.
OVERSEERS = frozenset({Role.COMMISSION_ADMIN, Role.INSTITUTION_ADMIN, Role.DEPARTMENT_HEAD})
ADMINISTRATORS = frozenset({Role.COMMISSION_ADMIN, Role.INSTITUTION_ADMIN})
MENTORS = OVERSEERS | {Role.MENTOR}
TRAINEES = OVERSEERS | {Role.STAFF}


def oversees(user) -> bool:
    return bool(scope.roles(user) & OVERSEERS)


def lacks_person(user) -> bool:
    """Every role of the user works through their own person (a staff member, a mentor of
    their own apprentices), and no person is bound to the account: all they would see is
    empty."""
    held = scope.assignments(user)
    return (
        user.person_id is None
        and bool(held)
        and all(assignment.scope == Scope.SELF for assignment in held)
    )


@dataclass
class Item:
    label: str
    url_name: str
    permission: str
    args: tuple = ()
    # The roles the item is of use to; None: every role with the permission.
    roles: frozenset | None = None

    @property
    def url(self) -> str:
        return reverse(self.url_name, args=self.args)


@dataclass
class Section:
    key: str
    label: str
    items: list[Item] = field(default_factory=list)


# The chain's sections and what each will hold (shown on its page until it is built).
CHAIN = {
    "attract": (
        _("引 · 招才引智"),
        [
            _("招聘计划（简易程序 / 公开招聘）"),
            _("人才引进与柔性引进"),
            _("安家补贴"),
            _("订单定向医学生与服务期"),
        ],
    ),
    "cultivate": (
        _("育 · 人才培养"),
        [
            _("培养计划（头雁 / 英才 / 育才）与英才库"),
            _("师带徒与名医工作室"),
            _("专家坐诊、查房、授课、手术指导"),
            _("远程会诊与线上教学"),
            _("病例记录与新技术新项目"),
            _("进修与挂钩领导"),
            _("继续医学教育学分"),
        ],
    ),
    "retain": (_("留 · 激励保障"), [_("人才激励办法与奖励"), _("经费台账"), _("“八个一”服务包")]),
    "use": (
        _("用 · 考核评价"),
        [
            _("考核方案：基础任务 + 竞赛激励"),
            _("指标与评分"),
            _("排名与结果运用"),
            _("技术比武与技能竞赛"),
        ],
    ),
}


def menu_for(user) -> list[Section]:
    records = [
        Item(_("人才档案"), "people:list", "person.view", roles=OVERSEERS),
        Item(_("数据导入"), "exchange:imports", "person.edit"),
        Item(_("医疗机构"), "org:list", "org.view", roles=OVERSEERS),
        Item(_("代码表"), "codes:list", "org.view", roles=OVERSEERS),
        Item(_("信息更正申请"), "people:corrections", "person.edit", roles=ADMINISTRATORS),
    ]
    if user.person_id is not None:
        # Anyone with a record may ask for it to be corrected (PIPL art. 46).
        records.append(Item(_("我的信息更正"), "people:corrections_mine", "person.view"))
    if user.person_id is not None and not oversees(user):
        records.insert(0, Item(_("我的档案"), "people:detail", "person.view", (user.person_id,)))
    sections = [Section("records", _("档案"), records)]
    built = {
        "cultivate": [
            Item(_("培养概览"), "training:overview", "training.view", roles=OVERSEERS),
            Item(_("培养计划"), "training:programmes", "training.view", roles=OVERSEERS),
            Item(_("英才库"), "training:talent_pool", "training.view", roles=OVERSEERS),
            Item(_("职业生涯规划"), "training:careers", "training.view"),
            Item(_("师带徒"), "training:mentorships", "training.view", roles=MENTORS),
            Item(_("病例/手术记录"), "training:cases", "training.view"),
            Item(_("新技术新项目"), "training:techniques", "training.view", roles=MENTORS),
            Item(_("名医工作室"), "training:studios", "training.view", roles=MENTORS),
            Item(_("柔性引进团队"), "training:teams", "training.view", roles=MENTORS),
            Item(_("专家活动"), "training:visits", "training.view", roles=MENTORS),
            Item(_("专家活动日历"), "training:visit_calendar", "training.view", roles=MENTORS),
            Item(_("远程会诊"), "training:consultations", "training.view", roles=MENTORS),
            Item(_("进修管理"), "training:secondments", "training.view", roles=TRAINEES),
            Item(_("继续教育活动"), "training:education_events", "training.view", roles=OVERSEERS),
            Item(_("继续教育学分"), "training:education_credits", "training.view", roles=TRAINEES),
            Item(
                _("学历教育与短期培训"),
                "training:education_enrolments",
                "training.view",
                roles=OVERSEERS,
            ),
            Item(_("培训指标"), "training:education_quotas", "training.view", roles=ADMINISTRATORS),
        ],
    }
    for key, (label, _plans) in CHAIN.items():
        plans = Item(_("功能规划"), "insights:chain", "person.view", (key,))
        sections.append(Section(key, label, [*built.get(key, []), plans]))
    sections.append(
        Section(
            "admin",
            _("管理"),
            [
                Item(_("审计日志"), "access:audit", "audit.view"),
                Item(_("用户与角色"), "access:users", "users.manage"),
                Item(_("安全策略"), "access:policy", "policy.manage"),
            ],
        )
    )
    held = scope.roles(user)
    # Without their person such a user's pages are all empty; only the plans remain.
    empty = lacks_person(user)
    visible = []
    for section in sections:
        section.items = [
            item
            for item in section.items
            if scope.has_perm(user, item.permission)
            and (item.roles is None or held & item.roles)
            and not (empty and item.url_name != "insights:chain")
        ]
        if section.items:
            visible.append(section)
    return visible
