"""The organisation page nests departments as a tree, read in one query."""

import re

from tests import factories as f
from tests.conftest import login
from yicai.org import queries
from yicai.org.models import Department
from yicai.people.models import Person


def _branch(world):
    """甲: 心血管内科 > 心内二病区 (from the world) > 心内二病区监护室; 内科 > 呼吸内科."""
    medicine = f.department(world.a, "内科")
    f.department(world.a, "呼吸内科", parent=medicine)
    icu = f.department(world.a, "心内二病区监护室", parent=world.a_cardio_ward)
    f.person(world.a, "赵监护", department=icu)
    f.person(world.a, "钱病区", department=world.a_cardio_ward)
    return medicine


def test_departments_come_parent_first_by_pinyin_at_any_depth(world, django_assert_num_queries):
    _branch(world)
    queries.department_tree(world.hospital_a, world.a)  # the user's roles, read once
    with django_assert_num_queries(1):
        tree = queries.department_tree(world.hospital_a, world.a)
    assert [(node.department.name, node.depth) for node in tree] == [
        ("内科", 0),
        ("呼吸内科", 1),
        ("普外科", 0),
        ("心血管内科", 0),
        ("心内二病区", 1),
        ("心内二病区监护室", 2),
    ]
    cardiology = next(node for node in tree if node.department == world.a_cardiology)
    own = Person.objects.filter(department=world.a_cardiology).count()
    # Below it: the world's 赵护士 and 钱病区 in the ward, 赵监护 in its intensive care unit.
    assert (cardiology.staff_count, cardiology.branch_count) == (own, own + 3)


def test_a_cycle_of_departments_is_shown_once_and_ends(world):
    medicine = _branch(world)
    breathing = Department.objects.get(name="呼吸内科")
    # The form refuses this; the tree must still end if the data has it.
    Department.objects.filter(pk=medicine.pk).update(parent=breathing)
    names = [node.department.name for node in queries.department_tree(world.hospital_a, world.a)]
    assert sorted(names) == sorted(world.a.departments.values_list("name", flat=True))
    assert names[-2:] == ["呼吸内科", "内科"]


def test_the_organisation_page_indents_children_and_links_their_staff(world, client):
    _branch(world)
    login(client, world.hospital_a)
    html = client.get(f"/org/{world.a.pk}/").content.decode()
    table = html[html.index('id="department-tree"') :]
    depths = re.findall(r'data-depth="(\d)"', table)
    assert depths == ["0", "1", "0", "0", "1", "2"]
    ward = world.a_cardio_ward
    assert f"?institution={world.a.pk}&department={ward.pk}" in table
    assert "（含下级 3）" in table
