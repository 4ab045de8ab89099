"""Irreversible actions (complete, withdraw, finish, remove, delete): each page offers them
only while the record's state allows, behind the shared confirmation, and the service refuses
them otherwise in Chinese."""

import pathlib
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.conftest import login
from tests.training.programmes import TODAY, admitted
from tests.training.secondments import secondment
from yicai.training.services import programmes as programmes_services
from yicai.training.services.secondments import secondment_complete, secondment_withdraw

pytestmark = pytest.mark.django_db
TEMPLATES = pathlib.Path(__file__).parents[2] / "yicai"


def _forms(html: str) -> dict[str, str]:
    """Each form's opening tag, by its action."""
    return {
        match.group(1): match.group(0)
        for match in re.finditer(r'<form[^>]*action="([^"]+)"[^>]*>', html)
    }


def test_no_template_asks_with_the_browser_s_own_dialog():
    inline = [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if "confirm(" in path.read_text(encoding="utf-8")
    ]
    assert inline == []


IRREVERSIBLE = re.compile(
    r"\{% url '\w+:(\w*_)?(delete|remove|withdraw|complete|finish|revoke|unbind|disable|reset)'"
)


def test_every_irreversible_form_asks_first():
    silent = [
        f"{path.relative_to(TEMPLATES)}: {IRREVERSIBLE.search(tag).group(0)}"
        for path in TEMPLATES.rglob("*.html")
        for tag in re.findall(r"<form[^>]*>", path.read_text(encoding="utf-8"))
        if IRREVERSIBLE.search(tag) and "data-confirm=" not in tag
    ]
    assert silent == []


def test_a_member_is_completed_once_and_then_neither_completed_nor_withdrawn(world):
    member = admitted(world, world.a_doctor)[0]
    programmes_services.member_complete(member=member, completed_on=TODAY)
    for action in (
        lambda: programmes_services.member_complete(member=member, completed_on=TODAY),
        lambda: programmes_services.member_withdraw(member=member, on=TODAY, reason="调离"),
    ):
        with pytest.raises(ValidationError) as error:
            action()
        assert "该培养对象已结业或退出。" in error.value.messages


def test_a_finished_cohort_cannot_be_finished_again(world):
    member = admitted(world, world.a_doctor)[0]
    programmes_services.member_withdraw(member=member, on=TODAY, reason="调离")
    programmes_services.cohort_finish(cohort=member.cohort)
    with pytest.raises(ValidationError) as error:
        programmes_services.cohort_finish(cohort=member.cohort)
    assert error.value.message_dict == {"status": ["该期已结束。"]}


def test_an_ended_secondment_is_neither_completed_nor_withdrawn(world):
    completed = secondment(world)
    secondment_complete(secondment=completed, completed_on=TODAY, report="顺利结业")
    withdrawn = secondment(world, person=world.a_ward_nurse, linked_leader=None)
    secondment_withdraw(secondment=withdrawn, on=TODAY)
    for ended in (completed, withdrawn):
        with pytest.raises(ValidationError) as error:
            secondment_withdraw(secondment=ended, on=TODAY)
        assert error.value.message_dict == {"on": ["该进修已结束。"]}
        with pytest.raises(ValidationError) as error:
            secondment_complete(secondment=ended, completed_on=TODAY, report="再次结业")
        assert error.value.message_dict == {"completed_on": ["该进修已结束。"]}


def test_the_member_page_offers_completion_and_withdrawal_only_while_active(client, world):
    member = admitted(world, world.a_doctor)[0]
    login(client, world.commission)
    page = reverse("training:member", args=[member.pk])
    complete = reverse("training:member_complete", args=[member.pk])
    withdraw = reverse("training:member_withdraw", args=[member.pk])
    forms = _forms(client.get(page).content.decode())
    assert "不能撤回" in forms[complete] and 'data-confirm-button="确定结业"' in forms[complete]
    assert "data-confirm=" in forms[withdraw]
    assert client.post(complete, {"completed_on": TODAY.isoformat()}).status_code == 302
    forms = _forms(client.get(page).content.decode())
    assert complete not in forms and withdraw not in forms
    # Posted anyway (an old tab): refused, the member stays completed.
    response = client.post(withdraw, {"on": TODAY.isoformat(), "reason": "调离"})
    assert response.status_code == 400
    assert "该培养对象已结业或退出" in response.content.decode()
    member.refresh_from_db()
    assert member.status == "completed"


def test_the_secondment_page_offers_withdrawal_and_completion_only_while_active(client, world):
    made = secondment(world)
    login(client, world.hospital_a)
    page = reverse("training:secondment", args=[made.pk])
    withdraw = reverse("training:withdraw", args=[made.pk])
    complete = reverse("training:complete", args=[made.pk])
    forms = _forms(client.get(page).content.decode())
    assert 'data-confirm-button="确定中止"' in forms[withdraw]
    assert "data-confirm=" in forms[complete]
    secondment_complete(secondment=made, completed_on=TODAY, report="顺利结业")
    forms = _forms(client.get(page).content.decode())
    assert withdraw not in forms and complete not in forms
    client.post(withdraw)
    made.refresh_from_db()
    assert made.status == "completed"


def test_the_cohort_page_offers_finishing_once_every_member_has_left(client, world):
    member = admitted(world, world.a_doctor)[0]
    login(client, world.commission)
    page = reverse("training:cohort", args=[member.cohort.pk])
    finish = reverse("training:cohort_finish", args=[member.cohort.pk])
    assert finish not in _forms(client.get(page).content.decode())
    programmes_services.member_complete(member=member, completed_on=TODAY)
    assert "data-confirm=" in _forms(client.get(page).content.decode())[finish]
    client.post(finish)
    assert finish not in _forms(client.get(page).content.decode())
