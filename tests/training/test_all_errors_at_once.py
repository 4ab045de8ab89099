"""A form with several independent mistakes tells all of them in one submission: the
service's rules and the record's own checks together, listed above the form with their
fields' labels, and each under its field."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import login
from tests.training.helpers import technique
from yicai.training.models import CaseLog, EducationEvent

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _summary(html: str) -> str:
    start = html.index('class="alert alert-danger form-errors"')
    return html[start : html.index("</div>", html.index("</ul>", start))]


def test_an_education_event_with_three_mistakes_shows_all_three(client, world):
    login(client, world.hospital_a)
    response = client.post(
        reverse("training:education_event_create"),
        {
            "kind": "lecture",
            "title": "病例讨论 患者 310113198506011234",  # patient data (the service)
            "institution": world.a.pk,
            "held_on": TODAY.isoformat(),
            "hours": "0.2",  # below the half hour an activity lasts (the record)
            "credit_class": "class_ii",
            "credits": "1",
            # no speaker, in Yicai or from outside (the service)
        },
    )
    assert response.status_code == 200 and not EducationEvent.objects.exists()
    errors = response.context["form"].errors
    assert {"title", "hours", "speaker"} <= set(errors)
    summary = _summary(response.content.decode())
    assert summary.count("<li>") == len(errors) >= 3
    for field in ("title", "hours", "speaker"):
        assert f'href="#id_{field}"' in summary


def test_a_case_log_tells_its_date_and_its_note_at_once(client, world):
    made = technique(world)
    login(client, world.trainee)
    response = client.post(
        reverse("training:case_create"),
        {
            "technique": made.pk,
            "performed_on": (TODAY + datetime.timedelta(days=2)).isoformat(),  # the record
            "role": CaseLog.Role.ASSISTED,
            "note": "患者电话 13800138000",  # the service
        },
    )
    assert not CaseLog.objects.exists()
    errors = response.context["form"].errors
    assert {"performed_on", "note"} <= set(errors)
    assert _summary(response.content.decode()).count("<li>") == len(errors)
