// Home page charts, drawn from the figures the server counted (json_script "chart-data").
(function () {
  var data = JSON.parse(document.getElementById("chart-data").textContent);
  var bar = function (id, labels, values, horizontal) {
    var chart = echarts.init(document.getElementById(id));
    var category = { type: "category", data: labels, axisLabel: { interval: 0 } };
    var value = { type: "value", minInterval: 1 };
    chart.setOption({
      grid: { left: horizontal ? 110 : 40, right: 30, top: horizontal ? 10 : 30, bottom: 30 },
      tooltip: {},
      xAxis: horizontal ? value : category,
      yAxis: horizontal ? Object.assign(category, { inverse: true }) : value,
      series: [{ type: "bar", data: values, label: { show: true, position: horizontal ? "right" : "top" } }],
    });
    window.addEventListener("resize", function () { chart.resize(); });
  };
  bar("chart-institutions", data.institutions, data.institution_counts, true);
  bar("chart-ages", data.age_bands, data.age_counts, false);
})();
