// Bar charts drawn from the figures the server counted: each bar opens the list of records
// behind it, as the table of links beside the chart does. On a narrow screen (a phone) bars lie
// horizontally and long names are cut, so labels never overlap. Used by the home page and the
// dashboard: window.yicaiCharts.draw(element, rows, horizontalAlways), rows [{label, count, url}].
(function () {
  var NARROW = 480;

  function option(rows, horizontal, width) {
    var narrow = width < NARROW;
    var labelWidth = narrow ? Math.max(56, Math.floor(width * 0.3)) : 140;
    var category = {
      type: "category",
      data: rows.map(function (row) { return row.label; }),
      axisLabel: { interval: 0, width: labelWidth, overflow: "truncate" },
    };
    var value = { type: "value", minInterval: 1, axisLabel: { hideOverlap: true } };
    return {
      // Drawn at once: a bar is where it will stay as soon as the page shows it.
      animation: false,
      grid: { left: 8, right: 36, top: horizontal ? 8 : 28, bottom: 8, containLabel: true },
      // Drawn on the canvas: the HTML tooltip carries style= attributes, which the
      // Content-Security-Policy refuses.
      tooltip: { trigger: "item", confine: true, renderMode: "richText" },
      xAxis: horizontal ? value : category,
      yAxis: horizontal ? Object.assign(category, { inverse: true }) : value,
      series: [{
        type: "bar",
        cursor: "pointer",
        barMaxWidth: 32,
        data: rows.map(function (row) { return row.count; }),
        label: { show: true, position: horizontal ? "right" : "top" },
      }],
    };
  }

  function draw(element, rows, horizontalAlways) {
    element.classList.add("drawn");
    var chart = echarts.init(element);
    var render = function () {
      var width = element.clientWidth;
      chart.setOption(option(rows, horizontalAlways || width < NARROW, width), true);
    };
    render();
    chart.on("click", function (params) {
      var row = rows[params.dataIndex];
      if (row) { window.location.href = row.url; }
    });
    window.addEventListener("resize", function () { chart.resize(); render(); });
    // The chart stands in for its table now; the table stays one click away.
    element.parentNode.querySelector("details.chart-table").open = false;
  }

  window.yicaiCharts = { draw: draw };
})();
