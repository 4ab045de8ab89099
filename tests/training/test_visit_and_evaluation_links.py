"""External experts confirm a visit and a mentor's evaluation through the same signed,
expiring, one-time links as case logs: without an account, once, audited, and a token cannot be
altered to confirm another record (of another kind either)."""

import datetime

import pytest
from django.core import signing
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.conftest import login
from tests.training import helpers
from yicai.access.models import AuditEntry
from yicai.training.models import ConfirmationLink, MentorEvaluation, Visit
from yicai.training.services.activity import visit_record
from yicai.training.services.evaluations import evaluation_record
from yicai.training.services.mentoring import (
    LINK_SALT,
    confirmation_link_create,
    confirmation_link_use,
)

pytestmark = pytest.mark.django_db
DAY = datetime.date(2025, 5, 6)


def visit(world, **extra):
    return visit_record(
        expert=world.partner_expert,
        kind=Visit.Kind.CLINIC,
        institution=world.a,
        held_on=DAY,
        **extra,
    )


def evaluation(world):
    pair = helpers.mentorship(world)
    return evaluation_record(
        apprenticeship=pair.apprenticeships.get(),
        period="2025年上半年",
        rating=MentorEvaluation.Rating.GOOD,
        comments="操作规范，进步明显",
        user=world.hospital_a,
    )


def _token_from(response) -> str:
    url = response.context["url"]
    return url.rstrip("/").rsplit("/", 1)[-1]


def test_the_expert_confirms_a_visit_through_a_link(client, world):
    held = visit(world)
    login(client, world.hospital_a)
    token = _token_from(client.post(reverse("training:visit_link", args=[held.pk])))
    client.logout()
    page = client.get(reverse("training:confirm", args=[token]))
    assert page.status_code == 200
    assert "专家活动确认" in page.content.decode()
    client.post(reverse("training:confirm", args=[token]), {"name": "孙名医"})
    held.refresh_from_db()
    assert held.confirmed_by_name == "孙名医" and held.confirmed_at is not None
    again = client.get(reverse("training:confirm", args=[token]))
    assert again.status_code == 410
    events = AuditEntry.objects.filter(event=AuditEntry.Event.CONFIRM)
    assert events.count() == 2  # the link made, the link used


def test_the_mentor_confirms_an_evaluation_recorded_from_the_page(client, world):
    pair = helpers.mentorship(world)
    login(client, world.hospital_a)
    client.post(
        reverse("training:evaluation_create", args=[pair.pk]),
        {
            "apprenticeship": pair.apprenticeships.get().pk,
            "period": "2025年上半年",
            "rating": "excellent",
            "comments": "可独立开展",
        },
    )
    made = MentorEvaluation.objects.get()
    assert made.recorded_by == world.hospital_a
    page = client.get(reverse("training:mentorship", args=[pair.pk]))
    assert "可独立开展" in page.content.decode()
    token = _token_from(client.post(reverse("training:evaluation_link", args=[made.pk])))
    confirmation_link_use(token=token, name="孙名医")
    made.refresh_from_db()
    assert made.confirmed and made.confirmed_by_name == "孙名医"


def test_an_evaluation_refuses_patient_numbers_and_a_second_one_for_the_period(world):
    first = evaluation(world)
    with pytest.raises(ValidationError, match="评价已登记"):
        evaluation_record(
            apprenticeship=first.apprenticeship, period="2025年上半年", rating="good", user=None
        )
    with pytest.raises(ValidationError) as caught:
        evaluation_record(
            apprenticeship=first.apprenticeship,
            period="2025年下半年",
            rating="good",
            comments="患者 310101199001011234",
            user=None,
        )
    assert "comments" in caught.value.message_dict
    assert MentorEvaluation.objects.count() == 1


def test_a_token_cannot_be_turned_to_another_record_or_kind(world):
    held, other = visit(world), visit(world, note="另一次")
    made = evaluation(world)
    token = confirmation_link_create(visit=held, user=world.hospital_a)
    payload = signing.loads(token, salt=LINK_SALT)
    for changed in (
        {**payload, "record": other.pk},
        {**payload, "kind": "evaluation", "record": made.pk},
        {**payload, "kind": "case_log"},
        {**payload, "kind": "person"},
    ):
        forged = signing.dumps(changed, salt=LINK_SALT)
        with pytest.raises(ValidationError, match="链接无效"):
            confirmation_link_use(token=forged, name="冒名")
    tampered = token[:-2] + ("xy" if not token.endswith("xy") else "yx")
    with pytest.raises(ValidationError, match="链接无效"):
        confirmation_link_use(token=tampered, name="冒名")
    for record in (held, other, made):
        record.refresh_from_db()
        assert not record.confirmed
    confirmation_link_use(token=token, name="孙名医")
    held.refresh_from_db()
    assert held.confirmed


def test_a_confirmed_record_gets_no_new_link(world):
    held = visit(world)
    token = confirmation_link_create(visit=held, user=world.hospital_a)
    confirmation_link_use(token=token, name="孙名医")
    held.refresh_from_db()
    with pytest.raises(ValidationError, match="已审核"):
        confirmation_link_create(visit=held, user=world.hospital_a)


def test_a_link_row_names_exactly_one_record(world):
    held, made = visit(world), evaluation(world)
    with pytest.raises(TypeError):
        confirmation_link_create(visit=held, evaluation=made, user=world.hospital_a)
    with pytest.raises(TypeError):
        confirmation_link_create(user=world.hospital_a)
    assert not ConfirmationLink.objects.exists()


def test_another_hospital_cannot_make_links_or_evaluations_for_a(client, world):
    held, made = visit(world), evaluation(world)
    login(client, world.hospital_b)
    assert client.post(reverse("training:visit_link", args=[held.pk])).status_code == 404
    assert client.post(reverse("training:evaluation_link", args=[made.pk])).status_code == 404
    pair = made.apprenticeship.mentorship
    response = client.post(
        reverse("training:evaluation_create", args=[pair.pk]),
        {"apprenticeship": made.apprenticeship.pk, "period": "越权", "rating": "fail"},
    )
    assert response.status_code == 404
    assert not ConfirmationLink.objects.exists()
    assert MentorEvaluation.objects.count() == 1
    for user in (world.trainee, world.mentor):  # no training.edit: no links, no evaluations
        login(client, user)
        assert client.post(reverse("training:visit_link", args=[held.pk])).status_code == 403
