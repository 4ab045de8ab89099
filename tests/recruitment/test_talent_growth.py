"""Shortage talent over time: the people holding the tag on two days, the change and the
average yearly rate (100 → 121 over two years: +21, 10.0 % a year, hand-computed), by
institution and by personnel category, within the user's scope; the page, its export and the
API give the same figures."""

import datetime
import io

import openpyxl
import pytest

from tests.conftest import login
from tests.recruitment.scenarios import SINCE, UNTIL, shortage_talent
from yicai.recruitment import queries

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def shortage(world):
    return shortage_talent(world)


def test_two_years_of_shortage_talent_read_plus_21_at_10_percent_a_year(world, shortage):
    growth = queries.talent_growth(world.commission, tag=shortage, since=SINCE, until=UNTIL)
    assert (growth.at_start, growth.at_end, growth.change) == (100, 121, 21)
    # 121 / 100 over 730 days, 1.99863 years of 365.25 days: 1.21 ** (365.25 / 730) - 1
    assert growth.yearly_rate == pytest.approx(0.1000718, abs=1e-7)
    assert growth.yearly_percent == "10.0%"
    lines = {
        line["label"]: (line["at_start"], line["at_end"], line["change"])
        for line in growth.by_institution
    }
    assert lines == {"甲区中心医院": (80, 99, 19), "乙社区卫生服务中心": (20, 22, 2)}
    categories = {line["label"]: line["at_end"] for line in growth.by_category}
    # Every fourth of each batch a nurse: 20 + 5 + 5 + 1 of those held on the last day.
    assert categories == {"": 90, "注册护士": 31}


def test_each_sees_their_own_and_a_start_of_none_has_no_rate(world, shortage):
    mine = queries.talent_growth(world.hospital_b, tag=shortage, since=SINCE, until=UNTIL)
    assert (mine.at_start, mine.at_end) == (20, 22)
    assert (
        queries.talent_growth(world.dept_head, tag=shortage, since=SINCE, until=UNTIL).at_end == 0
    )
    before = queries.talent_growth(world.commission, tag=shortage, since=D(2018, 1, 1), until=SINCE)
    assert (before.at_start, before.yearly_rate, before.yearly_percent) == (0, None, "")
    one_place = queries.talent_growth(
        world.commission, tag=shortage, since=SINCE, until=UNTIL, institution=world.b
    )
    assert one_place.change == 2


def test_the_page_its_export_and_the_api_agree(client, world, as_api, shortage):
    login(client, world.commission)
    page = client.get("/recruitment/talent/", {"since": "2021-07-01", "until": "2023-07-01"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "+21" in text and "10.0%" in text
    download = client.get(
        "/recruitment/talent/", {"since": "2021-07-01", "until": "2023-07-01", "export": "xlsx"}
    )
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    rows = [list(row) for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert ["合计", "", 100, 121, 21] in rows and rows[-1] == ["年均增长率", "", "", "", "10.0%"]
    answer = as_api(world.commission).get(
        "/api/v1/recruitment/talent-growth/", {"since": "2021-07-01", "until": "2023-07-01"}
    )
    assert answer.status_code == 200
    assert (answer.data["at_start"], answer.data["at_end"], answer.data["change"]) == (100, 121, 21)
    assert answer.data["yearly_rate"] == pytest.approx(0.1000718, abs=1e-7)
    assert answer.data["tag"]["code"] == "shortage"
    wrong = {"since": "2023-07-01", "until": "2021-07-01"}
    refused = client.get("/recruitment/talent/", wrong)
    assert refused.status_code == 400 and "截止日不能早于起始日。" in refused.content.decode()
    api_refused = as_api(world.commission).get("/api/v1/recruitment/talent-growth/", wrong)
    assert (api_refused.status_code, api_refused.data) == (
        400,
        {"until": ["截止日不能早于起始日。"]},
    )


def test_by_default_shortage_talent_over_the_last_two_years(client, world, shortage):
    login(client, world.commission)
    shown = client.get("/recruitment/talent/").context["values"]
    today = datetime.date.today()
    assert (shown["tag"], shown["until"]) == (shortage, today)
    assert (today - shown["since"]).days in (730, 731)
