"""The directed students' pages: a contract entered on the form (the years owed taken from its
kind), the counts by year of enrolment and kind above the list, its export masked and audited;
graduation, the start at a township health centre and an early leaving posted from the
contract's page, the breach shown with its computation and decided by the commission alone."""

import datetime
import io

import openpyxl
import pytest

from tests import factories
from tests.conftest import login
from yicai.access.models import AuditEntry
from yicai.recruitment.models import DirectedContract, DirectedKind

pytestmark = pytest.mark.django_db


def test_a_contract_from_the_form_to_a_breach_the_commission_decides(client, world):
    login(client, world.hospital_a)
    number = factories.id_number(datetime.date(1994, 3, 3))
    form = {
        "kind": DirectedKind.objects.get(code="order_directed").pk,
        "name": "定向生甲",
        "id_number": number,
        "school": "安徽医科大学",
        "major": "临床医学",
        "enrolled_year": "2012",
        "sponsor": world.a.pk,
        "fees_covered": "60000",
        "repayment": "pro_rata",
        "penalty": "",
    }
    refused = client.post("/recruitment/directed/new/", {**form, "sponsor": world.b.pk})
    assert "所选机构不存在或不在您的管辖范围内。" in refused.content.decode()
    saved = client.post("/recruitment/directed/new/", form)
    contract = DirectedContract.objects.get()
    assert saved["Location"] == f"/recruitment/directed/{contract.pk}/"
    assert (contract.service_years, contract.graduation_year) == (6, 2017)
    listed = client.get("/recruitment/directed/").content.decode()
    assert 'id="directed-figures"' in listed and "定向生甲" in listed
    sheet = client.get("/recruitment/directed/?export=xlsx")
    rows = list(openpyxl.load_workbook(io.BytesIO(sheet.getvalue())).active.values)
    assert rows[1][:2] == ("定向生甲", contract.id_number_masked) and number not in str(rows)
    assert AuditEntry.objects.filter(event="export", object_repr__contains="定向培养").exists()
    page = f"/recruitment/directed/{contract.pk}/"
    assert client.post(page + "graduate/", {"on": "2017-06-30"}).status_code == 302
    assert client.post(page + "assign/", {"service_place": world.b.pk}).status_code == 302
    early = client.post(page + "start/", {"on": "2017-06-01"})
    assert early.status_code == 400
    assert "日期不能早于上一步的日期（2017-06-30）。" in early.content.decode()
    assert client.post(page + "start/", {"on": "2017-08-01"}).status_code == 302
    # In service: the list says until when (six years from the start) and how long is left.
    listed = client.get("/recruitment/directed/?status=in_service").content.decode()
    assert "2023-07-31" in listed and "剩余 0.0 年" in listed
    assert client.post(page + "leave/", {"on": "2020-03-15", "reason": "考研"}).status_code == 302
    shown = client.get(page).content.decode()
    # 31 full months served of 72: 60,000 × 41 / 72 = 34,166.67.
    assert "34166.67" in shown and "已服务 31 个月" in shown
    breach = DirectedContract.objects.get().breach
    decide = f"/recruitment/breaches/{breach.pk}/decide/"
    assert client.post(decide, {"approve": "1"}).status_code == 403
    login(client, world.commission)
    waived = client.post(decide, {"approve": "0", "reason": ""})
    assert waived.status_code == 400 and "免除退还须说明理由。" in waived.content.decode()
    assert client.post(decide, {"approve": "0", "reason": "因病离岗"}).status_code == 302
    breach.refresh_from_db()
    assert (breach.status, breach.reason) == ("waived", "因病离岗")
