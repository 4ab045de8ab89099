"""Expert visits and remote consultations: counted per expert, studio, institution and month
from what was held (planned visits wait for their day), checked for patient data, and seen by
each role within its scope."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.training.helpers import mentorship
from yicai.access.scope import scoped
from yicai.training.models import Consultation, Visit
from yicai.training.queries.activity import visit_counts
from yicai.training.services.activity import consultation_record, visit_record
from yicai.training.services.studios import studio_create


def visit(world, on, kind=Visit.Kind.CLINIC, **extra):
    return visit_record(
        expert=extra.pop("expert", world.partner_expert),
        kind=kind,
        institution=extra.pop("institution", world.a),
        held_on=on,
        **extra,
    )


def test_visits_are_counted_per_expert_studio_institution_and_month(world):
    studio = studio_create(
        name="孙名医工作室",
        lead=world.partner_expert,
        tier="national",
        institution=world.a,
        founded_on=datetime.date(2023, 10, 1),
    )
    for day in (datetime.date(2023, 10, 14), datetime.date(2023, 10, 21)):
        visit(world, day, studio=studio, patients=30)
    visit(world, datetime.date(2023, 11, 4), kind=Visit.Kind.SURGERY_GUIDANCE, operations=3)
    visit(world, datetime.date(2023, 9, 30))  # before the date asked about
    visit(world, datetime.date(2023, 12, 2), expert=world.b_doctor, institution=world.b)
    visit(world, timezone.localdate() + datetime.timedelta(days=7))  # planned, not held yet
    counts = visit_counts(world.commission, since=datetime.date(2023, 10, 1))
    assert counts["total"] == 4
    assert [(r["expert__name"], r["visits"]) for r in counts["by_expert"]] == [
        ("孙名医", 3),
        ("陈全科", 1),
    ]
    assert {r["studio__name"]: r["visits"] for r in counts["by_studio"]} == {
        "孙名医工作室": 2,
        None: 2,
    }
    assert [(r["month"].strftime("%Y-%m"), r["visits"]) for r in counts["by_month"]] == [
        ("2023-10", 2),
        ("2023-11", 1),
        ("2023-12", 1),
    ]
    assert visit_counts(world.hospital_a)["total"] == 4  # A's, the early one included


def test_a_visit_is_refused_by_field_when_its_links_do_not_fit(world):
    other = studio_create(
        name="乙院工作室",
        lead=world.b_doctor,
        tier="district",
        institution=world.b,
        founded_on=datetime.date(2024, 1, 1),
    )
    pair = mentorship(world, world.a_surgeon)
    cases = [
        ({"studio": other}, "studio"),
        ({"mentorship": pair, "expert": world.b_doctor}, "mentorship"),
        ({"department": world.b_medicine}, "department"),
        ({"note": "义诊患者 13800138000"}, "note"),
        ({"kind": "picnic"}, "kind"),
    ]
    for extra, field in cases:
        with pytest.raises(ValidationError) as raised:
            visit(world, datetime.date(2024, 5, 1), **extra)
        assert field in raised.value.message_dict, field
    assert not Visit.objects.exists()


def test_a_consultation_keeps_no_patient_identity(world):
    base = {
        "expert": world.partner_expert,
        "requester": world.a_doctor,
        "institution": world.a,
        "held_on": datetime.date(2024, 5, 1),
    }
    with pytest.raises(ValidationError) as raised:
        consultation_record(**base, summary="患者 310113198506010011，胸痛 3 天")
    assert "summary" in raised.value.message_dict
    with pytest.raises(ValidationError) as raised:
        consultation_record(**{**base, "institution": world.b}, summary="胸痛 3 天")
    assert "requester" in raised.value.message_dict
    done = consultation_record(**base, summary="男，62 岁，胸痛 3 天", advice="冠脉 CTA")
    assert Consultation.objects.get() == done


def test_each_role_sees_its_visits_and_consultations(world):
    pair = mentorship(world)  # 孙名医 and 李心怡
    mentored = visit(world, datetime.date(2024, 3, 2), mentorship=pair)
    plain = visit(world, datetime.date(2024, 3, 9), department=world.a_surgery)
    b_visit = visit(world, datetime.date(2024, 3, 9), expert=world.b_doctor, institution=world.b)
    consultation = consultation_record(
        expert=world.partner_expert,
        requester=world.a_doctor,
        institution=world.a,
        held_on=datetime.date(2024, 3, 3),
        summary="胸痛",
    )
    expected = {
        "commission": ({mentored, plain, b_visit}, {consultation}),
        "hospital_a": ({mentored, plain}, {consultation}),
        "hospital_b": ({b_visit}, set()),
        "dept_head": (set(), {consultation}),  # cardiology asked; the visits were elsewhere
        "mentor": ({mentored, plain}, {consultation}),  # the expert of both
        "trainee": ({mentored}, {consultation}),  # their mentorship's visit, their request
        "auditor": (set(), set()),
    }
    for who, (visits, consultations) in expected.items():
        user = getattr(world, who)
        assert set(scoped(user, Visit.objects.all())) == visits, who
        assert set(scoped(user, Consultation.objects.all())) == consultations, who


def test_the_visit_page_counts_what_was_held_and_exports_the_scope(world, client):

    from tests.conftest import login

    visit(world, datetime.date(2023, 10, 14), patients=30)
    visit(world, datetime.date(2023, 11, 4))
    visit(world, timezone.localdate() + datetime.timedelta(days=3))  # planned
    visit(world, datetime.date(2023, 10, 20), expert=world.b_doctor, institution=world.b)
    login(client, world.hospital_a)
    page = client.get("/training/visits/", {"since": "2023-11-01"})
    assert page.context["counts"]["total"] == 1
    assert len(page.context["page_obj"]) == 2  # the list shows the planned one too
    assert "计划" in page.content.decode()
    export = client.get("/training/visits/", {"export": "csv"})
    text = b"".join(export.streaming_content).decode("utf-8-sig")
    assert text.count("孙名医") == 3 and "陈全科" not in text
    login(client, world.security)
    assert client.get("/training/visits/").status_code == 403
