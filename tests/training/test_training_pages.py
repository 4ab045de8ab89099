"""The cultivation pages: each role's rows, a trainee logging a case, a mentor verifying it,
the one-time link page without login, exports, and query counts that do not grow."""

import datetime
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import login
from tests.scope_tables import CASES
from tests.training.helpers import DAY, case, mentorship, technique
from yicai.access.models import AuditEntry
from yicai.training.models import CaseLog
from yicai.training.services.activity import visit_record
from yicai.training.services.mentoring import case_log_verify
from yicai.training.services.studios import studio_create


def _rows(response):
    return {case.pk for case in response.context["page_obj"]}


@pytest.fixture
def cases(world):
    mentorship(world, world.a_doctor, world.a_ward_nurse)
    mentorship(world, world.a_surgeon)
    own = case(world, technique(world))
    surgeon = case(
        world, technique(world, "经皮肾镜取石术"), apprentice=world.a_surgeon, supervisor=None
    )
    nurse = case(world, technique(world, "PICC置管术"), apprentice=world.a_ward_nurse)
    b_case = case(
        world,
        technique(world, "胃镜下息肉切除术", institution=world.b),
        apprentice=world.b_doctor,
        supervisor=None,
    )
    return {"own": own, "surgeon": surgeon, "nurse": nurse, "b_case": b_case}


@pytest.mark.parametrize(
    "who", ["commission", "hospital_a", "hospital_b", "dept_head", "mentor", "trainee"]
)
def test_the_case_list_shows_each_role_its_rows(world, client, cases, who):
    login(client, getattr(world, who))
    response = client.get("/training/cases/")
    assert response.status_code == 200
    assert _rows(response) == {cases[name].pk for name in CASES[who]}


@pytest.mark.parametrize("who", ["auditor", "security", "nobody"])
def test_oversight_roles_and_accounts_without_roles_are_refused(world, client, cases, who):
    login(client, getattr(world, who))
    for url in ("/training/cases/", "/training/techniques/", "/training/cases/new/"):
        assert client.get(url).status_code == 403
    assert client.post(f"/training/cases/{cases['own'].pk}/verify/").status_code == 403


def test_a_trainee_logs_a_case_and_a_bad_one_is_refused_by_field(world, client):
    item = technique(world)
    pair = mentorship(world)  # 孙名医, from the partner hospital, is among the supervisors
    login(client, world.trainee)
    form = client.get("/training/cases/new/").context["form"]
    assert list(form.fields["technique"].queryset) == [item]
    bad = client.post(
        "/training/cases/new/",
        {"technique": item.pk, "performed_on": "2999-01-01", "role": "independent"},
    )
    assert bad.status_code == 200 and "不能晚于今天" in bad.content.decode()
    assert not CaseLog.objects.exists()
    good = client.post(
        "/training/cases/new/",
        {
            "technique": item.pk,
            "performed_on": DAY.isoformat(),
            "role": "independent",
            "supervisor": world.partner_expert.pk,
            "mentorship": pair.pk,
        },
    )
    assert good.status_code == 302
    logged = CaseLog.objects.get()
    assert (logged.apprentice, logged.supervisor, logged.mentorship) == (
        world.a_doctor,
        world.partner_expert,
        pair,
    )
    assert not logged.verified


def test_a_mentor_verifies_their_apprentices_case_and_another_hospital_cannot(world, client, cases):
    own = cases["own"]
    login(client, world.hospital_b)
    assert client.post(f"/training/cases/{own.pk}/verify/").status_code == 404
    login(client, world.mentor)
    assert client.post(f"/training/cases/{own.pk}/verify/").status_code == 302
    own.refresh_from_db()
    assert own.verified and own.verified_by == world.mentor
    login(client, world.trainee)  # not their own record's judge
    client.post(f"/training/cases/{own.pk}/verify/", {"undo": "1"})
    own.refresh_from_db()
    assert own.verified


def test_the_link_page_confirms_once_without_login(world, client, cases):
    login(client, world.hospital_a)
    created = client.post(f"/training/cases/{cases['own'].pk}/link/")
    url = created.context["url"]
    client.logout()
    path = url.split("testserver", 1)[1]
    page = client.get(path)
    assert page.status_code == 200 and "李心怡" in page.content.decode()
    assert "310113" not in page.content.decode()  # no identity number on the page
    assert client.post(path, {"name": ""}).status_code == 200  # asks for a name
    done = client.post(path, {"name": "孙名医"}, REMOTE_ADDR="10.9.8.7")
    assert "已确认" in done.content.decode()
    again = client.get(path)
    assert again.status_code == 410 and "已使用过" in again.content.decode()
    assert client.get(path[:-3] + "xx/").status_code == 410
    entry = AuditEntry.objects.filter(event="confirm").latest("pk")
    assert entry.remote_addr == "10.9.8.7"


def test_the_case_export_follows_the_scope_and_is_audited(world, client, cases):
    login(client, world.hospital_a)
    response = client.get("/training/cases/", {"export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    names = sorted(row[1] for row in sheet.iter_rows(min_row=2, values_only=True))
    assert names == ["周外科", "李心怡", "赵护士"]
    assert AuditEntry.objects.filter(event="export").exists()


def test_the_technique_list_shows_filled_gaps(world, client, cases):
    case_log_verify(case_log=cases["own"], user=world.mentor)
    login(client, world.hospital_a)
    response = client.get("/training/techniques/", {"gap": "yes"})
    (item,) = response.context["page_obj"]
    assert (item.name, item.gap_filled_on, item.verified_independent) == (
        "单孔腹腔镜胆囊切除术",
        DAY,
        1,
    )
    assert "区域首例" in response.content.decode()


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_list_query_counts_do_not_grow_with_rows(world, client):
    item = technique(world)
    login(client, world.hospital_a)
    case(world, item)
    few = (_queries(client, "/training/cases/"), _queries(client, "/training/techniques/"))
    for day in range(12):
        case(world, item, on=DAY - datetime.timedelta(days=day + 1))
        technique(world, f"技术{day}")
    many = (_queries(client, "/training/cases/"), _queries(client, "/training/techniques/"))
    assert many == few


def test_studio_and_visit_lists_do_not_grow_their_queries(world, client):
    login(client, world.hospital_a)

    def add(n):
        studio = studio_create(
            name=f"工作室{n}",
            lead=world.partner_expert,
            tier="district",
            institution=world.a,
            founded_on=DAY,
            department=world.a_surgery,
            members=[world.a_doctor],
        )
        visit_record(
            expert=world.partner_expert,
            kind="clinic",
            institution=world.a,
            held_on=DAY,
            studio=studio,
            department=world.a_surgery,
        )

    add(0)
    few = (_queries(client, "/training/studios/"), _queries(client, "/training/visits/"))
    for n in range(1, 12):
        add(n)
    assert (_queries(client, "/training/studios/"), _queries(client, "/training/visits/")) == few
