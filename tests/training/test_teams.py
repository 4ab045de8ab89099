"""Flexibly introduced teams (柔性引进团队): a partner hospital's team working for an
institution, with its members; the rules, the pages, and who sees them."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests import factories
from tests.conftest import login
from yicai.people import timeline
from yicai.training.models import FlexibleTeam, FlexibleTeamMember
from yicai.training.queries.teams import teams_for
from yicai.training.services import teams as teams_services
from yicai.training.services.activity import consultation_record, visit_record
from yicai.training.services.secondments import secondment_create
from yicai.training.services.studios import studio_create
from yicai.training.services.teams import team_member_add

pytestmark = pytest.mark.django_db
DAY = datetime.date(2025, 3, 1)


def team(world, **extra):
    values = {
        "name": "心血管介入团队",
        "lead": world.partner_expert,
        "source": world.partner,
        "institution": world.a,
        "introduced_on": DAY,
        **extra,
    }
    return teams_services.team_create(**values)


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"source": "a"}, "source"),
        ({"source": "b"}, "source"),  # a managed institution is not a partner hospital
        ({"lead": "a_doctor"}, "lead"),  # not of the sending hospital
        ({"department": "b_medicine"}, "department"),
        ({"ended_on": DAY - datetime.timedelta(days=1)}, "ended_on"),
        ({"agreement": "联系患者 13800138000"}, "agreement"),
        ({"name": " "}, "name"),
    ],
)
def test_a_bad_team_is_refused_naming_the_field(world, extra, field):
    extra = {
        k: getattr(world, v) if isinstance(v, str) and hasattr(world, v) else v
        for k, v in extra.items()
    }
    with pytest.raises(ValidationError) as caught:
        team(world, **extra)
    assert field in caught.value.message_dict
    assert not FlexibleTeam.objects.exists()


def test_members_come_from_the_sending_hospital_once_each(world):
    made = team(world)
    colleague = factories.person(world.partner, "钱团队", category="external_expert")
    team_member_add(team=made, person=colleague, role="介入护士")
    for person in (colleague, world.partner_expert, world.a_doctor):
        with pytest.raises(ValidationError) as caught:
            team_member_add(team=made, person=person)
        assert "person" in caught.value.message_dict or "__all__" in caught.value.message_dict
    assert FlexibleTeamMember.objects.count() == 1


def test_the_list_counts_the_teams_working_today(client, world):
    team(world)
    team(world, name="已结束团队", ended_on=DAY + datetime.timedelta(days=30))
    login(client, world.hospital_a)
    page = client.get(reverse("training:teams"))
    assert page.status_code == 200
    assert page.context["working"] == 1
    assert page.context["page_obj"].paginator.count == 2
    page = client.get(reverse("training:teams"), {"current": "yes"})
    assert [t.name for t in page.context["page_obj"]] == ["心血管介入团队"]
    login(client, world.hospital_b)
    assert client.get(reverse("training:teams")).context["page_obj"].paginator.count == 0


def test_the_hospital_introduces_a_team_from_the_page(client, world):
    colleague = factories.person(world.partner, "钱团队", category="external_expert")
    login(client, world.hospital_a)
    response = client.post(
        reverse("training:team_create"),
        {
            "name": "心血管介入团队",
            "source": world.partner.pk,
            "lead": world.partner_expert.pk,
            "institution": world.a.pk,
            "introduced_on": "2025-03-01",
            "members": [colleague.pk],
        },
    )
    assert response.status_code == 302
    made = FlexibleTeam.objects.get()
    assert list(made.members.values_list("person__name", flat=True)) == ["钱团队"]
    page = client.get(reverse("training:team", args=[made.pk]))
    assert "钱团队" in page.content.decode()


def test_a_team_form_with_another_hospitals_institution_saves_nothing(client, world):
    login(client, world.hospital_a)
    response = client.post(
        reverse("training:team_create"),
        {
            "name": "越权团队",
            "source": world.partner.pk,
            "lead": world.partner_expert.pk,
            "institution": world.b.pk,
            "introduced_on": "2025-03-01",
        },
    )
    assert response.status_code == 200
    assert "institution" in response.context["form"].errors
    assert not FlexibleTeam.objects.exists()


def test_a_member_is_removed_from_the_page_and_an_unknown_one_is_a_404(client, world):
    made = team(world)
    colleague = factories.person(world.partner, "钱团队", category="external_expert")
    member = team_member_add(team=made, person=colleague)
    other = team(world, name="另一团队")
    login(client, world.hospital_a)
    url = "training:team_member_remove"
    response = client.post(reverse(url, kwargs={"pk": other.pk, "member_pk": member.pk}))
    assert response.status_code == 404  # a member of another team
    response = client.post(reverse(url, kwargs={"pk": made.pk, "member_pk": member.pk}))
    assert response.status_code == 302
    assert not FlexibleTeamMember.objects.exists()


def test_the_lead_and_members_see_their_team(world):
    made = team(world)
    assert list(teams_for(world.mentor)) == [made]  # the mentor is the partner expert
    assert not teams_for(world.trainee).exists()
    assert not teams_for(world.hospital_b).exists()


def test_roles_without_training_edit_cannot_introduce_a_team(client, world):
    for user in (world.trainee, world.mentor, world.dept_head):
        login(client, user)
        assert client.get(reverse("training:team_create")).status_code == 403


def test_the_list_query_count_does_not_grow_with_rows(client, world, django_assert_max_num_queries):
    team(world)
    login(client, world.commission)
    url = reverse("training:teams")
    with django_assert_max_num_queries(25) as few:
        client.get(url)
    for number in range(3):
        team(world, name=f"团队{number}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_studios_teams_visits_consultations_and_secondments_are_on_the_timeline(world):
    team(world)
    studio_create(
        name="孙名医工作室",
        lead=world.partner_expert,
        tier="district",
        institution=world.a,
        founded_on=DAY,
    )
    visit_record(expert=world.partner_expert, kind="clinic", institution=world.a, held_on=DAY)
    consultation_record(
        expert=world.partner_expert,
        requester=world.a_doctor,
        institution=world.a,
        held_on=DAY,
        summary="胸痛",
    )
    secondment_create(
        person=world.a_doctor, host=world.partner, host_department="超声科", start_on=DAY
    )
    expert = {e.kind for e in timeline.events_for(world.partner_expert)}
    assert {"柔性引进", "名医工作室", "坐诊", "远程会诊"} <= expert
    doctor = {e.kind for e in timeline.events_for(world.a_doctor)}
    assert {"远程会诊", "进修"} <= doctor


def test_the_api_lists_and_introduces_teams_in_scope(client, world):
    colleague = factories.person(world.partner, "钱团队", category="external_expert")
    login(client, world.hospital_a)
    url = reverse("api-training-teams")
    response = client.post(
        url,
        {
            "name": "心血管介入团队",
            "lead": world.partner_expert.pk,
            "source": world.partner.pk,
            "institution": world.a.pk,
            "introduced_on": "2025-03-01",
            "members": [colleague.pk],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    made = response.json()
    assert [m["person"]["name"] for m in made["members"]] == ["钱团队"]
    assert [row["name"] for row in client.get(url).json()["results"]] == ["心血管介入团队"]
    bad = client.post(
        url,
        {
            "name": "越权",
            "lead": world.partner_expert.pk,
            "source": world.a.pk,
            "institution": world.b.pk,
            "introduced_on": "2025-03-01",
        },
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert {"source", "institution"} <= set(bad.json())
    login(client, world.hospital_b)
    assert client.get(url).json()["results"] == []
    assert client.get(reverse("api-training-team", args=[made["id"]])).status_code == 404
