"""Directed students over the API (/api/v1/recruitment/directed/, its steps, /directed/figures/,
/directed-kinds/, /breaches/{id}/decide/): the services the contract's page uses, so the same
refusals in the same words; identity and phone numbers written and answered only masked; the
breach to the cent, decided by the commission alone; the sponsor's contracts a 404 to another
institution and to a department head; a list that costs the same for few or many contracts."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from tests.conftest import login
from yicai.access import pii
from yicai.recruitment import services
from yicai.recruitment.models import DirectedContract, DirectedKind

pytestmark = pytest.mark.django_db
D = datetime.date
API = "/api/v1/recruitment"
URL = f"{API}/directed/"
NUMBER = factories.id_number(D(1994, 3, 3))
PHONE = "13800138000"


class Watched:
    """The API client as one persona, each answer kept: the full numbers written may appear
    in none of them."""

    def __init__(self, api):
        self.api, self.answers = api, []

    def _kept(self, response):
        self.answers.append(response)
        return response

    def get(self, url, params=None):
        return self._kept(self.api.get(url, params))

    def post(self, url, body=None):
        return self._kept(self.api.post(url, body or {}, format="json"))

    def patch(self, url, body):
        return self._kept(self.api.patch(url, body, format="json"))

    def assert_never_shown(self, *numbers):
        assert self.answers
        for response in self.answers:
            for number in numbers:
                assert number.encode() not in response.content, response.request["PATH_INFO"]


def _kind(code="order_directed"):
    return DirectedKind.objects.get(code=code)


def _new(world, **changes):
    return {
        "kind": _kind().pk,
        "name": "定向生甲",
        "id_number": NUMBER,
        "phone": PHONE,
        "school": "安徽医科大学",
        "major": "临床医学",
        "enrolled_year": 2012,
        "sponsor": world.a.pk,
        "fees_covered": "60000",
        "contract_repayment": "pro_rata",
        **changes,
    }


def _contract(world, name, *, year=2021, kind="order_directed", sponsor=None, born=None):
    return services.directed_contract_create(
        by=None,
        kind=_kind(kind),
        name=name,
        id_number=factories.id_number(born or D(2003, 5, 1)),
        school="安徽医科大学",
        major="临床医学",
        enrolled_year=year,
        sponsor=sponsor or world.a,
    )


def test_a_contract_from_its_recording_to_a_breach_the_commission_waives(world, as_api, client):
    api = Watched(as_api(world.hospital_a))
    page = login(client, world.hospital_a)
    elsewhere = api.post(URL, _new(world, sponsor=world.b.pk))
    assert (elsewhere.status_code, elsewhere.json()) == (
        400,
        {"sponsor": ["所选机构不存在或不在您的管辖范围内。"]},
    )
    form = {**_new(world, sponsor=world.b.pk), "repayment": "pro_rata"}
    assert (
        "所选机构不存在或不在您的管辖范围内。"
        in page.post("/recruitment/directed/new/", form).content.decode()
    )
    missing = api.post(URL, _new(world, id_number=""))
    assert missing.json() == {"id_number": ["请填写身份证号码。"]}
    assert not DirectedContract.objects.exists()
    created = api.post(URL, _new(world))
    assert created.status_code == 201, created.json()
    body = created.json()
    contract = DirectedContract.objects.get()
    # The years owed are the kind's, graduation five years on; the numbers only masked.
    assert (body["service_years"], body["graduation_year"], body["contract_status"]) == (
        6,
        2017,
        "studying",
    )
    assert (body["id_number_masked"], body["phone_masked"]) == (
        contract.id_number_masked,
        "*******8000",
    )
    assert "id_number" not in body and "phone" not in body
    assert (body["birth_date"], body["sex"]["name"], body["kind"]["name"]) == (
        "1994-03-03",
        "男性",
        "农村订单定向医学生",
    )
    assert (body["fees_covered"], body["penalty"], body["contract_repayment_display"]) == (
        "60000.00",
        "0.00",
        "按未服务月数比例退还培养费用",
    )
    assert (body["service_last_day"], body["breach"], body["person"]) == (None, None, None)
    row = f"{URL}{contract.pk}/"
    assert api.get(row).json() == body
    # A correction without the numbers keeps them.
    changed = api.patch(row, {"school": "皖南医学院", "phone": "13900139000"})
    assert changed.status_code == 200, changed.json()
    contract.refresh_from_db()
    assert (contract.school, contract.id_number, pii.decrypt(contract.phone_cipher)) == (
        "皖南医学院",
        NUMBER,
        "13900139000",
    )
    # Null years in a change keep them (a new contract's defaults), as the form does.
    kept = api.patch(row, {"service_years": None, "graduation_year": None, "penalty": "5000.5"})
    assert (kept.json()["service_years"], kept.json()["graduation_year"]) == (6, 2017)
    assert kept.json()["penalty"] == "5000.50"
    # The steps, each refused in the page's words.
    assert (
        api.post(row + "graduate/", {"on": "2017-06-30"}).json()["contract_status"] == "graduated"
    )
    twice = api.post(row + "graduate/", {"on": "2017-07-01"})
    assert (twice.status_code, twice.json()) == (
        400,
        {"status": ["协议当前为“已毕业”，不能进行此操作。"]},
    )
    assert api.post(row + "assign/", {}).json() == {"service_place": ["请填写此项。"]}
    assigned = api.post(row + "assign/", {"service_place": world.b.pk}).json()
    assert (assigned["contract_status"], assigned["service_place"]["id"]) == ("placed", world.b.pk)
    early = api.post(row + "start/", {"on": "2017-06-01"})
    said = "日期不能早于上一步的日期（2017-06-30）。"
    assert (early.status_code, early.json()) == (400, {"on": [said]})
    form = page.post(f"/recruitment/directed/{contract.pk}/start/", {"on": "2017-06-01"})
    assert form.status_code == 400 and said in form.content.decode()
    started = api.post(row + "start/", {"on": "2017-08-01"}).json()
    assert (started["contract_status"], started["service_last_day"]) == ("in_service", "2023-07-31")
    contract.refresh_from_db()
    assert started["person"] == contract.person_id is not None
    locked = api.patch(row, {"school": "改"})
    assert locked.json() == {"status": ["协议当前为“履约服务中”，不能进行此操作。"]}
    unserved = api.post(row + "fulfil/", {"on": "2020-01-01"})
    assert unserved.json() == {"on": ["服务期至 2023-07-31 才满。"]}
    # Leaves after 31 full months of 72: 60,000 × 41 / 72 = 34,166.666… → 34,166.67.
    left = api.post(row + "leave/", {"on": "2020-03-15", "reason": "考研"})
    assert left.status_code == 200, left.json()
    breach = left.json()["breach"]
    assert (left.json()["contract_status"], left.json()["left_reason"]) == ("breached", "考研")
    assert (breach["months_served"], breach["paid"], breach["amount"], breach["penalty"]) == (
        31,
        "60000.00",
        "34166.67",
        "5000.50",
    )
    assert breach["basis"] == (
        "培养费用 60,000.00 元 ×（应服务 72 个月 − 已服务 31 个月）÷ 72 个月 = 34,166.67 元，"
        "另违约金 5,000.50 元。"
    )
    # The commission decides; a waiver needs its reason, as on the page; then once.
    decide = f"{API}/breaches/{breach['id']}/decide/"
    assert api.post(decide, {"approve": True}).status_code == 403
    commission = Watched(as_api(world.commission))
    silent = commission.post(decide, {"approve": False, "reason": ""})
    assert (silent.status_code, silent.json()) == (400, {"reason": ["免除退还须说明理由。"]})
    login(client, world.commission)
    form = client.post(f"/recruitment/breaches/{breach['id']}/decide/", {"approve": "0"})
    assert form.status_code == 400 and "免除退还须说明理由。" in form.content.decode()
    waived = commission.post(decide, {"approve": False, "reason": "因病离岗", "on": "2020-04-01"})
    assert waived.status_code == 200, waived.json()
    assert (waived.json()["breach_status"], waived.json()["breach_status_display"]) == (
        "waived",
        "已免除",
    )
    assert commission.post(decide, {"approve": True}).json() == {"status": ["该退还已免除。"]}
    assert commission.get(row).json()["breach"]["reason"] == "因病离岗"
    api.assert_never_shown(NUMBER, PHONE, "13900139000")
    commission.assert_never_shown(NUMBER, PHONE, "13900139000")


def test_a_second_contract_of_a_kind_for_a_student_is_refused_in_words(world, as_api):
    api = as_api(world.hospital_a)
    assert api.post(URL, _new(world), format="json").status_code == 201
    again = api.post(URL, _new(world, name="定向生乙"), format="json")
    assert again.status_code == 400
    assert again.json()["id_number"] == ["该学生已有同类定向培养协议。"]


def test_the_list_filters_counts_and_kinds_cost_the_same_for_few_or_many(world, as_api):
    api = as_api(world.commission)

    def count():
        with CaptureQueriesContext(connection) as captured:
            answer = api.get(URL)
        assert answer.status_code == 200
        return len(captured), len(answer.json()["results"])

    for number in range(2):
        _contract(world, f"订单{number}", born=D(2003, 5, number + 1))
    few, listed = count()
    assert listed == 2
    for number in range(2, 6):
        _contract(world, f"订单{number}", year=2022, born=D(2003, 5, number + 1))
    for number in range(4):
        _contract(
            world,
            f"村医{number}",
            kind="rural_doctor",
            sponsor=world.b,
            born=D(2004, 1, number + 1),
        )
    assert count() == (few, 10)
    rural = _kind("rural_doctor")
    by_kind = api.get(URL, {"kind": rural.pk}).json()["results"]
    assert {line["kind"]["id"] for line in by_kind} == {rural.pk} and len(by_kind) == 4
    assert len(api.get(URL, {"institution": world.b.pk}).json()["results"]) == 4
    assert len(api.get(URL, {"enrolled_year": 2022}).json()["results"]) == 4
    assert len(api.get(URL, {"graduating": 2026}).json()["results"]) == 6  # 2021's, still studying
    assert [line["name"] for line in api.get(URL, {"q": "订单3"}).json()["results"]] == ["订单3"]
    assert api.get(URL, {"status": "breached"}).json()["results"] == []
    assert api.get(URL, {"status": "nonsense"}).status_code == 400
    assert api.get(URL, {"kind": "99999999999999999999"}).status_code == 400  # past any id
    assert api.get(URL, {"enrolled_year": "99999999999999999999"}).status_code == 400
    figures = api.get(f"{API}/directed/figures/").json()
    assert [kind["code"] for kind in figures["kinds"]] == ["order_directed", "rural_doctor"]
    assert figures["by_year"] == [
        {"year": 2021, "kinds": [2, 4], "total": 6},
        {"year": 2022, "kinds": [4, 0], "total": 4},
    ]
    assert (
        figures["total"],
        figures["by_status"]["studying"],
        figures["by_status"]["breached"],
    ) == (
        10,
        10,
        0,
    )
    mine = as_api(world.hospital_a).get(f"{API}/directed/figures/").json()
    assert mine["total"] == 6
    assert api.get(f"{API}/directed/figures/", {"institution": world.b.pk}).json()["total"] == 4
    kinds = api.get(f"{API}/directed-kinds/").json()
    assert [(kind["code"], kind["name"], kind["service_years"]) for kind in kinds] == [
        ("order_directed", "农村订单定向医学生", 6),
        ("rural_doctor", "乡村医生定向委托培养", 6),
    ]


def test_another_institution_and_a_department_head_get_404_others_403(world, as_api):
    mine = _contract(world, "本院定向生")
    theirs = _contract(world, "乙中心定向生", sponsor=world.b, born=D(2003, 6, 1))
    row = f"{URL}{mine.pk}/"
    hospital_b = as_api(world.hospital_b)
    assert [line["id"] for line in hospital_b.get(URL).json()["results"]] == [theirs.pk]
    assert hospital_b.get(row).status_code == 404
    assert hospital_b.patch(row, {"school": "改"}, format="json").status_code == 404
    for step, body in (("graduate", {}), ("assign", {"service_place": world.b.pk}), ("fulfil", {})):
        assert hospital_b.post(f"{row}{step}/", body, format="json").status_code == 404
    assert as_api(world.hospital_a).get(f"{URL}{theirs.pk}/").status_code == 404
    # A contract is the sponsor's HR office's: its department head sees none, changes none.
    head = as_api(world.dept_head)
    assert head.get(URL).json()["results"] == []
    assert head.get(row).status_code == 404
    assert head.post(f"{row}graduate/", {}, format="json").status_code == 403
    assert head.get(f"{API}/directed/figures/").json()["total"] == 0
    for user in (world.trainee, world.mentor, world.auditor):
        assert as_api(user).get(URL).status_code == 403
        assert as_api(user).get(f"{API}/directed-kinds/").status_code == 403
    mine.refresh_from_db()
    assert (mine.school, mine.status) == ("安徽医科大学", "studying")
