"""A commission may not move an institution out of its own reach (to another commission's
region): the service refuses it for the page and the API alike, with one message, and
nothing is saved."""

import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from tests import factories
from tests.conftest import login
from yicai.org import services
from yicai.org.models import Institution

pytestmark = pytest.mark.django_db
MESSAGE = "该机构将超出您的管辖范围。"
ELSEWHERE = "310104"  # 徐汇区, another district's commission


def _fields(institution: Institution, **changes) -> dict:
    fields = {name: getattr(institution, name) for name in services.INSTITUTION_FIELDS}
    return {**fields, **changes}


def test_the_service_refuses_a_move_out_of_the_users_reach_and_saves_nothing(world):
    before = Institution.objects.get(pk=world.a.pk).commission_region_id
    with pytest.raises(ValidationError) as refused:
        services.institution_save(
            institution=world.a,
            by=world.commission,
            **_fields(world.a, commission_region=factories.region(ELSEWHERE)),
        )
    assert refused.value.message_dict == {"commission_region": [MESSAGE]}
    assert Institution.objects.get(pk=world.a.pk).commission_region_id == before


def test_without_a_user_the_service_does_not_ask(world):
    """An import or the demo, which save no one's edit, are not refused."""
    saved = services.institution_save(
        institution=world.a, **_fields(world.a, commission_region=factories.region(ELSEWHERE))
    )
    assert saved.commission_region.code == ELSEWHERE


def test_the_api_answers_the_same_message(world):
    client = login(APIClient(), world.commission)
    answer = client.patch(
        f"/api/v1/institutions/{world.a.pk}/",
        {"commission_region": factories.region(ELSEWHERE).pk},
        format="json",
    )
    assert answer.status_code == 400, answer.content
    assert MESSAGE in answer.content.decode()
    assert Institution.objects.get(pk=world.a.pk).commission_region.code != ELSEWHERE
