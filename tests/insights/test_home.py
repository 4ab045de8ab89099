"""The home page: 我的待办 first, each item counted from the records and a link to the page where
it is done; the statistics, every figure a link to the list behind it, only for the roles that
oversee people; what an account without a person, or without a role, is told."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from tests.conftest import login
from tests.exchange.importing import person_row, preview, xlsx
from tests.insights import waiting
from tests.training import helpers
from yicai import todo as todo_registry
from yicai.access.models import Role
from yicai.codes.queries import code_for
from yicai.people import services as people_services
from yicai.training.services.activity import visit_record
from yicai.training.services.education import external_credit_record
from yicai.training.services.programmes import cohort_create
from yicai.training.services.secondments import monthly_report_comment, monthly_report_submit


@pytest.fixture
def work(world):
    return waiting.build(world)


def todo(client) -> dict:
    """The home page's to-do as {key: [item, ...]}, pending and done."""
    response = client.get("/")
    assert response.status_code == 200
    found: dict = {}
    for item in [*response.context["pending"], *response.context["done"]]:
        found.setdefault(item.key, []).append(item)
    return found


def only(items: dict, key: str):
    assert len(items.get(key, [])) == 1, f"{key}: {items.get(key)}"
    return items[key][0]


def opens(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


# --- Per role: the items, their counts, and the pages they open ------------------------------


def test_a_trainee_sees_their_cases_report_credits_and_next_goal(world, work, client):
    login(client, world.trainee)
    items = todo(client)
    assert set(items) == {
        "training.own_cases",
        "training.monthly_report",
        "training.credits",
        "training.next_goal",
    }

    cases = only(items, "training.own_cases")
    assert cases.count == 3
    page = opens(client, cases.url)
    assert all(f'id="case-{case.pk}"' in page for case in work.cases)
    assert client.get(cases.url).context["page_obj"].paginator.count == 3

    report = only(items, "training.monthly_report")
    month = work.today
    assert report.label == f"{month.year} 年 {month.month} 月进修月报"
    assert not report.done and report.detail.startswith("待提交")
    assert report.url.endswith(f"/training/secondments/{work.secondment.pk}/#report-form")
    assert 'id="report-form"' in opens(client, report.url)

    credits = only(items, "training.credits")
    assert not credits.done
    assert credits.detail == "已得 5 / 要求 25 学分（Ⅰ类 5 / 5，Ⅱ类 0 / 15）"
    assert world.a_doctor.name in opens(client, credits.url)

    goal = only(items, "training.next_goal")
    assert goal.detail == f"{work.today.year + 1} 年：发表 SCI 论文 1 篇"
    assert "发表 SCI 论文 1 篇" in opens(client, goal.url)


def test_a_submitted_report_and_met_credits_show_as_done(world, work, client):
    monthly_report_submit(
        secondment=work.secondment,
        person=world.a_doctor,
        month=work.today.replace(day=1),
        content="本月：独立完成超声造影 10 例",
    )
    external_credit_record(
        person=world.a_doctor,
        earned_on=work.today,
        title="心血管年会",
        provider="中华医学会",
        credit_class="class_ii",
        credits=20,
    )
    login(client, world.trainee)
    response = client.get("/")
    done = {item.key: item for item in response.context["done"]}
    assert done["training.monthly_report"].detail.startswith("已提交")
    assert done["training.credits"].detail.startswith("已得 25 / 要求 25 学分")
    pending = {item.key for item in response.context["pending"]}
    assert pending == {"training.own_cases", "training.next_goal"}


def test_a_mentor_sees_cases_to_verify_their_visits_and_apprentices(world, work, client):
    login(client, world.mentor)
    items = todo(client)
    assert set(items) == {
        "training.cases_to_verify",
        "training.planned_visits",
        "training.apprentices",
    }

    cases = only(items, "training.cases_to_verify")
    assert cases.count == 3  # a_doctor's, naming them; not a_surgeon's, naming someone else
    listed = client.get(cases.url).context["page_obj"]
    assert {case.pk for case in listed} == {case.pk for case in work.cases}
    assert set(client.get(cases.url).context["verifiable"]) == {case.pk for case in work.cases}

    visits = only(items, "training.planned_visits")
    assert visits.count == 2
    assert visits.detail == f"下一次：{work.today + datetime.timedelta(days=7)}"
    shown = {visit.pk for visit in client.get(visits.url).context["page_obj"]}
    assert shown == {visit.pk for visit in work.planned_visits}

    apprentices = only(items, "training.apprentices")
    assert apprentices.url == f"/training/mentorships/{work.mentorship.pk}/"
    assert world.a_doctor.name in opens(client, apprentices.url)


def test_a_linked_leader_sees_the_reports_awaiting_their_comment(world, work, client):
    login(client, work.leader)
    items = todo(client)
    assert set(items) == {"training.reports_to_comment"}  # their own case verifies no one
    reports = only(items, "training.reports_to_comment")
    assert reports.label == f"{world.a_doctor.name}的进修月报待批注"
    assert reports.count == 2
    page = opens(client, reports.url)
    assert all(f'id="report-{report.pk}"' in page for report in work.reports)
    assert page.count('name="comment"') == 2  # where the comment is written

    monthly_report_comment(report=work.reports[0], person=world.a_surgeon, comment="进展良好")
    assert only(todo(client), "training.reports_to_comment").count == 1


def test_a_department_head_verifies_their_departments_cases(world, work, client):
    login(client, world.dept_head)
    items = todo(client)
    assert set(items) == {"training.cases_to_verify"}
    assert only(items, "training.cases_to_verify").count == 3


def test_a_hospital_sees_imports_records_licences_and_nominations(world, work, client):
    login(client, world.hospital_a)
    items = todo(client)
    assert set(items) == {
        "people.incomplete",
        "people.licence_expiring",
        "training.round_to_nominate",
        "exchange.import_to_confirm",
    }

    incomplete = only(items, "people.incomplete")
    assert incomplete.count == 2  # a_doctor's undated title, a_ward_nurse's education
    listed = client.get(incomplete.url).context["page_obj"]
    assert {person.name for person in listed} == {world.a_doctor.name, world.a_ward_nurse.name}

    licences = only(items, "people.licence_expiring")
    assert licences.count == 1
    listed = client.get(licences.url).context["page_obj"]
    assert [person.pk for person in listed] == [work.expiring.person_id]

    job = only(items, "exchange.import_to_confirm")
    assert job.url == f"/exchange/imports/{work.job.token}/"
    assert "新增 1" in job.detail
    assert work.job.original_name in opens(client, job.url)

    nominations = only(items, "training.round_to_nominate")
    assert str(work.open_round) in nominations.label
    assert "本单位已提名 1 人" in nominations.detail
    assert 'name="reason"' in opens(client, nominations.url)  # the nomination form


def test_the_commission_sees_the_rounds_and_cohorts_waiting_for_it(world, work, client):
    login(client, world.commission)
    items = todo(client)
    assert set(items) == {
        "training.round_to_review",
        "training.round_to_approve",
        "training.cohort_to_complete",
    }

    review = only(items, "training.round_to_review")
    assert review.url == f"/training/rounds/{work.closed_round.pk}/"
    assert 'id="start-review"' in opens(client, review.url)  # where the review is started

    approve = only(items, "training.round_to_approve")
    assert approve.detail == "1 份提名待决定是否入选"
    page = opens(client, approve.url)
    assert world.b_doctor.name in page

    cohort = only(items, "training.cohort_to_complete")
    assert cohort.count == 1
    members = client.get(cohort.url).context["page_obj"]
    assert [member.person_id for member in members] == [world.a_doctor.pk]


def test_a_round_closed_without_nominations_waits_for_no_one(world, work, client):
    lone = waiting.programme(world.a.commission_region, "名医计划", "elite")
    cohort = cohort_create(programme=lone, year=work.today.year, name="本年度", start_on=work.today)
    waiting.round_of(
        cohort, work.today - datetime.timedelta(days=30), work.today - datetime.timedelta(days=1)
    )
    login(client, world.commission)
    assert only(todo(client), "training.round_to_review").url.endswith(f"/{work.closed_round.pk}/")


def test_another_hospital_counts_only_its_own(world, work, client):
    login(client, world.hospital_b)
    items = todo(client)
    assert set(items) == {
        "people.incomplete",
        "people.licence_expiring",
        "training.round_to_nominate",
    }
    assert only(items, "people.incomplete").count == 1  # b_doctor
    assert only(items, "people.licence_expiring").count == 1
    assert "本单位已提名 0 人" in only(items, "training.round_to_nominate").detail


def test_the_auditor_has_nothing_to_do(world, work, client):
    login(client, world.auditor)
    response = client.get("/")
    assert response.context["pending"] == [] and response.context["done"] == []
    assert "今天没有待办事项" in response.content.decode()


def test_an_empty_to_do_says_so_kindly(world, client):
    login(client, world.mentor)
    body = client.get("/").content.decode()
    assert "今天没有待办事项" in body
    assert 'data-todo="training.cases_to_verify"' not in body  # nothing to do: not shown


def test_a_long_list_of_records_ends_with_a_link_to_the_rest(world, client):
    files = [preview(world.hospital_a, xlsx([person_row(f"新同事{n}")])) for n in range(7)]
    login(client, world.hospital_a)
    jobs = todo(client)
    assert len(jobs["exchange.import_to_confirm"]) == 5
    assert only(jobs, "exchange.imports").url == "/exchange/imports/"
    assert {item.url for item in jobs["exchange.import_to_confirm"]} <= {
        f"/exchange/imports/{job.token}/" for job in files
    }


def test_a_count_stops_at_the_limit(world, work, client, monkeypatch):
    people_services.title_add(person=world.a_surgeon, title=code_for("title", "231"))  # a third
    monkeypatch.setattr(todo_registry, "LIMIT", 1)
    login(client, world.hospital_a)
    incomplete = only(todo(client), "people.incomplete")
    assert incomplete.count == 2  # counted up to LIMIT + 1, no further
    assert incomplete.count_display == "1+"
    assert '>1+<span class="visually-hidden">项</span>' in client.get("/").content.decode()


# --- The statistics and their links ----------------------------------------------------------


def test_every_figure_of_the_dashboard_links_to_its_list(world, client):
    people_services.tag_add(
        person=world.a_doctor,
        tag=code_for("talent_tag", "shortage"),
        valid_from=datetime.date(2024, 1, 1),
    )
    people_services.education_add(
        person=world.a_surgeon, level=code_for("education", "11"), school="复旦大学"
    )
    login(client, world.commission)
    response = client.get("/")
    body = response.content.decode()
    figures = response.context["figures"]

    def listed(url: str) -> int:
        page = client.get(url).context["page_obj"]
        assert not page.more  # counted exactly below the bound
        return page.count

    assert listed("/people/") == figures["total"]
    assert listed(response.context["postgraduate_url"]) == figures["postgraduate"] == 1
    senior = listed("/people/?title_grade=senior") + listed("/people/?title_grade=associate_senior")
    assert senior == figures["senior"]
    for grade, n in figures["grades"].items():
        assert f'href="/people/?title_grade={grade}"' in body
        assert listed(f"/people/?title_grade={grade}") == n
    tag = figures["tags"][0]
    assert f'href="/people/?tag={tag["tags__tag_id"]}"' in body
    assert listed(f"/people/?tag={tag['tags__tag_id']}") == tag["n"] == 1
    for chart in ("institutions", "ages"):
        rows = response.context["charts"][chart]
        assert rows, chart
        for row in rows:
            assert f'href="{row["url"].replace("&", "&amp;")}"' in body  # the table of links
            assert listed(row["url"]) == row["count"], row
    institution_urls = {row["url"] for row in response.context["charts"]["institutions"]}
    assert f"/people/?institution={world.a.pk}" in institution_urls
    assert re.search(r'id="chart-data"', body)  # the same rows for the charts' clicks


def test_only_roles_that_oversee_people_see_the_statistics(world, client):
    for user in (world.commission, world.hospital_a, world.dept_head):
        login(client, user)
        assert 'id="fig-total"' in client.get("/").content.decode(), user
    for user in (world.trainee, world.mentor, world.auditor):
        login(client, user)
        response = client.get("/")
        assert response.context["figures"] is None
        assert "人才总数" not in response.content.decode()


# --- Accounts without a person or a role -------------------------------------------------------


def test_an_account_without_its_person_is_told_what_is_missing(world, client):
    newcomer = factories.user("newcomer", roles=[(Role.STAFF, {})])
    login(client, newcomer)
    response = client.get("/")
    body = response.content.decode()
    assert "您的账号尚未关联人员档案，请联系安全管理员/系统管理员关联后再使用" in body
    assert "人才总数" not in body and "我的待办" not in body
    assert 'href="/accounts/password/"' in body  # what they can still do
    assert [
        item.url_name for section in response.context["sections"] for item in section.items
    ] == ["insights:chain"] * 4


def test_an_account_without_a_role_is_told_so(world, client):
    login(client, world.nobody)
    body = client.get("/").content.decode()
    assert "您的账号尚未授予角色" in body
    assert "人才总数" not in body


def test_a_department_head_without_a_person_still_gets_their_work(world, client):
    both = factories.user(
        "head_and_mentor",
        roles=[(Role.DEPARTMENT_HEAD, {"department": world.a_cardiology}), (Role.MENTOR, {})],
    )
    login(client, both)
    response = client.get("/")
    assert response.context["unlinked"] is True
    assert "尚未关联人员档案" in response.content.decode()
    assert response.context["figures"]["total"] == 2  # the department's statistics still show


# --- What the page costs -----------------------------------------------------------------------


def home_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    return len(queries)


def more_of_everything(world, work):
    """Ten more of every record a to-do counts."""
    technique = helpers.technique(world, name="经皮冠状动脉介入治疗")
    for n in range(10):
        helpers.case(world, technique, on=work.today - datetime.timedelta(days=20 + n))
        visit_record(
            expert=world.partner_expert,
            kind="lecture",
            institution=world.a,
            held_on=work.today + datetime.timedelta(days=40 + n),
        )
        person = factories.person(world.a, f"新人{n}", department=world.a_cardiology)
        people_services.title_add(person=person, title=code_for("title", "234"))
        waiting.licence(person, work.today + datetime.timedelta(days=20))
        preview(world.hospital_a, xlsx([person_row(f"新同事{n}")]))


@pytest.mark.parametrize(
    "persona", ["trainee", "mentor", "leader", "dept_head", "hospital_a", "commission"]
)
def test_the_home_page_costs_the_same_queries_however_many_records(world, work, client, persona):
    user = work.leader if persona == "leader" else getattr(world, persona)
    login(client, user)
    few = home_queries(client)
    more_of_everything(world, work)
    assert home_queries(client) == few
    assert few <= 30
