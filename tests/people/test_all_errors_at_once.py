"""A record form (an appointment) with three independent mistakes shows all three at once."""

import pytest
from django.urls import reverse

from tests.conftest import login
from yicai.people.models import Appointment

pytestmark = pytest.mark.django_db


def test_an_appointment_with_three_mistakes_shows_all_three(client, world):
    login(client, world.commission)
    before = Appointment.objects.count()
    response = client.post(
        reverse("people:record_add", args=[world.a_doctor.pk, "appointment"]),
        {
            "institution": world.a.pk,
            "department": world.b_medicine.pk,  # of another institution
            "departments_in_charge": [world.b_medicine.pk],  # likewise
            "position": "主治医师",
            "start_on": "2020-01-01",
            "end_on": "2019-01-01",  # before the start
        },
    )
    assert Appointment.objects.count() == before
    assert response.context["form"].errors == {
        "department": ["科室不属于所选机构。"],
        "departments_in_charge": ["分管科室须是任职机构的科室。"],
        "end_on": ["截止日期不能早于起始日期。"],
    }
    html = response.content.decode()
    summary = html[html.index("form-errors") : html.index("</ul>", html.index("form-errors"))]
    for label, field in (("科室", "department"), ("分管科室", "departments_in_charge")):
        assert f'<a class="alert-link" href="#id_{field}">{label}</a>' in summary
    assert summary.count("<li>") == 3
