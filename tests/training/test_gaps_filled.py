"""A technical gap is filled by the first verified independent case, and by nothing else;
withdrawing that verification un-fills it. Progress counts verified cases only."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from tests.training.helpers import DAY, case, mentorship, technique
from yicai.training.models import CaseLog, Technique
from yicai.training.queries.mentoring import (
    case_progress,
    first_in_region,
    gaps_filled,
    techniques_for,
    with_gap_dates,
)
from yicai.training.services.mentoring import case_log_create, case_log_unverify, case_log_verify


def _gap(world, item):
    return techniques_for(world.commission).get(pk=item.pk).gap_filled_on


def test_only_a_verified_independent_case_fills_a_gap(world):
    item = technique(world)
    for role in (CaseLog.Role.OBSERVED, CaseLog.Role.ASSISTED, CaseLog.Role.SUPERVISED):
        case_log_verify(case_log=case(world, item, role=role), user=world.mentor)
    unverified = case(world, item, on=DAY + datetime.timedelta(days=1))
    assert _gap(world, item) is None
    case_log_verify(case_log=unverified, user=world.mentor)
    assert _gap(world, item) == DAY + datetime.timedelta(days=1)
    assert list(gaps_filled(world.commission)) == [item]


def test_the_gap_dates_from_the_earliest_verified_case_and_unverifying_it_unfills(world):
    item = technique(world)
    later = case(world, item, on=DAY + datetime.timedelta(days=30))
    first = case(world, item, on=DAY)
    for log in (later, first):
        case_log_verify(case_log=log, user=world.mentor)
    assert _gap(world, item) == DAY
    case_log_unverify(case_log=first, user=world.mentor)
    assert _gap(world, item) == DAY + datetime.timedelta(days=30)
    case_log_unverify(case_log=later, user=world.mentor)
    assert _gap(world, item) is None
    assert not gaps_filled(world.commission).exists()


def test_gaps_since_a_date_and_the_regions_first(world):
    from tests import factories

    a_item = technique(world)
    case_log_verify(case_log=case(world, a_item, on=DAY), user=world.mentor)
    b_item = technique(world, institution=world.b)
    case_log_verify(
        case_log=case(
            world, b_item, on=DAY - datetime.timedelta(days=5), apprentice=world.b_doctor
        ),
        user=world.mentor,
    )
    other_region = factories.institution("外区医院", commission="310104")
    far = technique(world, institution=other_region)
    elsewhere = factories.person(other_region, "外区医生")
    case_log_verify(
        case_log=case(world, far, on=DAY + datetime.timedelta(days=9), apprentice=elsewhere),
        user=world.mentor,
    )
    assert set(gaps_filled(world.commission, since=DAY)) == {a_item}
    filled = gaps_filled(world.commission)
    # B was the district's first; the other district's was its own first, later.
    assert first_in_region(filled) == {b_item.pk}
    far = with_gap_dates(Technique.objects.filter(pk=far.pk)).get()
    assert first_in_region([far]) == {far.pk}


def test_progress_counts_verified_cases_by_level(world):
    item = technique(world)
    for day in range(10):
        log = case(world, item, on=DAY + datetime.timedelta(days=day))
        case_log_verify(case_log=log, user=world.mentor)
    case(world, item, role=CaseLog.Role.ASSISTED)
    (row,) = case_progress(world.a_doctor)
    assert (row["technique__name"], row["independent"], row["assisted"], row["unverified"]) == (
        "单孔腹腔镜胆囊切除术",
        10,
        0,
        1,
    )


def test_an_apprentice_never_verifies_their_own_case(world):
    log = case(world, technique(world))
    with pytest.raises(ValidationError, match="不能审核本人"):
        case_log_verify(case_log=log, user=world.trainee)
    log.refresh_from_db()
    assert log.verified_at is None


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"performed_on": datetime.date(2999, 1, 1)}, "performed_on", "不能晚于今天"),
        ({"note": "患者身份证 310113198506010011"}, "note", "患者信息"),
        ({"role": "surgeon"}, "role", ""),
    ],
)
def test_a_bad_case_log_is_refused_by_field_and_nothing_is_saved(world, change, field, message):
    item = technique(world)
    values = {"performed_on": DAY, "role": CaseLog.Role.INDEPENDENT, **change}
    with pytest.raises(ValidationError) as raised:
        case_log_create(apprentice=world.a_doctor, technique=item, **values)
    assert field in raised.value.message_dict
    assert message in " ".join(raised.value.message_dict[field])
    assert not CaseLog.objects.exists()


def test_a_case_is_logged_only_at_the_apprentices_institution_and_own_mentorship(world):
    b_item = technique(world, institution=world.b)
    with pytest.raises(ValidationError) as raised:
        case(world, b_item)
    assert "所在机构没有登记这项技术" in raised.value.message_dict["technique"][0]
    other = mentorship(world, world.a_surgeon)
    with pytest.raises(ValidationError) as raised:
        case(world, technique(world, "经皮肾镜取石术"), mentorship=other)
    assert "mentorship" in raised.value.message_dict
    with pytest.raises(ValidationError) as raised:
        case(world, technique(world, "胃镜下息肉切除术"), supervisor=world.a_doctor)
    assert "supervisor" in raised.value.message_dict


def test_a_mentorship_needs_apprentices_of_its_institution(world):
    created = mentorship(world)
    assert created.kind == "external" and created.apprenticeships.count() == 1
    with pytest.raises(ValidationError) as raised:
        mentorship(world, world.b_doctor)
    assert "apprentices" in raised.value.message_dict
    with pytest.raises(ValidationError) as raised:
        mentorship(world, world.partner_expert)
    assert "自己的徒弟" in raised.value.message_dict["apprentices"][0]


def test_a_technique_is_registered_once_per_institution(world):
    technique(world)
    with pytest.raises(ValidationError) as raised:
        technique(world)
    assert "已登记同名" in " ".join(raised.value.messages)
