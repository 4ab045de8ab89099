"""The main menu: 档案 first, then the 引 / 育 / 留 / 用 chain, then 管理.

Each app declares its own entries (`MENU` in its declarations module, see yicai.registry);
this module holds the sections, the role groups entries name, and `menu_for(user)`. Sections
whose work is not built yet end with a link to a page that says what is coming, so there are
no dead links. An entry appears for a user allowed to open it, and only for the roles it is of
use to: a trainee's 育 holds their cases, plan, secondment reports and credits, not the studio
subsidies or the quotas that would always be empty for them. Decided by roles and permissions
alone, so the menu costs no query on any page.
"""

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from yicai.access import scope
from yicai.access.models import Role, Scope, User
from yicai.registry import declared

# Roles that oversee other people (a region, an institution, a department): they get the
# lists of everyone in their scope and the statistics. A mentor and a staff member see their
# own work only.
OVERSEERS = frozenset({Role.COMMISSION_ADMIN, Role.INSTITUTION_ADMIN, Role.DEPARTMENT_HEAD})
ADMINISTRATORS = frozenset({Role.COMMISSION_ADMIN, Role.INSTITUTION_ADMIN})
MENTORS = OVERSEERS | {Role.MENTOR}
TRAINEES = OVERSEERS | {Role.STAFF}

Label = str | Promise
Actor = User | AnonymousUser


def oversees(user: Actor) -> bool:
    return bool(scope.roles(user) & OVERSEERS)


def lacks_person(user: Actor) -> bool:
    """Every role of the user works through their own person (a staff member, a mentor of
    their own apprentices), and no person is bound to the account: all they would see is
    empty."""
    held = scope.assignments(user)
    return (
        getattr(user, "person_id", None) is None
        and bool(held)
        and all(assignment.scope == Scope.SELF for assignment in held)
    )


@dataclass(frozen=True)
class Item:
    """One link of the menu as a user sees it."""

    label: Label
    url_name: str
    permission: str
    args: tuple[object, ...] = ()
    # The roles the item is of use to; None: every role with the permission.
    roles: frozenset[str] | None = None

    @property
    def url(self) -> str:
        urlconf = get_urlconf() or settings.ROOT_URLCONF
        return _address(self.url_name, self.args, get_script_prefix(), urlconf)


@lru_cache(maxsize=4096)
def _address(name: str, args: tuple[object, ...], prefix: str, urlconf: str) -> str:
    """A menu link's address: the same few dozen on every page, so reversed once each (keyed
    by what `reverse` reads besides them: the script prefix and the active URL conf)."""
    return reverse(name, args=args, urlconf=urlconf)


@dataclass(frozen=True)
class Entry:
    """What an app declares: an item, the section it goes under, and for whom."""

    section: str  # a key of SECTIONS
    item: Item
    # Entries of a section are ordered by this, then by app (INSTALLED_APPS) and declaration
    # order: only sections that several apps fill need to say it.
    order: int = 0
    # Whether the user gets the entry at all (beyond its permission and roles); no query.
    shown: Callable[[Actor], bool] | None = None
    # The link opens the user's own person (their profile).
    own_person: bool = False

    def for_user(self, user: Actor) -> Item | None:
        if self.shown is not None and not self.shown(user):
            return None
        if self.own_person:
            return replace(self.item, args=(getattr(user, "person_id", None),))
        return self.item


@dataclass
class Section:
    key: str
    label: Label
    items: list[Item] = field(default_factory=list)


# The chain's sections and what each will hold (shown on its page until it is built).
CHAIN: dict[str, tuple[Label, list[Label]]] = {
    "attract": (
        _("引 · 招才引智"),
        [
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
    "retain": (_("留 · 激励保障"), []),
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
# Every section, in the menu's order.
SECTIONS: dict[str, Label] = {
    "records": _("档案"),
    **{key: label for key, (label, _plans) in CHAIN.items()},
    "admin": _("管理"),
}
PLANS = "insights:chain"


@cache
def _entries() -> dict[str, list[Entry]]:
    """Every app's entries by section, in order, with each chain section's plans last."""
    by_section: dict[str, list[Entry]] = {key: [] for key in SECTIONS}
    for menu in declared("MENU"):
        for entry in menu:
            by_section[entry.section].append(entry)
    for key, entries in by_section.items():
        entries.sort(key=lambda entry: entry.order)  # stable: apps' order within an order
        if key in CHAIN:
            entries.append(Entry(key, Item(_("功能规划"), PLANS, "person.view", (key,))))
    return by_section


def menu_for(user: Actor) -> list[Section]:
    held = scope.roles(user)
    # Without their person such a user's pages are all empty; only the plans remain.
    empty = lacks_person(user)
    visible = []
    for key, entries in _entries().items():
        items = [
            item
            for item in (entry.for_user(user) for entry in entries)
            if item is not None
            and scope.has_perm(user, item.permission)
            and (item.roles is None or held & item.roles)
            and not (empty and item.url_name != PLANS)
        ]
        if items:
            visible.append(Section(key, SECTIONS[key], items))
    return visible
