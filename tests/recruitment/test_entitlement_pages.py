"""An introduction's page and the payments due: a hospital grants an entitlement in tranches
(a sum that does not add up is refused on the form, nothing written), pays a tranche from the
list of payments due, records the person's leaving and sees the clawback proposed with its
computation; the commission approves it; the to-do list counts what waits; the export opens
and is audited."""

import datetime
import io

import openpyxl
import pytest

from tests.conftest import login
from yicai import todo
from yicai.access.models import AuditEntry
from yicai.recruitment import services
from yicai.recruitment.models import Clawback, Entitlement, Tranche

pytestmark = pytest.mark.django_db
D = datetime.date


def _introduction(world):
    return services.introduction_create(
        by=None,
        person=world.a_doctor,
        institution=world.a,
        department=world.a_cardiology,
        introduced_on=D(2021, 7, 1),
        mode="full_time",
        category="high_level",
        service_years=5,
    )


def _grant(amount, rows):
    data = {
        "kind": "settlement",
        "amount": amount,
        "repayment": "pro_rata",
        "tranche-TOTAL_FORMS": "4",
        "tranche-INITIAL_FORMS": "0",
        "tranche-MIN_NUM_FORMS": "0",
        "tranche-MAX_NUM_FORMS": "12",
    }
    for number, (part, due, condition) in enumerate(rows):
        data |= {
            f"tranche-{number}-amount": part,
            f"tranche-{number}-due_on": due,
            f"tranche-{number}-condition": condition,
        }
    return data


def test_a_hospital_grants_pays_and_records_the_leaving_the_commission_decides(client, world):
    introduction = _introduction(world)
    page = f"/recruitment/introductions/{introduction.pk}/"
    login(client, world.hospital_a)
    assert "5 年，至 2026-06-30" in client.get(page).content.decode()
    refused = client.post(page + "entitlements/", _grant("200000", [("100000", "2021-07-15", "")]))
    assert refused.status_code == 400
    assert (
        "各期金额之和（100,000.00 元）与待遇金额（200,000.00 元）不一致。"
        in refused.content.decode()
    )
    assert not Entitlement.objects.exists()
    granted = client.post(
        page + "entitlements/",
        _grant(
            "200000",
            [("100000", "2021-07-15", ""), ("100000", "2022-07-01", "首年考核合格后")],
        ),
    )
    assert granted.status_code == 302
    assert [t.amount for t in Tranche.objects.order_by("number")] == [100000, 100000]
    # Both have fallen due today: pay the first from the list, which it goes back to.
    due = "/recruitment/payments-due/"
    listed = client.get(due).content.decode()
    assert listed.count("登记今日发放") == 2
    first = Tranche.objects.get(number=1)
    paid = client.post(
        f"/recruitment/tranches/{first.pk}/pay/", {"voucher": "记-2021-07", "next": due}
    )
    assert paid["Location"] == due
    # Another site as `next` is not followed.
    second = Tranche.objects.get(number=2)
    outside = client.post(
        f"/recruitment/tranches/{second.pk}/pay/",
        {"paid_on": "2022-07-05", "next": "https://example.com/"},
    )
    assert outside["Location"] == page
    again = client.post(f"/recruitment/tranches/{second.pk}/pay/", {})
    assert again.status_code == 400 and "该期已于 2022-07-05 发放。" in again.content.decode()
    sheet = client.get(due + "?export=xlsx&as_of=2030-01-01")
    assert len(list(openpyxl.load_workbook(io.BytesIO(sheet.getvalue())).active.values)) == 1
    assert AuditEntry.objects.filter(event="export", object_repr__contains="到期待遇").exists()
    # The person leaves after 20 months of 60: two thirds of 200,000 back, to the cent.
    left = client.post(page + "leave/", {"left_on": "2023-02-28", "reason": "调往外省"})
    assert left.status_code == 302
    shown = client.get(page).content.decode()
    assert "133,333.33" in shown and "已服务 20 个月" in shown
    assert "登记待遇" not in shown  # nothing more to grant to someone who left
    login(client, world.commission)
    items = {item.key: item.count for item in todo.items_for(world.commission)}
    assert items["recruitment.clawbacks_to_decide"] == 1
    owing = client.get("/recruitment/introductions/?owing=on").content.decode()
    assert world.a_doctor.name in owing
    clawback = Clawback.objects.get()
    decided = client.post(
        f"/recruitment/clawbacks/{clawback.pk}/decide/", {"approve": "1", "on": "2023-03-10"}
    )
    assert decided.status_code == 302
    clawback.refresh_from_db()
    assert (clawback.status, clawback.decided_by) == ("approved", world.commission)
    # A hospital may not decide, even by posting the form.
    login(client, world.hospital_a)
    assert client.post(f"/recruitment/clawbacks/{clawback.pk}/decide/").status_code == 403
