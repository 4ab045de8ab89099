"""Partner agreements through the service: what is recorded, every refusal named by field in
Chinese and all at once, history with its real dates, and who sees and changes which."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from tests.recruitment.helpers import JINJIANG_SINCE, agreement
from yicai.recruitment import queries, services
from yicai.recruitment.models import PartnerAgreement

pytestmark = pytest.mark.django_db


def refusal(**call) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        call.pop("service", services.agreement_create)(**call)
    return caught.value.message_dict


def test_a_co_building_agreement_since_2021_is_recorded_with_its_real_dates(world):
    recorded = agreement(world, by=world.hospital_a, note="每周派专家坐诊")
    recorded.refresh_from_db()
    assert (recorded.institution, recorded.partner, recorded.partner_label) == (
        world.a,
        world.partner,
        "沪上合作医院",
    )
    assert (recorded.signed_on, recorded.starts_on, recorded.ends_on) == (
        datetime.date(2021, 3, 20),
        JINJIANG_SINCE,
        None,
    )


def test_a_partner_not_on_file_is_named_as_text(world):
    trusteeship = agreement(
        world,
        partner=None,
        partner_name="某大学附属医院",
        kind=PartnerAgreement.Kind.TRUSTEESHIP,
        title="区医院托管协议",
        ends_on=datetime.date(2026, 3, 31),
    )
    assert trusteeship.partner_label == "某大学附属医院"


def test_every_problem_is_named_by_field_at_once(world):
    errors = refusal(
        by=world.hospital_a,
        institution=world.b,
        department=world.a_surgery,
        kind="merger",
        title=" ",
        signed_on=datetime.date(2999, 1, 1),
        starts_on=datetime.date(2022, 1, 1),
        ends_on=datetime.date(2021, 12, 31),
    )
    assert errors == {
        "institution": ["所选机构不存在或不在您的管辖范围内。"],
        "department": ["科室不属于所选机构。"],
        "partner": ["请选择合作机构，或填写未登记机构的名称。"],
        "ends_on": ["截止日期不能早于起始日期。"],
        "kind": [errors["kind"][0]],
        "title": ["此项不能为空。"],
        "signed_on": ["日期不能晚于今天。"],
    }
    assert "merger" in errors["kind"][0]
    assert not PartnerAgreement.objects.exists()


def test_a_partner_must_be_one_on_file_and_not_named_twice(world):
    base = {
        "by": world.commission,
        "institution": world.a,
        "kind": "cooperation",
        "title": "合作协议",
        "signed_on": JINJIANG_SINCE,
        "starts_on": JINJIANG_SINCE,
    }
    assert refusal(**base, partner=world.b)["partner"] == ["所选机构不是登记在册的合作机构。"]
    assert refusal(**base, partner=world.partner, partner_name="复旦大学")["partner_name"] == [
        "已选择登记在册的合作机构，不必再填写名称。"
    ]


def test_an_agreement_ends_on_its_first_day_at_the_earliest(world):
    one_day = agreement(world, ends_on=JINJIANG_SINCE)
    assert one_day.ends_on == one_day.starts_on


def test_an_update_is_checked_as_a_creation_and_leaves_the_row_unchanged_when_refused(world):
    recorded = agreement(world)
    services.agreement_update(
        agreement=recorded, by=world.hospital_a, ends_on=datetime.date(2026, 4, 1)
    )
    recorded.refresh_from_db()
    assert recorded.ends_on == datetime.date(2026, 4, 1)
    errors = refusal(
        service=services.agreement_update,
        agreement=recorded,
        by=world.hospital_b,
        ends_on=datetime.date(2020, 1, 1),
    )
    assert set(errors) == {"institution", "ends_on"}
    recorded.refresh_from_db()
    assert recorded.ends_on == datetime.date(2026, 4, 1)
    with pytest.raises(TypeError):
        services.agreement_update(agreement=recorded, by=world.commission, created_at=None)


def test_an_institution_sees_its_own_a_department_head_its_department_the_commission_all(world):
    a_whole = agreement(world, title="全院合作")
    a_cardiology = agreement(world, department=world.a_cardiology, title="心血管专科联盟")
    b_own = agreement(world, world.b, title="乙中心对口帮扶")

    def seen(user, permission="recruitment.view"):
        return set(queries.agreements_for(user, permission))

    assert seen(world.commission) == {a_whole, a_cardiology, b_own}
    assert seen(world.hospital_a) == {a_whole, a_cardiology}
    assert seen(world.hospital_b) == {b_own}
    assert seen(world.dept_head) == {a_cardiology}
    assert seen(world.dept_head, "recruitment.edit") == set()
    for outsider in (world.mentor, world.trainee, world.auditor, world.security, world.nobody):
        assert seen(outsider) == set()


def test_filters_read_the_period_and_what_is_in_force_on_a_day(world):
    open_ended = agreement(world, title="长期共建")  # 2021-04-01 onwards
    ended = agreement(
        world,
        title="三年托管",
        starts_on=datetime.date(2018, 1, 1),
        signed_on=datetime.date(2017, 12, 1),
        ends_on=datetime.date(2020, 12, 31),
        kind="trusteeship",
    )

    def listed(**filters):
        return set(queries.agreement_list(world.commission, **filters))

    assert listed() == {open_ended, ended}
    assert listed(as_of=datetime.date(2019, 6, 1)) == {ended}
    assert listed(as_of=datetime.date(2021, 3, 31)) == set()
    assert listed(as_of=JINJIANG_SINCE) == {open_ended}
    assert listed(since=datetime.date(2020, 12, 31)) == {open_ended, ended}
    assert listed(since=datetime.date(2021, 1, 1)) == {open_ended}
    assert listed(until=datetime.date(2021, 3, 31)) == {ended}
    assert listed(since=datetime.date(2020, 1, 1), until=datetime.date(2022, 1, 1)) == {
        open_ended,
        ended,
    }
    assert listed(kind="trusteeship") == {ended}
    assert listed(q="沪上") == {open_ended, ended}
    assert listed(q="托管") == {ended}
    assert listed(institution=world.b) == set()


def test_an_alliance_and_a_county_community_are_kinds_of_agreement(world):
    kinds = {
        agreement(world, kind=kind, title=str(label)).get_kind_display()
        for kind, label in (("alliance", "医联体"), ("county_community", "医共体"))
    }
    assert kinds == {"医联体", "医共体"}
