// Home page charts, from the figures the server counted (json_script "chart-data"); see charts.js.
(function () {
  var data = JSON.parse(document.getElementById("chart-data").textContent);
  window.yicaiCharts.draw(document.getElementById("chart-institutions"), data.institutions, true);
  window.yicaiCharts.draw(document.getElementById("chart-ages"), data.ages, false);
})();
