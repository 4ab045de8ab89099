"""The disciplines' pages: the list with its filters (400 on a bad one), its export (an .xlsx
that opens, audited), the form that sets a figure (and changes one on file, saying so), a
figure's page with its delete, a discipline's page with the series, growth and multiples
(300 in 2019 to 1,200 in 2023: 4.00 times, 41.42 % a year) linked to their figures, its
empty state, scope, the menu, and query counts that do not grow with the rows."""

import io
import re

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from tests.conftest import login
from tests.evaluation.disciplines import INTERVENTIONS, figures
from yicai.access.models import AuditEntry
from yicai.evaluation.models import DisciplineFigure

pytestmark = pytest.mark.django_db
LIST = "/evaluation/figures/"


def discipline(department) -> str:
    return f"/evaluation/disciplines/{department.pk}/"


def test_the_list_shows_what_the_user_sees_and_offers_edits_where_they_may(client, world):
    mine = figures(world.a_cardiology, {2021: 610})[2021]
    figures(world.b_medicine, {2021: 77777})
    text = login(client, world.hospital_a).get(LIST).content.decode()
    assert "610" in text and "77777" not in text
    assert f"{LIST}{mine.pk}/edit/" in text and f"{LIST}{mine.pk}/" in text
    assert discipline(world.a_cardiology) in text
    assert "?export=xlsx" in text and "entity=evaluation_figures" in text


def test_a_department_head_reads_without_edit_or_export(client, world):
    on_file = figures(world.a_cardiology, {2021: 610})[2021]
    figures(world.a_surgery, {2021: 4321})
    login(client, world.dept_head)
    text = client.get(LIST).content.decode()
    assert "610" in text and "4321" not in text
    assert "/edit/" not in text and "?export=xlsx" not in text
    assert client.get(LIST + "new/").status_code == 403
    assert client.get(f"{LIST}{on_file.pk}/edit/").status_code == 403
    assert client.post(f"{LIST}{on_file.pk}/delete/").status_code == 403
    assert client.get(LIST + "?export=xlsx").status_code == 403
    page = client.get(f"{LIST}{on_file.pk}/")
    assert page.status_code == 200 and "data-confirm" not in page.content.decode()


def test_roles_without_the_permission_are_refused(client, world):
    for user in (world.trainee, world.mentor, world.auditor):
        assert login(client, user).get(LIST).status_code == 403


def test_another_institutions_figure_and_department_are_not_found(client, world):
    theirs = figures(world.b_medicine, {2021: 77})[2021]
    login(client, world.hospital_a)
    for url in (f"{LIST}{theirs.pk}/", f"{LIST}{theirs.pk}/edit/", discipline(world.b_medicine)):
        assert client.get(url).status_code == 404
    assert client.post(f"{LIST}{theirs.pk}/delete/").status_code == 404
    posted = {"department": world.b_medicine.pk, "year": 2021, "measure": "discharges", "value": 5}
    refused = client.post(LIST + "new/", posted)
    assert "所选科室不存在或不在您的管辖范围内。" in refused.content.decode()
    assert DisciplineFigure.objects.get().value == 77


def test_the_filters_narrow_the_list_and_a_wrong_one_is_a_400(client, world):
    figures(world.a_cardiology, INTERVENTIONS)
    figures(world.a_surgery, {2021: 45}, measure="open_beds")
    login(client, world.commission)
    rows = client.get(LIST, {"measure": "open_beds"}).context["page_obj"]
    assert [(f.department, f.value) for f in rows] == [(world.a_surgery, 45)]
    rows = client.get(LIST, {"year_from": 2021, "year_to": 2022, "institution": world.a.pk})
    assert [f.year for f in rows.context["page_obj"]] == [2021, 2022, 2021]
    rows = client.get(LIST, {"department": world.a_cardiology.pk, "year_from": 2023})
    assert [f.value for f in rows.context["page_obj"]] == [1200]
    bad = client.get(LIST, {"year_from": 2022, "year_to": 2021})
    assert bad.status_code == 400 and "截止年度不能早于起始年度。" in bad.content.decode()
    assert client.get(LIST, {"department": "x"}).status_code == 400
    assert client.get(LIST, {"year_from": 1900, "export": "xlsx"}).status_code == 400


def test_the_empty_list_says_so(client, world):
    text = login(client, world.hospital_b).get(LIST).content.decode()
    assert "没有符合条件的学科年度数据。" in text


def test_the_export_opens_in_excel_and_is_audited(client, world):
    figures(world.a_cardiology, {2022: 880, 2023: 1200}, note="=1+1")
    figures(world.b_medicine, {2023: 5})
    response = login(client, world.hospital_a).get(LIST, {"export": "xlsx"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("机构", "科室", "年度", "指标", "数值", "单位", "备注")
    assert [row[:6] for row in rows[1:]] == [
        ("甲区中心医院", "心血管内科", 2022, "介入手术例数", 880, "例"),
        ("甲区中心医院", "心血管内科", 2023, "介入手术例数", 1200, "例"),
    ]
    assert rows[1][6] == "'=1+1"  # a formula-like note stays text
    entry = AuditEntry.objects.filter(event=AuditEntry.Event.EXPORT).latest("pk")
    assert "导出学科年度数据" in entry.object_repr


def test_the_form_sets_a_figure_and_says_when_it_changed_one(client, world):
    login(client, world.hospital_a)
    form = client.get(LIST + "new/", {"department": world.a_cardiology.pk, "year": 2021})
    text = form.content.decode()
    assert "心血管内科" in text and "全科" not in text
    posted = {"department": world.a_cardiology.pk, "year": 2021, "measure": "interventions"}
    response = client.post(LIST + "new/", {**posted, "value": 600}, follow=True)
    assert response.redirect_chain[-1][0] == discipline(world.a_cardiology)
    assert "已保存学科年度数据：心血管内科 2021 介入手术例数 600" in response.content.decode()
    again = client.post(LIST + "new/", {**posted, "value": 610, "note": "更正"}, follow=True)
    assert "由 600 改为 610" in again.content.decode()
    saved = DisciplineFigure.objects.get()
    assert (saved.value, saved.note) == (610, "更正")
    refused = client.post(f"{LIST}{saved.pk}/edit/", {**posted, "value": -3, "year": 1900})
    text = refused.content.decode()
    assert refused.status_code == 200
    assert "数值不能为负数。" in text and "年度不能早于 1949 年。" in text
    saved.refresh_from_db()
    assert saved.value == 610
    change = client.post(f"{LIST}{saved.pk}/edit/", {**posted, "value": 615, "year": 2020})
    assert change.status_code == 302
    saved.refresh_from_db()
    assert (saved.year, saved.value) == (2020, 615)


def test_a_figure_is_deleted_from_its_page_after_a_confirmation(client, world):
    on_file = figures(world.a_cardiology, {2021: 610})[2021]
    login(client, world.hospital_a)
    page = client.get(f"{LIST}{on_file.pk}/").content.decode()
    assert "data-confirm=" in page and f"{LIST}{on_file.pk}/delete/" in page
    assert client.get(f"{LIST}{on_file.pk}/delete/").status_code == 405
    response = client.post(f"{LIST}{on_file.pk}/delete/")
    assert response.status_code == 302 and response.url == discipline(world.a_cardiology)
    assert not DisciplineFigure.objects.exists()


def test_a_disciplines_page_shows_the_growth_and_the_multiple_linked_to_the_figures(client, world):
    on_file = figures(world.a_cardiology, INTERVENTIONS)
    page = login(client, world.dept_head).get(discipline(world.a_cardiology))
    assert page.status_code == 200
    text = page.content.decode()
    series = text[text.index('id="series-interventions"') :]
    assert '<strong class="multiple">4.00</strong> 倍' in series
    assert '<strong class="average-growth">41.42%</strong>' in series
    assert "2019 年 300 例，2023 年 1200 例" in series
    for year, figure in on_file.items():
        assert f'<a href="{LIST}{figure.pk}/">{INTERVENTIONS[year]}</a>' in series
    assert "40.00%" in series and "36.36%" in series
    assert "/evaluation/figures/new/" not in text  # the head reads only
    # The years asked: 2021 to 2023, 610 to 1,200.
    narrowed = client.get(discipline(world.a_cardiology), {"year_from": 2021}).content.decode()
    assert '<strong class="multiple">1.97</strong>' in narrowed
    assert "1.97" in narrowed and "40.26%" in narrowed  # (1200 / 610) ** 0.5 - 1
    assert client.get(discipline(world.a_surgery)).status_code == 404


def test_a_disciplines_page_without_figures_says_so_and_offers_to_add(client, world):
    login(client, world.hospital_a)
    text = client.get(discipline(world.a_surgery)).content.decode()
    assert "还没有登记年度数据" in text
    assert f"/evaluation/figures/new/?department={world.a_surgery.pk}" in text
    assert 'id="records"' in text  # the records of the years still show
    bad = client.get(discipline(world.a_surgery), {"year_from": 1950, "year_to": 2023})
    assert bad.status_code == 400 and "一次最多查看 30 个年度。" in bad.content.decode()


def test_the_menu_offers_the_list_under_use(client, world):
    text = login(client, world.hospital_a).get("/").content.decode()
    assert LIST in text
    assert LIST in login(client, world.dept_head).get("/").content.decode()
    assert LIST not in login(client, world.trainee).get("/").content.decode()


def _count(client, url, query=None) -> int:
    with CaptureQueriesContext(connection) as done:
        assert client.get(url, query or {}).status_code == 200
    return len(done)


def test_the_pages_cost_the_same_queries_for_many_rows(client, world):
    login(client, world.commission)
    figures(world.a_cardiology, {2019: 300, 2023: 1200})
    pages = [(LIST, None), (LIST, {"export": "xlsx"}), (discipline(world.a_cardiology), None)]
    few = [_count(client, url, query) for url, query in pages]
    # Many rows over the same years: the discipline page counts each year's staff in two
    # queries (the people list's rule, yicai.people.queries.in_post_on), whatever the staff.
    for measure in ("interventions", "discharges", "open_beds", "operations_grade_4"):
        figures(world.a_cardiology, {year: 100 + year for year in range(2019, 2024)}, measure)
        figures(world.b_medicine, {year: year for year in range(2019, 2024)}, measure)
    for number in range(8):  # people of cardiology, with their titles
        factories.person(world.a, f"心内{number}", department=world.a_cardiology, title="234")
    many = [_count(client, url, query) for url, query in pages]
    assert many == few
    # Four more years shown cost two queries each on the discipline page, nothing elsewhere.
    for measure in ("interventions", "discharges"):
        figures(world.a_cardiology, {year: year for year in range(2015, 2019)}, measure)
    assert _count(client, discipline(world.a_cardiology), None) == few[2] + 4 * 2
    text = client.get(discipline(world.a_cardiology)).content.decode()
    assert len(re.findall(r'id="series-', text)) == 4
