"""The partner agreements' pages: the list with its filters (400 on a bad one), the export
(an .xlsx that opens, audited), the form that records and changes one, the menu entry, and a
query count that does not grow with the rows."""

import datetime
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import login
from tests.recruitment.helpers import agreement
from yicai.access.models import AuditEntry
from yicai.recruitment.models import PartnerAgreement

pytestmark = pytest.mark.django_db
LIST = "/recruitment/agreements/"


def test_the_list_shows_what_the_user_sees_and_offers_edits_where_they_may(client, world):
    mine = agreement(world, title="甲院共建")
    agreement(world, world.b, title="乙中心帮扶")
    page = login(client, world.hospital_a).get(LIST)
    assert page.status_code == 200
    text = page.content.decode()
    assert "甲院共建" in text and "乙中心帮扶" not in text
    assert f"/recruitment/agreements/{mine.pk}/edit/" in text
    assert "?export=xlsx" in text


def test_a_department_head_reads_without_edit_or_export(client, world):
    agreement(world, department=world.a_cardiology, title="心血管专科联盟")
    login(client, world.dept_head)
    text = client.get(LIST).content.decode()
    assert "心血管专科联盟" in text
    assert "/edit/" not in text and "?export=xlsx" not in text
    assert client.get(LIST + "new/").status_code == 403
    assert client.get(LIST + "?export=xlsx").status_code == 403


def test_roles_without_the_permission_are_refused(client, world):
    for user in (world.trainee, world.mentor, world.auditor):
        assert login(client, user).get(LIST).status_code == 403


def test_the_filters_narrow_the_list_and_a_wrong_one_is_a_400(client, world):
    agreement(world, title="长期共建")
    agreement(
        world,
        title="旧托管",
        kind="trusteeship",
        signed_on=datetime.date(2015, 1, 1),
        starts_on=datetime.date(2015, 1, 1),
        ends_on=datetime.date(2018, 12, 31),
    )
    login(client, world.commission)
    text = client.get(LIST, {"as_of": "2016-05-01"}).content.decode()
    assert "旧托管" in text and "长期共建" not in text
    text = client.get(LIST, {"kind": "co_building", "since": "2020-01-01"}).content.decode()
    assert "长期共建" in text and "旧托管" not in text
    bad = client.get(LIST, {"since": "2022-01-01", "until": "2021-01-01"})
    assert bad.status_code == 400
    assert "截止日期不能早于起始日期。" in bad.content.decode()
    assert client.get(LIST, {"as_of": "not a day"}).status_code == 400
    assert (
        client.get(
            LIST, {"since": "2022-01-01", "until": "2021-01-01", "export": "xlsx"}
        ).status_code
        == 400
    )


def test_the_empty_list_says_so(client, world):
    text = login(client, world.hospital_b).get(LIST).content.decode()
    assert "没有符合条件的合作协议。" in text


def test_the_export_opens_in_excel_and_is_audited(client, world):
    agreement(world, title="甲院共建", note="=1+1")
    agreement(
        world, partner=None, partner_name="某大学附属医院", title="托管协议", kind="trusteeship"
    )
    response = login(client, world.hospital_a).get(LIST, {"export": "xlsx", "kind": "trusteeship"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("签约机构", "对口科室", "合作方", "协议类型", "协议名称")
    assert [row[2:5] for row in rows[1:]] == [("某大学附属医院", "托管", "托管协议")]
    entry = AuditEntry.objects.filter(event=AuditEntry.Event.EXPORT).latest("pk")
    assert "导出合作协议" in entry.object_repr
    csv = client.get(LIST, {"export": "csv"})
    assert csv.status_code == 200
    assert "'=1+1" in b"".join(csv.streaming_content).decode("utf-8-sig")


def test_the_form_records_and_changes_an_agreement(client, world):
    login(client, world.hospital_a)
    form = client.get(LIST + "new/").content.decode()
    assert "沪上合作医院" in form and "乙社区卫生服务中心" not in form
    posted = {
        "institution": world.a.pk,
        "partner": world.partner.pk,
        "kind": "specialty_alliance",
        "title": "心血管专科联盟",
        "signed_on": "2021-04-01",
        "starts_on": "2021-04-01",
    }
    response = client.post(LIST + "new/", posted)
    assert response.status_code == 302, response.content.decode()
    saved = PartnerAgreement.objects.get()
    assert (saved.institution, saved.kind, saved.ends_on) == (world.a, "specialty_alliance", None)
    edit = f"{LIST}{saved.pk}/edit/"
    refused = client.post(edit, {**posted, "ends_on": "2020-01-01", "partner_name": "又一家"})
    assert refused.status_code == 200
    text = refused.content.decode()
    assert "截止日期不能早于起始日期。" in text
    assert "已选择登记在册的合作机构，不必再填写名称。" in text
    assert client.post(edit, {**posted, "ends_on": "2026-03-31"}).status_code == 302
    saved.refresh_from_db()
    assert saved.ends_on == datetime.date(2026, 3, 31)


def test_another_institutions_agreement_is_not_found(client, world):
    theirs = agreement(world, world.b, title="乙中心帮扶")
    login(client, world.hospital_a)
    assert client.get(f"{LIST}{theirs.pk}/edit/").status_code == 404
    out_of_scope = {
        "institution": world.b.pk,
        "partner": world.partner.pk,
        "kind": "cooperation",
        "title": "越权",
        "signed_on": "2021-04-01",
        "starts_on": "2021-04-01",
    }
    response = client.post(LIST + "new/", out_of_scope)
    assert "所选机构不存在或不在您的管辖范围内。" in response.content.decode()
    assert not PartnerAgreement.objects.filter(title="越权").exists()


def test_the_menu_offers_the_list_under_attract(client, world):
    text = login(client, world.hospital_a).get("/").content.decode()
    assert LIST in text
    assert LIST not in login(client, world.trainee).get("/").content.decode()


def test_the_list_costs_the_same_queries_for_many_rows(
    client, world, django_assert_max_num_queries
):
    login(client, world.commission)
    agreement(world, department=world.a_cardiology)
    few = {}
    for query in ({}, {"export": "xlsx"}):
        with CaptureQueriesContext(connection) as done:
            assert client.get(LIST, query).status_code == 200
        few[str(query)] = len(done)
    for number in range(30):
        agreement(
            world,
            world.b if number % 2 else world.a,
            title=f"协议{number}",
            partner=None if number % 3 else world.partner,
            partner_name=f"合作方{number}" if number % 3 else "",
            department=None if number % 2 else world.a_surgery,
        )
    for query in ({}, {"export": "xlsx"}):
        with django_assert_max_num_queries(few[str(query)]):
            assert client.get(LIST, query).status_code == 200
