// Dashboard charts: one per panel with a chart (json_script "panel-<key>"); see charts.js.
(function () {
  document.querySelectorAll("[data-chart]").forEach(function (element) {
    var data = JSON.parse(document.getElementById(element.dataset.chart).textContent);
    var rows = data.labels.map(function (label, i) {
      return { label: label, count: data.values[i], url: data.urls[i] };
    });
    window.yicaiCharts.draw(element, rows, element.dataset.horizontal === "true");
  });
})();
