// Draws a canned query's chart with Chart.js (installed from npm, served at /lib/) from the
// page's own JSON: `psikg.chart` holds the labels along x and the datasets, computed by
// the server (graph/canned/chart.py) from the header's chart and the page of rows. A
// missing point (null: a division by zero, an empty cell) is not drawn.
(function () {
  "use strict";
  var page = JSON.parse(document.getElementById("psikg-query").textContent);
  var chart = page.psikg.chart;
  var canvas = document.getElementById("chart");
  if (!canvas || !chart || typeof window.Chart !== "function") { return; }
  var pie = chart.type === "pie";
  window.psikgChart = new window.Chart(canvas, {
    type: chart.type,
    data: {
      labels: chart.labels,
      datasets: chart.datasets.map(function (set) {
        return { label: set.label, data: set.data };
      }),
    },
    options: {
      responsive: true, maintainAspectRatio: false, animation: false,
      locale: page.psikg.language,  // ticks and tooltips write numbers as the page does
      plugins: { legend: { display: chart.datasets.length > 1 || pie } },
      scales: pie ? {} : {
        x: { title: { display: true, text: chart.x_title } },
        y: { beginAtZero: true, title: { display: true, text: chart.y_title } } },
    },
  });
})();
