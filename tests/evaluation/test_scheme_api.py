"""Schemes over the API: the same sheets, history, refusals and messages as the pages."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.conftest import login
from tests.evaluation.builders import published, visits_scheme
from yicai.evaluation.models import Appeal
from yicai.training.models import Visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def scheme(world):
    scheme, _leaf = visits_scheme(world.a.commission_region, reviewer=world.commission)
    Visit.objects.bulk_create(
        Visit(
            expert=world.a_doctor,
            kind="clinic",
            institution=world.a,
            held_on=datetime.date(2025, 3, 1),
        )
        for _ in range(12)
    )
    scheme.doctor, scheme.surgeon = published(
        scheme, world.a_doctor, world.a_surgeon, reviewer=world.commission, scores=("9", "6")
    )
    return scheme


def test_the_sheets_and_a_subjects_history(client, world, scheme):
    login(client, world.hospital_a)
    sheets = client.get(reverse("api-evaluation-scheme-sheets", args=[scheme.pk])).json()
    assert [(s["subject_label"], s["total"], s["rank"]) for s in sheets] == [
        (world.a_doctor.name, "97.00", 1),
        (world.a_surgeon.name, "18.00", 2),
    ]
    one = client.get(reverse("api-evaluation-subject", args=[scheme.surgeon.pk])).json()
    assert [(c["figure"], c["score"]) for c in one["cells"]] == [
        ("0.00", "0.00"),
        ("6.00", "60.00"),
    ]
    assert [(v["version"], v["reason"], v["total"]) for v in one["history"]] == [
        (1, "发布", "18.00")
    ]
    assert one["evidence"] == []


def test_an_appeal_over_the_api_gets_the_pages_messages(client, world, scheme):
    login(client, world.trainee)
    url = reverse("api-evaluation-subject-appeal", args=[scheme.doctor.pk])
    refused = client.post(url, {"reason": " "}, content_type="application/json")
    assert refused.status_code == 400 and refused.json()["reason"] == ["请填写申诉理由。"]
    filed = client.post(url, {"reason": "带教评价偏低"}, content_type="application/json")
    assert filed.status_code == 201 and filed.json()["appeal_status"] == "open"
    twice = client.post(url, {"reason": "再次"}, content_type="application/json")
    assert twice.json() == {"indicator": ["该项已有待处理的申诉。"]}
    appeal = Appeal.objects.get()
    resolve = reverse("api-evaluation-appeal-resolve", args=[appeal.pk])
    body = {"upheld": True, "resolution": "复核后维持原分"}
    assert client.post(resolve, body, content_type="application/json").status_code == 403
    login(client, world.commission)
    done = client.post(resolve, body, content_type="application/json").json()
    assert (done["appeal_status"], done["result"]) == (
        "upheld",
        appeal.subject.scheme.results.get(number=2).pk,
    )
    assert scheme.results.get(number=2).lines.get(
        subject=scheme.doctor, indicator=None
    ).score == Decimal("97.00")
