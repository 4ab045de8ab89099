"""End to end in Chromium: the commission opens 人才驾驶舱 from the 用 menu, drills down from
the institutions to one hospital, and a bar of its title chart opens the people behind it,
as many as the bar says."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser


def test_the_commission_drills_down_to_the_people_behind_a_bar(live_world, live_server, page):
    world = live_world
    log_in(page, live_server, world.commission)
    page.get_by_role("button", name="用 · 考核评价").click()
    page.get_by_role("link", name="人才驾驶舱").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("人才驾驶舱")

    # The institutions' table (folded under its chart): a hospital's name drills down to
    # its own dashboard.
    page.locator("#panel-places summary").click()
    page.locator("#table-places").get_by_role("link", name=world.a.name).click()
    expect(page.locator("#crumbs")).to_contain_text(world.a.name)
    expect(page.locator("#title-places")).to_have_text("各科室在岗人数")

    # A bar of the title chart opens the people it counts.
    chart = page.locator('[data-chart="chart-grades"]')
    chart.scroll_into_view_if_needed()
    expect(chart.locator("canvas")).to_have_count(1)
    index, point = page.evaluate(
        "() => { const el = document.querySelector('[data-chart=\"chart-grades\"]');"
        " const chart = echarts.getInstanceByDom(el);"
        " const data = chart.getOption().series[0].data;"
        " const i = data.findIndex(v => v > 0);"
        " return [i, chart.convertToPixel({seriesIndex: 0}, [i, data[i] / 2])]; }"
    )
    row = page.locator("#table-grades tbody tr").nth(index)
    link = row.locator("a")
    href, count = link.get_attribute("href"), link.text_content()
    box = chart.bounding_box()
    page.mouse.click(box["x"] + point[0], box["y"] + point[1])
    expect(page).to_have_url(re.compile(re.escape(href) + "$"))
    expect(page.locator("#result-count")).to_contain_text(f"共 {count} 人")
