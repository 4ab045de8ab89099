"""/api/v1/recruitment/agreements/: list with the page's filters, read, add and change through
the same service as the form (the same words for the same problem), 404 outside the scope,
403 without the permission."""

import pytest

from tests.conftest import login
from tests.recruitment.helpers import agreement
from yicai.recruitment.models import PartnerAgreement

pytestmark = pytest.mark.django_db
URL = "/api/v1/recruitment/agreements/"
NEW = {
    "agreement_kind": "trusteeship",
    "title": "区医院托管协议",
    "partner_name": "某大学附属医院",
    "signed_on": "2020-12-20",
    "starts_on": "2021-01-01",
}


def test_the_list_holds_the_scope_and_reads_the_filters(as_api, world):
    mine = agreement(world, title="甲院共建")
    agreement(world, world.b, title="乙中心帮扶")
    rows = as_api(world.hospital_a).get(URL).json()["results"]
    assert [row["id"] for row in rows] == [mine.pk]
    assert rows[0]["partner"] == {"id": world.partner.pk, "name": "沪上合作医院"}
    assert rows[0]["agreement_kind"] == "co_building"
    everyone = as_api(world.commission)
    assert len(everyone.get(URL).json()["results"]) == 2
    assert everyone.get(URL, {"as_of": "2021-03-31"}).json()["results"] == []
    assert len(everyone.get(URL, {"institution": world.b.pk}).json()["results"]) == 1
    bad = everyone.get(URL, {"since": "2022-01-01", "until": "2021-01-01"})
    assert bad.status_code == 400
    assert bad.json() == {"until": ["截止日期不能早于起始日期。"]}


def test_an_agreement_is_added_read_and_changed(as_api, world):
    api = as_api(world.hospital_a)
    created = api.post(URL, {**NEW, "institution": world.a.pk}, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["partner"], body["partner_name"], body["ends_on"]) == (
        None,
        "某大学附属医院",
        None,
    )
    row = f"{URL}{body['id']}/"
    assert api.get(row).json()["title"] == "区医院托管协议"
    changed = api.patch(
        row, {"ends_on": "2025-12-31", "agreement_kind": "cooperation"}, format="json"
    )
    assert changed.status_code == 200, changed.json()
    saved = PartnerAgreement.objects.get(pk=body["id"])
    assert (str(saved.ends_on), saved.kind) == ("2025-12-31", "cooperation")


def test_problems_are_a_400_by_field_in_the_forms_words(as_api, client, world):
    wrong = {
        **NEW,
        "institution": world.a.pk,
        "partner": world.partner.pk,
        "starts_on": "2021-01-01",
        "ends_on": "2020-01-01",
    }
    answer = as_api(world.hospital_a).post(URL, wrong, format="json")
    assert answer.status_code == 400
    assert answer.json() == {
        "partner_name": ["已选择登记在册的合作机构，不必再填写名称。"],
        "ends_on": ["截止日期不能早于起始日期。"],
    }
    # The same submission on the page: the same words, one rule.
    form = {**wrong, "kind": wrong.pop("agreement_kind")}
    page = login(client, world.hospital_a).post("/recruitment/agreements/new/", form)
    for messages in answer.json().values():
        assert messages[0] in page.content.decode()
    assert not PartnerAgreement.objects.exists()


def test_outside_the_scope_is_a_404_and_a_400_on_the_institution(as_api, world):
    theirs = agreement(world, world.b, title="乙中心帮扶")
    api = as_api(world.hospital_a)
    assert api.get(f"{URL}{theirs.pk}/").status_code == 404
    assert api.patch(f"{URL}{theirs.pk}/", {"title": "改"}, format="json").status_code == 404
    assert api.get(f"{URL}not-an-id/").status_code == 404
    refused = api.post(URL, {**NEW, "institution": world.b.pk}, format="json")
    assert refused.status_code == 400
    assert refused.json()["institution"] == ["所选机构不存在或不在您的管辖范围内。"]
    partner_as_signer = api.post(URL, {**NEW, "institution": world.partner.pk}, format="json")
    assert partner_as_signer.json()["institution"] == ["所选机构不存在或不在您的管辖范围内。"]


def test_a_department_head_reads_and_others_are_refused(as_api, world):
    cardiology = agreement(world, department=world.a_cardiology)
    head = as_api(world.dept_head)
    assert [row["id"] for row in head.get(URL).json()["results"]] == [cardiology.pk]
    assert head.get(f"{URL}{cardiology.pk}/").status_code == 200
    assert head.patch(f"{URL}{cardiology.pk}/", {"title": "改"}, format="json").status_code == 403
    assert head.post(URL, {**NEW, "institution": world.a.pk}, format="json").status_code == 403
    for user in (world.trainee, world.mentor, world.auditor, world.security):
        assert as_api(user).get(URL).status_code == 403


def test_the_schema_describes_the_endpoints(as_api, world):
    schema = as_api(world.hospital_a).get("/api/schema/?format=json").json()
    assert {URL, "/api/v1/recruitment/agreements/{id}/"} <= set(schema["paths"])
    assert set(schema["paths"][URL]) == {"get", "post"}
    assert set(schema["paths"]["/api/v1/recruitment/agreements/{id}/"]) == {"get", "patch"}
