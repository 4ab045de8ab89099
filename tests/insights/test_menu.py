"""The main menu shows each role what it can use: a trainee's 育 holds their cases, plan,
secondment reports and credits, not the studios or the quotas; every entry opens."""

import pytest

from tests import factories
from tests.conftest import login
from yicai.access import scope
from yicai.access.models import Role
from yicai.menu import menu_for


def labels(user) -> dict[str, list[str]]:
    return {section.key: [str(item.label) for item in section.items] for section in menu_for(user)}


def test_a_trainee_sees_their_own_work_only(world):
    menu = labels(world.trainee)
    # Their record, and the correction requests they filed about it (PIPL art. 46).
    assert menu["records"] == ["我的档案", "我的信息更正"]
    assert menu["cultivate"] == [
        "职业生涯规划",
        "病例/手术记录",
        "进修管理",
        "继续教育学分",
        "功能规划",
    ]
    for section in ("attract", "retain"):
        assert menu[section] == ["功能规划"]  # the chain's plans stay as they are
    # The schemes that assess them (their own sheet once published), not reviewers' work.
    assert menu["use"] == ["考核方案", "功能规划"]
    assert "admin" not in menu


def test_a_mentor_sees_teaching_and_visits_not_secondments_or_quotas(world):
    cultivate = labels(world.mentor)["cultivate"]
    assert {"师带徒", "病例/手术记录", "专家活动", "专家活动日历", "名医工作室"} <= set(cultivate)
    assert not {"进修管理", "继续教育学分", "培训指标", "培养概览", "英才库"} & set(cultivate)


def test_a_department_head_oversees_but_does_not_set_quotas_or_import(world):
    menu = labels(world.dept_head)
    assert menu["records"] == ["人才档案", "医疗机构", "代码表"]
    assert "培养概览" in menu["cultivate"] and "培训指标" not in menu["cultivate"]


def test_administrators_see_everything_of_their_work(world):
    for user in (world.hospital_a, world.commission):
        menu = labels(user)
        assert menu["records"] == ["人才档案", "数据导入", "医疗机构", "代码表", "信息更正申请"]
        assert len(menu["cultivate"]) == 18  # every cultivation page and the plans
    assert labels(world.security) == {"admin": ["用户与角色", "安全策略"]}
    assert labels(world.auditor) == {"admin": ["审计日志"]}


def test_a_staff_account_without_its_person_is_offered_only_the_plans(world):
    newcomer = factories.user("newcomer", roles=[(Role.STAFF, {})])
    assert labels(newcomer) == {
        key: ["功能规划"] for key in ("attract", "cultivate", "retain", "use")
    }


def test_the_menu_costs_no_query(world, django_assert_num_queries):
    scope.assignments(world.trainee)  # read once per request, for every page
    with django_assert_num_queries(0):
        menu_for(world.trainee)


@pytest.mark.parametrize(
    "persona", ["trainee", "mentor", "dept_head", "hospital_a", "commission", "security", "auditor"]
)
def test_every_menu_entry_opens(world, client, persona):
    user = getattr(world, persona)
    login(client, user)
    for section in menu_for(user):
        for item in section.items:
            assert client.get(item.url).status_code == 200, (persona, item.url)


# The apps whose entries insights wrote by hand, before each app declared its own.
APPS_OF_BEFORE = {"people", "exchange", "org", "codes", "training", "insights", "access"}


def test_the_apps_entries_keep_the_menu_of_before(world):
    # The menu as insights wrote it by hand; entries of apps added since (recruitment) are
    # checked by their own tests.
    of_before = {
        section.key: [
            str(item.label)
            for item in section.items
            if item.url_name.split(":")[0] in APPS_OF_BEFORE
        ]
        for section in menu_for(world.commission)
    }
    assert of_before == {
        "records": ["人才档案", "数据导入", "医疗机构", "代码表", "信息更正申请"],
        "attract": ["功能规划"],
        "cultivate": [
            "培养概览",
            "培养计划",
            "英才库",
            "职业生涯规划",
            "师带徒",
            "病例/手术记录",
            "新技术新项目",
            "名医工作室",
            "柔性引进团队",
            "专家活动",
            "专家活动日历",
            "远程会诊",
            "进修管理",
            "继续教育活动",
            "继续教育学分",
            "学历教育与短期培训",
            "培训指标",
            "功能规划",
        ],
        "retain": ["功能规划"],
        # insights' own since: the dashboard (test_dashboard.py), the annual report
        # (test_annual_report.py), the WISN studies (test_wisn_pages.py), the national table
        # (test_national_table.py) and workforce planning (test_planning.py,
        # test_norm_gaps.py, test_priorities.py).
        "use": [
            "人才驾驶舱",
            "人才工作年度报告",
            "人员需求测算（WISN）",
            "规划指标",
            "退休预测",
            "规划参数",
            "常住人口",
            "人才工作优先事项",
            "配置标准缺口",
            "卫生人力基本信息调查表",
            "功能规划",
        ],
    }
    assert list(labels(world.commission)) == ["records", "attract", "cultivate", "retain", "use"]
    # A hospital plans no region: its 用 has the projection and the parameters, not the
    # figures per 1,000 population or the population.
    use = labels(world.hospital_a)["use"]
    assert {"退休预测", "规划参数", "人才工作优先事项", "配置标准缺口"} <= set(use)
    assert not {"规划指标", "常住人口"} & set(use)
    # A department head reads the priorities of their department, without a menu entry.
    assert "人才工作优先事项" not in labels(world.dept_head).get("use", [])
    mine = menu_for(world.trainee)[0].items[0]
    assert (mine.url_name, mine.args) == ("people:detail", (world.trainee.person_id,))
