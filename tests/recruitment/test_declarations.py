"""What recruitment declares: its permissions by role and its menu entries under 引."""

from yicai.access import scope
from yicai.access.models import Role
from yicai.menu import menu_for

RECRUITMENT = {"recruitment.view", "recruitment.edit", "recruitment.export"}


def labels(user) -> dict[str, list[str]]:
    return {section.key: [str(item.label) for item in section.items] for section in menu_for(user)}


def test_administrators_keep_the_records_the_commission_approves_plans():
    def held(role):
        return {p for p in scope.permissions()[role] if p.startswith("recruitment.")}

    assert held(Role.COMMISSION_ADMIN) == RECRUITMENT | {"recruitment.approve"}
    assert held(Role.INSTITUTION_ADMIN) == RECRUITMENT
    assert held(Role.DEPARTMENT_HEAD) == {"recruitment.view"}
    for role in (Role.MENTOR, Role.STAFF, Role.AUDITOR, Role.SECURITY_ADMIN):
        assert held(role) == set()


def test_the_menu_lists_plans_for_administrators_and_agreements_for_those_who_oversee(world):
    overseen = [
        "招才引智概览",
        "人才引进",
        "紧缺与高层次人才增长",
        "专家网络",
        "合作协议",
        "功能规划",
    ]
    for user in (world.commission, world.hospital_a):
        assert labels(user)["attract"] == [
            "招才引智概览",
            "招聘计划",
            "报名人员",
            "人才引进",
            "定向培养",
            *overseen[2:],
        ]
    assert labels(world.dept_head)["attract"] == overseen
    for user in (world.mentor, world.trainee):
        assert "合作协议" not in labels(user).get("attract", [])
